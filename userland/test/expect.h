#pragma once
// The check of test programs on the runtime's print (no C library stdio): a kernel call's
// answer against the one wanted, silent when right, else one line "PREFIX what: got,
// not want: WRONG", which tests/boot's scripts refuse. A program defines EXPECT_PREFIX
// ("name: ") before including this.
#include <xinim/runtime.h>

#ifndef EXPECT_PREFIX
#define EXPECT_PREFIX ""
#endif

static unsigned expect_checks, expect_wrong;

static void expect(const char *what, long got, long want)
{
	expect_checks++;
	if (got == want)
		return;
	expect_wrong++;
	print(EXPECT_PREFIX "%s: %ld, not %ld: WRONG\n", what, got, want);
}
