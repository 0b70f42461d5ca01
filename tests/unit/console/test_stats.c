// Stats: percentiles exact on known data, a row per (source, dest, type) with its
// errors and rate, and the records lost per CPU.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "scenario.h"
#include "synthetic.h"

static void test_percentiles_are_nearest_rank(void **state)
{
	(void)state;
	uint64_t hundred[100], ten[10];
	for (unsigned i = 0; i < 100; i++)
		hundred[i] = i + 1;
	for (unsigned i = 0; i < 10; i++)
		ten[i] = (i + 1) * 10;
	assert_int_equal(percentile(hundred, 100, 50), 50);
	assert_int_equal(percentile(hundred, 100, 90), 90);
	assert_int_equal(percentile(hundred, 100, 99), 99);
	assert_int_equal(percentile(ten, 10, 50), 50);
	assert_int_equal(percentile(ten, 10, 90), 90);
	assert_int_equal(percentile(ten, 10, 99), 100);
	assert_int_equal(percentile(ten, 1, 99), 10);
	assert_int_equal(percentile(ten, 0, 50), 0);
}

// Ten openat calls of hello-musl, answered in 1..10 us (the last two with -ENOENT), one
// denied send to PM over 1 s, and 5 records lost on CPU 1.
static char *stats_text(void)
{
	struct session session;
	assert_int_equal(session_init(&session), 0);
	session.stats = stats_new();
	session_boot(&session);
	struct xinim_trace_record r[22];
	size_t n = 0;
	r[n++] = synthetic_name_record(0, HELLO, "hello-musl");
	for (uint64_t i = 1; i <= 10; i++) {
		uint64_t at = i * 100;
		r[n++] = synthetic_message(XINIM_TRACE_CALL, at, HELLO, VFS, OPENAT, i);
		r[n++] = synthetic_message(XINIM_TRACE_REPLY, at + 11 - i, VFS, XINIM_ENDPOINT_KERNEL,
					   i > 8 ? -2 : 3, i);
	}
	r[n] = synthetic_message(XINIM_TRACE_SEND, 1000000, HELLO, PM, CLOSE, 0);
	r[n++].verdict = XINIM_TRACE_DENIED;
	free(session_lines(&session, r, n));
	struct stream_event lost = { .kind = STREAM_LOST, .lost = { .cpu = 1, .count = 5 } };
	session_take(&session, &lost);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	stats_print(session.stats, out, &session.decoder.names);
	fclose(out);
	session_free(&session);
	return text;
}

static void test_rows_count_errors_latencies_and_rate(void **state)
{
	(void)state;
	char *text = stats_text();
	assert_string_equal(text,
		"source           dest             type                    count  errors       p50_us       p90_us       p99_us       max_us rate_per_s\n"
		"hello-musl[1]    vfs              openat                     10       2        5.000        9.000       10.000       10.000       10.0\n"
		"hello-musl[1]    pm               close                       1       1            -            -            -            -        1.0\n"
		"lost: cpu0=0 cpu1=5\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles_are_nearest_rank),
		cmocka_unit_test(test_rows_count_errors_latencies_and_rate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
