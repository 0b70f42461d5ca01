// MM's region sets (servers/mm/regions.c), directly: they are pure.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <mm/regions.h>

#define PAGE 0x1000UL
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)

// The pool of every set of a test; emptied before each test.
static struct region_pool pool;

static int empty_pool(void **state)
{
	(void)state;
	pool = (struct region_pool){ 0 };
	return 0;
}

// The i-th region of set, in address order.
static const struct region *nth(const struct regions *set, unsigned i)
{
	const struct region *r = regions_next(&pool, set, 0);
	while (r && i--)
		r = regions_next(&pool, set, r->end);
	assert_non_null(r);
	return r;
}

// What a region should be.
struct span {
	uint64_t start, end;
	unsigned prot;
};

// Asserts that set is exactly the count regions of expected, in order.
static void assert_regions(const struct regions *set, const struct span *expected,
			   unsigned count)
{
	assert_int_equal(set->count, count);
	const struct region *r = regions_next(&pool, set, 0);
	for (unsigned i = 0; i < count; i++, r = regions_next(&pool, set, r->end)) {
		assert_non_null(r);
		assert_int_equal(r->start, expected[i].start);
		assert_int_equal(r->end, expected[i].end);
		assert_int_equal(r->prot, expected[i].prot);
	}
	assert_null(r);
}

static void test_adjacent_regions_with_the_same_prot_merge(void **state)
{
	(void)state;
	struct regions set = { 0 };
	assert_int_equal(regions_add(&pool, &set, 2 * PAGE, 3 * PAGE, RW), 0);
	assert_int_equal(regions_add(&pool, &set, 3 * PAGE, 5 * PAGE, RW), 0);	// after
	assert_int_equal(regions_add(&pool, &set, 1 * PAGE, 2 * PAGE, RW), 0);	// before
	assert_regions(&set, (struct span[]){ { PAGE, 5 * PAGE, RW } }, 1);
}

static void test_adjacent_regions_with_other_prots_stay_apart_and_sorted(void **state)
{
	(void)state;
	struct regions set = { 0 };
	assert_int_equal(regions_add(&pool, &set, 4 * PAGE, 6 * PAGE, RW), 0);
	assert_int_equal(regions_add(&pool, &set, 1 * PAGE, 4 * PAGE, RX), 0);
	assert_int_equal(regions_add(&pool, &set, 8 * PAGE, 9 * PAGE, PROT_READ), 0);
	assert_regions(&set, (struct span[]){ { PAGE, 4 * PAGE, RX }, { 4 * PAGE, 6 * PAGE, RW },
						{ 8 * PAGE, 9 * PAGE, PROT_READ } }, 3);
	assert_ptr_equal(regions_find(&pool, &set, 4 * PAGE), nth(&set, 1));
	assert_ptr_equal(regions_find(&pool, &set, 6 * PAGE - 1), nth(&set, 1));
	assert_null(regions_find(&pool, &set, 6 * PAGE));
	assert_null(regions_find(&pool, &set, 0));
}

static void test_overlapping_add_is_refused_and_changes_nothing(void **state)
{
	(void)state;
	struct regions set = { 0 };
	assert_int_equal(regions_add(&pool, &set, 2 * PAGE, 4 * PAGE, RW), 0);
	assert_int_equal(regions_add(&pool, &set, 3 * PAGE, 5 * PAGE, RW), -EEXIST);
	assert_int_equal(regions_add(&pool, &set, 1 * PAGE, 3 * PAGE, RX), -EEXIST);
	assert_int_equal(regions_add(&pool, &set, 1 * PAGE, 6 * PAGE, RW), -EEXIST);	// around it
	assert_regions(&set, (struct span[]){ { 2 * PAGE, 4 * PAGE, RW } }, 1);
}

static void test_free_and_cover_see_gaps_between_regions(void **state)
{
	(void)state;
	struct regions set = { 0 };
	regions_add(&pool, &set, 1 * PAGE, 3 * PAGE, RW);
	regions_add(&pool, &set, 3 * PAGE, 4 * PAGE, RX);
	regions_add(&pool, &set, 6 * PAGE, 7 * PAGE, RW);
	assert_true(regions_cover(&pool, &set, 1 * PAGE, 4 * PAGE));	// two regions that meet
	assert_false(regions_cover(&pool, &set, 1 * PAGE, 7 * PAGE));	// the hole at 4..6
	assert_true(regions_free(&pool, &set, 4 * PAGE, 6 * PAGE));
	assert_false(regions_free(&pool, &set, 4 * PAGE, 6 * PAGE + 1));
	assert_true(regions_free(&pool, &set, 0, PAGE));
}

static void test_remove_from_the_middle_splits_the_region(void **state)
{
	(void)state;
	struct regions set = { 0 };
	regions_add(&pool, &set, 1 * PAGE, 5 * PAGE, RW);
	assert_int_equal(regions_remove(&pool, &set, 2 * PAGE, 3 * PAGE), 0);
	assert_regions(&set, (struct span[]){ { PAGE, 2 * PAGE, RW }, { 3 * PAGE, 5 * PAGE, RW } },
		       2);
	// A removal across both pieces and the hole between them trims each.
	assert_int_equal(regions_remove(&pool, &set, PAGE, 4 * PAGE), 0);
	assert_regions(&set, (struct span[]){ { 4 * PAGE, 5 * PAGE, RW } }, 1);
	assert_int_equal(regions_remove(&pool, &set, 0, 100 * PAGE), 0);
	assert_int_equal(set.count, 0);
}

static void test_protect_splits_in_three_and_merges_back(void **state)
{
	(void)state;
	struct regions set = { 0 };
	regions_add(&pool, &set, 1 * PAGE, 4 * PAGE, RW);
	assert_int_equal(regions_protect(&pool, &set, 2 * PAGE, 3 * PAGE, PROT_READ), 0);
	assert_regions(&set, (struct span[]){ { PAGE, 2 * PAGE, RW },
						{ 2 * PAGE, 3 * PAGE, PROT_READ },
						{ 3 * PAGE, 4 * PAGE, RW } }, 3);
	assert_int_equal(regions_protect(&pool, &set, 2 * PAGE, 3 * PAGE, RW), 0);
	assert_regions(&set, (struct span[]){ { PAGE, 4 * PAGE, RW } }, 1);
}

static void test_protect_of_a_range_not_covered_is_enomem(void **state)
{
	(void)state;
	struct regions set = { 0 };
	regions_add(&pool, &set, 1 * PAGE, 2 * PAGE, RW);
	regions_add(&pool, &set, 3 * PAGE, 4 * PAGE, RW);
	assert_int_equal(regions_protect(&pool, &set, 1 * PAGE, 4 * PAGE, PROT_READ), -ENOMEM);
	assert_regions(&set, (struct span[]){ { PAGE, 2 * PAGE, RW }, { 3 * PAGE, 4 * PAGE, RW } },
		       2);
}

// REGIONS_MAX regions of three pages, [4i + 1, 4i + 4), of alternating protection.
static void fill(struct regions *set)
{
	*set = (struct regions){ 0 };
	for (unsigned i = 0; i < REGIONS_MAX; i++)
		assert_int_equal(regions_add(&pool, set, (4 * i + 1) * PAGE, (4 * i + 4) * PAGE,
					     i % 2 ? RW : RX), 0);
}

static void test_a_full_set_refuses_what_needs_a_slot_and_keeps_its_state(void **state)
{
	(void)state;
	struct regions set;
	fill(&set);
	static struct region_pool before;
	before = pool;
	uint64_t past = (4 * REGIONS_MAX + 8) * PAGE;
	assert_int_equal(regions_add(&pool, &set, past, past + PAGE, RW), -ENOMEM);
	assert_int_equal(regions_remove(&pool, &set, 2 * PAGE, 3 * PAGE), -ENOMEM);	// a hole: a split
	assert_int_equal(regions_protect(&pool, &set, 2 * PAGE, 3 * PAGE, RW), -ENOMEM);
	// A fixed mapping of a page inside a region needs two more; one over a region and a
	// half needs one (the half it cuts).
	assert_int_equal(regions_set(&pool, &set, 2 * PAGE, 3 * PAGE, RW), -ENOMEM);
	assert_int_equal(regions_set(&pool, &set, 4 * PAGE, 7 * PAGE, PROT_READ), -ENOMEM);
	assert_int_equal(set.count, REGIONS_MAX);
	assert_memory_equal(&pool, &before, sizeof(pool));
}

static void test_a_full_set_still_takes_changes_that_need_no_slot(void **state)
{
	(void)state;
	struct regions set;
	fill(&set);
	// Before region 1, with its protection: it grows down.
	assert_int_equal(regions_add(&pool, &set, 4 * PAGE, 5 * PAGE, RW), 0);
	assert_int_equal(set.count, REGIONS_MAX);
	assert_int_equal(nth(&set, 1)->start, 4 * PAGE);
	// Trimming region 0, then giving all of it region 1's protection: they merge.
	assert_int_equal(regions_remove(&pool, &set, PAGE, 2 * PAGE), 0);
	assert_int_equal(regions_protect(&pool, &set, 2 * PAGE, 4 * PAGE, RW), 0);
	assert_int_equal(set.count, REGIONS_MAX - 1);
	assert_int_equal(nth(&set, 0)->start, 2 * PAGE);
	assert_int_equal(nth(&set, 0)->end, 8 * PAGE);
	assert_int_equal(nth(&set, 0)->prot, RW);
	// A fixed mapping that replaces whole regions needs no record either.
	assert_int_equal(regions_set(&pool, &set, 8 * PAGE, 13 * PAGE, RW), 0);
	assert_int_equal(set.count, REGIONS_MAX - 3);	// one with both neighbours
	assert_int_equal(nth(&set, 0)->end, 16 * PAGE);
}

static void test_gap_is_found_from_the_top_down(void **state)
{
	(void)state;
	struct regions set = { 0 };
	const uint64_t bottom = 0x10 * PAGE, top = 0x20 * PAGE;
	assert_int_equal(regions_gap(&pool, &set, bottom, top, 2 * PAGE), top - 2 * PAGE);
	regions_add(&pool, &set, top - 2 * PAGE, top, RW);	// the top is taken
	assert_int_equal(regions_gap(&pool, &set, bottom, top, 2 * PAGE), top - 4 * PAGE);
	regions_add(&pool, &set, bottom + 2 * PAGE, top - 2 * PAGE, RW);	// only 2 pages at the bottom
	assert_int_equal(regions_gap(&pool, &set, bottom, top, 2 * PAGE), bottom);
	assert_int_equal(regions_gap(&pool, &set, bottom, top, 3 * PAGE), 0);
	assert_int_equal(regions_gap(&pool, &set, bottom, top, 0), 0);
	assert_int_equal(regions_gap(&pool, &set, top, bottom, PAGE), 0);	// an empty window
}

static void test_gap_ignores_regions_outside_the_window(void **state)
{
	(void)state;
	struct regions set = { 0 };
	const uint64_t bottom = 0x10 * PAGE, top = 0x20 * PAGE;
	regions_add(&pool, &set, PAGE, bottom + PAGE, RW);		// reaches into it from below
	regions_add(&pool, &set, top, top + 0x10 * PAGE, RW);		// above it
	assert_int_equal(regions_gap(&pool, &set, bottom, top, 15 * PAGE), bottom + PAGE);
	assert_int_equal(regions_gap(&pool, &set, bottom, top, 16 * PAGE), 0);
}

// Linux's vm.max_map_count: alternate protections on one mapping make 65,530 regions.
static void test_a_space_holds_65530_regions(void **state)
{
	(void)state;
	struct regions set = { 0 };
	const uint64_t pages = 70000;
	assert_int_equal(regions_add(&pool, &set, PAGE, (pages + 1) * PAGE, RW), 0);
	unsigned calls = 0;
	for (uint64_t page = 2; page < pages; page += 2, calls++)
		if (regions_protect(&pool, &set, page * PAGE, (page + 1) * PAGE, PROT_READ) != 0)
			break;
	assert_int_equal(set.count, 65529);	// the next call needed two more
	assert_int_equal(calls, 65529 / 2);
	const struct region *last = regions_find(&pool, &set, pages * PAGE);
	assert_int_equal(regions_protect(&pool, &set, last->start + PAGE, last->start + 2 * PAGE,
					 PROT_READ), -ENOMEM);
	// A change at the start of a region needs one: the last one there is room for.
	assert_int_equal(regions_protect(&pool, &set, last->start, last->start + PAGE, RX), 0);
	assert_int_equal(set.count, 65530);
	assert_int_equal(pool.used, 65530);
	// In order, each found where it is.
	uint64_t at = PAGE;
	for (const struct region *r = regions_next(&pool, &set, 0); r;
	     r = regions_next(&pool, &set, r->end)) {
		assert_int_equal(r->start, at);
		assert_ptr_equal(regions_find(&pool, &set, r->end - 1), r);
		at = r->end;
	}
	assert_int_equal(at, (pages + 1) * PAGE);
}

// The spaces share the pool: when it is used up, a change that needs a record fails in
// any space and changes nothing; records given back serve again.
static void test_an_empty_pool_refuses_and_records_come_back(void **state)
{
	(void)state;
	static struct regions sets[3];
	uint32_t records = 0;
	for (unsigned k = 0; k < 3; k++) {
		sets[k] = (struct regions){ 0 };
		for (uint64_t i = 0; i < REGIONS_MAX && records < REGIONS_POOL - 1; i++, records++)
			assert_int_equal(regions_add(&pool, &sets[k], (2 * i + 1) * PAGE,
						     (2 * i + 2) * PAGE, RW), 0);
	}
	assert_int_equal(pool.used, REGIONS_POOL - 1);
	uint32_t count = sets[2].count;
	assert_int_equal(regions_add(&pool, &sets[2], 0x100000000, 0x100001000, RW), -ENOMEM);
	assert_int_equal(regions_remove(&pool, &sets[0], PAGE, 2 * PAGE), 0);
	assert_int_equal(regions_add(&pool, &sets[2], 0x100000000, 0x100001000, RW), 0);
	assert_int_equal(sets[2].count, count + 1);
	regions_clear(&pool, &sets[1]);
	assert_int_equal(sets[1].count, 0);
	assert_int_equal(pool.used, REGIONS_POOL - 1 - REGIONS_MAX);
	assert_int_equal(regions_add(&pool, &sets[2], 0x200000000, 0x200001000, RW), 0);
	assert_true(regions_free(&pool, &sets[1], 0, 0x300000000));
}

// Random changes of 64 pages, each checked against a model page by page: the tree stays
// sound (regions_check), holds what the model holds, and finds the gaps it has.
static void test_random_changes_keep_the_set_sound_and_right(void **state)
{
	(void)state;
	enum { PAGES = 64, NONE = -1 };
	static const unsigned prots[] = { PROT_READ, RW, RX, 0 };
	int model[PAGES];
	struct regions set = { 0 };
	for (unsigned p = 0; p < PAGES; p++)
		model[p] = NONE;
	srand(13);
	for (unsigned step = 0; step < 20000; step++) {
		unsigned first = (unsigned)rand() % PAGES, n = 1 + (unsigned)rand() % (PAGES - first);
		unsigned prot = prots[rand() % 4], op = (unsigned)rand() % 4;
		uint64_t start = (first + 1) * PAGE, end = start + n * PAGE;
		bool free = true, covered = true;
		for (unsigned p = first; p < first + n; p++) {
			free = free && model[p] == NONE;
			covered = covered && model[p] != NONE;
		}
		int result = op == 0 ? regions_add(&pool, &set, start, end, prot)
			   : op == 1 ? regions_set(&pool, &set, start, end, prot)
			   : op == 2 ? regions_remove(&pool, &set, start, end)
				     : regions_protect(&pool, &set, start, end, prot);
		int expected = (op == 0 && !free) ? -EEXIST : (op == 3 && !covered) ? -ENOMEM : 0;
		assert_int_equal(result, expected);
		for (unsigned p = first; p < first + n && !result; p++)
			model[p] = op == 2 ? NONE : (int)prot;
		assert_true(regions_check(&pool, &set));
		for (unsigned p = 0; p < PAGES; p++) {
			const struct region *r = regions_find(&pool, &set, (p + 1) * PAGE + 5);
			assert_int_equal(r ? (int)r->prot : NONE, model[p]);
		}
		// The highest gap of a random window, page by page: pages 1..PAGES are the
		// model's, page 0 and those past it are free.
		unsigned bottom = (unsigned)rand() % (PAGES + 2), top = (unsigned)rand() % (PAGES + 2);
		unsigned length = 1 + (unsigned)rand() % 8;
		uint64_t want = 0;
		for (unsigned at = top >= length ? top - length + 1 : 0; at-- > bottom && !want;) {
			bool fits = true;
			for (unsigned p = at; p < at + length; p++)
				fits = fits && (p == 0 || p > PAGES || model[p - 1] == NONE);
			want = fits ? at * PAGE : 0;
		}
		assert_int_equal(regions_gap(&pool, &set, bottom * PAGE, top * PAGE, length * PAGE),
				 want);
	}
	regions_clear(&pool, &set);
	assert_int_equal(pool.used, 0);
}

// A corrupt set is seen as such.
static void test_check_finds_a_broken_set(void **state)
{
	(void)state;
	struct regions set = { 0 };
	for (uint64_t i = 0; i < 8; i++)
		regions_add(&pool, &set, (2 * i + 1) * PAGE, (2 * i + 2) * PAGE, RW);
	assert_true(regions_check(&pool, &set));
	set.count++;
	assert_false(regions_check(&pool, &set));
	set.count--;
	struct region *r = (struct region *)regions_find(&pool, &set, 3 * PAGE);
	r->end = 6 * PAGE;	// over the next one
	assert_false(regions_check(&pool, &set));
	r->end = 4 * PAGE;
	r->left = REGIONS_POOL - 1;	// never handed out
	assert_false(regions_check(&pool, &set));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_adjacent_regions_with_the_same_prot_merge, empty_pool),
		cmocka_unit_test_setup(test_adjacent_regions_with_other_prots_stay_apart_and_sorted, empty_pool),
		cmocka_unit_test_setup(test_overlapping_add_is_refused_and_changes_nothing, empty_pool),
		cmocka_unit_test_setup(test_free_and_cover_see_gaps_between_regions, empty_pool),
		cmocka_unit_test_setup(test_remove_from_the_middle_splits_the_region, empty_pool),
		cmocka_unit_test_setup(test_protect_splits_in_three_and_merges_back, empty_pool),
		cmocka_unit_test_setup(test_protect_of_a_range_not_covered_is_enomem, empty_pool),
		cmocka_unit_test_setup(test_a_full_set_refuses_what_needs_a_slot_and_keeps_its_state, empty_pool),
		cmocka_unit_test_setup(test_a_full_set_still_takes_changes_that_need_no_slot, empty_pool),
		cmocka_unit_test_setup(test_gap_is_found_from_the_top_down, empty_pool),
		cmocka_unit_test_setup(test_gap_ignores_regions_outside_the_window, empty_pool),
		cmocka_unit_test_setup(test_a_space_holds_65530_regions, empty_pool),
		cmocka_unit_test_setup(test_an_empty_pool_refuses_and_records_come_back, empty_pool),
		cmocka_unit_test_setup(test_random_changes_keep_the_set_sound_and_right, empty_pool),
		cmocka_unit_test_setup(test_check_finds_a_broken_set, empty_pool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
