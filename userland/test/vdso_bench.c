// Instructions per clock_gettime(CLOCK_MONOTONIC) of an unmodified musl program, through
// the vDSO (musl's call) and through the system call (svc, what musl did before the vDSO:
// a sealed call to PM and back), and per clock_gettime(CLOCK_REALTIME) and gettimeofday
// through the vDSO, from CNTVCT under -icount shift=0 (16 instructions per tick). Run as
// init=/bin/vdso_bench (docs/vdso.md, Measured).
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

#define CALLS 2000

static void by_vdso(const char *name, clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);	// the first call looks the vDSO's symbol up
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		clock_gettime(clock, &t);
	bench_report(name, counter_ticks() - start, CALLS);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct timespec t;
	struct timeval tv;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);	// the first call fetches PM's keys
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
	bench_report("clock_gettime_monotonic_svc", counter_ticks() - start, CALLS);
	by_vdso("clock_gettime_monotonic_vdso", CLOCK_MONOTONIC);
	by_vdso("clock_gettime_realtime_vdso", CLOCK_REALTIME);
	start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		gettimeofday(&tv, NULL);
	bench_report("gettimeofday_vdso", counter_ticks() - start, CALLS);
	return 0;
}
