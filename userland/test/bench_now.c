// Prints the counter since boot in instructions, under -icount shift=0 (16 instructions
// per tick), as the figure argv[1] names: tools/bench.sh runs it from a login shell's
// /etc/profile for boot_to_shell_prompt.
#include <stdio.h>
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_now FIGURE\n");
		return 2;
	}
	printf("bench %s %llu instructions\n", argv[1], (unsigned long long)(counter_ticks() * 16));
	return 0;
}
