// The process manager, PID 3: takes its kept state over (a restart), then serves system
// calls forever; starts init once VFS, MM and RS serve (init.c).
#include <xinim/runtime.h>
#include "pm.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	enum keep_start start;
	void *state = keep_open(pm_state_size(), PM_UNDO_BYTES, PM_STATE_VERSION, &start);
	if (!state) {
		print("pm: no kept memory: PM cannot keep its state; stopping\n");
		return 1;
	}
	pm_state_take(state, start);
	if (start == KEEP_INHERITED)
		init_gone_check();	// init may have gone while no PM was there to hear it
	print("pm: serving as %lu\n", (unsigned long)ipc_self());
	ipc_serve(&pm_table);
}
