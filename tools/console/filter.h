#pragma once
// Which decoded records trace, stats, record's and replay's lines, and export keep:
// all the filters given must pass (docs/console.md, "Filters").
#include <stdbool.h>
#include "decode.h"

struct filter {
	const char *process;	// a name or PID at either end; NULL: any
	int server;		// the server's PID; -1: any
	const char *type;	// a message type's name or number; NULL: any
	int verdict;		// -1: any
	int cpu;		// -1: any
};

void filter_init(struct filter *filter);

// Takes --process, --server, --type, --verdict or --cpu with its value: 0, -1 if the
// value is bad (the message is printed), 1 if option is no filter.
int filter_option(struct filter *filter, const char *option, const char *value);

bool filter_pass(const struct filter *filter, const struct decoded *d, const struct names *names);
