// The memory manager, PID 4: tells PM it serves, then serves its messages forever.
#include <xinim/runtime.h>
#include "mm.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("mm: serving as %lu\n", (unsigned long)ipc_self());
	ipc_announce(XINIM_PID_PM);
	ipc_serve(&mm_table);
}
