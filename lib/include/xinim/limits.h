#pragma once
// Limits the kernel and the servers must agree on: the kernel's process table
// (kernel/proc.h), the per-process tables of PM, MM and VFS, and the initial stack
// (<xinim/initstack.h>).
#define XINIM_PROCS_MAX 1024	// every PID is below this
#define XINIM_PAGE_SIZE 4096
#define XINIM_USER_HZ 100	// clock ticks a second, as times() and AT_CLKTCK count (Linux's USER_HZ)
