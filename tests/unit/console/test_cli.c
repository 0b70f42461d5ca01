// The command line, as scripts use it: xinim-console on a synthetic RAM file prints the
// trace, records it, replays the same lines, stats and export from the record, and
// exits 2 for a usage error, 1 when there is nothing to read.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "scenario.h"
#include "synthetic.h"

#define HELLO_LINES \
	"       90.000 cpu0 name    hello-musl[1]\n" \
	"      100.000 cpu0 call    hello-musl[1]    -> vfs              openat len=48 ok\n" \
	"      105.000 cpu1 receive hello-musl[1]    -> vfs              openat len=48 ok\n" \
	"      112.512 cpu1 reply   vfs              -> hello-musl[1]    openat=3 len=8 ok 12.512 us\n"

struct files {
	struct synthetic_ram ram;
	char record[64], json[64];
};

// Runs xinim-console with arguments (a format); its stdout in *output (malloc'd) if
// output is not NULL; its exit status.
static int console(char **output, const char *arguments, ...)
{
	char command[1024];
	int at = snprintf(command, sizeof(command), "%s ", XINIM_CONSOLE);
	va_list ap;
	va_start(ap, arguments);
	vsnprintf(command + at, sizeof(command) - (size_t)at, arguments, ap);
	va_end(ap);
	FILE *p = popen(command, "r");
	assert_non_null(p);
	char *text = NULL;
	size_t size = 0;
	FILE *collected = open_memstream(&text, &size);
	char chunk[4096];
	for (size_t n; (n = fread(chunk, 1, sizeof(chunk), p));)
		fwrite(chunk, 1, n, collected);
	fclose(collected);
	int status = pclose(p);
	if (output)
		*output = text;
	else
		free(text);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int setup(void **state)
{
	struct files *f = calloc(1, sizeof(*f));
	synthetic_create(&f->ram, 2, 8, 1);
	struct xinim_trace_record r[HELLO_RECORDS];
	hello_records(r);
	for (unsigned i = 0; i < HELLO_RECORDS; i++)
		synthetic_write(&f->ram, r[i].cpu, r[i]);
	snprintf(f->record, sizeof(f->record), "%s.rec", f->ram.path);
	snprintf(f->json, sizeof(f->json), "%s.json", f->ram.path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct files *f = *state;
	unlink(f->record);
	unlink(f->json);
	synthetic_destroy(&f->ram);
	free(f);
	return 0;
}

static void assert_output(char *output, const char *expected)
{
	assert_string_equal(output, expected);
	free(output);
}

static void test_trace_prints_the_rings(void **state)
{
	struct files *f = *state;
	char *out;
	assert_int_equal(console(&out, "trace --ram %s --once", f->ram.path), 0);
	assert_output(out, HELLO_LINES);
	assert_int_equal(console(&out, "trace --ram %s --once --from-now", f->ram.path), 0);
	assert_output(out, "");
}

static void test_record_then_replay_prints_the_same(void **state)
{
	struct files *f = *state;
	char *out;
	assert_int_equal(console(&out, "record %s --ram %s --once", f->record, f->ram.path), 0);
	assert_output(out, HELLO_LINES);
	assert_int_equal(console(&out, "replay %s", f->record), 0);
	assert_output(out, HELLO_LINES);
	assert_int_equal(console(&out, "replay %s trace --cpu 1 --server vfs", f->record), 0);
	assert_output(out, strstr(HELLO_LINES, "      105.000"));
	assert_int_equal(console(&out, "record %s -q --ram %s --once", f->record, f->ram.path), 0);
	assert_output(out, "");
	assert_int_equal(console(&out, "replay %s stats", f->record), 0);
	assert_non_null(strstr(out, "\nhello-musl[1]    vfs              openat                      1       0"
				    "       12.512       12.512       12.512       12.512"));
	free(out);
}

static void test_export_from_a_record_and_from_replay(void **state)
{
	struct files *f = *state;
	char check[512];
	assert_int_equal(console(NULL, "record %s -q --ram %s --once", f->record, f->ram.path), 0);
	snprintf(check, sizeof(check), "python3 %s %s --hello", CHECK_EXPORT, f->json);
	assert_int_equal(console(NULL, "export %s --from %s", f->json, f->record), 0);
	assert_int_equal(system(check), 0);
	unlink(f->json);
	assert_int_equal(console(NULL, "replay %s export %s", f->record, f->json), 0);
	assert_int_equal(system(check), 0);
	unlink(f->json);
	assert_int_equal(console(NULL, "export %s --ram %s --once", f->json, f->ram.path), 0);
	assert_int_equal(system(check), 0);
}

static void test_exit_statuses(void **state)
{
	struct files *f = *state;
	assert_int_equal(console(NULL, "2>/dev/null"), 2);
	assert_int_equal(console(NULL, "nosuch 2>/dev/null"), 2);
	assert_int_equal(console(NULL, "trace --server nosuch 2>/dev/null"), 2);
	assert_int_equal(console(NULL, "trace --ram %s --until-exit 2>/dev/null", f->ram.path), 2);
	assert_int_equal(console(NULL, "trace --ram /nonexistent --once 2>/dev/null"), 1);
	assert_int_equal(console(NULL, "replay /nonexistent 2>/dev/null"), 1);
	memset(f->ram.directory->magic, 0, 16);	// a guest that has not booted yet
	assert_int_equal(console(NULL, "trace --ram %s --once 2>/dev/null", f->ram.path), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trace_prints_the_rings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_then_replay_prints_the_same, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_export_from_a_record_and_from_replay, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_statuses, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
