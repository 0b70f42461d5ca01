// The memory system calls: brk, anonymous mmap, munmap, mprotect, madvise. Pages come
// later, one fault at a time (fault.c); these change regions and drop pages.
#include <errno.h>
#include <sys/mman.h>
#include "mm.h"

// The caller's space and system call; NULL for a process MM does not manage (one the
// kernel started from the boot table, whose space is built whole).
static struct space *caller_space(const struct ipc_request *request, struct xinim_syscall *call)
{
	*call = ipc_syscall_of(request);
	return space_of(call->caller);
}

static bool aligned_range(uint64_t start, uint64_t length)
{
	return !(start & (MM_PAGE - 1)) && length && start < XINIM_USER_TOP &&
	       page_up(length) <= XINIM_USER_TOP - start && page_up(length) >= length;
}

// Linux answers brk with the break it ends up with: the old one when it cannot move.
long mm_brk(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call;
	struct space *s = caller_space(request, &call);
	if (!s)
		return 0;
	uint64_t want = call.args[0], have_end = page_up(s->brk);
	if (want < s->brk_base || want >= MMAP_BOTTOM)
		return (long)s->brk;
	uint64_t want_end = page_up(want);
	if (want_end > have_end) {
		if (!regions_free(&s->regions, have_end, want_end) ||
		    regions_add(&s->regions, have_end, want_end, PROT_READ | PROT_WRITE) != 0)
			return (long)s->brk;
	} else if (want_end < have_end && space_remove(s, want_end, have_end) != 0) {
		return (long)s->brk;
	}
	s->brk = want;
	return (long)s->brk;
}

static bool prot_ok(uint64_t prot)
{
	return !(prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC));
}

// Where a new mapping of length goes: at hint if it is free there, else the highest gap.
static uint64_t place(const struct space *s, uint64_t hint, uint64_t length)
{
	if (hint && !(hint & (MM_PAGE - 1)) && hint >= MMAP_BOTTOM && hint < MMAP_TOP &&
	    length <= MMAP_TOP - hint && regions_free(&s->regions, hint, hint + length))
		return hint;
	return regions_gap(&s->regions, MMAP_BOTTOM, MMAP_TOP, length);
}

long mm_mmap(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call;
	struct space *s = caller_space(request, &call);
	uint64_t addr = call.args[0], length = call.args[1], prot = call.args[2];
	uint64_t flags = call.args[3];
	uint64_t type = flags & MAP_TYPE;
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (!length || page_up(length) < length || !prot_ok(prot) ||
	    (type != MAP_PRIVATE && type != MAP_SHARED) || (fixed && (addr & (MM_PAGE - 1))))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV;		// file mappings come with VFS's help, later
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
		return -EACCES;		// never writable and executable at once
	if (!s)
		return -ENOMEM;
	length = page_up(length);
	if (fixed && !aligned_range(addr, length))
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE && !regions_free(&s->regions, addr, addr + length))
		return -EEXIST;
	if (fixed && space_remove(s, addr, addr + length) != 0)
		return -ENOMEM;
	uint64_t start = fixed ? addr : place(s, page_down(addr), length);
	if (!start || regions_add(&s->regions, start, start + length, (unsigned)prot) != 0)
		return -ENOMEM;
	return (long)start;
}

long mm_munmap(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call;
	struct space *s = caller_space(request, &call);
	uint64_t addr = call.args[0], length = call.args[1];
	if (!aligned_range(addr, length))
		return -EINVAL;
	return s ? space_remove(s, addr, addr + page_up(length)) : -EINVAL;
}

long mm_mprotect(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call;
	struct space *s = caller_space(request, &call);
	uint64_t addr = call.args[0], length = page_up(call.args[1]), prot = call.args[2];
	if (addr & (MM_PAGE - 1) || !prot_ok(prot) || length < call.args[1])
		return -EINVAL;
	if (!length)
		return 0;
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
		return -EACCES;
	if (!s || !aligned_range(addr, length))
		return -ENOMEM;
	int err = regions_protect(&s->regions, addr, addr + length, (unsigned)prot);
	return err ? err : space_protect(s, addr, addr + length, (unsigned)prot);
}

// Advice is free to ignore, except MADV_DONTNEED: anonymous pages read as zero after it.
long mm_madvise(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call;
	struct space *s = caller_space(request, &call);
	uint64_t addr = call.args[0], length = page_up(call.args[1]), advice = call.args[2];
	if (addr & (MM_PAGE - 1) || length < call.args[1])
		return -EINVAL;
	if (!length || advice != MADV_DONTNEED || !s)
		return 0;
	if (!aligned_range(addr, length) || !regions_cover(&s->regions, addr, addr + length))
		return -ENOMEM;
	return space_unmap(s, addr, addr + length);
}
