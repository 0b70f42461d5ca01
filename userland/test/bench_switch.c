// Two instances on one CPU (boot with one) yield to each other: every yield switches between two
// processes (address spaces, FP/SIMD state and all). Instructions per switch, yield call
// included, from CNTVCT under -icount shift=0 (16 instructions per tick).
#include <xinim/runtime.h>

#define YIELDS 10000

int main(int argc, char **argv)
{
	const char *me = argc > 1 ? argv[1] : "?";
	debug_yield();	// start together
	uint64_t start = counter_ticks();
	for (int i = 0; i < YIELDS; i++)
		debug_yield();
	uint64_t ticks = counter_ticks() - start;
	// Each of this instance's yields is followed by one of the other's: 2 switches.
	if (me[0] == '0')
		print("bench process_switch %lu instructions per switch, yield included (%d "
		      "yields, %lu ticks)\n", ticks * 16 / (2 * YIELDS), YIELDS, ticks);
	return 0;
}
