// Instructions per clock_gettime(CLOCK_MONOTONIC) through musl (bench.h), which takes
// the system's vDSO where there is one (AT_SYSINFO_EHDR: Linux's) and makes the system
// call where there is none.
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>
#include "bench.h"

#define CALLS 2000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct timespec now, before;
	if (clock_gettime(CLOCK_MONOTONIC, &before)) {	// the first: musl looks for the vDSO
		perror("clock_gettime");
		return 1;
	}
	int backwards = 0;
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS; i++) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		backwards += now.tv_sec < before.tv_sec ||
			     (now.tv_sec == before.tv_sec && now.tv_nsec < before.tv_nsec);
		before = now;
	}
	uint64_t ticks = counter_ticks() - start;
	if (backwards) {
		printf("bench_clock: CLOCK_MONOTONIC went back %d times\n", backwards);
		return 1;
	}
	bench_report("clock_gettime", ticks, CALLS);
	return 0;
}
