// MM's region sets (servers/mm/regions.c), directly: they are pure.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <mm/regions.h>

#define PAGE 0x1000UL
#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)

// Asserts that set is exactly the count regions of expected, in order.
static void assert_regions(const struct regions *set, const struct region *expected,
			   unsigned count)
{
	assert_int_equal(set->count, count);
	for (unsigned i = 0; i < count; i++) {
		assert_int_equal(set->r[i].start, expected[i].start);
		assert_int_equal(set->r[i].end, expected[i].end);
		assert_int_equal(set->r[i].prot, expected[i].prot);
	}
}

static void test_adjacent_regions_with_the_same_prot_merge(void **state)
{
	(void)state;
	struct regions set = { 0 };
	assert_int_equal(regions_add(&set, 2 * PAGE, 3 * PAGE, RW), 0);
	assert_int_equal(regions_add(&set, 3 * PAGE, 5 * PAGE, RW), 0);	// after
	assert_int_equal(regions_add(&set, 1 * PAGE, 2 * PAGE, RW), 0);	// before
	assert_regions(&set, (struct region[]){ { PAGE, 5 * PAGE, RW } }, 1);
}

static void test_adjacent_regions_with_other_prots_stay_apart_and_sorted(void **state)
{
	(void)state;
	struct regions set = { 0 };
	assert_int_equal(regions_add(&set, 4 * PAGE, 6 * PAGE, RW), 0);
	assert_int_equal(regions_add(&set, 1 * PAGE, 4 * PAGE, RX), 0);
	assert_int_equal(regions_add(&set, 8 * PAGE, 9 * PAGE, PROT_READ), 0);
	assert_regions(&set, (struct region[]){ { PAGE, 4 * PAGE, RX }, { 4 * PAGE, 6 * PAGE, RW },
						{ 8 * PAGE, 9 * PAGE, PROT_READ } }, 3);
	assert_ptr_equal(regions_find(&set, 4 * PAGE), &set.r[1]);
	assert_ptr_equal(regions_find(&set, 6 * PAGE - 1), &set.r[1]);
	assert_null(regions_find(&set, 6 * PAGE));
	assert_null(regions_find(&set, 0));
}

static void test_overlapping_add_is_refused_and_changes_nothing(void **state)
{
	(void)state;
	struct regions set = { 0 };
	assert_int_equal(regions_add(&set, 2 * PAGE, 4 * PAGE, RW), 0);
	assert_int_equal(regions_add(&set, 3 * PAGE, 5 * PAGE, RW), -EEXIST);
	assert_int_equal(regions_add(&set, 1 * PAGE, 3 * PAGE, RX), -EEXIST);
	assert_int_equal(regions_add(&set, 1 * PAGE, 6 * PAGE, RW), -EEXIST);	// around it
	assert_regions(&set, (struct region[]){ { 2 * PAGE, 4 * PAGE, RW } }, 1);
}

static void test_free_and_cover_see_gaps_between_regions(void **state)
{
	(void)state;
	struct regions set = { 0 };
	regions_add(&set, 1 * PAGE, 3 * PAGE, RW);
	regions_add(&set, 3 * PAGE, 4 * PAGE, RX);
	regions_add(&set, 6 * PAGE, 7 * PAGE, RW);
	assert_true(regions_cover(&set, 1 * PAGE, 4 * PAGE));	// two regions that meet
	assert_false(regions_cover(&set, 1 * PAGE, 7 * PAGE));	// the hole at 4..6
	assert_true(regions_free(&set, 4 * PAGE, 6 * PAGE));
	assert_false(regions_free(&set, 4 * PAGE, 6 * PAGE + 1));
	assert_true(regions_free(&set, 0, PAGE));
}

static void test_remove_from_the_middle_splits_the_region(void **state)
{
	(void)state;
	struct regions set = { 0 };
	regions_add(&set, 1 * PAGE, 5 * PAGE, RW);
	assert_int_equal(regions_remove(&set, 2 * PAGE, 3 * PAGE), 0);
	assert_regions(&set, (struct region[]){ { PAGE, 2 * PAGE, RW }, { 3 * PAGE, 5 * PAGE, RW } },
		       2);
	// A removal across both pieces and the hole between them trims each.
	assert_int_equal(regions_remove(&set, PAGE, 4 * PAGE), 0);
	assert_regions(&set, (struct region[]){ { 4 * PAGE, 5 * PAGE, RW } }, 1);
	assert_int_equal(regions_remove(&set, 0, 100 * PAGE), 0);
	assert_int_equal(set.count, 0);
}

static void test_protect_splits_in_three_and_merges_back(void **state)
{
	(void)state;
	struct regions set = { 0 };
	regions_add(&set, 1 * PAGE, 4 * PAGE, RW);
	assert_int_equal(regions_protect(&set, 2 * PAGE, 3 * PAGE, PROT_READ), 0);
	assert_regions(&set, (struct region[]){ { PAGE, 2 * PAGE, RW },
						{ 2 * PAGE, 3 * PAGE, PROT_READ },
						{ 3 * PAGE, 4 * PAGE, RW } }, 3);
	assert_int_equal(regions_protect(&set, 2 * PAGE, 3 * PAGE, RW), 0);
	assert_regions(&set, (struct region[]){ { PAGE, 4 * PAGE, RW } }, 1);
}

static void test_protect_of_a_range_not_covered_is_enomem(void **state)
{
	(void)state;
	struct regions set = { 0 };
	regions_add(&set, 1 * PAGE, 2 * PAGE, RW);
	regions_add(&set, 3 * PAGE, 4 * PAGE, RW);
	assert_int_equal(regions_protect(&set, 1 * PAGE, 4 * PAGE, PROT_READ), -ENOMEM);
	assert_regions(&set, (struct region[]){ { PAGE, 2 * PAGE, RW }, { 3 * PAGE, 4 * PAGE, RW } },
		       2);
}

// REGIONS_MAX regions of three pages, [4i + 1, 4i + 4), of alternating protection.
static void fill(struct regions *set)
{
	*set = (struct regions){ 0 };
	for (unsigned i = 0; i < REGIONS_MAX; i++)
		assert_int_equal(regions_add(set, (4 * i + 1) * PAGE, (4 * i + 4) * PAGE,
					     i % 2 ? RW : RX), 0);
}

static void test_a_full_set_refuses_what_needs_a_slot_and_keeps_its_state(void **state)
{
	(void)state;
	struct regions set, before;
	fill(&set);
	before = set;
	uint64_t past = (4 * REGIONS_MAX + 8) * PAGE;
	assert_int_equal(regions_add(&set, past, past + PAGE, RW), -ENOMEM);
	assert_int_equal(regions_remove(&set, 2 * PAGE, 3 * PAGE), -ENOMEM);	// a hole: a split
	assert_int_equal(regions_protect(&set, 2 * PAGE, 3 * PAGE, RW), -ENOMEM);
	assert_memory_equal(&set, &before, sizeof(set));
}

static void test_a_full_set_still_takes_changes_that_need_no_slot(void **state)
{
	(void)state;
	struct regions set;
	fill(&set);
	// Before region 1, with its protection: it grows down.
	assert_int_equal(regions_add(&set, 4 * PAGE, 5 * PAGE, RW), 0);
	assert_int_equal(set.count, REGIONS_MAX);
	assert_int_equal(set.r[1].start, 4 * PAGE);
	// Trimming region 0, then giving all of it region 1's protection: they merge.
	assert_int_equal(regions_remove(&set, PAGE, 2 * PAGE), 0);
	assert_int_equal(regions_protect(&set, 2 * PAGE, 4 * PAGE, RW), 0);
	assert_int_equal(set.count, REGIONS_MAX - 1);
	assert_int_equal(set.r[0].start, 2 * PAGE);
	assert_int_equal(set.r[0].end, 8 * PAGE);
	assert_int_equal(set.r[0].prot, RW);
}

static void test_gap_is_found_from_the_top_down(void **state)
{
	(void)state;
	struct regions set = { 0 };
	const uint64_t bottom = 0x10 * PAGE, top = 0x20 * PAGE;
	assert_int_equal(regions_gap(&set, bottom, top, 2 * PAGE), top - 2 * PAGE);
	regions_add(&set, top - 2 * PAGE, top, RW);	// the top is taken
	assert_int_equal(regions_gap(&set, bottom, top, 2 * PAGE), top - 4 * PAGE);
	regions_add(&set, bottom + 2 * PAGE, top - 2 * PAGE, RW);	// only 2 pages at the bottom
	assert_int_equal(regions_gap(&set, bottom, top, 2 * PAGE), bottom);
	assert_int_equal(regions_gap(&set, bottom, top, 3 * PAGE), 0);
	assert_int_equal(regions_gap(&set, bottom, top, 0), 0);
	assert_int_equal(regions_gap(&set, top, bottom, PAGE), 0);	// an empty window
}

static void test_gap_ignores_regions_outside_the_window(void **state)
{
	(void)state;
	struct regions set = { 0 };
	const uint64_t bottom = 0x10 * PAGE, top = 0x20 * PAGE;
	regions_add(&set, PAGE, bottom + PAGE, RW);		// reaches into it from below
	regions_add(&set, top, top + 0x10 * PAGE, RW);		// above it
	assert_int_equal(regions_gap(&set, bottom, top, 15 * PAGE), bottom + PAGE);
	assert_int_equal(regions_gap(&set, bottom, top, 16 * PAGE), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adjacent_regions_with_the_same_prot_merge),
		cmocka_unit_test(test_adjacent_regions_with_other_prots_stay_apart_and_sorted),
		cmocka_unit_test(test_overlapping_add_is_refused_and_changes_nothing),
		cmocka_unit_test(test_free_and_cover_see_gaps_between_regions),
		cmocka_unit_test(test_remove_from_the_middle_splits_the_region),
		cmocka_unit_test(test_protect_splits_in_three_and_merges_back),
		cmocka_unit_test(test_protect_of_a_range_not_covered_is_enomem),
		cmocka_unit_test(test_a_full_set_refuses_what_needs_a_slot_and_keeps_its_state),
		cmocka_unit_test(test_a_full_set_still_takes_changes_that_need_no_slot),
		cmocka_unit_test(test_gap_is_found_from_the_top_down),
		cmocka_unit_test(test_gap_ignores_regions_outside_the_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
