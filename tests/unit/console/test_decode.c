// Decoding: trace lines as docs/console.md gives them, calls matched to their receive and
// reply by message id, names from NAME records, and the filters.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "scenario.h"
#include "synthetic.h"

static void assert_lines(char *text, const char *expected)
{
	assert_string_equal(text, expected);
	free(text);
}

static void test_call_receive_and_reply_are_matched_with_latency(void **state)
{
	(void)state;
	struct xinim_trace_record r[HELLO_RECORDS];
	hello_records(r);
	assert_lines(trace_lines(NULL, r, HELLO_RECORDS),
		     "       90.000 cpu0 name    hello-musl[1]\n"
		     "      100.000 cpu0 call    hello-musl[1]    -> vfs              openat len=48 ok\n"
		     "      105.000 cpu1 receive hello-musl[1]    -> vfs              openat len=48 ok\n"
		     "      112.512 cpu1 reply   vfs              -> hello-musl[1]    openat=3 len=8 ok 12.512 us\n");
}

static void test_reply_without_its_call_has_no_type_nor_latency(void **state)
{
	(void)state;
	struct xinim_trace_record r =
		synthetic_message(XINIM_TRACE_REPLY, 5, VFS, XINIM_ENDPOINT_KERNEL, -2, 99);
	assert_lines(trace_lines(NULL, &r, 1),
		     "        5.000 cpu0 reply   vfs              -> kernel           ?=-2 len=48 ok\n");
}

// A system call's result travels in value (its reply's type is 0), a server message's in
// the type; a notification shows its bits.
static void test_results_from_value_or_type_and_notify_bits(void **state)
{
	(void)state;
	struct xinim_trace_record r[4] = {
		synthetic_message(XINIM_TRACE_CALL, 1, HELLO, VFS, OPENAT, 11),
		synthetic_message(XINIM_TRACE_REPLY, 2, VFS, XINIM_ENDPOINT_KERNEL, 0, 11),
		synthetic_message(XINIM_TRACE_REPLY, 3, MM, XINIM_ENDPOINT_KERNEL, -14, 12),
		synthetic_message(XINIM_TRACE_NOTIFY, 4, MM, PM, XINIM_MSG_NOTIFY, 0),
	};
	r[1].value = -2;
	r[2].value = 5;	// not a system call's reply: the type is the result
	r[3].value = 1;
	char *text = trace_lines(NULL, r, 4);
	assert_non_null(strstr(text, " openat=-2 len=48 ok 1.000 us\n"));
	assert_non_null(strstr(text, " ?=-14 len=48 ok\n"));
	assert_non_null(strstr(text, " notify bits=0x1 len=48 ok\n"));
	free(text);
}

// RS's restart of a server is a line of its own, with the new instance's generation, and
// no row of the stats.
static void test_a_restart_is_a_line_of_its_own(void **state)
{
	(void)state;
	struct xinim_trace_record r = synthetic_message(XINIM_TRACE_RESTART, 7,
							 xinim_endpoint(XINIM_PID_VFS, 3),
							 xinim_endpoint(XINIM_PID_VFS, 3), 0, 0);
	assert_lines(trace_lines(NULL, &r, 1), "        7.000 cpu0 restart vfs as generation 3\n");
}

static void test_unknown_types_show_their_number_and_verdicts_their_name(void **state)
{
	(void)state;
	struct xinim_trace_record r[2] = {
		synthetic_message(XINIM_TRACE_SEND, 1, xinim_endpoint(17, 1), PM, 777, 0),
		synthetic_message(XINIM_TRACE_REPLY, 2, PM, xinim_endpoint(17, 1), 0, 0),
	};
	r[0].verdict = XINIM_TRACE_DENIED;
	r[1].verdict = XINIM_TRACE_NO_CALLER;
	assert_lines(trace_lines(NULL, r, 2),
		     "        1.000 cpu0 send    ?[17]            -> pm               777 len=48 denied\n"
		     "        2.000 cpu0 reply   pm               -> ?[17]            ?=0 len=48 no-caller\n");
}

static void test_a_sixteen_byte_name_is_shown_whole(void **state)
{
	(void)state;
	struct xinim_trace_record r[2] = {
		synthetic_name_record(1, xinim_endpoint(17, 1), "abcdefghijklmnop"),
		synthetic_message(XINIM_TRACE_CALL, 2, xinim_endpoint(17, 1), PM, CLOSE, 5),
	};
	assert_lines(trace_lines(NULL, r, 2),
		     "        1.000 cpu0 name    abcdefghijklmnop[17]\n"
		     "        2.000 cpu0 call    abcdefghijklmnop[17] -> pm               close len=48 ok\n");
}

static void test_a_timed_out_call_matches_no_later_reply(void **state)
{
	(void)state;
	struct xinim_trace_record r[3] = {
		synthetic_message(XINIM_TRACE_CALL, 1, HELLO, PM, CLOSE, 5),
		synthetic_message(XINIM_TRACE_CALL, 2, HELLO, PM, CLOSE, 5),
		synthetic_message(XINIM_TRACE_REPLY, 3, PM, HELLO, 0, 5),
	};
	r[1].verdict = XINIM_TRACE_TIMEOUT;
	char *text = trace_lines(NULL, r, 3);
	assert_non_null(strstr(text, "close len=48 timeout\n"));
	assert_non_null(strstr(text, "?=0 len=48 ok\n"));
	free(text);
}

// How many lines the hello scenario leaves with the filter options given.
static int lines_passing(const char *const *options)
{
	struct filter filter;
	filter_init(&filter);
	for (; *options; options += 2)
		assert_int_equal(filter_option(&filter, options[0], options[1]), 0);
	struct xinim_trace_record r[HELLO_RECORDS];
	hello_records(r);
	char *text = trace_lines(&filter, r, HELLO_RECORDS);
	int lines = 0;
	for (const char *c = text; *c; c++)
		lines += *c == '\n';
	free(text);
	return lines;
}

#define PASSING(...) lines_passing((const char *const[]){ __VA_ARGS__, NULL })

static void test_filters_keep_what_they_name_and_combine(void **state)
{
	(void)state;
	assert_int_equal(PASSING("--process", "hello-musl"), 4);
	assert_int_equal(PASSING("--process", "1"), 4);
	assert_int_equal(PASSING("--process", "vfs"), 3);
	assert_int_equal(PASSING("--process", "sh"), 0);
	assert_int_equal(PASSING("--server", "vfs"), 3);
	assert_int_equal(PASSING("--server", "pm"), 0);
	assert_int_equal(PASSING("--type", "openat"), 3);
	assert_int_equal(PASSING("--type", "1056"), 3);
	assert_int_equal(PASSING("--type", "close"), 0);
	assert_int_equal(PASSING("--verdict", "ok"), 4);
	assert_int_equal(PASSING("--verdict", "denied"), 0);
	assert_int_equal(PASSING("--cpu", "1"), 2);
	assert_int_equal(PASSING("--cpu", "1", "--type", "openat", "--server", "vfs"), 2);
	assert_int_equal(PASSING("--cpu", "0", "--type", "openat"), 1);
}

static void test_ticks_become_nanoseconds_at_any_frequency(void **state)
{
	(void)state;
	struct decoder decoder;
	assert_int_equal(decoder_init(&decoder), 0);
	decoder_boot(&decoder, &(struct stream_boot){ .counter_hz = 62500000, .cpus = 1 });
	assert_int_equal(decoder_ns(&decoder, 7032), 112512);	// QEMU's 16 ns ticks
	assert_int_equal(decoder_ns(&decoder, 62500000ull * 86400 * 365), 86400ull * 365 * 1000000000);
	decoder_free(&decoder);
}

static void test_bad_filter_values_are_refused(void **state)
{
	(void)state;
	struct filter filter;
	filter_init(&filter);
	assert_int_equal(filter_option(&filter, "--server", "nosuch"), -1);
	assert_int_equal(filter_option(&filter, "--verdict", "fine"), -1);
	assert_int_equal(filter_option(&filter, "--cpu", "9"), -1);
	assert_int_equal(filter_option(&filter, "--cpu", NULL), -1);
	assert_int_equal(filter_option(&filter, "--duration", "1"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_receive_and_reply_are_matched_with_latency),
		cmocka_unit_test(test_reply_without_its_call_has_no_type_nor_latency),
		cmocka_unit_test(test_results_from_value_or_type_and_notify_bits),
		cmocka_unit_test(test_a_restart_is_a_line_of_its_own),
		cmocka_unit_test(test_unknown_types_show_their_number_and_verdicts_their_name),
		cmocka_unit_test(test_a_sixteen_byte_name_is_shown_whole),
		cmocka_unit_test(test_a_timed_out_call_matches_no_later_reply),
		cmocka_unit_test(test_filters_keep_what_they_name_and_combine),
		cmocka_unit_test(test_ticks_become_nanoseconds_at_any_frequency),
		cmocka_unit_test(test_bad_filter_values_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
