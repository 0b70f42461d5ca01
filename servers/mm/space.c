// The spaces MM manages, one per PID, and the kernel calls that make the pages follow.
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "mm.h"

#ifdef XINIM_HOSTED	// the hosted tests have no kept memory: a state of their own
static struct mm_state hosted_state;
static struct mm_state *mm = &hosted_state;
struct region_pool *mm_pool = &hosted_state.regions;
struct shm_state *mm_shm = &hosted_state.shm;
#else
static struct mm_state *mm;
struct region_pool *mm_pool;
struct shm_state *mm_shm;
#endif
#define spaces (mm->spaces)

// Per record of the pool, at take-over: how many kept spaces' trees hold it (2: more).
static uint8_t holders[REGIONS_POOL];

// Counts the records of the tree at i, which regions_check found sound (so finite and
// of a bounded height), in holders.
static void tree_hold(uint32_t i)
{
	for (; i; i = mm_pool->r[i].right) {
		holders[i] += holders[i] < 2;
		tree_hold(mm_pool->r[i].left);
	}
}

// Whether every record of the tree at i is its space's alone (a record in two trees
// would be changed through one and corrupt the other) and W^X, as every call keeps it.
static bool tree_own(uint32_t i)
{
	const struct region *r = &mm_pool->r[i];
	return !i || (holders[i] == 1 && !wx_check(r->prot) && tree_own(r->left) &&
		      tree_own(r->right));
}

// Whether the space kept at pid is one MM's calls could have left: its owner of pid, its
// regions sound in the pool and within what a process may map (the root holds its
// tree's lowest start and highest end), its break above its base, in user space.
static bool space_sound(const struct space *s, unsigned pid)
{
	if (xinim_endpoint_pid(s->owner) != pid || !regions_check(mm_pool, &s->regions))
		return false;
	const struct region *root = s->regions.root ? &mm_pool->r[s->regions.root] : NULL;
	return (!root || (root->low >= MM_MIN_ADDR && root->high <= XINIM_USER_TOP)) &&
	       !(s->brk_base & (MM_PAGE - 1)) && s->brk_base <= MMAP_BOTTOM &&
	       s->brk_base <= s->brk && s->brk <= XINIM_USER_TOP - MM_PAGE;
}

// What a restarted MM takes over: each space sound, and no record in two spaces. A
// space that does not check out is dropped (its process's faults then fail, as they
// would with no MM). How many were dropped.
static unsigned spaces_check(void)
{
	unsigned dropped = 0;
	if (mm_pool->touched >= REGIONS_POOL)	// else regions_check takes any index
		mm_pool->touched = REGIONS_POOL - 1;
	memset(holders, 0, sizeof(holders));
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct space *s = &spaces[pid];
		if (!s->owner) {
			*s = (struct space){ 0 };	// leftovers space_claim would clear, unchecked
		} else if (!space_sound(s, pid)) {
			*s = (struct space){ 0 };
			dropped++;
		}
		tree_hold(s->regions.root);
	}
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct space *s = &spaces[pid];
		if (s->owner && !tree_own(s->regions.root)) {
			*s = (struct space){ 0 };
			dropped++;
		}
	}
	return dropped;
}

// The pool's counts and free list, made again from the spaces kept: every record no
// space holds is free (those of dropped spaces too), whatever the kept list said.
static void pool_rebuild(void)
{
	struct region_pool *pool = mm_pool;
	memset(holders, 0, sizeof(holders));
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		tree_hold(spaces[pid].regions.root);
	pool->used = 0;
	pool->free = 0;
	for (uint32_t i = pool->touched; i > 0; i--) {
		if (holders[i]) {
			pool->used++;
			continue;
		}
		pool->r[i] = (struct region){ .left = pool->free };
		pool->free = i;
	}
}

void mm_state_take(void *state, enum keep_start start)
{
	mm = state;
	mm_pool = &mm->regions;
	mm_shm = &mm->shm;
	if (start == KEEP_REFUSED)
		klog(LOGLEVEL_WARNING, "mm: the kept state did not check out: starting empty\n");
	if (start != KEEP_INHERITED) {
		shm_check();	// nothing there: its counts start at 0
		return;
	}
	unsigned live = 0, dropped = spaces_check();
	pool_rebuild();
	dropped += shm_check();
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		live += spaces[pid].owner != 0;
	klog(LOGLEVEL_INFO, "mm: took over %u spaces (%u regions, %u shared memory segments)%s\n", live,
	      mm_pool->used, shm_segments_used(),
	      dropped ? ", dropped those that did not check out" : "");
}

size_t mm_state_size(void) { return sizeof(struct mm_state); }

struct space *space_of(xinim_endpoint_t who)
{
	unsigned pid = xinim_endpoint_pid(who);
	return who && pid < XINIM_PROCS_MAX && spaces[pid].owner == who ? &spaces[pid] : NULL;
}

struct space *space_at(unsigned pid)
{
	return pid < XINIM_PROCS_MAX && spaces[pid].owner ? &spaces[pid] : NULL;
}

struct space *space_claim(xinim_endpoint_t who)
{
	if (!who || who == XINIM_ENDPOINT_NONE || xinim_endpoint_pid(who) >= XINIM_PROCS_MAX)
		return NULL;
	struct space *s = &spaces[xinim_endpoint_pid(who)];
	bool same = s->owner == who;	// execve: its limits stay
	shm_forget(xinim_endpoint_pid(who));	// a process at that PID before, if any
	regions_clear(mm_pool, &s->regions);
	keep_change(s, sizeof(*s));
	*s = (struct space){ .owner = who, .as_limit = same ? s->as_limit : UINT64_MAX,
			     .data_limit = same ? s->data_limit : UINT64_MAX };
	return s;
}

void space_forget(xinim_endpoint_t who)
{
	struct space *s = space_of(who);
	if (s) {
		shm_forget(xinim_endpoint_pid(who));
		regions_clear(mm_pool, &s->regions);
		keep_change(s, sizeof(*s));
		*s = (struct space){ 0 };
	}
}

// Pages are mapped readable whenever they may be used at all: EL0 cannot be given
// write-only or execute-only pages. MM_SHARED goes with them.
static unsigned page_prot(unsigned prot)
{
	return prot & MM_PROT_ALL ? (prot | PROT_READ) & (MM_PROT_ALL | MM_SHARED) : 0;
}

static int map_pages(xinim_endpoint_t owner, uint64_t start, uint64_t end, unsigned prot)
{
	return (int)xinim_kcall4(KCALL_SPACE_MAP, owner, (long)start, (long)(end - start), prot);
}

static int protect_pages(xinim_endpoint_t owner, uint64_t start, uint64_t end, unsigned prot)
{
	return (int)xinim_kcall4(KCALL_SPACE_PROTECT, owner, (long)start, (long)(end - start),
				 page_prot(prot) & MM_PROT_ALL);
}

int space_map(const struct space *s, uint64_t start, uint64_t end, unsigned prot)
{
	return map_pages(s->owner, start, end, page_prot(prot));
}

int space_fill_shared(xinim_endpoint_t owner, uint64_t start, uint64_t end, unsigned prot)
{
	int err = map_pages(owner, start, end, PROT_READ | MM_SHARED);
	return err ? err : protect_pages(owner, start, end, prot);
}

int space_share(xinim_endpoint_t from, const struct space *to, uint64_t start, uint64_t end,
		uint64_t to_start)
{
	return (int)xinim_kcall6(KCALL_SPACE_SHARE, from, to->owner, (long)start,
				 (long)(end - start), (long)to_start, 0);
}

int store_unmap(uint64_t start, uint64_t end)
{
	return (int)xinim_kcall3(KCALL_SPACE_UNMAP, XINIM_SPACE_STORE, (long)start,
				 (long)(end - start));
}

int space_fault(const struct space *s, uint64_t page, unsigned prot)
{
	return (int)xinim_kcall3(KCALL_SPACE_FAULT, s->owner, (long)page, page_prot(prot));
}

int space_unmap(const struct space *s, uint64_t start, uint64_t end)
{
	return (int)xinim_kcall3(KCALL_SPACE_UNMAP, s->owner, (long)start, (long)(end - start));
}

int space_protect(const struct space *s, uint64_t start, uint64_t end, unsigned prot)
{
	return protect_pages(s->owner, start, end, prot);
}

int space_remove(struct space *s, uint64_t start, uint64_t end)
{
	int err = regions_remove(mm_pool, &s->regions, start, end);
	if (!err)
		err = space_unmap(s, start, end);
	if (!err)
		shm_unmapped(s, start, end);
	return err;
}
