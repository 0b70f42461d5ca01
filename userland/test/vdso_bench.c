// Instructions per clock_gettime(CLOCK_MONOTONIC) of an unmodified musl program, through
// the vDSO (musl's call) and through the system call (svc, what musl did before the vDSO:
// a sealed call to PM and back), and per clock_gettime(CLOCK_REALTIME) and gettimeofday
// through the vDSO, from CNTVCT under -icount shift=0 (16 instructions per tick). Run as
// init=/bin/vdso_bench (docs/vdso.md, Measured).
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <xinim/runtime.h>

#define CALLS 2000

static void by_vdso(const char *name, clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);	// the first call looks the vDSO's symbol up
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		clock_gettime(clock, &t);
	uint64_t ticks = counter_ticks() - start;
	printf("bench %s %lu instructions (%d calls, %lu ticks)\n", name,
	       (unsigned long)(ticks * 16 / CALLS), CALLS, (unsigned long)ticks);
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
	uint64_t ticks = counter_ticks() - start;
	printf("bench clock_gettime_monotonic_svc %lu instructions (%d calls, %lu ticks)\n",
	       (unsigned long)(ticks * 16 / CALLS), CALLS, (unsigned long)ticks);
	by_vdso("clock_gettime_monotonic_vdso", CLOCK_MONOTONIC);
	by_vdso("clock_gettime_realtime_vdso", CLOCK_REALTIME);
	start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		gettimeofday(&tv, NULL);
	ticks = counter_ticks() - start;
	printf("bench gettimeofday_vdso %lu instructions (%d calls, %lu ticks)\n",
	       (unsigned long)(ticks * 16 / CALLS), CALLS, (unsigned long)ticks);
	return 0;
}
