// CPU-bound work in units; after each unit a line with the CPU it ran on.
// argv[1] names the instance.
#include <xinim/runtime.h>

#define UNITS 12
#define UNIT_ITERATIONS 3000000

int main(int argc, char **argv)
{
	const char *me = argc > 1 ? argv[1] : "?";
	uint64_t sink = 0;
	for (int unit = 0; unit < UNITS; unit++) {
		uint64_t x = (uint64_t)unit + 1;
		for (int i = 0; i < UNIT_ITERATIONS; i++)
			x = x * 6364136223846793005UL + 1442695040888963407UL;
		sink += x;
		print("spin %s: unit %d on cpu %ld\n", me, unit, debug_cpu());
	}
	print("spin %s: done (%lx)\n", me, sink);
	return 0;
}
