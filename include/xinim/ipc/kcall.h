#pragma once
// Kernel calls: `svc #1` with x8 = the call's number and arguments in x0..x5; the result
// comes back in x0 (a negative errno on failure). Linux system calls use `svc #0` and
// never reach this table. Each call needs a capability class (kernel/kcall.c).
#define XINIM_SVC_LINUX 0
#define XINIM_SVC_KCALL 1

enum kcall {
	// Temporary debug calls, for test programs before the servers exist; only programs
	// the boot table marks may make them.
	KCALL_DEBUG_WRITE = 1,	// (const char *text, size_t length) -> length; to the console
	KCALL_DEBUG_EXIT = 2,	// (int status): ends the calling process
	KCALL_DEBUG_CPU = 3,	// () -> the CPU the caller runs on
	KCALL_DEBUG_YIELD = 4,	// () -> 0: gives up the rest of the time slice
	KCALL_DEBUG_SLEEP = 5,	// (unsigned long microseconds) -> 0: blocks at least that long
	KCALL_COUNT
};
