// What the benchmark programs (bench_*.c) share: their one output line, which
// tools/bench.sh and tools/bench_linux.sh read, the average of a loop in instructions
// from CNTVCT under qemu -icount shift=0 (16 instructions per tick). The same static
// binaries run on XINIM and on Linux. Include it after defining _GNU_SOURCE
// (sched_setaffinity).
#pragma once
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
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

// Instructions retired so far by every CPU, counted by the PMU (instructions_retired
// differences, within 2^32): under qemu -icount QEMU's own instruction count, which the
// clock's jumps over idle time do not enter. On Linux a system-wide perf event on CPU 0
// reads it (root); on XINIM, which has no perf_event_open, PMEVCNTR0_EL0, which the kernel
// lets user code read with pmu.user=on (kernel/arch/aarch64/pmu.c).
static inline uint32_t instructions_retired(void)
{
	// <linux/perf_event.h>'s attributes as first published (PERF_ATTR_SIZE_VER0), which
	// musl's headers do not have: type PERF_TYPE_HARDWARE (0), config
	// PERF_COUNT_HW_INSTRUCTIONS (1), flags 0 (counting from the start, kernel included).
	struct { uint32_t type, size; uint64_t config, fields[4]; uint32_t wakeup, bp; uint64_t config1; }
		attr = { .size = sizeof(attr), .config = 1 };
	static int perf = -2;
	if (perf == -2)
		perf = syscall(SYS_perf_event_open, &attr, -1, 0, -1, 0);
	if (perf >= 0) {
		uint64_t count = 0;
		return read(perf, &count, sizeof(count)) == sizeof(count) ? (uint32_t)count : 0;
	}
	uint64_t count;
	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(count));
	return (uint32_t)count;
}
