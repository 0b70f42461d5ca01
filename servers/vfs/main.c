// The virtual file system, PID 2: takes its kept state over (a restart) or unpacks the
// boot archive into a fresh tree with the devices, tells PM it serves, then serves
// forever.
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

static long archive_read(uint64_t offset, void *to, size_t n)
{
	size_t done = 0;
	while (done < n) {
		size_t chunk = n - done < XINIM_COPY_MAX ? n - done : XINIM_COPY_MAX;
		long got = xinim_kcall3(KCALL_BOOT_ARCHIVE, (long)(offset + done),
					(long)((char *)to + done), (long)chunk);
		if (got <= 0)
			return done ? (long)done : got;
		done += (size_t)got;
	}
	return (long)done;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	long size = xinim_kcall3(KCALL_BOOT_ARCHIVE, 0, 0, 0);
	if (size < 0)
		klog(LOGLEVEL_ERR, "vfs: no boot archive: error %ld\n", size);
	archive_attach(archive_read, size < 0 ? 0 : (uint64_t)size);
	// The first instance loads the archive into the kept tree; a restarted one takes the
	// tree over, with what programs wrote to it (vfs_state_take).
	if (!keep_start_with("vfs", vfs_state_size(), VFS_UNDO_BYTES, VFS_STATE_VERSION,
			     vfs_state_take))
		return 1;
	console_input();	// what was typed while no VFS ran (its notification was lost)
	klog(LOGLEVEL_INFO, "vfs: serving as %lu\n", (unsigned long)ipc_self());
	ipc_announce(XINIM_PID_PM);
	ipc_serve(&vfs_table);
}
