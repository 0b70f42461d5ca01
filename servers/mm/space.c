// The spaces MM manages, one per PID, and the kernel calls that make the pages follow.
#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "mm.h"

// MM's whole state, kept across its restarts (docs/resurrection.md): the spaces and the
// pool of their regions, pointer-free.
struct mm_state {
	struct space spaces[XINIM_PROCS_MAX];
	struct region_pool regions;
};

#ifdef XINIM_HOSTED	// the hosted tests have no kept memory: a state of their own
static struct mm_state hosted_state;
static struct mm_state *mm = &hosted_state;
struct region_pool *mm_pool = &hosted_state.regions;
#else
static struct mm_state *mm;
struct region_pool *mm_pool;
#endif
#define spaces (mm->spaces)

// Each space's regions sound in the pool, each owner a process of its PID: what a
// restarted MM takes over. A space that does not check out is dropped (its process's
// faults then fail, as they would with no MM). How many were dropped.
static unsigned spaces_check(void)
{
	unsigned dropped = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct space *s = &spaces[pid];
		if (!s->owner)
			continue;
		if (xinim_endpoint_pid(s->owner) != pid || !regions_check(mm_pool, &s->regions)) {
			*s = (struct space){ 0 };
			dropped++;
		}
	}
	return dropped;
}

void mm_state_take(void *state, enum keep_start start)
{
	mm = state;
	mm_pool = &mm->regions;
	if (start == KEEP_REFUSED)
		print("mm: the kept state did not check out: starting empty\n");
	if (start != KEEP_INHERITED)
		return;
	unsigned live = 0, dropped = spaces_check();
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		live += spaces[pid].owner != 0;
	print("mm: took over %u spaces (%u regions)%s\n", live, mm_pool->used,
	      dropped ? ", dropped those that did not check out" : "");
}

size_t mm_state_size(void) { return sizeof(struct mm_state); }

struct space *space_of(xinim_endpoint_t who)
{
	unsigned pid = xinim_endpoint_pid(who);
	return who && pid < XINIM_PROCS_MAX && spaces[pid].owner == who ? &spaces[pid] : NULL;
}

struct space *space_claim(xinim_endpoint_t who)
{
	if (!who || who == XINIM_ENDPOINT_NONE || xinim_endpoint_pid(who) >= XINIM_PROCS_MAX)
		return NULL;
	struct space *s = &spaces[xinim_endpoint_pid(who)];
	regions_clear(mm_pool, &s->regions);	// a process at that PID before, if any
	keep_change(s, sizeof(*s));
	*s = (struct space){ .owner = who };
	return s;
}

void space_forget(xinim_endpoint_t who)
{
	struct space *s = space_of(who);
	if (s) {
		regions_clear(mm_pool, &s->regions);
		keep_change(s, sizeof(*s));
		*s = (struct space){ 0 };
	}
}

// Pages are mapped readable whenever they may be used at all: EL0 cannot be given
// write-only or execute-only pages.
static unsigned page_prot(unsigned prot) { return prot ? prot | PROT_READ : 0; }

int space_map(const struct space *s, uint64_t start, uint64_t end, unsigned prot)
{
	return (int)xinim_kcall4(KCALL_SPACE_MAP, s->owner, (long)start, (long)(end - start),
				 page_prot(prot));
}

int space_unmap(const struct space *s, uint64_t start, uint64_t end)
{
	return (int)xinim_kcall3(KCALL_SPACE_UNMAP, s->owner, (long)start, (long)(end - start));
}

int space_protect(const struct space *s, uint64_t start, uint64_t end, unsigned prot)
{
	return (int)xinim_kcall4(KCALL_SPACE_PROTECT, s->owner, (long)start, (long)(end - start),
				 page_prot(prot));
}

int space_remove(struct space *s, uint64_t start, uint64_t end)
{
	int err = regions_remove(mm_pool, &s->regions, start, end);
	return err ? err : space_unmap(s, start, end);
}
