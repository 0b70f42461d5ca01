// Record decoding and call/receive/reply matching.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"

#define CALL_SLOTS (1u << 16)	// calls awaiting a reply that can be matched at once

int decoder_init(struct decoder *decoder)
{
	*decoder = (struct decoder){ 0 };
	decoder->calls = calloc(CALL_SLOTS, sizeof(*decoder->calls));
	if (!decoder->calls || names_init(&decoder->names)) {
		decoder_free(decoder);
		return -ENOMEM;
	}
	return 0;
}

void decoder_free(struct decoder *decoder)
{
	free(decoder->calls);
	names_free(&decoder->names);
	*decoder = (struct decoder){ 0 };
}

void decoder_boot(struct decoder *decoder, const struct stream_boot *boot)
{
	decoder->counter_hz = boot->counter_hz;
	decoder->cpus = boot->cpus;
	names_forget(&decoder->names);
	memset(decoder->calls, 0, CALL_SLOTS * sizeof(*decoder->calls));
}

uint64_t decoder_ns(const struct decoder *decoder, uint64_t ticks)
{
	if (!decoder->counter_hz)
		return 0;
	return (uint64_t)((unsigned __int128)ticks * 1000000000u / decoder->counter_hz);
}

// Ids are a CPU number over a per-CPU count (kernel/trace.c): mixed so that both spread.
static struct pending_call *slot_of(const struct decoder *decoder, uint64_t message_id)
{
	uint64_t h = message_id * 0x9e3779b97f4a7c15ull;
	return &decoder->calls[(h >> 32) & (CALL_SLOTS - 1)];
}

static struct pending_call *pending(const struct decoder *decoder, uint64_t message_id)
{
	struct pending_call *c = slot_of(decoder, message_id);
	return message_id && c->message_id == message_id ? c : NULL;
}

static void note_call(struct decoder *decoder, const struct xinim_trace_record *r,
		      struct decoded *d)
{
	(void)d;
	if (!r->message_id)
		return;
	struct pending_call *c = slot_of(decoder, r->message_id);
	if (r->verdict != XINIM_TRACE_OK) {	// a timeout ends the wait
		if (c->message_id == r->message_id)
			c->message_id = 0;
		return;
	}
	*c = (struct pending_call){ .message_id = r->message_id, .call_ticks = r->timestamp,
				    .caller = r->source, .server = r->dest, .type = r->type };
}

static void note_receive(struct decoder *decoder, const struct xinim_trace_record *r,
			 struct decoded *d)
{
	struct pending_call *c = pending(decoder, r->message_id);
	if (!c)
		return;
	c->received = true;
	c->receive_ticks = r->timestamp;
	d->from = c->caller;	// not the kernel, that called for it
	d->matched = true;
}

static void note_reply(struct decoder *decoder, const struct xinim_trace_record *r,
		       struct decoded *d)
{
	struct pending_call *c = pending(decoder, r->message_id);
	// A server's own messages answer in the type; a system call's answer is in the
	// payload, which the kernel puts in value (a reply of type 0).
	d->result = r->type ? r->type : r->value;
	d->type = TYPE_UNKNOWN;
	if (!c)
		return;
	d->to = c->caller;
	d->type = c->type;
	d->matched = true;
	d->received = c->received;
	d->call_ns = decoder_ns(decoder, c->call_ticks);
	d->receive_ns = c->received ? decoder_ns(decoder, c->receive_ticks) : 0;
	c->message_id = 0;
}

static void note_name(struct decoder *decoder, const struct xinim_trace_record *r,
		      struct decoded *d)
{
	names_set(&decoder->names, r->source, r->name);
	d->type = TYPE_UNKNOWN;
}

// What each event adds to the decoder's state and to its decoding; the rest are shown
// as they are.
static void (*const event_notes[XINIM_TRACE_EVENTS])(struct decoder *,
						      const struct xinim_trace_record *,
						      struct decoded *) = {
	[XINIM_TRACE_CALL] = note_call,
	[XINIM_TRACE_RECEIVE] = note_receive,
	[XINIM_TRACE_REPLY] = note_reply,
	[XINIM_TRACE_NAME] = note_name,
};

void decoder_take(struct decoder *decoder, const struct xinim_trace_record *record,
		  struct decoded *out)
{
	*out = (struct decoded){ .record = record, .ns = decoder_ns(decoder, record->timestamp),
				 .from = record->source, .to = record->dest,
				 .type = record->type };
	if (record->event < XINIM_TRACE_EVENTS && event_notes[record->event])
		event_notes[record->event](decoder, record, out);
}

xinim_endpoint_t decoded_server(const struct decoded *d)
{
	return d->record->event == XINIM_TRACE_REPLY ? d->from : d->to;
}

uint64_t decoded_latency_ns(const struct decoded *d)
{
	return d->ns > d->call_ns ? d->ns - d->call_ns : 0;
}
