// Linked elsewhere (IMAGE_BASE in CMakeLists.txt), it writes where every other program
// has its code and data: that address is unmapped here.
#include <xinim/runtime.h>

#define OTHER_PROGRAMS_IMAGE 0x200000UL

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("fault_other: writing another program's address\n");
	*(volatile uint64_t *)(OTHER_PROGRAMS_IMAGE + 0x1000) = 1;
	return 0;
}
