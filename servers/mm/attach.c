// Attachments of System V shared memory segments: shmat and shmdt, with Linux 6.1's
// checks in its order (ipc/shm.c do_shmat, ksys_shmdt), and what a process's fork, exec
// and end do to them. An attachment is a region of the process (MM_SHARED) whose pages
// are the segment's in MM's store, shared writable, and a record that counts it.
#include <errno.h>
#include <sys/shm.h>
#include "mm.h"

#define attaches (mm_shm->attaches)

// How many records are attachments: none (the common case), and a fork, an exec or an
// end looks at none. Counted again from the records at take-over (shm_check).
static unsigned attached;

static struct attach *attach_free(void)
{
	for (unsigned i = 0; i < SHM_ATTACHES; i++)
		if (!attaches[i].owner)
			return &attaches[i];
	return NULL;
}

static void attach_set(struct attach *a, xinim_endpoint_t owner, uint32_t segment,
		       uint64_t start, uint64_t end)
{
	keep_change(a, sizeof(*a));
	attached += !a->owner;
	*a = (struct attach){ .owner = owner, .segment = segment, .start = start, .end = end };
	segment_attached(&mm_shm->segments[segment], xinim_endpoint_pid(owner));
}

static void detach(struct attach *a)
{
	unsigned pid = xinim_endpoint_pid(a->owner);
	struct segment *g = &mm_shm->segments[a->segment];
	keep_change(a, sizeof(*a));
	attached -= a->owner != 0;
	*a = (struct attach){ 0 };
	segment_detached(g, pid);
}

// Where the attachment goes: at addr (SHM_RND rounds it down to SHMLBA, a page on
// arm64), or where mmap would put it. 0 and *err when it cannot.
static uint64_t attach_place(const struct space *s, uint64_t addr, int flags, uint64_t length,
			     long *err)
{
	*err = -EINVAL;
	if (addr & (MM_PAGE - 1)) {
		if (!(flags & SHM_RND))
			return 0;
		addr = page_down(addr);
		if (!addr && flags & SHM_REMAP)
			return 0;
	}
	if (!addr) {
		*err = flags & SHM_REMAP ? -EINVAL : -ENOMEM;
		return flags & SHM_REMAP ? 0 : mm_place(s, 0, length);
	}
	if (!(flags & SHM_REMAP) && !regions_free(mm_pool, &s->regions, addr, addr + length))
		return 0;
	*err = addr < MM_MIN_ADDR ? -EPERM : -ENOMEM;
	return addr < MM_MIN_ADDR || !user_range(addr, length) ? 0 : addr;
}

long mm_shmat(struct space *s, const struct xinim_syscall *call)
{
	int id = (int)call->args[0], flags = (int)call->args[2];
	uint64_t addr = call->args[1];
	unsigned prot = flags & SHM_RDONLY ? PROT_READ : PROT_READ | PROT_WRITE;
	unsigned want = flags & SHM_RDONLY ? 0444 : 0666;
	if (flags & SHM_EXEC) {
		prot |= PROT_EXEC;
		want |= 0111;
	}
	struct segment *g = segment_of(id);
	if (id < 0 || !g || (addr & (MM_PAGE - 1) && !(flags & SHM_RND)))
		return -EINVAL;
	if (!segment_allows(g, want) || wx_check(prot))
		return -EACCES;
	long err;
	uint64_t length = page_up(g->size), start = attach_place(s, addr, flags, length, &err);
	struct attach *a = attach_free();
	if (!start || !a)
		return start ? -ENOMEM : err;
	if ((err = regions_set(mm_pool, &s->regions, start, start + length, prot | MM_SHARED)))
		return err;
	shm_replaced(s, start, start + length);	// by SHM_REMAP
	uint64_t base = segment_base(g);
	err = space_unmap(s, start, start + length);	// what SHM_REMAP replaces
	if (!err)
		err = space_share(XINIM_SPACE_STORE, s, base, base + length, start);
	if (!err)
		err = space_protect(s, start, start + length, prot);
	if (err) {
		space_remove(s, start, start + length);
		return err;
	}
	attach_set(a, s->owner, (uint32_t)(g - mm_shm->segments), start, start + length);
	return (long)start;
}

long mm_shmdt(struct space *s, const struct xinim_syscall *call)
{
	uint64_t addr = call->args[0];
	for (unsigned i = 0; !(addr & (MM_PAGE - 1)) && i < SHM_ATTACHES; i++)
		if (attaches[i].owner == s->owner && attaches[i].start == addr)
			return space_remove(s, attaches[i].start, attaches[i].end);
	return -EINVAL;
}

void shm_forget(unsigned pid)
{
	for (unsigned i = 0; i < SHM_ATTACHES && attached; i++)
		if (attaches[i].owner && xinim_endpoint_pid(attaches[i].owner) == pid)
			detach(&attaches[i]);
}

int shm_fork(const struct space *parent, const struct space *child)
{
	for (unsigned i = 0, before = attached; i < SHM_ATTACHES && before; i++) {
		const struct attach *a = &attaches[i];
		struct attach *copy = a->owner == parent->owner ? attach_free() : NULL;
		if (a->owner == parent->owner && !copy)
			return -ENOMEM;
		if (copy)
			attach_set(copy, child->owner, a->segment, a->start, a->end);
	}
	return 0;
}

void shm_unmapped(const struct space *s, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < SHM_ATTACHES && attached; i++) {
		struct attach *a = &attaches[i];
		if (a->owner == s->owner && a->start < end && start < a->end &&
		    regions_free(mm_pool, &s->regions, a->start, a->end))
			detach(a);
	}
}

void shm_replaced(const struct space *s, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < SHM_ATTACHES; i++) {
		struct attach *a = &attaches[i];
		if (a->owner == s->owner && a->start < end && start < a->end)
			detach(a);
	}
}

bool shm_attached(const struct space *s, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < SHM_ATTACHES; i++) {
		const struct attach *a = &attaches[i];
		if (a->owner == s->owner && a->start < end && start < a->end)
			return true;
	}
	return false;
}

// Whether a is one MM's calls could have left: its owner's space kept, its segment
// there, its range the segment's pages and held by shared regions of the space.
static bool attach_sound(const struct attach *a)
{
	const struct space *s = space_of(a->owner);
	const struct segment *g = a->segment < SHM_SEGMENTS ? &mm_shm->segments[a->segment] : NULL;
	if (!s || !g || !g->used || (a->start | a->end) & (MM_PAGE - 1) || a->start >= a->end ||
	    a->end - a->start != page_up(g->size) || !regions_cover(mm_pool, &s->regions, a->start, a->end))
		return false;
	for (const struct region *r = regions_find(mm_pool, &s->regions, a->start);
	     r && r->start < a->end; r = regions_next(mm_pool, &s->regions, r->end))
		if (!(r->prot & MM_SHARED))
			return false;
	return true;
}

unsigned shm_check(void)
{
	uint32_t nattch[SHM_SEGMENTS] = { 0 };
	unsigned dropped = segments_check();
	attached = 0;
	for (unsigned i = 0; i < SHM_ATTACHES; i++) {
		struct attach *a = &attaches[i];
		if (!a->owner)
			*a = (struct attach){ 0 };
		else if (!attach_sound(a)) {
			*a = (struct attach){ 0 };
			dropped++;
		} else {
			nattch[a->segment]++;
			attached++;
		}
	}
	segments_recount(nattch);
	return dropped;
}
