// Filters over decoded records, one table row per option.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filter.h"
#include "traceline.h"
#include "tracenames.h"

void filter_init(struct filter *filter)
{
	*filter = (struct filter){ .server = -1, .verdict = -1, .cpu = -1 };
}

static int take_process(struct filter *f, const char *value)
{
	f->process = value;
	return 0;
}

static int take_server(struct filter *f, const char *value)
{
	f->server = names_server_pid(value);
	return f->server < 0 ? -1 : 0;
}

static int take_type(struct filter *f, const char *value)
{
	f->type = value;
	return 0;
}

static int take_verdict(struct filter *f, const char *value)
{
	f->verdict = trace_verdict_parse(value);
	if (f->verdict < 0 && !strcmp(value, "no caller"))
		f->verdict = XINIM_TRACE_NO_CALLER;
	return f->verdict < 0 ? -1 : 0;
}

static int take_cpu(struct filter *f, const char *value)
{
	char *end;
	long cpu = strtol(value, &end, 10);
	f->cpu = *value && !*end && cpu >= 0 && cpu < XINIM_TRACE_CPUS_MAX ? (int)cpu : -1;
	return f->cpu < 0 ? -1 : 0;
}

static const struct {
	const char *option;
	int (*take)(struct filter *, const char *);
	const char *expects;
} filter_options[] = {
	{ "--process", take_process, "a process name or PID" },
	{ "--server", take_server, "vfs, pm, mm, net, rs, kernel or a PID" },
	{ "--type", take_type, "a message type name or number" },
	{ "--verdict", take_verdict, "ok, denied, dead, invalid, fault, timeout, no-caller, "
				     "bad-tag, replay or full" },
	{ "--cpu", take_cpu, "a CPU number" },
};

int filter_option(struct filter *filter, const char *option, const char *value)
{
	for (size_t i = 0; i < sizeof(filter_options) / sizeof(filter_options[0]); i++) {
		if (strcmp(filter_options[i].option, option))
			continue;
		if (value && !filter_options[i].take(filter, value))
			return 0;
		fprintf(stderr, "xinim-console: %s expects %s\n", option,
			filter_options[i].expects);
		return -1;
	}
	return 1;
}

static bool type_matches(int32_t type, const char *query)
{
	char shown[TYPE_SHOWN_MAX], number[TYPE_SHOWN_MAX];
	snprintf(number, sizeof(number), "%d", type);
	return type != TYPE_UNKNOWN &&
	       (!strcmp(type_shown(type, shown), query) || !strcmp(number, query));
}

bool filter_pass(const struct filter *filter, const struct decoded *d, const struct names *names)
{
	const struct xinim_trace_record *r = d->record;
	if (filter->cpu >= 0 && r->cpu != filter->cpu)
		return false;
	if (filter->verdict >= 0 && r->verdict != filter->verdict)
		return false;
	if (filter->server >= 0 && (r->event == XINIM_TRACE_NAME ||
				    xinim_endpoint_pid(decoded_server(d)) != (unsigned)filter->server))
		return false;
	if (filter->type && !type_matches(d->type, filter->type))
		return false;
	return !filter->process || names_match(names, d->from, filter->process) ||
	       (r->event != XINIM_TRACE_NAME && names_match(names, d->to, filter->process));
}
