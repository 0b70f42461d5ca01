#pragma once
// The live source: guest RAM, its rings read as the guest writes them, turned into
// stream events. It attaches when the directory appears, attaches again when the guest
// reboots, and names the processes that records mention but that were named before it
// attached, from the guest's names table.
#include <stdbool.h>
#include "rings.h"
#include "stream.h"

struct live_source {
	struct guest_ram ram;
	struct ring_reader rings;
	bool attached;
	bool from_now;			// attach after the newest records, not the oldest
	bool told_off;			// said that the guest's trace is off
	xinim_endpoint_t *announced;	// per PID, the instance whose name was handed on
	struct xinim_trace_record *records;	// rings_capacity of them
};

int live_open(struct live_source *live, const char *ram_path, bool from_now);	// 0, -errno
void live_close(struct live_source *live);

// Hands sink what is new: a STREAM_BOOT when (re)attached, then records and losses.
void live_poll(struct live_source *live, stream_sink_fn *sink, void *context);
