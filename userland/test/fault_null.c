// Reads address 0, which no program has mapped.
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("fault_null: reading address 0\n");
	return (int)*(volatile uint64_t *)0;
}
