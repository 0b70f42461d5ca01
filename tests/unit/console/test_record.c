// Record and replay: what a live session printed while recording, a replay of its file
// prints byte for byte, names from the guest's table, losses and a reboot included.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "live.h"
#include "scenario.h"
#include "synthetic.h"

#define RING_RECORDS 8
#define SHELL xinim_endpoint(17, 3)

struct outputs {
	char *trace, *stats;
	size_t trace_size, stats_size;
};

static void open_outputs(struct session *s, struct outputs *o)
{
	*o = (struct outputs){ 0 };
	s->trace_out = open_memstream(&o->trace, &o->trace_size);
	s->stats = stats_new();
}

static void close_outputs(struct session *s, struct outputs *o)
{
	FILE *stats = open_memstream(&o->stats, &o->stats_size);
	stats_print(s->stats, stats, &s->decoder.names);
	fclose(stats);
	fclose(s->trace_out);
	session_free(s);
}

// A guest seen live while recording to path: a process named before the console came,
// an overrun, a torn record, a reboot.
static void record_live(const char *path, struct outputs *o)
{
	struct synthetic_ram ram;
	struct live_source live;
	struct session s;
	synthetic_create(&ram, 2, RING_RECORDS, 1);
	synthetic_table_name(&ram, 17, SHELL, "sh");
	synthetic_write(&ram, 0, synthetic_message(XINIM_TRACE_CALL, 1, SHELL, VFS, OPENAT, 1));
	assert_int_equal(session_init(&s), 0);
	open_outputs(&s, o);
	s.recorder = recorder_create(path);
	assert_non_null(s.recorder);
	assert_int_equal(live_open(&live, ram.path, false), 0);
	live_poll(&live, session_take, &s);

	synthetic_write(&ram, 1, synthetic_message(XINIM_TRACE_REPLY, 4, VFS, SHELL, 3, 1));
	for (uint64_t us = 10; us < 10 + RING_RECORDS + 3; us++)	// 3 overwritten unread
		synthetic_write(&ram, 0, synthetic_message(XINIM_TRACE_SEND, us, SHELL, PM, CLOSE, 0));
	synthetic_record(&ram, 1, 1)->cpu_sequence = 0;	// the reply is being rewritten
	live_poll(&live, session_take, &s);

	synthetic_reboot(&ram, 2);
	struct xinim_trace_record r[HELLO_RECORDS];
	hello_records(r);
	for (unsigned i = 0; i < HELLO_RECORDS; i++)
		synthetic_write(&ram, r[i].cpu, r[i]);
	live_poll(&live, session_take, &s);
	live_close(&live);
	assert_int_equal(recorder_close(s.recorder), 0);
	s.recorder = NULL;
	close_outputs(&s, o);
	synthetic_destroy(&ram);
}

static void test_replay_prints_what_recording_printed(void **state)
{
	(void)state;
	char path[] = "/tmp/xinim-console-record.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct outputs live, replayed;
	record_live(path, &live);
	assert_non_null(strstr(live.trace, "call    sh[17]           -> vfs              openat"));
	assert_non_null(strstr(live.trace, "- cpu0 lost    3\n"));
	assert_non_null(strstr(live.trace, "- cpu1 lost    1\n"));
	assert_non_null(strstr(live.trace, "hello-musl[1]    openat=3 len=8 ok 12.512 us\n"));
	assert_non_null(strstr(live.stats, "lost: cpu0=3 cpu1=1\n"));

	struct session s;
	assert_int_equal(session_init(&s), 0);
	open_outputs(&s, &replayed);
	assert_int_equal(replay_file(path, session_take, &s), 0);
	close_outputs(&s, &replayed);
	assert_string_equal(replayed.trace, live.trace);
	assert_string_equal(replayed.stats, live.stats);
	free(live.trace), free(live.stats), free(replayed.trace), free(replayed.stats);
	unlink(path);
}

static void test_a_file_that_is_no_record_is_refused(void **state)
{
	(void)state;
	char path[] = "/tmp/xinim-console-record.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not a record file, not at all", 29), 29);
	close(fd);
	struct session s;
	assert_int_equal(session_init(&s), 0);
	assert_int_equal(replay_file(path, session_take, &s), -EINVAL);
	assert_int_equal(replay_file("/nonexistent/record", session_take, &s), -ENOENT);
	session_free(&s);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_prints_what_recording_printed),
		cmocka_unit_test(test_a_file_that_is_no_record_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
