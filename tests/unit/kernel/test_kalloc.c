// The kernel's object allocator, over frames from the host's heap.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kernel/kalloc.h>

static size_t frames_out;
static int frames_left;

static void *test_frames(size_t count)
{
	if (frames_left-- <= 0)
		return NULL;
	frames_out += count;
	void *p = aligned_alloc(4096, count * 4096);
	memset(p, 0, count * 4096);
	return p;
}

static void test_free_frames(void *first, size_t count)
{
	frames_out -= count;
	free(first);
}

static const struct kalloc_source source = { test_frames, test_free_frames };

static void test_objects_are_zeroed_aligned_and_distinct(void **state)
{
	(void)state;
	struct kalloc heap;
	kalloc_init(&heap, &source);
	frames_left = 100;
	uint8_t *a = kalloc(&heap, 100), *b = kalloc(&heap, 100);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal((uintptr_t)a % 128, 0);	// 100 bytes: the 128-byte class
	for (int i = 0; i < 128; i++)
		assert_int_equal(a[i], 0);
	memset(a, 0xff, 128);
	kfree(&heap, a, 100);
	uint8_t *c = kalloc(&heap, 120);
	assert_ptr_equal(c, a);		// reused from the free list...
	for (int i = 0; i < 128; i++)
		assert_int_equal(c[i], 0);	// ...and zeroed again
	assert_int_equal(frames_out, 1);
	kfree(&heap, b, 100);
	kfree(&heap, c, 120);
	assert_int_equal(frames_out, 0);	// no object left in it: the frame went back
}

// A frame holds 4096 / size - 1 objects (its first slot is its head); frames come and go
// as their objects do, whatever the order.
static void test_frames_go_back_once_empty(void **state)
{
	(void)state;
	struct kalloc heap;
	kalloc_init(&heap, &source);
	frames_left = 100;
	enum { PER_FRAME = 4096 / 512 - 1, OBJECTS = 3 * PER_FRAME };
	void *objects[OBJECTS];
	for (int i = 0; i < OBJECTS; i++)
		assert_non_null(objects[i] = kalloc(&heap, 512));
	assert_int_equal(frames_out, 3);
	for (int i = 0; i < OBJECTS; i += 2)	// every other one: no frame is empty
		kfree(&heap, objects[i], 512);
	assert_int_equal(frames_out, 3);
	for (int i = 0; i < PER_FRAME / 2; i++)	// half as many again: they fit
		assert_non_null(objects[2 * i] = kalloc(&heap, 512));
	assert_int_equal(frames_out, 3);
	for (int i = 0; i < OBJECTS; i++)
		if (i % 2 || i < 2 * (PER_FRAME / 2))	// the odd ones, and those taken again
			kfree(&heap, objects[i], 512);
	assert_int_equal(frames_out, 0);
}

static void test_large_objects_take_whole_frames(void **state)
{
	(void)state;
	struct kalloc heap;
	kalloc_init(&heap, &source);
	frames_left = 100;
	size_t before = frames_out;
	void *big = kalloc(&heap, 9000);
	assert_non_null(big);
	assert_int_equal(frames_out - before, 3);
	kfree(&heap, big, 9000);
	assert_int_equal(frames_out, before);
}

static void test_running_out_gives_null(void **state)
{
	(void)state;
	struct kalloc heap;
	kalloc_init(&heap, &source);
	frames_left = 1;
	assert_non_null(kalloc(&heap, 2048));	// the frame's one object: its head takes the other
	assert_null(kalloc(&heap, 2048));
	assert_null(kalloc(&heap, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_objects_are_zeroed_aligned_and_distinct),
		cmocka_unit_test(test_frames_go_back_once_empty),
		cmocka_unit_test(test_large_objects_take_whole_frames),
		cmocka_unit_test(test_running_out_gives_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
