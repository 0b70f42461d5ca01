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

// What the record carries: the type, a reply's call and result, a new name.
static void write_what(FILE *out, const struct decoded *d, const struct names *names)
{
	char shown[NAME_SHOWN_MAX > TYPE_SHOWN_MAX ? NAME_SHOWN_MAX : TYPE_SHOWN_MAX];
	switch (d->record->event) {
	case XINIM_TRACE_REPLY:
		fprintf(out, "%s=%" PRId32, type_shown(d->type, shown), d->result);
		break;
	case XINIM_TRACE_NAME:
		fprintf(out, "%s", names_show(names, d->from, shown));
		break;
	default:
		fprintf(out, "%s", type_shown(d->type, shown));
	}
}

void traceline_write(FILE *out, const struct decoded *d, const struct names *names)
{
	char from[NAME_SHOWN_MAX], to[NAME_SHOWN_MAX];
	const struct xinim_trace_record *r = d->record;
	write_us(out, d->ns, TIME_WIDTH);
	fprintf(out, " cpu%u %-7s %-*s -> %-*s ", r->cpu, trace_event_name(r->event),
		PEER_WIDTH, names_show(names, d->from, from), PEER_WIDTH,
		r->event == XINIM_TRACE_NAME ? "" : names_show(names, d->to, to));
	write_what(out, d, names);
	fprintf(out, " len=%u %s", r->length, trace_verdict_name(r->verdict));
	if (r->event == XINIM_TRACE_REPLY && d->matched) {
		fputc(' ', out);
		write_us(out, d->ns - d->call_ns, 0);
		fputs(" us", out);
	}
	fputc('\n', out);
}
