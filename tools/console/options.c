// Option parsing: a row per option, by the kind of value it takes.
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"

enum option_kind { OPTION_FLAG, OPTION_STRING, OPTION_SECONDS, OPTION_PID };

static const struct {
	const char *name;
	enum option_kind kind;
	size_t field;		// offset in struct options
} option_table[] = {
	{ "--ram", OPTION_STRING, offsetof(struct options, ram) },
	{ "--pid", OPTION_PID, offsetof(struct options, pid) },
	{ "--duration", OPTION_SECONDS, offsetof(struct options, duration) },
	{ "--until-exit", OPTION_FLAG, offsetof(struct options, until_exit) },
	{ "--from-now", OPTION_FLAG, offsetof(struct options, from_now) },
	{ "--once", OPTION_FLAG, offsetof(struct options, once) },
	{ "-q", OPTION_FLAG, offsetof(struct options, quiet) },
	{ "--restart", OPTION_FLAG, offsetof(struct options, restart) },
	{ "--stats", OPTION_FLAG, offsetof(struct options, stats) },
	{ "--from", OPTION_STRING, offsetof(struct options, from) },
	{ "--trace-to", OPTION_STRING, offsetof(struct options, trace_to) },
	{ "--record", OPTION_STRING, offsetof(struct options, record_to) },
	{ "--top", OPTION_STRING, offsetof(struct options, top) },
	{ "--until", OPTION_STRING, offsetof(struct options, until) },
};

// Stores value (NULL for a flag) in the field at; false if it is no valid value.
static bool store(struct options *o, enum option_kind kind, size_t at, const char *value)
{
	char *field = (char *)o + at, *end;
	switch (kind) {
	case OPTION_FLAG:
		*(bool *)field = true;
		return true;
	case OPTION_STRING:
		*(const char **)field = value;
		return true;
	case OPTION_SECONDS:
		*(double *)field = strtod(value, &end);
		return *value && !*end && *(double *)field >= 0;
	case OPTION_PID:
		*(pid_t *)field = (pid_t)strtol(value, &end, 10);
		return *value && !*end && *(pid_t *)field > 0;
	}
	return false;
}

// Takes argv[*i] as a table option; 1 if it is none, 0 done, -1 bad.
static int table_option(struct options *o, int argc, char **argv, int *i)
{
	for (size_t k = 0; k < sizeof(option_table) / sizeof(option_table[0]); k++) {
		if (strcmp(option_table[k].name, argv[*i]))
			continue;
		const char *value = NULL;
		if (option_table[k].kind != OPTION_FLAG) {
			if (*i + 1 >= argc) {
				fprintf(stderr, "xinim-console: %s needs a value\n", argv[*i]);
				return -1;
			}
			value = argv[++*i];
		}
		if (store(o, option_table[k].kind, option_table[k].field, value))
			return 0;
		fprintf(stderr, "xinim-console: bad value for %s: %s\n", argv[*i - 1], value);
		return -1;
	}
	return 1;
}

int options_parse(struct options *o, int argc, char **argv)
{
	*o = (struct options){ 0 };
	filter_init(&o->filter);
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			o->rest = argv + i + 1;
			o->rest_count = argc - i - 1;
			return 0;
		}
		int taken = filter_option(&o->filter, argv[i], i + 1 < argc ? argv[i + 1] : NULL);
		if (!taken) {
			i++;
			continue;
		}
		if (taken < 0)
			return -1;
		taken = table_option(o, argc, argv, &i);
		if (taken < 0)
			return -1;
		if (!taken)
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "xinim-console: unknown option %s\n", argv[i]);
			return -1;
		}
		if (o->operand_count == OPERANDS_MAX) {
			fprintf(stderr, "xinim-console: too many operands (%s)\n", argv[i]);
			return -1;
		}
		o->operands[o->operand_count++] = argv[i];
	}
	return 0;
}
