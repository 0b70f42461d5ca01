// The process manager, PID 3: starts init, then serves its system calls forever.
#include "../../userland/lib/xinim.h"
#include "pm.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	print("pm: serving as %lu\n", (unsigned long)ipc_self());
	long err = process_self_register();
	if (err)
		print("pm: VFS does not answer (error %ld): no init\n", err);
	else if (ipc_lookup(XINIM_PID_MM) >= 0)
		init_start();	// a boot with the servers, not a test of PM alone
	ipc_serve(&pm_table);
}
