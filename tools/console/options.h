#pragma once
// The command line after the subcommand: one table of options for all subcommands,
// each of which uses those it needs (docs/console.md, "Commands").
#include <stdbool.h>
#include <sys/types.h>
#include "filter.h"

#define OPERANDS_MAX 3

struct options {
	const char *ram;	// --ram FILE
	pid_t pid;		// --pid PID; 0: find QEMU
	double duration;	// --duration S; 0: no limit
	bool until_exit;	// --until-exit
	bool from_now;		// --from-now
	bool once;		// --once: what the rings hold now, then stop
	bool quiet;		// -q
	bool restart;		// --restart
	bool stats;		// --stats
	const char *from;	// --from REC
	const char *trace_to;	// --trace-to FILE
	const char *record_to;	// --record FILE
	const char *top;	// --top DIR
	const char *until;	// --until REGEX: run stops QEMU once a UART line matches
	struct filter filter;
	const char *operands[OPERANDS_MAX];
	int operand_count;
	char **rest;		// after "--": boot/run.sh's arguments
	int rest_count;
};

// 0, or -1 with the reason printed.
int options_parse(struct options *o, int argc, char **argv);
