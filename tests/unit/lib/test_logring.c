// The kernel log's ring (lib/logring.c): whole lines kept, the oldest dropped, and
// reads that start at a line unless the reader's own place is held.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <xinim/logring.h>

static struct xinim_log_ring ring;

static int setup(void **state)
{
	(void)state;
	memset(&ring, 0, sizeof(ring));
	logring_init(&ring);
	return 0;
}

static void put(const char *line)
{
	logring_put(&ring, line, strlen(line));
}

// Everything from logring_start(floor, max) on, NUL-terminated, into out.
static size_t read_from(uint64_t floor, size_t max, char *out)
{
	uint64_t start = logring_start(&ring, floor, max);
	size_t n = logring_copy(&ring, start, out, ring.written - start);
	out[n] = '\0';
	return n;
}

static void test_logring_marks_itself_for_the_host(void **state)
{
	(void)state;
	assert_memory_equal(ring.magic, XINIM_LOG_MAGIC, sizeof(ring.magic));
	assert_int_equal(ring.size, XINIM_LOG_SIZE);
	assert_int_equal(ring.version, XINIM_LOG_VERSION);
}

static void test_logring_reads_the_lines_put(void **state)
{
	(void)state;
	static char out[XINIM_LOG_SIZE + 1];
	put("<6>[    0.000001] one\n");
	put("<3>[    0.000002] two\n");
	assert_int_equal(read_from(0, XINIM_LOG_SIZE, out), 44);
	assert_string_equal(out, "<6>[    0.000001] one\n<3>[    0.000002] two\n");
}

static void test_logring_read_all_of_less_gives_the_newest_whole_lines(void **state)
{
	(void)state;
	static char out[XINIM_LOG_SIZE + 1];
	put("aaaa\n");
	put("bbbb\n");
	put("cc\n");
	read_from(0, 6, out);	// "bbbb\n" does not fit with "cc\n": only the last line
	assert_string_equal(out, "cc\n");
	read_from(0, 8, out);
	assert_string_equal(out, "bbbb\ncc\n");
	read_from(0, 2, out);	// not even the newest line fits
	assert_string_equal(out, "");
}

static void test_logring_reader_inside_a_line_goes_on_from_there(void **state)
{
	(void)state;
	static char out[XINIM_LOG_SIZE + 1];
	put("abcdef\n");
	read_from(3, XINIM_LOG_SIZE, out);
	assert_string_equal(out, "def\n");
}

static void test_logring_drops_the_oldest_lines_when_full(void **state)
{
	(void)state;
	static char out[XINIM_LOG_SIZE + 1];
	char line[64];
	unsigned lines = 3 * XINIM_LOG_SIZE / 16;
	for (unsigned i = 0; i < lines; i++) {
		snprintf(line, sizeof(line), "line %9u\n", i);	// 15 bytes
		put(line);
	}
	assert_int_equal(ring.written, (uint64_t)lines * 15);
	size_t n = read_from(0, XINIM_LOG_SIZE, out);	// a reader left behind
	assert_true(n <= XINIM_LOG_SIZE && n > XINIM_LOG_SIZE - 15);
	assert_int_equal(n % 15, 0);	// whole lines only
	assert_memory_equal(out, "line ", 5);
	snprintf(line, sizeof(line), "line %9u\n", lines - 1);
	assert_string_equal(out + n - 15, line);
	unsigned first;
	assert_int_equal(sscanf(out, "line %u", &first), 1);
	assert_int_equal(first, lines - n / 15);
	assert_int_equal(logring_copy(&ring, 0, out, 10), 0);	// long gone
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_logring_marks_itself_for_the_host, setup),
		cmocka_unit_test_setup(test_logring_reads_the_lines_put, setup),
		cmocka_unit_test_setup(test_logring_read_all_of_less_gives_the_newest_whole_lines, setup),
		cmocka_unit_test_setup(test_logring_reader_inside_a_line_goes_on_from_there, setup),
		cmocka_unit_test_setup(test_logring_drops_the_oldest_lines_when_full, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
