// The per-CPU cursors over the rings in guest RAM.
#include <stdlib.h>
#include <string.h>
#include "rings.h"

static uint64_t written_count(const struct guest_ram *ram, uint32_t cpu)
{
	const uint64_t *written = ram_at(ram, ram->directory.rings[cpu].written_pa,
					 sizeof(*written));
	return __atomic_load_n(written, __ATOMIC_ACQUIRE);
}

void rings_attach(struct ring_reader *reader, const struct guest_ram *ram, bool from_now,
		  uint64_t lost[XINIM_TRACE_CPUS_MAX])
{
	*reader = (struct ring_reader){ .cpus = ram->directory.cpus,
					.ring_records = ram->directory.ring_records };
	for (uint32_t cpu = 0; cpu < reader->cpus; cpu++) {
		uint64_t written = written_count(ram, cpu);
		uint64_t oldest = written > reader->ring_records ? written - reader->ring_records : 0;
		reader->next[cpu] = (from_now ? written : oldest) + 1;
		lost[cpu] += from_now ? 0 : oldest;
	}
}

bool rings_went_back(const struct ring_reader *reader, const struct guest_ram *ram)
{
	for (uint32_t cpu = 0; cpu < reader->cpus; cpu++)
		if (written_count(ram, cpu) + 1 < reader->next[cpu])
			return true;
	return false;
}

size_t rings_capacity(const struct ring_reader *reader)
{
	return (size_t)reader->cpus * reader->ring_records;
}

// Copies record number n of cpu's ring into out; false if it is being rewritten or
// holds another number (overwritten since).
static bool take_record(const struct guest_ram *ram, const struct ring_reader *reader,
			uint32_t cpu, uint64_t n, struct xinim_trace_record *out)
{
	const struct xinim_trace_record *records =
		ram_at(ram, ram->directory.rings[cpu].records_pa,
		       (size_t)reader->ring_records * sizeof(*records));
	const struct xinim_trace_record *r = &records[n & (reader->ring_records - 1)];
	if (__atomic_load_n(&r->cpu_sequence, __ATOMIC_ACQUIRE) != n)
		return false;
	memcpy(out, r, sizeof(*out));
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&r->cpu_sequence, __ATOMIC_RELAXED) == n &&
	       out->cpu_sequence == n;
}

static int by_time(const void *a, const void *b)
{
	const struct xinim_trace_record *x = a, *y = b;
	if (x->timestamp != y->timestamp)
		return x->timestamp < y->timestamp ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->cpu_sequence < y->cpu_sequence ? -1 : x->cpu_sequence > y->cpu_sequence;
}

size_t rings_take(struct ring_reader *reader, const struct guest_ram *ram,
		  struct xinim_trace_record *out, uint64_t lost[XINIM_TRACE_CPUS_MAX])
{
	// All counts first, so that a reply taken on one CPU has its call (written before
	// it) taken on the other, as far as a few loads apart allow.
	uint64_t written[XINIM_TRACE_CPUS_MAX];
	for (uint32_t cpu = 0; cpu < reader->cpus; cpu++)
		written[cpu] = written_count(ram, cpu);
	size_t count = 0;
	for (uint32_t cpu = 0; cpu < reader->cpus; cpu++) {
		uint64_t *next = &reader->next[cpu];
		if (written[cpu] + 1 < *next)
			continue;	// the count went back: a reboot (rings_went_back)
		if (written[cpu] + 1 - *next > reader->ring_records) {
			uint64_t oldest = written[cpu] - reader->ring_records + 1;
			lost[cpu] += oldest - *next;	// overrun: overwritten before read
			*next = oldest;
		}
		for (; *next <= written[cpu]; ++*next)
			if (take_record(ram, reader, cpu, *next, &out[count]))
				count++;
			else
				lost[cpu]++;
	}
	qsort(out, count, sizeof(*out), by_time);
	return count;
}
