// The trace line of a decoded record.
#include <inttypes.h>
#include <xinim/msgnames.h>
#include "traceline.h"
#include "tracenames.h"

#define TIME_WIDTH 9	// digits before the point: microseconds up to 1000 s align
#define PEER_WIDTH 16

const char *type_shown(int32_t type, char *out)
{
	const char *name = xinim_message_name(type);
	if (type == TYPE_UNKNOWN)
		snprintf(out, TYPE_SHOWN_MAX, "?");
	else if (name)
		snprintf(out, TYPE_SHOWN_MAX, "%s", name);
	else
		snprintf(out, TYPE_SHOWN_MAX, "%" PRId32, type);
	return out;
}

void write_us(FILE *out, uint64_t ns, int width)
{
	fprintf(out, "%*" PRIu64 ".%03" PRIu64, width, ns / 1000, ns % 1000);
}

// A message: its ends, its type (a reply's call and result), length and verdict.
static void write_message(FILE *out, const struct decoded *d, const struct names *names)
{
	char from[NAME_SHOWN_MAX], to[NAME_SHOWN_MAX], type[TYPE_SHOWN_MAX];
	const struct xinim_trace_record *r = d->record;
	fprintf(out, " %-*s -> %-*s %s", PEER_WIDTH, names_show(names, d->from, from), PEER_WIDTH,
		names_show(names, d->to, to), type_shown(d->type, type));
	if (r->event == XINIM_TRACE_REPLY)
		fprintf(out, "=%" PRId64, d->result);
	else if (r->event == XINIM_TRACE_NOTIFY && r->verdict == XINIM_TRACE_OK)
		fprintf(out, " bits=%#" PRIx64, (uint64_t)r->value);
	fprintf(out, " len=%u %s", r->length, trace_verdict_name(r->verdict));
	if (r->event == XINIM_TRACE_REPLY && d->matched) {
		fputc(' ', out);
		write_us(out, decoded_latency_ns(d), 0);
		fputs(" us", out);
	}
}

void traceline_write(FILE *out, const struct decoded *d, const struct names *names)
{
	char name[NAME_SHOWN_MAX];
	const struct xinim_trace_record *r = d->record;
	write_us(out, d->ns, TIME_WIDTH);
	fprintf(out, " cpu%u %-7s", r->cpu, trace_event_name(r->event));
	if (r->event == XINIM_TRACE_NAME)	// the process as it is called from now on
		fprintf(out, " %s", names_show(names, d->from, name));
	else if (r->event == XINIM_TRACE_RESTART)	// docs/resurrection.md
		fprintf(out, " %s as generation %u", names_show(names, d->from, name),
			xinim_endpoint_generation(r->source));
	else
		write_message(out, d, names);
	fputc('\n', out);
}

void traceline_lost(FILE *out, const struct stream_lost *lost)
{
	// No time: the records are gone, and with them when they were written.
	fprintf(out, "%*s cpu%" PRIu32 " lost    %" PRIu64 "\n", TIME_WIDTH + 4, "-", lost->cpu,
		lost->count);
}
