#pragma once
// A synthetic guest RAM file for the console's tests: a trace directory (not at the
// file's start, after a page that only looks like one), rings and a names table laid
// out as the kernel lays them out, written as kernel/trace.c writes them.
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/trace.h>

#define SYNTHETIC_BASE_PA 0x40000000ull	// QEMU virt's RAM
#define SYNTHETIC_HZ 125000000ull	// 8 ns a tick: whole microseconds are whole ticks
#define SYNTHETIC_NAMES 64

struct synthetic_ram {
	char path[64];
	uint8_t *bytes;
	size_t size;
	struct xinim_trace_directory *directory;
	uint64_t *written[XINIM_TRACE_CPUS_MAX];
	struct xinim_trace_record *records[XINIM_TRACE_CPUS_MAX];
	struct xinim_trace_name *names;
};

// A file of cpus rings of ring_records records each, for boot boot_id.
void synthetic_create(struct synthetic_ram *ram, unsigned cpus, uint32_t ring_records,
		      uint64_t boot_id);
void synthetic_destroy(struct synthetic_ram *ram);

// A new boot: the directory gets boot_id, the rings start again, the names go.
void synthetic_reboot(struct synthetic_ram *ram, uint64_t boot_id);

// Appends r on cpu as the kernel does (number, cpu filled in); returns its number.
uint64_t synthetic_write(struct synthetic_ram *ram, unsigned cpu, struct xinim_trace_record r);

// The record of number n on cpu, wherever it is in the ring.
struct xinim_trace_record *synthetic_record(struct synthetic_ram *ram, unsigned cpu, uint64_t n);

// The names table entry of pid, as trace_name writes it (no record).
void synthetic_table_name(struct synthetic_ram *ram, unsigned pid, xinim_endpoint_t endpoint,
			  const char *name);

// Records for tests: a call, its receive and reply, a NAME record; times in microseconds.
struct xinim_trace_record synthetic_message(enum xinim_trace_event event, uint64_t us,
					    xinim_endpoint_t source, xinim_endpoint_t dest,
					    int32_t type, uint64_t message_id);
struct xinim_trace_record synthetic_name_record(uint64_t us, xinim_endpoint_t endpoint,
						const char *name);
