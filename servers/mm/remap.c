// mremap, with Linux 6.1's checks in its order (mm/mremap.c): a shrink unmaps the tail,
// a growth takes the room after the region if it is free, else (MREMAP_MAYMOVE) the
// pages move. A move is the kernel's: the pages are shared from the old place to the new
// (KCALL_SPACE_SHARE, which leaves a page the new place has already), then the old place
// unmapped; done again after a restart of MM, it finds the pages moved and moves nothing.
#define _GNU_SOURCE	// mremap's flags
#include <errno.h>
#include <sys/mman.h>
#include "mm.h"

struct remap {
	uint64_t addr, old_len, new_len, flags, new_addr;
};

// What a growth or a move asks of the region at addr (Linux's vma_to_resize): -EFAULT
// when [addr, addr + old_len) is not in one region; -EINVAL for a length 0 (Linux
// duplicates a shared mapping then: a gap) or an attachment of System V shared memory
// (a gap: its record would not follow).
static long resizable(const struct space *s, const struct remap *m)
{
	const struct region *r = regions_find(mm_pool, &s->regions, m->addr);
	if (!m->old_len)
		return -EINVAL;
	if (m->old_len > r->end - m->addr)
		return -EFAULT;
	return shm_attached(s, m->addr, m->addr + m->old_len) ? -EINVAL : 0;
}

// The pages of the old place moved to to, which is free, as a region of prot; the old
// place keeps its region (MREMAP_DONTUNMAP: empty, it reads as zero) or goes.
static long move(struct space *s, const struct remap *m, uint64_t to, unsigned prot)
{
	uint64_t from = m->addr, length = m->new_len;
	int err = regions_set(mm_pool, &s->regions, to, to + length, prot);
	if (err)
		return err;
	err = space_share(s->owner, s, from, from + m->old_len, to);
	if (err) {
		space_remove(s, to, to + length);
		return err;
	}
	err = m->flags & MREMAP_DONTUNMAP ? space_unmap(s, from, from + m->old_len)
					  : space_remove(s, from, from + m->old_len);
	return err ? err : (long)to;
}

// MREMAP_FIXED and MREMAP_DONTUNMAP (Linux's mremap_to).
static long remap_to(struct space *s, struct remap *m)
{
	bool fixed = m->flags & MREMAP_FIXED;
	if (m->new_addr & (MM_PAGE - 1) || !user_range(m->new_addr, m->new_len))
		return -EINVAL;
	if (m->addr + m->old_len > m->new_addr && m->new_addr + m->new_len > m->addr)
		return -EINVAL;		// the places overlap
	if (fixed && m->new_addr < MM_MIN_ADDR)
		return -EPERM;
	uint64_t old_len = m->old_len < m->new_len ? m->old_len : m->new_len;
	struct remap kept = { m->addr, old_len, m->new_len, m->flags, m->new_addr };
	long err = resizable(s, &kept);
	if (err)
		return err;
	unsigned prot = regions_find(mm_pool, &s->regions, m->addr)->prot;
	if (fixed && !regions_free(mm_pool, &s->regions, m->new_addr, m->new_addr + m->new_len)) {
		if ((err = space_remove(s, m->new_addr, m->new_addr + m->new_len)))
			return err;
		// Committed: the move done again after a restart finds the place free, and
		// does not unmap the pages it had moved there.
		keep_commit();
	}
	if (m->old_len > old_len && (err = space_remove(s, m->addr + old_len, m->addr + m->old_len)))
		return err;
	uint64_t to = fixed ? m->new_addr : mm_place(s, m->new_addr, m->new_len);
	return to ? move(s, &kept, to, prot) : -ENOMEM;
}

// Grows the region in place when the room after it is free and in user space.
static bool grow_in_place(struct space *s, const struct remap *m)
{
	const struct region *r = regions_find(mm_pool, &s->regions, m->addr);
	uint64_t old_end = m->addr + m->old_len, new_end = m->addr + m->new_len;
	return old_end == r->end && user_range(m->addr, m->new_len) &&
	       regions_free(mm_pool, &s->regions, old_end, new_end) &&
	       !regions_add(mm_pool, &s->regions, old_end, new_end, r->prot);
}

long mm_mremap(struct space *s, const struct xinim_syscall *call)
{
	struct remap m = { call->args[0], call->args[1], call->args[2], call->args[3],
			   call->args[4] };
	if (m.flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP) ||
	    (m.flags & MREMAP_FIXED && !(m.flags & MREMAP_MAYMOVE)) ||
	    (m.flags & MREMAP_DONTUNMAP &&
	     (!(m.flags & MREMAP_MAYMOVE) || m.old_len != m.new_len)) ||
	    m.addr & (MM_PAGE - 1))
		return -EINVAL;
	m.old_len = page_up(m.old_len);
	m.new_len = page_up(m.new_len);
	if (!m.new_len)
		return -EINVAL;
	if (!regions_find(mm_pool, &s->regions, m.addr))
		return -EFAULT;
	if (m.flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return remap_to(s, &m);
	if (m.old_len >= m.new_len) {
		long err = space_remove(s, m.addr + m.new_len, m.addr + m.old_len);
		return err ? err : (long)m.addr;
	}
	long err = resizable(s, &m);
	if (err)
		return err;
	if (grow_in_place(s, &m))
		return (long)m.addr;
	if (!(m.flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	uint64_t to = mm_place(s, 0, m.new_len);
	return to ? move(s, &m, to, regions_find(mm_pool, &s->regions, m.addr)->prot) : -ENOMEM;
}
