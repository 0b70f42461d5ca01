// PM's messages: a process begins (its fd table) or ends (its fds are closed).
#include <errno.h>
#include <string.h>
#include "vfs.h"

static bool from_pm(const struct ipc_request *request, struct xinim_vfs_proc *proc)
{
	memcpy(proc, request->msg.payload, sizeof(*proc));
	return xinim_endpoint_pid(request->msg.header.source) == XINIM_PID_PM;
}

long vfs_proc_start(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_proc proc;
	return from_pm(request, &proc) ? fd_table_start(proc.who, proc.parent) : -EPERM;
}

long vfs_proc_end(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_proc proc;
	if (!from_pm(request, &proc))
		return -EPERM;
	transfer_forget(proc.who);
	fd_table_end(proc.who);
	return 0;
}

long vfs_proc_exec(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_proc proc;
	if (!from_pm(request, &proc))
		return -EPERM;
	fd_table_exec(proc.who);
	return 0;
}
