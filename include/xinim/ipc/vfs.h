#pragma once
// VFS's messages (besides the system calls the kernel delegates to it): PM tells it
// when processes begin and end. Each is a call; the reply's result is 0 or -errno.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>

enum xinim_vfs_msg {
	// A new process: its fd table is a copy of parent's, or for a process without one
	// (init) 0, 1 and 2 open on /dev/console.
	XINIM_VFS_PROC_START = XINIM_MSG_VFS_FIRST,	// struct xinim_vfs_proc
	XINIM_VFS_PROC_END,	// every fd of who is closed
	XINIM_VFS_PROC_EXEC,	// who has made an execve: its close-on-exec fds are closed
	XINIM_VFS_MSG_END
};

struct xinim_vfs_proc {
	xinim_endpoint_t who;
	xinim_endpoint_t parent;	// XINIM_ENDPOINT_NONE for none
};
