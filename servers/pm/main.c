// The process manager, PID 3: serves its system calls forever.
#include "../../userland/lib/xinim.h"
#include "pm.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("pm: serving as %lu\n", (unsigned long)ipc_self());
	ipc_serve(&pm_table);
}
