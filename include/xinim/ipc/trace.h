#pragma once
// Trace records (docs/architecture.md, Tracing; docs/console.md): one per message
// event, in a ring per CPU, read with KCALL_TRACE_READ inside the guest, or straight
// from guest memory by the host console through the directory below. A gap in a CPU's
// record numbers means records were overwritten.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>

enum xinim_trace_event {
	XINIM_TRACE_CALL = 1,
	XINIM_TRACE_SEND,
	XINIM_TRACE_RECEIVE,	// a receiver took a message
	XINIM_TRACE_REPLY,
	XINIM_TRACE_NOTIFY,
	XINIM_TRACE_REJECT,	// a receiver's codec refused a message
	XINIM_TRACE_NAME,	// source got a name (start, exec): in name, not a message
	XINIM_TRACE_RESTART,	// RS restarted a server: source is its new instance
	XINIM_TRACE_EVENTS
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

#define XINIM_TRACE_NAME_SIZE 16	// a process name, NUL-padded, not always terminated

struct xinim_trace_record {
	uint64_t timestamp;		// CNTVCT_EL0
	uint64_t cpu_sequence;		// numbers this CPU's records from 1; 0 while written
	union {
		struct {
			uint64_t message_id;	// a call and its reply share it
			uint64_t sequence;	// the message's header sequence (channel counter)
		};
		char name[XINIM_TRACE_NAME_SIZE];	// XINIM_TRACE_NAME: source's new name
	};
	xinim_endpoint_t source;
	xinim_endpoint_t dest;
	int32_t type;			// message type, or a reply's result
	uint16_t length;
	uint8_t cpu;
	uint8_t event;			// enum xinim_trace_event
	uint8_t verdict;		// enum xinim_trace_verdict
	uint8_t reserved[7];
	int64_t value;			// a reply to a system call the kernel made for a
					// thread: the call's result (x0); a notify: the bits
};

_Static_assert(sizeof(struct xinim_trace_record) == 64, "trace record size");

// Where the trace is, for a reader outside the guest (the host console, docs/console.md):
// one page-aligned block in the kernel's memory, found by its magic at the start of a
// page of guest RAM. Addresses are physical; self_pa gives RAM's place in the file that
// backs it. The magic is stored last, once the rest is filled in.
#define XINIM_TRACE_MAGIC "XINIM trace dir"	// 16 bytes with the NUL
#define XINIM_TRACE_VERSION 1
#define XINIM_TRACE_CPUS_MAX 8

enum xinim_trace_flag {
	XINIM_TRACE_OFF = 1 << 0,	// trace=off: the kernel writes no records
};

struct xinim_trace_ring_place {
	uint64_t written_pa;	// uint64_t: records ever written; the newest is number `written`
	uint64_t records_pa;	// struct xinim_trace_record[ring_records], record n at
				// index n % ring_records
};

// The live instance of each PID and its name, for a reader that attaches after the
// records naming them are gone. Entry i is PID i's; a seqlock: odd while written.
struct xinim_trace_name {
	uint32_t sequence;
	xinim_endpoint_t endpoint;	// 0: no process has this PID
	char name[XINIM_TRACE_NAME_SIZE];
};

struct xinim_trace_directory {
	char magic[16];			// XINIM_TRACE_MAGIC
	uint32_t version;		// XINIM_TRACE_VERSION
	uint32_t size;			// sizeof(struct xinim_trace_directory)
	uint64_t self_pa;		// this block's physical address
	uint64_t boot_id;		// random, new at each boot
	uint64_t counter_hz;		// CNTFRQ_EL0: timestamp ticks per second
	uint32_t cpus;			// rings in use (the CPUs present)
	uint32_t ring_records;		// records per ring, a power of two
	uint32_t record_size;		// sizeof(struct xinim_trace_record)
	uint32_t flags;			// enum xinim_trace_flag
	uint64_t names_pa;		// struct xinim_trace_name[names_count]
	uint32_t names_count;
	uint32_t reserved;
	struct xinim_trace_ring_place rings[XINIM_TRACE_CPUS_MAX];
};
