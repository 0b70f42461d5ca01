// The live source over guest RAM.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "live.h"
#include "names.h"

int live_open(struct live_source *live, const char *ram_path, bool from_now)
{
	*live = (struct live_source){ .from_now = from_now };
	live->announced = calloc(XINIM_PID_MASK + 1, sizeof(*live->announced));
	if (!live->announced)
		return -ENOMEM;
	int err = ram_open(&live->ram, ram_path);
	if (err)
		free(live->announced);
	return err;
}

void live_close(struct live_source *live)
{
	ram_close(&live->ram);
	free(live->announced);
	free(live->records);
	*live = (struct live_source){ 0 };
}

static void give_lost(const uint64_t lost[XINIM_TRACE_CPUS_MAX], uint32_t cpus,
		      stream_sink_fn *sink, void *ctx)
{
	for (uint32_t cpu = 0; cpu < cpus; cpu++) {
		struct stream_event e = { .kind = STREAM_LOST,
					  .lost = { .cpu = cpu, .count = lost[cpu] } };
		if (lost[cpu])
			sink(ctx, &e);
	}
}

static bool attach(struct live_source *live, stream_sink_fn *sink, void *ctx)
{
	if (!ram_find_directory(&live->ram))
		return false;
	const struct xinim_trace_directory *d = &live->ram.directory;
	free(live->records);
	live->records = calloc((size_t)d->cpus * d->ring_records, sizeof(*live->records));
	if (!live->records)
		return false;
	if (d->flags & XINIM_TRACE_OFF && !live->told_off)
		fprintf(stderr, "xinim-console: the guest writes no trace records (trace=off)\n");
	live->told_off = d->flags & XINIM_TRACE_OFF;
	memset(live->announced, 0, (XINIM_PID_MASK + 1) * sizeof(*live->announced));
	struct stream_event boot = { .kind = STREAM_BOOT, .boot = { .boot_id = d->boot_id,
		.counter_hz = d->counter_hz, .cpus = d->cpus } };
	sink(ctx, &boot);
	uint64_t lost[XINIM_TRACE_CPUS_MAX] = { 0 };
	rings_attach(&live->rings, &live->ram, live->from_now, lost);
	give_lost(lost, d->cpus, sink, ctx);
	live->from_now = false;	// after a reboot, the new boot's records from its first
	live->attached = true;
	return true;
}

// Copies PID pid's entry of the guest's names table; false if it is being written.
static bool table_name(const struct guest_ram *ram, unsigned pid, struct xinim_trace_name *out)
{
	const struct xinim_trace_directory *d = &ram->directory;
	if (pid >= d->names_count)
		return false;
	const struct xinim_trace_name *entry =
		ram_at(ram, d->names_pa + pid * sizeof(*entry), sizeof(*entry));
	for (int tries = 0; tries < 4; tries++) {
		uint32_t before = __atomic_load_n(&entry->sequence, __ATOMIC_ACQUIRE);
		if (before & 1)
			continue;
		memcpy(out, entry, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&entry->sequence, __ATOMIC_RELAXED) == before)
			return true;
	}
	return false;
}

// Before the first record of an instance the console has no name for, hands on its name
// from the table (the NAME record that gave it may be long overwritten). Servers and
// the kernel are known by their PID.
static void announce(struct live_source *live, xinim_endpoint_t endpoint,
		     stream_sink_fn *sink, void *ctx)
{
	unsigned pid = xinim_endpoint_pid(endpoint);
	if (endpoint == XINIM_ENDPOINT_NONE || names_fixed(pid) || live->announced[pid] == endpoint)
		return;
	live->announced[pid] = endpoint;
	struct xinim_trace_name entry;
	if (!table_name(&live->ram, pid, &entry) || entry.endpoint != endpoint || !entry.name[0])
		return;
	struct stream_event e = { .kind = STREAM_NAME, .name = { .endpoint = endpoint } };
	memcpy(e.name.name, entry.name, sizeof(e.name.name));
	sink(ctx, &e);
}

static void give_record(struct live_source *live, const struct xinim_trace_record *r,
			stream_sink_fn *sink, void *ctx)
{
	if (r->event == XINIM_TRACE_NAME) {
		live->announced[xinim_endpoint_pid(r->source)] = r->source;
	} else {
		announce(live, r->source, sink, ctx);
		announce(live, r->dest, sink, ctx);
	}
	struct stream_event e = { .kind = STREAM_RECORD, .record = *r };
	sink(ctx, &e);
}

void live_poll(struct live_source *live, stream_sink_fn *sink, void *ctx)
{
	if (live->attached && (!ram_directory_unchanged(&live->ram) ||
			       rings_went_back(&live->rings, &live->ram)))
		live->attached = false;	// a reboot: the new directory may be elsewhere
	if (!live->attached && !attach(live, sink, ctx))
		return;
	uint64_t lost[XINIM_TRACE_CPUS_MAX] = { 0 };
	size_t count = rings_take(&live->rings, &live->ram, live->records, lost);
	give_lost(lost, live->rings.cpus, sink, ctx);
	for (size_t i = 0; i < count; i++)
		give_record(live, &live->records[i], sink, ctx);
}
