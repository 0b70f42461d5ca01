// Two instances on one CPU yield to each other: every yield switches between two
// processes (address spaces, FP/SIMD state and all). Instructions per switch, yield call
// included, from CNTVCT under -icount shift=0 (16 instructions per tick).
#include "../lib/xinim.h"

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
	print("bench switch %s: %lu instructions per switch (%d yields, %lu ticks)\n", me,
	      ticks * 16 / (2 * YIELDS), YIELDS, ticks);
	return 0;
}
