// The memory manager, PID 4: tells PM it serves, then serves its messages forever.
#include <libipc/keep.h>
#include <xinim/runtime.h>
#include "mm.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (!keep_start_with("mm", mm_state_size(), MM_UNDO_BYTES, MM_STATE_VERSION,
			     mm_state_take))
		return 1;
	store_unmap(0, 0);	// the kernel makes MM's store now, before any program runs
	if (vvar_made())
		return 1;
	klog(LOGLEVEL_INFO, "mm: serving as %lu\n", (unsigned long)ipc_self());
	ipc_announce(XINIM_PID_PM);
	ipc_serve(&mm_table);
}
