#pragma once
// A short trace for the decoding, stats, record and export tests: hello-musl (PID 1) is
// named, calls openat, which VFS receives (from the kernel, calling for it) and answers.
#include <stddef.h>
#include <xinim/ipc/message.h>
#include "session.h"

#define HELLO xinim_endpoint(XINIM_PID_INIT, 1)
#define VFS xinim_endpoint(XINIM_PID_VFS, 1)
#define PM xinim_endpoint(XINIM_PID_PM, 1)
#define MM xinim_endpoint(XINIM_PID_MM, 1)
#define OPENAT (XINIM_MSG_SYSCALL_FIRST + 56)
#define CLOSE (XINIM_MSG_SYSCALL_FIRST + 57)
#define HELLO_RECORDS 4

// The records of the scenario, in time order.
void hello_records(struct xinim_trace_record records[HELLO_RECORDS]);

// The trace lines session prints for records, after a boot: malloc'd, NUL-terminated.
char *session_lines(struct session *session, const struct xinim_trace_record *records,
		    size_t count);

// The same with a fresh session and filter (NULL: none).
char *trace_lines(const struct filter *filter, const struct xinim_trace_record *records,
		  size_t count);

// Feeds a boot of the synthetic counter frequency to session.
void session_boot(struct session *session);
