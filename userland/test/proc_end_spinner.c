// The victim of proc_ender: computes forever at EL0, never entering the kernel by a call,
// so that only the way back from an interrupt can end it.
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("proc_end_spinner: spinning\n");
	for (volatile uint64_t x = 1;; x = x * 6364136223846793005UL + 1)
		;
}
