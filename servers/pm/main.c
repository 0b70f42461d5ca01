// The process manager, PID 3: serves system calls forever; starts init once VFS and
// MM serve (init.c).
#include <xinim/runtime.h>
#include "pm.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("pm: serving as %lu\n", (unsigned long)ipc_self());
	ipc_serve(&pm_table);
}
