// The process manager, PID 3: takes its kept state over (a restart), then serves system
// calls forever; starts init once VFS, MM and RS serve (init.c).
#include <xinim/runtime.h>
#include "pm.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!keep_start_with("pm", pm_state_size(), PM_UNDO_BYTES, PM_STATE_VERSION,
			     pm_state_take))
		return 1;
	klog(LOGLEVEL_INFO, "pm: serving as %lu\n", (unsigned long)ipc_self());
	ipc_serve(&pm_table);
}
