// Process groups and sessions, as POSIX and Linux's setpgid(2), setsid(2) say. A
// process's group and session are its parent's at fork; init leads group 1 and session
// 1. VFS is told of each change (credentials_tell), for the terminal's job control.
#include <errno.h>
#include "pm.h"

#define ANY_SESSION UINT32_MAX

// Whether some process of session sid (or of any) is in group pgid.
static bool group_in_session(uint32_t pgid, uint32_t sid)
{
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		const struct process *p = process_at(pid);
		if (p->self && p->managed && p->pgid == pgid && (sid == ANY_SESSION || p->sid == sid))
			return true;
	}
	return false;
}

long pm_setpgid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int32_t pid = (int32_t)call.args[0], pgid = (int32_t)call.args[1];
	struct process *caller = process_of(call.caller), *p = process_named(call.caller, pid);
	if (pgid < 0)
		return -EINVAL;
	if (!caller || !p || p->zombie || (p != caller && p->parent != caller->self))
		return -ESRCH;	// neither the caller nor one of its children
	if (p != caller && p->execed)
		return -EACCES;
	unsigned self = xinim_endpoint_pid(p->self), group = pgid ? (unsigned)pgid : self;
	if (p->sid == self || p->sid != caller->sid)
		return -EPERM;	// a session leader, or a child in another session
	if (group != self && !group_in_session(group, caller->sid))
		return -EPERM;	// no such group in the caller's session
	process_change(p);
	p->pgid = group;
	credentials_tell(p);	// VFS's terminal: who is in the foreground
	return 0;
}

long pm_getpgid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct process *p = process_named(call.caller, (int32_t)call.args[0]);
	return p ? (long)p->pgid : -ESRCH;
}

long pm_setsid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *p = process_of(call.caller);
	if (!p)
		return -EPERM;
	unsigned self = xinim_endpoint_pid(p->self);
	if (p->pgid == self || group_in_session(self, ANY_SESSION))
		return -EPERM;	// it leads a group already, or its PID names one
	process_change(p);
	p->pgid = p->sid = self;
	credentials_tell(p);
	return self;
}

long pm_getsid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct process *p = process_named(call.caller, (int32_t)call.args[0]);
	return p ? (long)p->sid : -ESRCH;
}
