// NET's batches of frames (lib/devframes.c): a batch to send is read record by
// record, a bad one refusing it whole, a window cut short taking fewer; a batch received
// is written as records NET can read back.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <xinim/devframes.h>

static uint8_t batch[8192];

// Appends a record claiming length bytes (its bytes: the record's index) at *at.
static void put(size_t *at, uint16_t length)
{
	struct xinim_dev_frame head = { .length = length };
	memcpy(batch + *at, &head, sizeof(head));
	memset(batch + *at + sizeof(head), (int)(*at & 0xff), length);
	*at += XINIM_DEV_RECORD(length);
}

static void test_read_finds_each_frame(void **state)
{
	(void)state;
	size_t at = 0;
	put(&at, 60);
	put(&at, 1514);
	put(&at, 15);	// padded to 20 with its head
	struct devframe_at out[4];
	assert_int_equal(devframes_read(batch, at, at, 3, 4, out), 3);
	assert_int_equal(out[0].offset, 4);
	assert_int_equal(out[0].length, 60);
	assert_int_equal(out[1].offset, 4 + 64);
	assert_int_equal(out[1].length, 1514);
	assert_int_equal(out[2].offset, 64 + 1520 + 4);
	assert_int_equal(out[2].length, 15);
}

static void test_read_takes_at_most_max(void **state)
{
	(void)state;
	size_t at = 0;
	for (int i = 0; i < 4; i++)
		put(&at, 100);
	struct devframe_at out[4];
	assert_int_equal(devframes_read(batch, at, at, 4, 2, out), 2);
	assert_int_equal(devframes_read(batch, at, at, 0, 2, out), 0);
}

static void test_read_refuses_bad_lengths(void **state)
{
	(void)state;
	static const uint16_t bad[] = { 0, 1, DEVFRAME_MIN - 1, XINIM_DEV_FRAME_MAX + 1, 65535 };
	struct devframe_at out[2];
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t at = 0;
		put(&at, 60);
		struct xinim_dev_frame head = { .length = bad[i] };
		memcpy(batch + at, &head, sizeof(head));
		assert_int_equal(devframes_read(batch, sizeof(batch), sizeof(batch), 2, 2, out), -EINVAL);
	}
}

// A batch whose records run past its length, or that has fewer records than it says.
static void test_read_refuses_records_past_the_length(void **state)
{
	(void)state;
	size_t at = 0;
	put(&at, 100);
	struct devframe_at out[2];
	assert_int_equal(devframes_read(batch, at, at - 1, 1, 2, out), -EINVAL);
	assert_int_equal(devframes_read(batch, at, at, 2, 2, out), -EINVAL);
	assert_int_equal(devframes_read(batch, 0, 0, 1, 2, out), -EINVAL);
	assert_int_equal(devframes_read(batch, 3, 3, 1, 2, out), -EINVAL);
}

// Only part of the batch staged: the records whole within it go, the rest waits.
static void test_read_stops_at_window_end(void **state)
{
	(void)state;
	size_t at = 0;
	put(&at, 1000);
	put(&at, 1000);
	struct devframe_at out[2];
	assert_int_equal(devframes_read(batch, 1500, at, 2, 2, out), 1);
	assert_int_equal(devframes_read(batch, 1006, at, 2, 2, out), 1);
	assert_int_equal(devframes_read(batch, 1007, at, 2, 2, out), 1);
	assert_int_equal(devframes_read(batch, 1004, at, 2, 2, out), 1);
}

static void test_write_then_read_gives_frames_back(void **state)
{
	(void)state;
	uint8_t frame[1514], built[4096];
	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7);
	memset(built, 0xee, sizeof(built));
	size_t used = 0;
	assert_true(devframes_write(built, sizeof(built), &used, frame, 61));
	assert_int_equal(used, 68);
	assert_int_equal(built[4 + 61], 0);	// padding zeroed: nothing stale reaches NET
	assert_int_equal(built[4 + 63], 0);
	assert_true(devframes_write(built, sizeof(built), &used, frame, 1514));
	assert_int_equal(used, 68 + 1520);
	struct devframe_at out[2];
	assert_int_equal(devframes_read(built, used, used, 2, 2, out), 2);
	assert_memory_equal(built + out[0].offset, frame, 61);
	assert_memory_equal(built + out[1].offset, frame, 1514);
}

static void test_write_refuses_what_does_not_fit(void **state)
{
	(void)state;
	uint8_t frame[100] = { 1 }, built[200];
	memset(built, 0xee, sizeof(built));
	size_t used = 100;
	assert_false(devframes_write(built, sizeof(built), &used, frame, 100));	// 104 > 200 - 100
	assert_int_equal(used, 100);
	assert_int_equal(built[100], 0xee);
	assert_true(devframes_write(built, sizeof(built), &used, frame, 100 - 4));	// 100: exactly
	assert_int_equal(used, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_finds_each_frame),
		cmocka_unit_test(test_read_takes_at_most_max),
		cmocka_unit_test(test_read_refuses_bad_lengths),
		cmocka_unit_test(test_read_refuses_records_past_the_length),
		cmocka_unit_test(test_read_stops_at_window_end),
		cmocka_unit_test(test_write_then_read_gives_frames_back),
		cmocka_unit_test(test_write_refuses_what_does_not_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
