#pragma once
// Limits the kernel and the servers must agree on: the kernel's process table
// (kernel/proc.h), the per-process tables of PM, MM and VFS, and the initial stack
// (<xinim/initstack.h>), and Linux's bounds on the buffers of system calls.
#include <stdbool.h>
#include <stdint.h>

#define XINIM_PROCS_MAX 1024	// every PID is below this
#define XINIM_PAGE_SIZE 4096
#define XINIM_USER_HZ 100	// clock ticks a second, as times() and AT_CLKTCK count (Linux's USER_HZ)

// One read, write (or their vector forms) or getrandom moves at most this many bytes, as
// on Linux (MAX_RW_COUNT: INT_MAX rounded down to a page).
#define XINIM_MAX_RW_COUNT (UINT64_C(0x7fffffff) & ~(uint64_t)(XINIM_PAGE_SIZE - 1))
// Linux arm64's access_ok: a buffer must end at or below TASK_SIZE_MAX (48-bit user
// addresses), checked before anything moves (-EFAULT), even where nothing is read.
#define XINIM_TASK_SIZE_MAX (UINT64_C(1) << 48)
static inline bool xinim_access_ok(uint64_t buffer, uint64_t n)
{
	return n <= XINIM_TASK_SIZE_MAX && buffer <= XINIM_TASK_SIZE_MAX - n;
}
