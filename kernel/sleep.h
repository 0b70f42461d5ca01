#pragma once
// Threads that wait for a time: sleeping, and the timeouts of IPC.
#include <stdbool.h>
#include <stdint.h>

struct thread;

struct sleeper {
	struct thread *thread;
	uint64_t deadline;	// CNTVCT ticks
	struct sleeper *next;
	bool armed;		// on the list, not yet woken by the tick
};

// Blocks the running thread until the counter reaches deadline (CNTVCT ticks).
void sleep_until(uint64_t deadline);

// A deadline for the running thread, which must have called sched_block_prepare (so
// that a tick on another CPU cannot wake it before it blocks): the tick wakes it once
// the deadline passes. s lives on the thread's stack until sleep_cancel.
void sleep_arm(struct sleeper *s, uint64_t deadline);

// Takes s off the list if the tick has not; afterwards the tick will not wake the thread.
void sleep_cancel(struct sleeper *s);

// Microseconds from now as a deadline in CNTVCT ticks (UINT64_MAX stays "never").
uint64_t sleep_deadline(uint64_t microseconds);

// From the timer interrupt: wakes the threads whose deadline has passed.
void sleep_tick(void);
