#pragma once
// The IPC trace (docs/architecture.md, Tracing): a ring of records per CPU, overwritten
// when nobody reads it, read by KCALL_TRACE_READ.
#include <stdint.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>

struct trapframe;

// A new message id, for a call or a send (its reply shares it).
uint64_t trace_new_id(void);

// Appends a record for the message with header h on the running CPU.
void trace_event(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		 const struct xinim_msg_header *h, uint64_t message_id);

// KCALL_TRACE_READ: (struct xinim_trace_record *out, unsigned max) -> records copied.
long trace_kcall_read(struct trapframe *frame);
