#pragma once
// The check of test programs: one line per check, "PREFIX what: ok" or "... FAILED",
// which tests/boot's scripts match, and a summary line "PREFIX N failures". A program
// defines CHECK_PREFIX ("name: ") before including this when its lines carry its name.
#include <stdio.h>

#ifndef CHECK_PREFIX
#define CHECK_PREFIX ""
#endif

static int failures;

static void check(int ok, const char *what)
{
	printf(CHECK_PREFIX "%s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

// Prints the summary; the program's exit status.
static inline int check_summary(void)
{
	printf(CHECK_PREFIX "%d failures\n", failures);
	return failures ? 1 : 0;
}
