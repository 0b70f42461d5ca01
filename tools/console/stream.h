#pragma once
// What a source of trace data hands on, the same live (live.c) and from a record file
// (recordfile.c), so that a replay decodes exactly what was seen.
#include <stdint.h>
#include <xinim/ipc/trace.h>

enum stream_kind {
	STREAM_BOOT,	// a directory found: a new boot, whose records follow
	STREAM_RECORD,
	STREAM_NAME,	// a name from the guest's names table, for a process named earlier
	STREAM_LOST,	// records of a CPU overwritten or torn before they could be read
};

struct stream_boot {
	uint64_t boot_id;
	uint64_t counter_hz;
	uint32_t cpus;
};

struct stream_name {
	xinim_endpoint_t endpoint;
	char name[XINIM_TRACE_NAME_SIZE];	// NUL-padded, maybe unterminated
};

struct stream_lost {
	uint32_t cpu;
	uint64_t count;
};

struct stream_event {
	enum stream_kind kind;
	union {
		struct stream_boot boot;
		struct xinim_trace_record record;
		struct stream_name name;
		struct stream_lost lost;
	};
};

typedef void stream_sink_fn(void *context, const struct stream_event *event);
