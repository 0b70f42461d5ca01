// The process tree: fork (clone without CLONE_VM), wait4, and zombies. A child is a
// copy of its parent made by PM, VFS (its fds), MM (its space, copy-on-write) and the
// kernel (its thread, from PM's answer: struct xinim_syscall_fork_reply). An ended
// process stays a zombie in its record until its parent waits for it; its children go
// to init. A wait4 with nothing to reap yet is parked in its caller's record, and
// answered when a child it waits for ends. Every change is to kept records
// (docs/resurrection.md): a clone or wait4 delivered again to a restarted PM is done
// again from what it kept.
#define _GNU_SOURCE	// CLONE_VM, CLONE_VFORK
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/vfs.h>
#include <xinim/runtime.h>
#include "pm.h"

#define VFORK (CLONE_VM | CLONE_VFORK)	// vfork as musl and glibc make it (CSIGNAL, sched.h:
					// the low byte, the signal the parent gets at the end)
#define WAIT_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)

static long mm_fork(xinim_endpoint_t parent, xinim_endpoint_t child)
{
	struct xinim_mm_fork fork = { .parent = parent, .child = child };
	return server_call(XINIM_PID_MM, XINIM_MM_FORK, &fork, sizeof(fork));
}

// A new process at a free PID, for parent: its endpoint, or -EAGAIN (no PID free).
static long child_new(const struct process *parent)
{
	for (unsigned tries = 0; tries < XINIM_PROCS_MAX; tries++) {
		unsigned pid = process_free_pid();
		if (!pid)
			break;
		long self = xinim_kcall(KCALL_PROC_NEW, pid, (long)parent->name);
		if (self != -EBUSY)	// still ending in the kernel: the next one
			return self == -ENOMEM ? -EAGAIN : self;
	}
	return -EAGAIN;
}

// fork as musl and BusyBox ask for it, clone(SIGCHLD, 0, ...), and vfork,
// clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0): a copy-on-write child, and the parent
// waits until the child execs or ends (XINIM_FORK_VFORK). The child's copy of the
// memory stands in for vfork's sharing, which POSIX leaves the child no right to use
// but for its exec or _exit. Threads (CLONE_VM without CLONE_VFORK, CLONE_THREAD...) and
// a new stack are not served yet.
long pm_clone(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *parent = process_of(call.caller);
	uint64_t flags = call.args[0] & ~(uint64_t)CSIGNAL;
	if ((flags && flags != VFORK) || call.args[1] || !parent)
		return -ENOSYS;
	long self = limits_fork(parent);
	if (!self)
		self = child_new(parent);
	if (self < 0)
		return self;
	xinim_endpoint_t child = (xinim_endpoint_t)self;
	long err = vfs_tell(XINIM_VFS_PROC_START, child, call.caller);
	if (!err)
		err = mm_fork(call.caller, child);
	struct process *c = process_at(xinim_endpoint_pid(child));
	process_change(c);
	if (err) {
		*c = (struct process){ 0 };
		process_release(child);	// it never ran
		return err == -ENOMEM ? -ENOMEM : -EAGAIN;
	}
	*c = *parent;
	c->self = child;
	c->parent = call.caller;
	c->clear_child_tid = 0;
	c->execed = 0;
	c->waiting = (struct wait_call){ 0 };
	c->vfork = (struct vfork_wait){ 0 };
	struct xinim_syscall_fork_reply answer = { .value = xinim_endpoint_pid(child),
						   .child = child,
						   .flags = flags ? XINIM_FORK_VFORK : 0 };
	memcpy(reply->payload, &answer, sizeof(answer));
	reply->header.length = sizeof(answer);
	return 0;
}

// Whether child is one that a wait for pid (wait4's, in the caller's pgid) takes.
static bool wanted(const struct process *child, int32_t pid, const struct process *waiter)
{
	if (pid > 0)
		return xinim_endpoint_pid(child->self) == (unsigned)pid;
	if (pid == 0)
		return child->pgid == waiter->pgid;
	return pid == -1 || child->pgid == (uint32_t)-pid;
}

// Reaps zombie for waiter's call w: its status and rusage (its own CPU time and its
// reaped children's) copied out, its times added to waiter's children's, its record
// made free. Its PID, or -EFAULT (nothing reaped).
static long reap(struct process *zombie, struct process *waiter, const struct wait_call *w)
{
	xinim_endpoint_t caller = waiter->self;
	if (w->status_at && ipc_copy_to(caller, w->status_at, &zombie->status, sizeof(int)))
		return -EFAULT;
	if (w->rusage_at && usage_copy(caller, w->rusage_at, usage_both(zombie)))
		return -EFAULT;
	long pid = xinim_endpoint_pid(zombie->self);
	usage_reaped(waiter, zombie);
	process_forget(zombie);
	return pid;
}

// What waiter's wait w finds now: a reaped child's PID, 0 (children it waits for, none
// ended), -ECHILD (none), or -EFAULT.
static long wait_now(struct process *waiter, const struct wait_call *w)
{
	bool any = false;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct process *c = process_at(pid);
		if (!c->self || c->parent != waiter->self || !wanted(c, w->pid, waiter))
			continue;
		if (c->zombie)
			return reap(c, waiter, w);
		any = true;
	}
	return any ? 0 : -ECHILD;
}

long pm_wait4(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *waiter = process_of(call.caller);
	struct wait_call w = { .id = request->msg.header.id, .pid = (int32_t)call.args[0],
			       .options = (uint32_t)call.args[2], .status_at = call.args[1],
			       .rusage_at = call.args[3] };
	if ((w.options & ~(uint32_t)WAIT_OPTIONS) || w.pid == INT32_MIN)
		return -EINVAL;
	if (!waiter)
		return -ECHILD;
	long found = wait_now(waiter, &w);
	if (found || (w.options & WNOHANG))
		return found;
	process_change(waiter);
	waiter->waiting = w;	// answered when a child it waits for ends (tree_exit)
	return IPC_DEFERRED;
}

// Answers parent's parked wait4 if child (a new zombie) is one it waits for.
static void waiter_told(struct process *parent, struct process *child)
{
	struct wait_call w = parent->waiting;
	if (!w.id || !wanted(child, w.pid, parent))
		return;
	long result = reap(child, parent, &w);
	process_change(parent);
	parent->waiting = (struct wait_call){ 0 };
	ipc_syscall_answer_parked(w.id, result);
}

bool tree_exit(struct process *p, int status)
{
	struct process *init = process_at(XINIM_PID_INIT);
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct process *c = process_at(pid);
		if (c->self && c->parent == p->self && c != p) {
			keep_change(&c->parent, sizeof(c->parent));
			c->parent = init->managed && init != p ? init->self : XINIM_ENDPOINT_NONE;
			if (c->zombie && init->managed && init != p)
				waiter_told(init, c);
		}
	}
	tree_vfork_done(p);
	struct process *parent = process_of(p->parent);
	if (!parent || parent->zombie)
		return false;
	usage_end(p);	// logs p
	p->zombie = 1;
	p->status = status;
	p->waiting = (struct wait_call){ 0 };
	waiter_told(parent, p);
	return true;
}

long pm_vfork_wait(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_pm_vfork w;
	memcpy(&w, request->msg.payload, sizeof(w));
	if (request->msg.header.source != XINIM_ENDPOINT_KERNEL)
		return -EPERM;
	struct process *parent = process_of(w.parent);
	const struct process *child = process_of(w.child);
	if (!parent)
		return -ESRCH;
	if (!child || child->zombie || child->execed || child->parent != w.parent)
		return xinim_endpoint_pid(w.child);	// done already (a delivery again)
	process_change(parent);
	parent->vfork = (struct vfork_wait){ .id = request->msg.header.id, .child = w.child };
	return IPC_DEFERRED;
}

void tree_vfork_done(const struct process *child)
{
	struct process *parent = process_of(child->parent);
	if (!parent || !parent->vfork.id || parent->vfork.child != child->self)
		return;
	uint64_t id = parent->vfork.id;
	process_change(parent);
	parent->vfork = (struct vfork_wait){ 0 };
	struct xinim_msg answer = { .header.id = id };
	long pid = xinim_endpoint_pid(child->self);
	keep_answered_call(id, XINIM_ENDPOINT_KERNEL, pid, &answer);	// the commit
	ipc_reply(XINIM_ENDPOINT_KERNEL, pid, &answer);
}
