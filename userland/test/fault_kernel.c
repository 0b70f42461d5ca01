// Reads the kernel's first page (its text at its linear-map address).
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("fault_kernel: reading kernel memory\n");
	return (int)*(volatile uint64_t *)0xffff000040080000UL;
}
