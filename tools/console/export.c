// The Chrome trace-event exporter: events are written as they come, the metadata naming
// a track the first time it is used (again when a process gets a new name).
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "export.h"
#include "traceline.h"
#include "tracenames.h"

struct exporter {
	FILE *out;
	bool first;				// no event written yet: no comma before it
	char (*track_names)[NAME_SHOWN_MAX];	// the name each PID's track was given
	bool cpu_named[XINIM_TRACE_CPUS_MAX];
};

void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)	// bytes, not UTF-8: as Latin-1
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

struct exporter *exporter_create(FILE *out)
{
	struct exporter *x = calloc(1, sizeof(*x));
	if (x)
		x->track_names = calloc(XINIM_PID_MASK + 1, sizeof(*x->track_names));
	if (!x || !x->track_names) {
		free(x);
		return NULL;
	}
	x->out = out;
	x->first = true;
	fputs("{\"traceEvents\":[\n", out);
	return x;
}

// Starts an event: the comma before all but the first, then its common fields.
static void begin(struct exporter *x, const char *phase, unsigned pid, unsigned tid,
		  uint64_t ns)
{
	fputs(x->first ? "" : ",\n", x->out);
	x->first = false;
	fprintf(x->out, "{\"ph\":\"%s\",\"pid\":%u,\"tid\":%u,\"ts\":%" PRIu64 ".%03" PRIu64,
		phase, pid, tid, ns / 1000, ns % 1000);
}

static void name_track(struct exporter *x, unsigned pid, const char *name)
{
	begin(x, "M", pid, 0, 0);
	fputs(",\"name\":\"process_name\",\"args\":{\"name\":", x->out);
	json_string(x->out, name);
	fputs("}}", x->out);
}

static unsigned process_track(struct exporter *x, xinim_endpoint_t endpoint,
			      const struct names *names)
{
	unsigned pid = xinim_endpoint_pid(endpoint);
	char shown[NAME_SHOWN_MAX];
	names_show(names, endpoint, shown);
	if (strcmp(x->track_names[pid], shown)) {
		memcpy(x->track_names[pid], shown, sizeof(shown));
		name_track(x, pid, shown);
	}
	return pid;
}

static unsigned cpu_track(struct exporter *x, unsigned cpu)
{
	if (cpu < XINIM_TRACE_CPUS_MAX && !x->cpu_named[cpu]) {
		char name[16];
		snprintf(name, sizeof(name), "CPU %u", cpu);
		x->cpu_named[cpu] = true;
		name_track(x, EXPORT_CPU_PID + cpu, name);
	}
	return EXPORT_CPU_PID + cpu;
}

static void slice(struct exporter *x, unsigned pid, uint64_t from_ns, uint64_t to_ns,
		  const char *name, int64_t result)
{
	begin(x, "X", pid, pid, from_ns);
	uint64_t dur = to_ns - from_ns;
	fprintf(x->out, ",\"dur\":%" PRIu64 ".%03" PRIu64 ",\"name\":", dur / 1000, dur % 1000);
	json_string(x->out, name);
	fprintf(x->out, ",\"args\":{\"result\":%" PRId64 "}}", result);
}

static void flow(struct exporter *x, const char *phase, unsigned pid, uint64_t ns,
		 uint64_t message_id)
{
	begin(x, phase, pid, pid, ns);
	fprintf(x->out, ",\"name\":\"call\",\"cat\":\"ipc\",\"id\":\"0x%" PRIx64 "\"%s}",
		message_id, *phase == 'f' ? ",\"bp\":\"e\"" : "");
}

// A matched reply completes its call: the caller's slice, the server's, and the flow.
static void call_slices(struct exporter *x, const struct decoded *d, const struct names *names)
{
	char type[TYPE_SHOWN_MAX];
	type_shown(d->type, type);
	unsigned caller = process_track(x, d->to, names), server = process_track(x, d->from, names);
	slice(x, caller, d->call_ns, d->ns, type, d->result);
	if (!d->received)
		return;
	slice(x, server, d->receive_ns, d->ns, type, d->result);
	flow(x, "s", caller, d->call_ns, d->record->message_id);
	flow(x, "f", server, d->receive_ns, d->record->message_id);
}

static void instant(struct exporter *x, const struct decoded *d, const struct names *names)
{
	char type[TYPE_SHOWN_MAX], from[NAME_SHOWN_MAX], to[NAME_SHOWN_MAX];
	const struct xinim_trace_record *r = d->record;
	begin(x, "i", cpu_track(x, r->cpu), 0, d->ns);
	fputs(",\"s\":\"t\",\"name\":", x->out);
	bool message = r->event != XINIM_TRACE_NAME && r->event != XINIM_TRACE_RESTART;
	json_string(x->out, message ? type_shown(d->type, type) : trace_event_name(r->event));
	fprintf(x->out, ",\"args\":{\"event\":\"%s\",\"verdict\":\"%s\",\"from\":",
		trace_event_name(r->event), trace_verdict_name(r->verdict));
	json_string(x->out, names_show(names, d->from, from));
	fputs(",\"to\":", x->out);
	json_string(x->out, names_show(names, d->to, to));
	fputs("}}", x->out);
}

void exporter_take(struct exporter *x, const struct decoded *d, const struct names *names)
{
	instant(x, d, names);
	if (d->record->event == XINIM_TRACE_REPLY && d->matched)
		call_slices(x, d, names);
	else if (d->record->event == XINIM_TRACE_NAME)
		process_track(x, d->from, names);
}

int exporter_finish(struct exporter *x)
{
	fputs("\n],\"displayTimeUnit\":\"ns\"}\n", x->out);
	int err = fflush(x->out) || ferror(x->out) ? -EIO : 0;
	free(x->track_names);
	free(x);
	return err;
}
