// kill(2) and its kin: which processes or threads a call names, whether the caller may
// signal them, and the siginfo they get (Linux's kernel/signal.c).
#include <errno.h>
#include <signal.h>
#include <xinim/runtime.h>
#include "pm.h"

enum { SIGNO_MAX = SIGNAL_MAX };

// kill(2)'s permission (Linux's check_kill_permission): the credentials' rule, or a
// SIGCONT within the sender's session.
static bool may_signal(const struct process *sender, const struct process *target, int signal)
{
	return credentials_may_signal(sender, target) ||
	       (signal == SIGCONT && target->sid == sender->sid);
}

// Sends signal (0: only the checks) to the process at pid from sender: 0, -ESRCH (none
// there), -EPERM. A zombie takes nothing and is no error.
static long send_one(struct process *sender, unsigned pid, int signal,
		     const struct signal_info *info)
{
	if (pid >= XINIM_PROCS_MAX)
		return -ESRCH;
	struct process *target = process_at(pid);
	if (!target->self || !target->managed)
		return -ESRCH;
	if (!may_signal(sender, target, signal))
		return -EPERM;
	return signal && !target->zombie ? signal_raise(target, signal, info) : 0;
}

// kill(-1) and kill(-pgid), kill(0): each process it names (every one but init and the
// caller for -1) gets the signal; 0 if one did, else -ESRCH (none) or -EPERM.
static long send_many(struct process *sender, int32_t pid, int signal,
		      const struct signal_info *info)
{
	uint32_t pgid = pid == 0 ? sender->pgid : (uint32_t)-pid;
	long result = -ESRCH;
	for (unsigned n = 0; n < XINIM_PROCS_MAX; n++) {
		struct process *p = process_at(n);
		if (!p->self || !p->managed || (pid == -1 ? n == XINIM_PID_INIT || p == sender
							  : p->pgid != pgid || p->zombie))
			continue;
		long sent = send_one(sender, n, signal, info);
		result = sent == 0 || result == 0 ? 0 : sent;
	}
	return result;
}

static long send(const struct xinim_syscall *call, int32_t pid, int signal,
		 const struct signal_info *info)
{
	struct process *sender = process_of(call->caller);
	if (signal < 0 || signal > SIGNO_MAX)
		return -EINVAL;
	if (!sender)
		return -ESRCH;
	return pid > 0 ? send_one(sender, (unsigned)pid, signal, info)
		       : send_many(sender, pid == INT32_MIN ? 0 : pid, signal, info);
}

static struct signal_info from(const struct xinim_syscall *call, int code)
{
	const struct process *sender = process_of(call->caller);
	return (struct signal_info){ .code = code, .pid = xinim_endpoint_pid(call->caller),
				     .uid = sender ? sender->creds.user.real : 0 };
}

long pm_kill(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct signal_info info = from(&call, SI_USER);
	if ((int32_t)call.args[0] == INT32_MIN)
		return -ESRCH;	// Linux: -INT_MIN names no group
	return send(&call, (int32_t)call.args[0], (int)call.args[1], &info);
}

// The thread tid (of the process tgid, unless tgid is 0) gets signal alone: 0, -EINVAL,
// -ESRCH (no such thread), -EPERM.
static long send_thread(const struct xinim_syscall *call, int32_t tgid, int32_t tid, int signal,
			const struct signal_info *info)
{
	struct process *sender = process_of(call->caller);
	if (tid <= 0 || tgid < 0 || signal < 0 || signal > SIGNO_MAX)
		return -EINVAL;
	struct thread *t = thread_at((unsigned)tid);
	struct process *target = t && t->process ? process_of(t->process) : NULL;
	if (!sender || !target || (tgid && xinim_endpoint_pid(target->self) != (unsigned)tgid))
		return -ESRCH;
	if (!may_signal(sender, target, signal))
		return -EPERM;
	return signal && !target->zombie ? signal_raise_thread(target, t, signal, info) : 0;
}

long pm_tkill(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct signal_info info = from(&call, SI_TKILL);
	return send_thread(&call, 0, (int32_t)call.args[0], (int)call.args[1], &info);
}

long pm_tgkill(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct signal_info info = from(&call, SI_TKILL);
	int32_t tgid = (int32_t)call.args[0];
	if (tgid <= 0)
		return -EINVAL;
	return send_thread(&call, tgid, (int32_t)call.args[1], (int)call.args[2], &info);
}

// The siginfo a sigqueue gives (at `at`): the caller's own, but a code of the kernel's
// (>= 0, or SI_TKILL) only for itself (Linux: -EPERM).
static long queued_info(const struct xinim_syscall *call, int32_t pid, uint64_t at,
			struct signal_info *info)
{
	siginfo_t given;
	long err = ipc_copy_from(call->caller, &given, at, sizeof(given));
	if (err)
		return err;
	if ((given.si_code >= 0 || given.si_code == SI_TKILL) &&
	    (unsigned)pid != xinim_endpoint_pid(call->caller))
		return -EPERM;
	*info = (struct signal_info){ .code = given.si_code, .pid = (uint32_t)given.si_pid,
				      .uid = given.si_uid,
				      .value = (uint64_t)(uintptr_t)given.si_value.sival_ptr };
	return 0;
}

long pm_rt_sigqueueinfo(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int32_t pid = (int32_t)call.args[0];
	struct signal_info info;
	long err = queued_info(&call, pid, call.args[2], &info);
	return err ? err : pid <= 0 ? -ESRCH : send(&call, pid, (int)call.args[1], &info);
}

long pm_rt_tgsigqueueinfo(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int32_t tgid = (int32_t)call.args[0], tid = (int32_t)call.args[1];
	struct signal_info info;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	long err = queued_info(&call, tgid, call.args[3], &info);
	return err ? err : send_thread(&call, tgid, tid, (int)call.args[2], &info);
}
