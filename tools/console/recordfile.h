#pragma once
// The record file: what a session saw, to decode again later (docs/console.md, "Record
// files"). A header (struct record_header), then chunks, each a struct record_chunk and
// its payload: records as they were in the rings, names from the guest's names table,
// counts of records lost, and a new boot's header fields.
#include <stdint.h>
#include "stream.h"

#define RECORD_MAGIC "XINIMREC"
#define RECORD_VERSION 1

struct record_header {
	char magic[8];		// RECORD_MAGIC, without a NUL
	uint32_t version;
	uint32_t cpus;
	uint64_t counter_hz;	// all 0: no boot was seen
	uint64_t boot_id;
};

enum record_tag {
	RECORD_RECORDS = 'R',	// struct xinim_trace_record[]
	RECORD_NAMES = 'N',	// struct stream_name[]
	RECORD_LOST = 'L',	// struct record_lost
	RECORD_BOOT = 'B',	// struct record_boot: a reboot after the first
};

struct record_chunk {
	uint32_t tag;		// enum record_tag
	uint32_t length;	// bytes of payload that follow
};

struct record_lost {
	uint32_t cpu;
	uint32_t reserved;
	uint64_t count;
};

struct record_boot {
	uint32_t cpus;
	uint32_t reserved;
	uint64_t counter_hz;
	uint64_t boot_id;
};

_Static_assert(sizeof(struct record_header) == 32, "record header size");
_Static_assert(sizeof(struct stream_name) == 20, "record name size");

struct recorder;

struct recorder *recorder_create(const char *path);	// NULL and errno on failure
void recorder_take(void *recorder, const struct stream_event *event);	// stream_sink_fn
int recorder_flush(struct recorder *recorder);	// 0 or -errno: all taken is in the file
int recorder_close(struct recorder *recorder);	// 0 or -errno (the first error seen)

// Hands the file's events to sink in order: 0, -errno, or -EINVAL if it is no record
// file or is cut short.
int replay_file(const char *path, stream_sink_fn *sink, void *context);
