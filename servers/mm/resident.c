// Calls about pages being in memory, with Linux 6.1's checks in its order (mm/mlock.c,
// mm/mincore.c, mm/msync.c). XINIM never swaps memory out, so a lock holds by itself:
// mlock and its kin check, and mlock makes the range's missing pages at once as Linux's
// does; mincore asks the kernel which pages are there (KCALL_SPACE_PRESENT); msync has
// nothing to write back (no file is mapped).
#define _GNU_SOURCE	// MLOCK_ONFAULT
#include <errno.h>
#include <sys/mman.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "mm.h"

// The range [*start, *end) a lock call names: its start rounded down and its length up,
// as Linux's. 0, -EINVAL (it wraps) or -ENOMEM (a part is not mapped).
static long lock_range(const struct space *s, const struct xinim_syscall *call, uint64_t *start,
		       uint64_t *end)
{
	uint64_t addr = call->args[0], length = call->args[1];
	*start = page_down(addr);
	*end = *start + page_up(length + (addr & (MM_PAGE - 1)));
	if (*end < *start)
		return -EINVAL;
	return *end == *start || regions_cover(mm_pool, &s->regions, *start, *end) ? 0 : -ENOMEM;
}

// mlock's: the pages of [start, end) that may be used are made now.
static long lock(const struct space *s, uint64_t start, uint64_t end)
{
	long err = 0;
	for (const struct region *r = regions_find(mm_pool, &s->regions, start);
	     r && r->start < end && !err; r = regions_next(mm_pool, &s->regions, r->end))
		if (r->prot & MM_PROT_ALL)
			err = space_map(s, r->start > start ? r->start : start,
					r->end < end ? r->end : end, r->prot);
	return err;
}

long mm_mlock(struct space *s, const struct xinim_syscall *call)
{
	uint64_t start, end;
	long err = lock_range(s, call, &start, &end);
	return err ? err : lock(s, start, end);
}

long mm_mlock2(struct space *s, const struct xinim_syscall *call)
{
	if (call->args[2] & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	uint64_t start, end;
	long err = lock_range(s, call, &start, &end);
	return err || call->args[2] & MLOCK_ONFAULT ? err : lock(s, start, end);
}

long mm_munlock(struct space *s, const struct xinim_syscall *call)
{
	uint64_t start, end;
	return lock_range(s, call, &start, &end);
}

long mm_mlockall(struct space *s, const struct xinim_syscall *call)
{
	(void)s;
	uint64_t flags = call->args[0];
	if (!flags || flags & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	return 0;
}

long mm_munlockall(struct space *s, const struct xinim_syscall *call)
{
	(void)s, (void)call;
	return 0;
}

long mm_mincore(struct space *s, const struct xinim_syscall *call)
{
	uint64_t addr = call->args[0], length = call->args[1], vector = call->args[2];
	if (addr & (MM_PAGE - 1))
		return -EINVAL;
	if (!user_range(addr, page_up(length)) || page_up(length) < length)
		return -ENOMEM;
	uint64_t pages = page_up(length) / MM_PAGE;
	if (!user_range(vector, pages))
		return -EFAULT;
	if (!regions_cover(mm_pool, &s->regions, addr, addr + pages * MM_PAGE))
		return -ENOMEM;
	uint8_t present[PRESENT_MAX];
	for (uint64_t done = 0; done < pages;) {
		uint64_t n = pages - done < PRESENT_MAX ? pages - done : PRESENT_MAX;
		long err = xinim_kcall4(KCALL_SPACE_PRESENT, s->owner, (long)(addr + done * MM_PAGE),
					(long)n, (long)present);
		if (!err && ipc_copy_to(s->owner, vector + done, present, n))
			err = -EFAULT;
		if (err)
			return err;
		done += n;
	}
	return 0;
}

long mm_msync(struct space *s, const struct xinim_syscall *call)
{
	uint64_t addr = call->args[0], length = page_up(call->args[1]), flags = call->args[2];
	if (flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC) || addr & (MM_PAGE - 1) ||
	    (flags & MS_ASYNC && flags & MS_SYNC))
		return -EINVAL;
	if (addr + length < addr || length < call->args[1])
		return -ENOMEM;
	return !length || regions_cover(mm_pool, &s->regions, addr, addr + length) ? 0 : -ENOMEM;
}
