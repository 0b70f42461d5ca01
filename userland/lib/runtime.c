// The C entry of a freestanding program (crt0.S): main's return value is its exit status.
#include <xinim/runtime.h>

void start_c(uint64_t *sp);

void start_c(uint64_t *sp)
{
	int argc = (int)sp[0];
	debug_exit(main(argc, (char **)(sp + 1)));
}
