// Region sets (regions.h). A change of [start, end) is planned first: the range of
// records it takes out (widened to the regions it cuts and the neighbours it merges
// with) and the at most three it puts in. Only a plan that fits is carried out.
#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>
#include <libipc/keep.h>
#include "region_tree.h"
#include "regions.h"

#define NODE(i) (pool->r[i])
#define NODE_W(i) (*region_write(pool, i))	// before a write: logged (regions.h)

static const struct region *record(const struct region_pool *pool, uint32_t i)
{
	return i ? &NODE(i) : NULL;
}

const struct region *regions_find(const struct region_pool *pool, const struct regions *set,
				  uint64_t address)
{
	const struct region *r = record(pool, tree_floor(pool, set->root, address));
	return r && address < r->end ? r : NULL;
}

const struct region *regions_next(const struct region_pool *pool, const struct regions *set,
				  uint64_t address)
{
	const struct region *r = regions_find(pool, set, address);
	return r ? r : record(pool, tree_ceil(pool, set->root, address));
}

bool regions_free(const struct region_pool *pool, const struct regions *set, uint64_t start,
		  uint64_t end)
{
	const struct region *r = regions_next(pool, set, start);
	return !r || r->start >= end;
}

bool regions_cover(const struct region_pool *pool, const struct regions *set, uint64_t start,
		   uint64_t end)
{
	for (const struct region *r; start < end; start = r->end)
		if (!(r = regions_find(pool, set, start)))
			return false;
	return true;
}

// The records a change takes out, [low, high) (every region starting there), and the
// ones it puts in.
struct plan {
	uint64_t low, high;
	unsigned count;
	struct region in[3];
};

// Puts [start, end) with prot at the end of plan, merged with the last piece when they
// meet with the same protection.
static void put(struct plan *plan, uint64_t start, uint64_t end, unsigned prot)
{
	struct region *last = plan->count ? &plan->in[plan->count - 1] : NULL;
	if (last && last->end == start && last->prot == prot)
		last->end = end;
	else
		plan->in[plan->count++] = (struct region){ .start = start, .end = end, .prot = prot };
}

// The plan that gives [start, end) prot (give) or takes it out (!give).
static struct plan plan_of(const struct region_pool *pool, const struct regions *set,
			   uint64_t start, uint64_t end, bool give, unsigned prot)
{
	struct plan plan = { .low = start, .high = end };
	const struct region *first = regions_find(pool, set, start);
	const struct region *last = regions_find(pool, set, end - 1);
	if (first && first->start < start) {
		plan.low = first->start;
		put(&plan, first->start, start, first->prot);
	}
	if (give)
		put(&plan, start, end, prot);
	if (last && last->end > end) {
		plan.high = last->end;
		put(&plan, end, last->end, last->prot);
	}
	if (!plan.count)
		return plan;
	// Neighbours just outside that meet the first or last piece with its protection.
	const struct region *before = plan.low ? regions_find(pool, set, plan.low - 1) : NULL;
	const struct region *after = regions_find(pool, set, plan.high);
	struct region *in_first = &plan.in[0], *in_last = &plan.in[plan.count - 1];
	if (before && in_first->start == plan.low && before->prot == in_first->prot)
		plan.low = in_first->start = before->start;
	if (after && in_last->end == plan.high && after->prot == in_last->prot)
		plan.high = in_last->end = after->end;
	return plan;
}

// How many records start in [low, high).
static uint32_t records_in(const struct region_pool *pool, const struct regions *set,
			   uint64_t low, uint64_t high)
{
	uint32_t n = 0;
	for (const struct region *r = regions_next(pool, set, low); r && r->start < high;
	     r = regions_next(pool, set, r->end))
		n++;
	return n;
}

// The marks of keep_change_once for each record and for the counts. Not kept: a new
// instance logs afresh.
static uint64_t record_logged[REGIONS_POOL], counts_logged;

struct region *region_write(struct region_pool *pool, uint32_t i)
{
	keep_change_once(&record_logged[i], &pool->r[i], sizeof(pool->r[i]));
	return &pool->r[i];
}

void pool_counts_write(struct region_pool *pool)
{
	keep_change_once(&counts_logged, pool, offsetof(struct region_pool, r));
}

static uint32_t record_take(struct region_pool *pool)
{
	pool_counts_write(pool);
	uint32_t i = pool->free;
	if (i)
		pool->free = NODE(i).left;
	else
		i = ++pool->touched;
	pool->used++;
	return i;
}

static void record_give(struct region_pool *pool, uint32_t i)
{
	pool_counts_write(pool);
	NODE_W(i) = (struct region){ .left = pool->free };
	pool->free = i;
	pool->used--;
}

// Carries out the change of [start, end): 0, or -ENOMEM and nothing changed when the
// space or the pool has no room for it.
static int change(struct region_pool *pool, struct regions *set, uint64_t start,
		  uint64_t end, bool give, unsigned prot)
{
	if (start >= end)
		return 0;
	struct plan plan = plan_of(pool, set, start, end, give, prot);
	uint32_t out = records_in(pool, set, plan.low, plan.high);
	uint32_t more = plan.count > out ? plan.count - out : 0;
	if (set->count - out + plan.count > REGIONS_MAX || more > REGIONS_POOL - 1 - pool->used)
		return -ENOMEM;
	keep_change(set, sizeof(*set));
	for (uint32_t i; (i = tree_ceil(pool, set->root, plan.low)) && NODE(i).start < plan.high;) {
		set->root = tree_delete(pool, set->root, NODE(i).start);
		record_give(pool, i);
	}
	for (unsigned k = 0; k < plan.count; k++) {
		uint32_t i = record_take(pool);
		NODE_W(i) = plan.in[k];
		set->root = tree_insert(pool, set->root, i);
	}
	set->count = set->count - out + plan.count;
	return 0;
}

int regions_add(struct region_pool *pool, struct regions *set, uint64_t start, uint64_t end,
		unsigned prot)
{
	return regions_free(pool, set, start, end) ? change(pool, set, start, end, true, prot)
						   : -EEXIST;
}

int regions_set(struct region_pool *pool, struct regions *set, uint64_t start, uint64_t end,
		unsigned prot)
{
	return change(pool, set, start, end, true, prot);
}

int regions_remove(struct region_pool *pool, struct regions *set, uint64_t start,
		   uint64_t end)
{
	return change(pool, set, start, end, false, 0);
}

int regions_protect(struct region_pool *pool, struct regions *set, uint64_t start,
		    uint64_t end, unsigned prot)
{
	return regions_cover(pool, set, start, end) ? change(pool, set, start, end, true, prot)
						    : -ENOMEM;
}

static void clear(struct region_pool *pool, uint32_t root)
{
	if (!root)
		return;
	clear(pool, NODE(root).left);
	clear(pool, NODE(root).right);
	record_give(pool, root);
}

void regions_clear(struct region_pool *pool, struct regions *set)
{
	clear(pool, set->root);
	keep_change(set, sizeof(*set));
	*set = (struct regions){ 0 };
}

// The highest start for length bytes in the hole [from, to) within [bottom, top), or 0.
static uint64_t fit(uint64_t from, uint64_t to, uint64_t bottom, uint64_t top, uint64_t length)
{
	uint64_t low = from > bottom ? from : bottom, high = to < top ? to : top;
	return high > low && high - low >= length ? high - length : 0;
}

// The highest fit among the holes just below each region of the subtree at n, the hole
// below its first region beginning at before. A subtree without a hole wide enough, or
// without one in the window, is not entered: a fit is found in O(log n) steps or so.
static uint64_t gap_in(const struct region_pool *pool, uint32_t n, uint64_t before,
		       uint64_t bottom, uint64_t top, uint64_t length)
{
	if (!n)
		return 0;
	const struct region *r = &NODE(n);
	uint64_t widest = r->hole > r->low - before ? r->hole : r->low - before;
	if (widest < length || r->high <= bottom || before >= top)
		return 0;
	uint64_t at = gap_in(pool, r->right, r->end, bottom, top, length);
	if (!at)
		at = fit(r->left ? NODE(r->left).high : before, r->start, bottom, top, length);
	return at ? at : gap_in(pool, r->left, before, bottom, top, length);
}

uint64_t regions_gap(const struct region_pool *pool, const struct regions *set,
		     uint64_t bottom, uint64_t top, uint64_t length)
{
	if (length == 0 || top <= bottom || top - bottom < length)
		return 0;
	uint64_t above_all = set->root ? NODE(set->root).high : 0;
	uint64_t at = fit(above_all, UINT64_MAX, bottom, top, length);
	return at ? at : gap_in(pool, set->root, 0, bottom, top, length);
}

// What a walk of a tree in order has seen: the last region, the records, whether all
// was sound.
struct walk {
	const struct region *last;
	uint32_t records;
	bool sound;
};

static bool region_sound(const struct region *r, const struct region *last)
{
	const uint64_t page_mask = XINIM_PAGE_SIZE - 1;
	const unsigned prots = PROT_READ | PROT_WRITE | PROT_EXEC | XINIM_PROT_SHARED | REGION_VVAR;
	return r->start < r->end && !((r->start | r->end) & page_mask) && !(r->prot & ~prots) &&
	       (!last || last->end < r->start || (last->end == r->start && last->prot != r->prot));
}

// The height of the subtree at i, checking it on the way (depth bounds the recursion on a
// corrupt pool that links a record twice).
static uint32_t walk_tree(const struct region_pool *pool, uint32_t i, struct walk *w,
			  unsigned depth)
{
	if (!i || !w->sound)
		return 0;
	if (i > pool->touched || i >= REGIONS_POOL || depth > 64) {
		w->sound = false;
		return 0;
	}
	uint32_t left = walk_tree(pool, NODE(i).left, w, depth + 1);
	w->sound = w->sound && region_sound(&NODE(i), w->last);
	w->last = &NODE(i);
	w->records++;
	uint32_t right = walk_tree(pool, NODE(i).right, w, depth + 1);
	w->sound = w->sound && tree_node_sound(pool, i);
	return (left > right ? left : right) + 1;
}

bool regions_check(const struct region_pool *pool, const struct regions *set)
{
	struct walk w = { .sound = true };
	walk_tree(pool, set->root, &w, 0);
	return w.sound && w.records == set->count && set->count <= REGIONS_MAX;
}
