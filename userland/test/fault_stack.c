// Misaligns its stack pointer, uses it, and makes a call with it. Hardware (with
// SCTLR_EL1.SA0) faults at the load; QEMU does not check, and the kernel stops the
// program at the call instead.
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("fault_stack: using a misaligned sp\n");
	register long number __asm__("x8") = KCALL_DEBUG_CPU;
	__asm__ volatile("sub sp, sp, #4\n\t"
			 "ldr x0, [sp]\n\t"
			 "svc #1\n\t"
			 "add sp, sp, #4"
			 : : "r"(number) : "x0", "memory");
	print("fault_stack: still running\n");
	return 0;
}
