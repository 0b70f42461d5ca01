// The smallest program: prints its arguments and the CPU it runs on.
#include <xinim/runtime.h>

int main(int argc, char **argv)
{
	print("hello from %s on cpu %ld, argc %d\n", argv[0], debug_cpu(), argc);
	for (int i = 1; i < argc; i++)
		print("  argv[%d] = %s\n", i, argv[i]);
	return 0;
}
