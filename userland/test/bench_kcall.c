// Instructions per EL0 -> EL1 -> EL0 round trip of a debug kernel call, from CNTVCT under
// -icount shift=0 (16 instructions per tick; boot/run.sh --icount).
#include <xinim/runtime.h>

#define CALLS 20000

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		debug_cpu();
	uint64_t ticks = counter_ticks() - start;
	print("bench kcall_roundtrip %lu instructions (%d calls, %lu ticks)\n",
	      ticks * 16 / CALLS, CALLS, ticks);
	return 0;
}
