// The memory manager, PID 4: tells PM it serves, then serves its messages forever.
#include <libipc/keep.h>
#include <xinim/runtime.h>
#include "mm.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	enum keep_start start;
	void *state = keep_open(mm_state_size(), MM_UNDO_BYTES, MM_STATE_VERSION, &start);
	if (!state) {
		print("mm: no kept memory: MM cannot keep its state; stopping\n");
		return 1;
	}
	mm_state_take(state, start);
	print("mm: serving as %lu\n", (unsigned long)ipc_self());
	ipc_announce(XINIM_PID_PM);
	ipc_serve(&mm_table);
}
