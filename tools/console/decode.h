#pragma once
// From records to events as people read them: times in nanoseconds from boot, a call's
// receive and reply matched to it by message id, the reply's peer named from its call,
// and the names that NAME records give (docs/console.md, "Trace lines").
#include <stdbool.h>
#include <stdint.h>
#include <xinim/ipc/trace.h>
#include "names.h"
#include "stream.h"

#define TYPE_UNKNOWN INT32_MIN	// a reply whose call was not seen

struct pending_call {
	uint64_t message_id;	// 0: a free slot
	uint64_t call_ticks, receive_ticks;
	xinim_endpoint_t caller, server;
	int32_t type;
	bool received;
};

struct decoder {
	struct names names;
	uint64_t counter_hz;
	uint32_t cpus;
	struct pending_call *calls;	// by hash of message id; a newer call takes the slot
};

struct decoded {
	const struct xinim_trace_record *record;
	uint64_t ns;			// since boot
	xinim_endpoint_t from, to;	// a reply's `to` is its caller, a receive's `from` too
	int32_t type;			// a reply's is its call's (TYPE_UNKNOWN if unseen)
	int64_t result;			// a reply's
	bool matched;			// a receive or reply whose call was seen
	bool received;			// a matched reply whose call's receive was seen
	uint64_t call_ns, receive_ns;	// a matched reply's call and receive times
};

int decoder_init(struct decoder *decoder);	// 0 or -ENOMEM
void decoder_free(struct decoder *decoder);
void decoder_boot(struct decoder *decoder, const struct stream_boot *boot);

// Decodes record into out (which points at record); NAME records rename their source.
void decoder_take(struct decoder *decoder, const struct xinim_trace_record *record,
		  struct decoded *out);

uint64_t decoder_ns(const struct decoder *decoder, uint64_t ticks);

// A matched reply's latency: from its call to it (0 if the clocks disagree).
uint64_t decoded_latency_ns(const struct decoded *d);

// The server's end of d: a reply's sender, else its destination.
xinim_endpoint_t decoded_server(const struct decoded *d);
