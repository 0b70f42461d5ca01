// The frame allocator: bookkeeping of a bitmap pool over a fake physical span.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <kernel/frame.h>

#define BASE   0x40000000UL
#define FRAMES 1000

static uint64_t bitmap[FRAMES / 64 + 1];
static struct frame_pool pool;

static int setup_pool(void **state)
{
	(void)state;
	frame_pool_init(&pool, BASE, FRAMES, bitmap);
	return 0;
}

static uint16_t shares[FRAMES];

// Copy-on-write sharing: a frame goes back to the pool when its last holder lets go,
// not before; a frame no table counts is simply freed.
static void test_a_shared_frame_is_freed_by_its_last_holder(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE, BASE + 4 * FRAME_SIZE);
	uint64_t f = frame_alloc(&pool);
	assert_int_equal(frame_put(&pool, f), 0);	// no table yet: freed
	assert_int_equal(pool.free, 4);
	memset(shares, 0, sizeof(shares));
	frame_pool_shares(&pool, shares);
	f = frame_alloc(&pool);
	assert_false(frame_shared(&pool, f));
	assert_int_equal(frame_share(&pool, f), 0);
	assert_int_equal(frame_share(&pool, f), 0);	// three holders
	assert_true(frame_shared(&pool, f));
	assert_int_equal(frame_put(&pool, f), 0);
	assert_int_equal(frame_put(&pool, f), 0);
	assert_false(frame_shared(&pool, f));
	assert_int_equal(pool.free, 3);			// one holder left: still in use
	assert_int_equal(frame_put(&pool, f), 0);
	assert_int_equal(pool.free, 4);
	assert_int_equal(frame_put(&pool, f), -EALREADY);	// a put too many is a double free
	assert_int_equal(frame_share(&pool, BASE + FRAMES * FRAME_SIZE), -EINVAL);
	shares[1] = UINT16_MAX;
	assert_int_equal(frame_share(&pool, BASE + FRAME_SIZE), -EOVERFLOW);
	frame_pool_shares(&pool, NULL);
}

static void test_new_pool_has_no_free_frames(void **state)
{
	(void)state;
	assert_int_equal(pool.free, 0);
	assert_int_equal(frame_alloc(&pool), FRAME_NONE);
	size_t usable, free;
	frame_pool_counts(&pool, &usable, &free);
	assert_int_equal(usable, 0);	// no RAM given to it yet
	assert_int_equal(free, 0);
}

static void test_add_frees_only_whole_frames_inside_range(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE + 100, BASE + 3 * FRAME_SIZE + 5);
	assert_int_equal(pool.free, 2);	// frames 1 and 2; 0 and 3 are partial
	assert_int_equal(frame_alloc(&pool), BASE + FRAME_SIZE);
	assert_int_equal(frame_alloc(&pool), BASE + 2 * FRAME_SIZE);
	assert_int_equal(frame_alloc(&pool), FRAME_NONE);
}

static void test_add_clamps_to_pool(void **state)
{
	(void)state;
	frame_pool_add(&pool, 0, UINT64_MAX);
	assert_int_equal(pool.free, FRAMES);
}

static void test_reserve_takes_every_touched_frame(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE, BASE + FRAMES * FRAME_SIZE);
	size_t taken = frame_pool_reserve(&pool, BASE + FRAME_SIZE - 1, BASE + 2 * FRAME_SIZE + 1);
	assert_int_equal(taken, 3);	// frames 0, 1, 2
	assert_int_equal(pool.free, FRAMES - 3);
	size_t usable, free;
	frame_pool_counts(&pool, &usable, &free);
	assert_int_equal(usable, FRAMES - 3);	// reserved frames are not RAM to hand out
	assert_int_equal(free, FRAMES - 3);
	assert_int_equal(frame_pool_reserve(&pool, BASE, BASE + FRAME_SIZE), 0);
	assert_int_equal(frame_alloc(&pool), BASE + 3 * FRAME_SIZE);
}

static void test_alloc_exhausts_then_fails(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE, BASE + FRAMES * FRAME_SIZE);
	uint64_t last = 0;
	for (int i = 0; i < FRAMES; i++) {
		uint64_t frame = frame_alloc(&pool);
		assert_int_not_equal(frame, FRAME_NONE);
		assert_true(frame >= BASE && frame < BASE + FRAMES * FRAME_SIZE);
		assert_true(i == 0 || frame > last);	// each frame handed out once
		last = frame;
	}
	assert_int_equal(pool.free, 0);
	assert_int_equal(frame_alloc(&pool), FRAME_NONE);
	size_t usable, free;
	frame_pool_counts(&pool, &usable, &free);
	assert_int_equal(usable, FRAMES);	// handed out, still the pool's RAM
	assert_int_equal(free, 0);
}

static void test_free_returns_frame_for_reuse(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE, BASE + 4 * FRAME_SIZE);
	uint64_t a = frame_alloc(&pool);
	uint64_t b = frame_alloc(&pool);
	assert_int_equal(frame_free(&pool, a), 0);
	assert_int_equal(pool.free, 3);
	assert_int_equal(frame_alloc(&pool), a);
	assert_int_not_equal(b, a);
}

static void test_free_rejects_double_free_and_foreign_addresses(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE, BASE + 4 * FRAME_SIZE);
	uint64_t a = frame_alloc(&pool);
	assert_int_equal(frame_free(&pool, a), 0);
	assert_int_equal(frame_free(&pool, a), -EALREADY);
	assert_int_equal(frame_free(&pool, a + 8), -EINVAL);
	assert_int_equal(frame_free(&pool, BASE - FRAME_SIZE), -EINVAL);
	assert_int_equal(frame_free(&pool, BASE + FRAMES * FRAME_SIZE), -EINVAL);
	assert_int_equal(pool.free, 4);
}

static void test_contig_is_aligned_and_skips_used_frames(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE, BASE + FRAMES * FRAME_SIZE);
	frame_pool_reserve(&pool, BASE + 9 * FRAME_SIZE, BASE + 10 * FRAME_SIZE);
	uint64_t run = frame_alloc_contig(&pool, 12, 8);
	assert_int_equal(run, BASE + 16 * FRAME_SIZE);	// 0..11 and 8..19 hold frame 9
	assert_int_equal(pool.free, FRAMES - 1 - 12);
	for (int i = 0; i < 12; i++)
		assert_int_equal(frame_free(&pool, run + i * FRAME_SIZE), 0);
}

// The search starts at the lowest frame that may be free: past a long used stretch (the
// kernel and the boot archive, at boot), and back below it once a frame there is freed.
static void test_contig_finds_runs_past_and_below_a_used_stretch(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE, BASE + FRAMES * FRAME_SIZE);
	frame_pool_reserve(&pool, BASE, BASE + 700 * FRAME_SIZE);
	frame_pool_reserve(&pool, BASE + 702 * FRAME_SIZE, BASE + 703 * FRAME_SIZE);
	assert_int_equal(frame_alloc_contig(&pool, 4, 1), BASE + 703 * FRAME_SIZE);
	assert_int_equal(frame_alloc_contig(&pool, 2, 1), BASE + 700 * FRAME_SIZE);
	assert_int_equal(frame_alloc_contig(&pool, 4, 1), BASE + 707 * FRAME_SIZE);
	assert_int_equal(frame_free(&pool, BASE + 5 * FRAME_SIZE), 0);
	assert_int_equal(frame_alloc_contig(&pool, 1, 1), BASE + 5 * FRAME_SIZE);
	frame_pool_add(&pool, BASE + 64 * FRAME_SIZE, BASE + 200 * FRAME_SIZE);
	assert_int_equal(frame_alloc_contig(&pool, 100, 64), BASE + 64 * FRAME_SIZE);
	assert_int_equal(pool.free, FRAMES - 700 - 1 - 10 - 100 + (200 - 64));
}

static void test_contig_alignment_is_physical(void **state)
{
	(void)state;
	struct frame_pool skewed;
	frame_pool_init(&skewed, BASE + 3 * FRAME_SIZE, FRAMES, bitmap);
	frame_pool_add(&skewed, 0, UINT64_MAX);
	uint64_t run = frame_alloc_contig(&skewed, 4, 16);
	assert_int_equal(run % (16 * FRAME_SIZE), 0);
}

static void test_contig_rejects_impossible_requests(void **state)
{
	(void)state;
	frame_pool_add(&pool, BASE, BASE + 8 * FRAME_SIZE);
	assert_int_equal(frame_alloc_contig(&pool, 9, 1), FRAME_NONE);
	assert_int_equal(frame_alloc_contig(&pool, 2, 3), FRAME_NONE);	// not a power of two
	assert_int_equal(frame_alloc_contig(&pool, 0, 1), FRAME_NONE);
	assert_int_equal(pool.free, 8);
}

static void test_bitmap_size_rounds_up_to_words(void **state)
{
	(void)state;
	assert_int_equal(frame_bitmap_size(1), 8);
	assert_int_equal(frame_bitmap_size(64), 8);
	assert_int_equal(frame_bitmap_size(65), 16);
}

static void test_find_free_skips_used_ranges(void **state)
{
	(void)state;
	struct mem_range ram[] = { { 0x1000, 0x9000 }, { 0x100000, 0x10000 } };
	struct mem_range used[] = { { 0x3000, 0x2000 }, { 0x1000, 0x1800 } };
	assert_int_equal(range_find_free(ram, 2, used, 2, 0x800, 0x1000), 0x5000);
	assert_int_equal(range_find_free(ram, 2, used, 2, 0x1000, 0x1000), 0x5000);
	assert_int_equal(range_find_free(ram, 2, used, 2, 0x6000, 0x1000), 0x100000);
	assert_int_equal(range_find_free(ram, 2, used, 2, 0x8000, 0x10000), 0x100000);
	assert_int_equal(range_find_free(ram, 2, used, 2, 0x20000, 0x1000), FRAME_NONE);
	assert_int_equal(range_find_free(ram, 1, used, 0, 0x9000, 0x1000), 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_new_pool_has_no_free_frames, setup_pool),
		cmocka_unit_test_setup(test_a_shared_frame_is_freed_by_its_last_holder, setup_pool),
		cmocka_unit_test_setup(test_add_frees_only_whole_frames_inside_range, setup_pool),
		cmocka_unit_test_setup(test_add_clamps_to_pool, setup_pool),
		cmocka_unit_test_setup(test_reserve_takes_every_touched_frame, setup_pool),
		cmocka_unit_test_setup(test_alloc_exhausts_then_fails, setup_pool),
		cmocka_unit_test_setup(test_free_returns_frame_for_reuse, setup_pool),
		cmocka_unit_test_setup(test_free_rejects_double_free_and_foreign_addresses, setup_pool),
		cmocka_unit_test_setup(test_contig_is_aligned_and_skips_used_frames, setup_pool),
		cmocka_unit_test_setup(test_contig_finds_runs_past_and_below_a_used_stretch, setup_pool),
		cmocka_unit_test_setup(test_contig_alignment_is_physical, setup_pool),
		cmocka_unit_test_setup(test_contig_rejects_impossible_requests, setup_pool),
		cmocka_unit_test(test_bitmap_size_rounds_up_to_words),
		cmocka_unit_test(test_find_free_skips_used_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
