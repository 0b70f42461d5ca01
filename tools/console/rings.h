#pragma once
// Reading the per-CPU trace rings out of guest RAM without disturbing the writer: each
// record is taken only if its number is the one expected both before and after the
// copy (the kernel zeroes it while rewriting, kernel/trace.c), else counted lost.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/trace.h>
#include "ram.h"

struct ring_reader {
	uint32_t cpus;
	uint32_t ring_records;
	uint64_t next[XINIM_TRACE_CPUS_MAX];	// the number of the next record to take
};

// Starts at the oldest record still in each ring, or after the newest with from_now;
// lost[cpu] gets the records already overwritten (none with from_now).
void rings_attach(struct ring_reader *reader, const struct guest_ram *ram, bool from_now,
		  uint64_t lost[XINIM_TRACE_CPUS_MAX]);

// Whether a CPU's written count went below what was taken: the guest rebooted (even if
// the directory looked the same whenever it was checked).
bool rings_went_back(const struct ring_reader *reader, const struct guest_ram *ram);

// The records out needs room for: all that the rings can hold.
size_t rings_capacity(const struct ring_reader *reader);

// Takes every record written since the last call into out (rings_capacity of them at
// most), ordered by timestamp; adds to lost[cpu] those overwritten or torn meanwhile.
size_t rings_take(struct ring_reader *reader, const struct guest_ram *ram,
		  struct xinim_trace_record *out, uint64_t lost[XINIM_TRACE_CPUS_MAX]);
