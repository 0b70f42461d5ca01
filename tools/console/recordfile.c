// Writing and reading record files: consecutive records go in one chunk.
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "recordfile.h"

#define RECORDS_PER_CHUNK 512

struct recorder {
	FILE *file;
	bool header_written;
	int error;
	size_t pending;
	struct xinim_trace_record records[RECORDS_PER_CHUNK];
};

static void put(struct recorder *rec, const void *bytes, size_t length)
{
	if (!rec->error && fwrite(bytes, 1, length, rec->file) != length)
		rec->error = -errno;
}

static void put_chunk(struct recorder *rec, enum record_tag tag, const void *payload,
		      size_t length)
{
	struct record_chunk chunk = { .tag = tag, .length = (uint32_t)length };
	put(rec, &chunk, sizeof(chunk));
	put(rec, payload, length);
}

static void put_records(struct recorder *rec)
{
	if (rec->pending)
		put_chunk(rec, RECORD_RECORDS, rec->records, rec->pending * sizeof(*rec->records));
	rec->pending = 0;
}

static void put_header(struct recorder *rec, const struct stream_boot *boot)
{
	struct record_header h = { .magic = RECORD_MAGIC, .version = RECORD_VERSION };
	if (boot)
		h.cpus = boot->cpus, h.counter_hz = boot->counter_hz, h.boot_id = boot->boot_id;
	put(rec, &h, sizeof(h));
	rec->header_written = true;
}

struct recorder *recorder_create(const char *path)
{
	struct recorder *rec = calloc(1, sizeof(*rec));
	if (!rec)
		return NULL;
	rec->file = fopen(path, "wbe");
	if (!rec->file) {
		free(rec);
		return NULL;
	}
	return rec;
}

static void take_boot(struct recorder *rec, const struct stream_boot *boot)
{
	if (!rec->header_written) {
		put_header(rec, boot);
		return;
	}
	struct record_boot b = { .cpus = boot->cpus, .counter_hz = boot->counter_hz,
				 .boot_id = boot->boot_id };
	put_chunk(rec, RECORD_BOOT, &b, sizeof(b));
}

void recorder_take(void *recorder, const struct stream_event *event)
{
	struct recorder *rec = recorder;
	if (event->kind == STREAM_RECORD) {
		if (rec->pending == RECORDS_PER_CHUNK)
			put_records(rec);
		rec->records[rec->pending++] = event->record;
		return;
	}
	put_records(rec);
	if (event->kind == STREAM_BOOT) {
		take_boot(rec, &event->boot);
		return;
	}
	if (!rec->header_written)
		put_header(rec, NULL);
	if (event->kind == STREAM_NAME) {
		put_chunk(rec, RECORD_NAMES, &event->name, sizeof(event->name));
	} else {
		struct record_lost lost = { .cpu = event->lost.cpu, .count = event->lost.count };
		put_chunk(rec, RECORD_LOST, &lost, sizeof(lost));
	}
}

int recorder_flush(struct recorder *rec)
{
	if (!rec->header_written)
		put_header(rec, NULL);
	put_records(rec);
	if (!rec->error && fflush(rec->file))
		rec->error = -errno;
	return rec->error;
}

int recorder_close(struct recorder *rec)
{
	int err = recorder_flush(rec);
	if (fclose(rec->file) && !err)
		err = -errno;
	free(rec);
	return err;
}

// Reading: a chunk's payload is handed on as the events it holds.

static void give_records(const void *payload, uint32_t length, stream_sink_fn *sink, void *ctx)
{
	struct stream_event e = { .kind = STREAM_RECORD };
	for (uint32_t at = 0; at + sizeof(e.record) <= length; at += sizeof(e.record)) {
		memcpy(&e.record, (const char *)payload + at, sizeof(e.record));
		sink(ctx, &e);
	}
}

static void give_names(const void *payload, uint32_t length, stream_sink_fn *sink, void *ctx)
{
	struct stream_event e = { .kind = STREAM_NAME };
	for (uint32_t at = 0; at + sizeof(e.name) <= length; at += sizeof(e.name)) {
		memcpy(&e.name, (const char *)payload + at, sizeof(e.name));
		sink(ctx, &e);
	}
}

static void give_lost(const void *payload, uint32_t length, stream_sink_fn *sink, void *ctx)
{
	struct record_lost lost;
	if (length < sizeof(lost))
		return;
	memcpy(&lost, payload, sizeof(lost));
	struct stream_event e = { .kind = STREAM_LOST,
				  .lost = { .cpu = lost.cpu, .count = lost.count } };
	sink(ctx, &e);
}

static void give_boot(const void *payload, uint32_t length, stream_sink_fn *sink, void *ctx)
{
	struct record_boot b;
	if (length < sizeof(b))
		return;
	memcpy(&b, payload, sizeof(b));
	struct stream_event e = { .kind = STREAM_BOOT, .boot = { .boot_id = b.boot_id,
		.counter_hz = b.counter_hz, .cpus = b.cpus } };
	sink(ctx, &e);
}

static const struct {
	enum record_tag tag;
	void (*give)(const void *, uint32_t, stream_sink_fn *, void *);
} chunk_readers[] = {
	{ RECORD_RECORDS, give_records },
	{ RECORD_NAMES, give_names },
	{ RECORD_LOST, give_lost },
	{ RECORD_BOOT, give_boot },
};

// Hands on one chunk; chunks of tags unknown to this version are skipped.
static void give_chunk(const struct record_chunk *chunk, const void *payload,
		       stream_sink_fn *sink, void *ctx)
{
	for (size_t i = 0; i < sizeof(chunk_readers) / sizeof(chunk_readers[0]); i++)
		if (chunk_readers[i].tag == chunk->tag)
			chunk_readers[i].give(payload, chunk->length, sink, ctx);
}

static int replay_chunks(FILE *file, stream_sink_fn *sink, void *ctx)
{
	struct record_chunk chunk;
	void *payload = NULL;
	int err = 0;
	while (!err && fread(&chunk, sizeof(chunk), 1, file) == 1) {
		void *grown = realloc(payload, chunk.length ? chunk.length : 1);
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		payload = grown;
		if (fread(payload, 1, chunk.length, file) != chunk.length)
			err = -EINVAL;
		else
			give_chunk(&chunk, payload, sink, ctx);
	}
	free(payload);
	return err ? err : ferror(file) ? -EIO : 0;
}

int replay_file(const char *path, stream_sink_fn *sink, void *context)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		return -errno;
	struct record_header h;
	int err = 0;
	if (fread(&h, sizeof(h), 1, file) != 1 || memcmp(h.magic, RECORD_MAGIC, sizeof(h.magic)) ||
	    h.version != RECORD_VERSION)
		err = -EINVAL;
	if (!err && h.counter_hz) {
		struct stream_event e = { .kind = STREAM_BOOT, .boot = { .boot_id = h.boot_id,
			.counter_hz = h.counter_hz, .cpus = h.cpus } };
		sink(context, &e);
	}
	if (!err)
		err = replay_chunks(file, sink, context);
	fclose(file);
	return err;
}
