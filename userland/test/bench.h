// What the benchmark programs (bench_*.c) share: their one output line, which
// tools/bench.sh and tools/bench_linux.sh read, the average of a loop in instructions
// from CNTVCT under qemu -icount shift=0 (16 instructions per tick). The same static
// binaries run on XINIM and on Linux. Include it after defining _GNU_SOURCE
// (sched_setaffinity).
#pragma once
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <xinim/runtime.h>

#define INSTRUCTIONS_PER_TICK 16

// "bench NAME N instructions (ROUNDS rounds, TICKS ticks)": TICKS counted over ROUNDS.
static inline void bench_report(const char *name, uint64_t ticks, int rounds)
{
	printf("bench %s %llu instructions (%d rounds, %llu ticks)\n", name,
	       (unsigned long long)(ticks * INSTRUCTIONS_PER_TICK / (uint64_t)rounds), rounds,
	       (unsigned long long)ticks);
}

// The calling thread, and what it creates from now on, on CPU cpu alone; with NOPIN set
// in the environment, wherever the system puts them.
static inline void bench_pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (getenv("NOPIN") == NULL)
		sched_setaffinity(0, sizeof(set), &set);
}
