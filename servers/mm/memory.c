// The memory system calls: brk, anonymous mmap (MAP_SHARED: its pages shared writable
// with the children a fork makes), munmap, mprotect, madvise. Pages come
// later, one fault at a time (fault.c); these change regions and drop pages. Each
// checks everything first: a call that fails changes neither the regions nor the pages.
#include <errno.h>
#include <sys/mman.h>
#include "mm.h"

long mm_managed(const struct ipc_request *request, mm_syscall *handle)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct space *s = space_of(call.caller);
	return s ? handle(s, &call) : -ENOMEM;
}

// Whether [start, start + length), length a whole number of pages, lies in user space.
bool user_range(uint64_t start, uint64_t length)
{
	return length <= XINIM_USER_TOP && start <= XINIM_USER_TOP - length;
}

// Linux answers brk with the break it ends up with: the old one when it cannot move. As
// Linux's, the heap grows until a page below whatever lies above it (mmap places its
// mappings high, so that is far), not up to a fixed ceiling.
long mm_brk(struct space *s, const struct xinim_syscall *call)
{
	uint64_t want = call->args[0], have_end = page_up(s->brk);
	if (want < s->brk_base || want > XINIM_USER_TOP - MM_PAGE)
		return (long)s->brk;
	uint64_t want_end = page_up(want);
	if (want_end > have_end &&
	    (limits_grow(s, want_end - have_end, PROT_READ | PROT_WRITE) ||
	     !regions_free(mm_pool, &s->regions, have_end, want_end + MM_PAGE) ||
	     regions_add(mm_pool, &s->regions, have_end, want_end, PROT_READ | PROT_WRITE)))
		return (long)s->brk;
	if (want_end < have_end && space_remove(s, want_end, have_end) != 0)
		return (long)s->brk;
	keep_change(&s->brk, sizeof(s->brk));
	s->brk = want;
	return (long)s->brk;
}

// As Linux's: at hint if it is free there and not below MM_MIN_ADDR, else the highest gap.
uint64_t mm_place(const struct space *s, uint64_t hint, uint64_t length)
{
	if (hint >= MM_MIN_ADDR && user_range(hint, length) &&
	    regions_free(mm_pool, &s->regions, hint, hint + length))
		return hint;
	return regions_gap(mm_pool, &s->regions, MMAP_BOTTOM, MMAP_TOP, length);
}

// mmap's checks, in the order Linux 6.1 makes them (arm64 sys_mmap, ksys_mmap_pgoff,
// do_mmap, get_unmapped_area); length is already whole pages, and not 0.
static long mmap_check(const struct space *s, const struct xinim_syscall *call,
		       uint64_t length)
{
	uint64_t addr = call->args[0], flags = call->args[3], type = flags & MAP_TYPE;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (length > XINIM_USER_TOP || (fixed && !user_range(addr, length)))
		return -ENOMEM;
	if (fixed && addr & (MM_PAGE - 1))
		return -EINVAL;
	if (fixed && addr < MM_MIN_ADDR)
		return -EPERM;
	if (flags & MAP_FIXED_NOREPLACE &&
	    !regions_free(mm_pool, &s->regions, addr, addr + length))
		return -EEXIST;
	if (type != MAP_PRIVATE && type != MAP_SHARED)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV;		// file mappings come with VFS's help, later
	return wx_check(call->args[2]);
}

long mm_mmap(struct space *s, const struct xinim_syscall *call)
{
	uint64_t addr = call->args[0], length = call->args[1];
	uint64_t prot = call->args[2] & MM_PROT_ALL;	// Linux's mmap ignores other bits
	uint64_t flags = call->args[3], offset = call->args[5];
	if ((flags & MAP_TYPE) == MAP_SHARED)
		prot |= MM_SHARED;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (offset & (MM_PAGE - 1))
		return -EINVAL;
	// MM cannot tell which fds are open (VFS holds them); a negative one never is.
	if (!(flags & MAP_ANONYMOUS) && (int)call->args[4] < 0)
		return -EBADF;
	if (!length)
		return -EINVAL;
	if (!(length = page_up(length)))
		return -ENOMEM;		// it wrapped
	long err = mmap_check(s, call, length);
	if (!err)
		err = limits_grow(s, length, (unsigned)prot);
	if (err)
		return err;
	uint64_t start = fixed ? addr : mm_place(s, page_down(addr), length);
	if (!start)
		return -ENOMEM;
	// The regions change only if they have room; then the pages there go.
	err = regions_set(mm_pool, &s->regions, start, start + length, (unsigned)prot);
	if (!err && fixed)
		err = space_unmap(s, start, start + length);
	if (!err && fixed)
		shm_replaced(s, start, start + length);
	return err ? err : (long)start;
}

long mm_munmap(struct space *s, const struct xinim_syscall *call)
{
	uint64_t addr = call->args[0], length = page_up(call->args[1]);
	if (addr & (MM_PAGE - 1) || !length || !user_range(addr, length))
		return -EINVAL;
	return space_remove(s, addr, addr + length);
}

// In Linux 6.1's order (do_mprotect_pkey): an unaligned start, nothing to do, a range
// that wraps, an unknown bit, then the regions.
long mm_mprotect(struct space *s, const struct xinim_syscall *call)
{
	uint64_t addr = call->args[0], length = page_up(call->args[1]), prot = call->args[2];
	if (addr & (MM_PAGE - 1))
		return -EINVAL;
	if (!call->args[1])
		return 0;
	if (!length || addr + length < addr)
		return -ENOMEM;
	if (prot & ~(uint64_t)(MM_PROT_ALL | MM_PROT_SEM))
		return -EINVAL;		// PROT_GROWSDOWN too: no region grows down
	int err = wx_check(prot);
	if (err)
		return err;
	if (!user_range(addr, length))
		return -ENOMEM;
	prot &= MM_PROT_ALL;
	if (!regions_cover(mm_pool, &s->regions, addr, addr + length))
		return -ENOMEM;
	for (const struct region *r = regions_find(mm_pool, &s->regions, addr);
	     r && r->start < addr + length; r = regions_next(mm_pool, &s->regions, r->end))
		if (!vvar_allows(r->prot, prot))
			return -EACCES;
	// Region by region, each keeping its kind (MM_SHARED or not, the vvar's or not).
	for (uint64_t at = addr, end; at < addr + length && !err; at = end) {
		const struct region *r = regions_find(mm_pool, &s->regions, at);
		unsigned kind = r->prot & (MM_SHARED | REGION_VVAR);
		end = r->end < addr + length ? r->end : addr + length;
		err = regions_protect(mm_pool, &s->regions, at, end, (unsigned)prot | kind);
	}
	return err ? err : space_protect(s, addr, addr + length, (unsigned)prot);
}

// The advice Linux 6.1 knows on arm64 (madvise_behavior_valid), by Linux's numbers
// (asm-generic/mman-common.h; C libraries name only some): MADV_NORMAL up to
// MADV_DONTNEED, MADV_FREE up to MADV_COLLAPSE, and the two memory-failure tests.
enum linux_advice {
	ADVICE_FREE = 8,
	ADVICE_COLLAPSE = 25,
	ADVICE_HWPOISON = 100,
	ADVICE_SOFT_OFFLINE = 101,
};

static bool advice_known(uint64_t advice)
{
	return advice <= MADV_DONTNEED || (advice >= ADVICE_FREE && advice <= ADVICE_COLLAPSE) ||
	       advice == ADVICE_HWPOISON || advice == ADVICE_SOFT_OFFLINE;
}

// Advice is free to ignore, except MADV_DONTNEED: private anonymous pages read as zero
// after it. Shared ones stay: MM could not find them again once dropped.
long mm_madvise(struct space *s, const struct xinim_syscall *call)
{
	uint64_t addr = call->args[0], length = page_up(call->args[1]), advice = call->args[2];
	if (!advice_known(advice) || addr & (MM_PAGE - 1) || length < call->args[1] ||
	    addr + length < addr)
		return -EINVAL;
	if (!length)
		return 0;
	if (!user_range(addr, length) || !regions_cover(mm_pool, &s->regions, addr, addr + length))
		return -ENOMEM;
	int err = 0;
	for (uint64_t at = addr, end; advice == MADV_DONTNEED && at < addr + length && !err; at = end) {
		const struct region *r = regions_find(mm_pool, &s->regions, at);
		end = r->end < addr + length ? r->end : addr + length;
		if (!(r->prot & MM_SHARED))
			err = space_unmap(s, at, end);
	}
	return err;
}
