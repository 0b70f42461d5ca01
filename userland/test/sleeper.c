// Sleeps (the kernel blocks it and a timer tick wakes it) while spin programs keep the
// CPUs busy; reports how long each sleep lasted on the counter.
#include "../lib/xinim.h"

#define SLEEPS 4
#define SLEEP_US 30000

static uint64_t counter(void)
{
	uint64_t value;
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(value));
	return value;
}

static uint64_t frequency(void)
{
	uint64_t value;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(value));
	return value;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (int i = 0; i < SLEEPS; i++) {
		uint64_t start = counter();
		long result = xinim_kcall(KCALL_DEBUG_SLEEP, SLEEP_US, 0);
		uint64_t us = (counter() - start) * 1000000 / frequency();
		print("sleeper: sleep %d of %d us returned %ld after %lu us\n", i, SLEEP_US, result, us);
	}
	print("sleeper: too long a sleep gives %ld\n", xinim_kcall(KCALL_DEBUG_SLEEP, -1L, 0));
	return 0;
}
