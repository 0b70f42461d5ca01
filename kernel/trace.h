#pragma once
// The IPC trace (docs/architecture.md, Tracing): a ring of records per CPU, overwritten
// when nobody reads it, read by KCALL_TRACE_READ.
#include <stdbool.h>
#include <stdint.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>

struct trapframe;

// Fills in the directory (include/xinim/ipc/trace.h) for cpus rings; enabled false
// (trace=off) writes no records.
void trace_init(unsigned cpus, bool enabled, uint64_t boot_id);

// PID pid's live instance is endpoint, called name (endpoint 0: none, when it ends):
// the names table, and an XINIM_TRACE_NAME record. The caller serializes the calls for
// one PID (its endpoint's lock).
void trace_name(unsigned pid, xinim_endpoint_t endpoint, const char *name);

// A new message id, for a call or a send (its reply shares it).
uint64_t trace_new_id(void);

// Appends a record for the message with header h on the running CPU, with value (a
// system call's result, a notification's bits: struct xinim_trace_record).
void trace_event_value(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		       const struct xinim_msg_header *h, uint64_t message_id, int64_t value);

static inline void trace_event(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
			       const struct xinim_msg_header *h, uint64_t message_id)
{
	trace_event_value(event, verdict, h, message_id, 0);
}

// KCALL_TRACE_READ: (struct xinim_trace_record *out, unsigned max) -> records copied.
long trace_kcall_read(struct trapframe *frame);
