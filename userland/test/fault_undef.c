// Executes a permanently undefined instruction.
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("fault_undef: executing udf #0\n");
	__asm__ volatile("udf #0");
	return 0;
}
