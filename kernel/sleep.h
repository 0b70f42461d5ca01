#pragma once
// Threads that wait for a time: the base of timeouts.
#include <stdint.h>

// Blocks the running thread until the counter reaches deadline (CNTVCT ticks).
void sleep_until(uint64_t deadline);

// From the timer interrupt: wakes the threads whose deadline has passed.
void sleep_tick(void);
