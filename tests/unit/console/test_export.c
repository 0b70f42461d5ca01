// The exporter: Chrome trace-event JSON that parses (check_export.py, run on the file),
// the call as a slice on the caller's track, its handling on the server's, joined by a
// flow, tracks named, and names escaped.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "scenario.h"
#include "synthetic.h"

// Exports records to a temporary file and runs check_export.py on it with flag.
static void export_and_check(const struct xinim_trace_record *records, size_t count,
			     const char *flag)
{
	char path[] = "/tmp/xinim-console-export.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	FILE *out = fopen(path, "w");
	struct session s;
	assert_int_equal(session_init(&s), 0);
	s.exporter = exporter_create(out);
	session_boot(&s);
	free(session_lines(&s, records, count));
	assert_int_equal(exporter_finish(s.exporter), 0);
	fclose(out);
	session_free(&s);
	char command[512];
	snprintf(command, sizeof(command), "python3 %s %s %s", CHECK_EXPORT, path, flag);
	assert_int_equal(system(command), 0);
	unlink(path);
}

static void test_a_call_is_two_slices_and_a_flow(void **state)
{
	(void)state;
	struct xinim_trace_record r[HELLO_RECORDS];
	hello_records(r);
	export_and_check(r, HELLO_RECORDS, "--hello");
}

static void test_names_are_escaped(void **state)
{
	(void)state;
	struct xinim_trace_record r[2] = {
		synthetic_name_record(1, xinim_endpoint(17, 1), "a\"b\\c\nd\xe9"),
		synthetic_message(XINIM_TRACE_CALL, 2, xinim_endpoint(17, 1), PM, CLOSE, 5),
	};
	export_and_check(r, 2, "--escaped");
}

static void test_an_empty_export_is_valid(void **state)
{
	(void)state;
	export_and_check(NULL, 0, "");
}

static void test_json_strings_escape_quotes_controls_and_high_bytes(void **state)
{
	(void)state;
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	json_string(out, "q\"\\\t\x01\xff");
	fclose(out);
	assert_string_equal(text, "\"q\\\"\\\\\\u0009\\u0001\\u00ff\"");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_call_is_two_slices_and_a_flow),
		cmocka_unit_test(test_names_are_escaped),
		cmocka_unit_test(test_an_empty_export_is_valid),
		cmocka_unit_test(test_json_strings_escape_quotes_controls_and_high_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
