// The hello scenario and the helpers that turn records into trace lines.
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "scenario.h"
#include "synthetic.h"

void hello_records(struct xinim_trace_record records[HELLO_RECORDS])
{
	records[0] = synthetic_name_record(90, HELLO, "hello-musl");
	records[1] = synthetic_message(XINIM_TRACE_CALL, 100, HELLO, VFS, OPENAT, 7);
	records[2] = synthetic_message(XINIM_TRACE_RECEIVE, 105, XINIM_ENDPOINT_KERNEL, VFS,
				       OPENAT, 7);
	// A system call's reply: type 0, its result in value (kernel/ipc.c, reply).
	records[3] = synthetic_message(XINIM_TRACE_REPLY, 0, VFS, XINIM_ENDPOINT_KERNEL, 0, 7);
	records[3].value = 3;
	records[3].timestamp = 14064;	// 112.512 us
	records[3].length = 8;
	records[2].cpu = records[3].cpu = 1;
	for (unsigned i = 0; i < HELLO_RECORDS; i++)
		records[i].cpu_sequence = i + 1;
}

void session_boot(struct session *session)
{
	struct stream_event boot = { .kind = STREAM_BOOT,
				     .boot = { .boot_id = 1, .counter_hz = SYNTHETIC_HZ, .cpus = 2 } };
	session_take(session, &boot);
}

char *session_lines(struct session *session, const struct xinim_trace_record *records,
		    size_t count)
{
	char *text = NULL;
	size_t size = 0;
	session->trace_out = open_memstream(&text, &size);
	assert_non_null(session->trace_out);
	for (size_t i = 0; i < count; i++) {
		struct stream_event e = { .kind = STREAM_RECORD, .record = records[i] };
		session_take(session, &e);
	}
	fclose(session->trace_out);
	session->trace_out = NULL;
	return text;
}

char *trace_lines(const struct filter *filter, const struct xinim_trace_record *records,
		  size_t count)
{
	struct session session;
	assert_int_equal(session_init(&session), 0);
	if (filter)
		session.filter = *filter;
	session_boot(&session);
	char *text = session_lines(&session, records, count);
	session_free(&session);
	return text;
}
