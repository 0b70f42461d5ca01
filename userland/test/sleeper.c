// Sleeps (the kernel blocks it and a timer tick wakes it) while spin programs keep the
// CPUs busy; reports how long each sleep lasted on the counter.
#include <xinim/runtime.h>

#define SLEEPS 4
#define SLEEP_US 30000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (int i = 0; i < SLEEPS; i++) {
		uint64_t start = counter_ticks();
		long result = xinim_kcall(KCALL_DEBUG_SLEEP, SLEEP_US, 0);
		uint64_t us = (counter_ticks() - start) * 1000000 / counter_hz();
		print("sleeper: sleep %d of %d us returned %ld after %lu us\n", i, SLEEP_US, result, us);
	}
	print("sleeper: too long a sleep gives %ld\n", xinim_kcall(KCALL_DEBUG_SLEEP, -1L, 0));
	return 0;
}
