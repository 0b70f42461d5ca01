// PM's messages: a process begins (its fd table), makes an execve (its close-on-exec fds
// are closed) or ends (its fds are closed).
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "vfs.h"

bool pm_sent(const struct ipc_request *request, void *payload, size_t size)
{
	memcpy(payload, request->msg.payload, size);
	return xinim_endpoint_pid(request->msg.header.source) == XINIM_PID_PM;
}

static bool from_pm(const struct ipc_request *request, struct xinim_vfs_proc *proc)
{
	return pm_sent(request, proc, sizeof(*proc));
}

// done to the process the message names, if PM sent it.
static long told_by_pm(const struct ipc_request *request, void (*done)(xinim_endpoint_t who))
{
	struct xinim_vfs_proc proc;
	if (!from_pm(request, &proc))
		return -EPERM;
	done(proc.who);
	return 0;
}

long vfs_proc_start(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_proc proc;
	if (!from_pm(request, &proc))
		return -EPERM;
	int err = fd_table_start(proc.who, proc.parent);
	if (!err && proc.program)
		fd_table_program(proc.who, request->msg.header.source, proc.program - 1);
	return err;
}

static void gone(xinim_endpoint_t who)
{
	transfer_forget(who);
	wait_forget(who);
	tty_process_end(vfs_console(), who);
	fd_table_end(who);
}

long vfs_proc_end(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return told_by_pm(request, gone);
}

long vfs_proc_exec(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_proc proc;
	if (!from_pm(request, &proc))
		return -EPERM;
	fd_table_exec(proc.who);
	if (proc.program)
		fd_table_program(proc.who, request->msg.header.source, proc.program - 1);
	return 0;
}

// A copy of who's fd in PM's own table, close-on-exec, or for AT_FDCWD an O_PATH fd of
// who's working directory (execve and execveat: PM opens the program, or its path, from
// there): PM's fd, or -EBADF, -EMFILE.
long vfs_fd_lend(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_lend lend;
	if (!pm_sent(request, &lend, sizeof(lend)))
		return -EPERM;
	xinim_endpoint_t pm = request->msg.header.source;
	if ((int32_t)lend.fd != AT_FDCWD)
		return fd_dup_into(lend.who, lend.fd, pm, 0, true);
	struct node *cwd = cwd_of(lend.who);
	return fd_open(pm, cwd ? cwd : ramfs_root(), O_PATH, true);
}

// PM's word on who's credentials and fd limit; the groups are copied from PM, which is
// blocked in this call.
long vfs_proc_creds(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_creds told;
	if (!pm_sent(request, &told, sizeof(told)))
		return -EPERM;
	xinim_endpoint_t pm = request->msg.header.source;
	if (told.groups_count > XINIM_GROUPS_MAX)
		return -EINVAL;
	struct process_creds creds = { .uid = told.uid, .euid = told.euid, .fsuid = told.fsuid,
				       .gid = told.gid, .egid = told.egid, .fsgid = told.fsgid,
				       .groups_count = told.groups_count, .pgid = told.pgid,
				       .sid = told.sid };
	long err = told.groups_count ? ipc_copy_from(pm, creds.groups, told.groups_at,
						     told.groups_count * sizeof(creds.groups[0]))
				     : 0;
	return err ? err : fd_table_creds(told.who, told.fd_limit, &creds);
}
