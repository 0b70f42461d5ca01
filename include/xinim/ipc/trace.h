#pragma once
// Trace records (docs/architecture.md, Tracing): one per message event, in a ring per
// CPU, read with KCALL_TRACE_READ. A gap in a CPU's record numbers means records were
// overwritten.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>

enum xinim_trace_event {
	XINIM_TRACE_CALL = 1,
	XINIM_TRACE_SEND,
	XINIM_TRACE_RECEIVE,	// a receiver took a message
	XINIM_TRACE_REPLY,
	XINIM_TRACE_NOTIFY,
	XINIM_TRACE_REJECT,	// a receiver's codec refused a message
};

enum xinim_trace_verdict {
	XINIM_TRACE_OK = 0,
	XINIM_TRACE_DENIED,	// no capability for the destination
	XINIM_TRACE_DEAD,	// the destination's generation is gone
	XINIM_TRACE_INVALID,	// malformed header (length, flags, destination)
	XINIM_TRACE_FAULT,	// a bad pointer
	XINIM_TRACE_TIMEOUT,
	XINIM_TRACE_NO_CALLER,	// a reply to no one waiting
	XINIM_TRACE_BAD_TAG,
	XINIM_TRACE_REPLAY,
	XINIM_TRACE_FULL,	// the receiver's notification slots are full
	XINIM_TRACE_VERDICTS
};

struct xinim_trace_record {
	uint64_t timestamp;		// CNTVCT_EL0
	uint64_t cpu_sequence;		// numbers this CPU's records from 1
	uint64_t message_id;		// a call and its reply share it
	uint64_t sequence;		// the message's header sequence (channel counter)
	xinim_endpoint_t source;
	xinim_endpoint_t dest;
	int32_t type;			// message type, or a reply's result
	uint16_t length;
	uint8_t cpu;
	uint8_t event;			// enum xinim_trace_event
	uint8_t verdict;		// enum xinim_trace_verdict
	uint8_t reserved[15];
};

_Static_assert(sizeof(struct xinim_trace_record) == 64, "trace record size");
