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
#include <signal.h>
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

static long mm_fork(xinim_endpoint_t parent, xinim_endpoint_t child, uint64_t settid_at)
{
	struct xinim_mm_fork fork = { .parent = parent, .child = child, .settid_at = settid_at,
				      .tid = xinim_endpoint_pid(child) };
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
	const struct thread *caller = thread_of(&call);
	uint64_t flags = call.args[0] & ~(uint64_t)CSIGNAL;
	if (flags & CLONE_THREAD)
		return thread_clone(request, reply);
	const uint64_t tids = CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	uint64_t kind = flags & ~tids;	// glibc's fork asks for the TID words too
	if ((kind && kind != VFORK) || !parent || !caller)
		return -ENOSYS;
	long self = limits_fork(parent);
	if (!self)
		self = child_new(parent);
	if (self < 0)
		return self;
	xinim_endpoint_t child = (xinim_endpoint_t)self;
	long err = vfs_tell(XINIM_VFS_PROC_START, child, call.caller);
	if (!err)
		err = mm_fork(call.caller, child, flags & CLONE_CHILD_SETTID ? call.args[4] : 0);
	uint32_t pid = xinim_endpoint_pid(child);
	if (!err && (flags & CLONE_PARENT_SETTID))	// a bad word is ignored, as Linux does
		ipc_copy_to(call.caller, call.args[2], &pid, sizeof(pid));
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
	c->execed = 0;
	c->started = counter_ticks();
	c->pending = c->queued = 0;	// POSIX: a child starts with none pending
	c->timers_made = 0;	// nor timer_create's timers
	c->stopped = c->report = c->stop_signal = 0;
	struct thread *first = thread_start(child, pid, caller);	// its mask, alternate stack
	if (flags & CLONE_CHILD_CLEARTID)
		first->clear_child_tid = call.args[4];
	c->ended = c->children = (struct cpu_times){ 0 };	// its own children's time: none yet
	struct xinim_syscall_fork_reply answer = { .value = xinim_endpoint_pid(child),
						   .child = child, .sp = call.args[1],
						   .flags = kind ? XINIM_FORK_VFORK : 0 };
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

// What w learns of c: wait4's status word, or waitid's siginfo (code, status), and its
// rusage (its own CPU time and its reaped children's). 0 or -EFAULT.
static long news_write(const struct process *c, xinim_endpoint_t caller, const struct wait_call *w,
		       int code, int status, int word)
{
	if (w->rusage_at && usage_copy(caller, w->rusage_at, usage_both(c)))
		return -EFAULT;
	if (!w->siginfo)
		return w->status_at && ipc_copy_to(caller, w->status_at, &word, sizeof(word)) ? -EFAULT : 0;
	siginfo_t info;
	signal_info_write(&info, SIGCHLD, &(struct signal_info){
		.code = code, .pid = xinim_endpoint_pid(c->self), .status = status });
	return ipc_copy_to(caller, w->status_at, &info, sizeof(info)) ? -EFAULT : 0;
}

// What waiter's w takes of c now: its PID (its news written; a zombie reaped, its times
// added to waiter's children's, and a report used, unless WNOWAIT), 0 for nothing it
// waits for, or -EFAULT.
static long child_take(struct process *c, struct process *waiter, const struct wait_call *w)
{
	xinim_endpoint_t caller = waiter->self;
	int code, status, word;
	if (c->zombie && (w->options & WEXITED)) {
		word = c->status;
		status = WIFEXITED(word) ? WEXITSTATUS(word) : WTERMSIG(word);
		code = WIFEXITED(word) ? CLD_EXITED : WCOREDUMP(word) ? CLD_DUMPED : CLD_KILLED;
	} else if (c->report == CLD_STOPPED && (w->options & WUNTRACED)) {
		code = CLD_STOPPED, status = c->stop_signal, word = c->stop_signal << 8 | 0x7f;
	} else if (c->report == CLD_CONTINUED && (w->options & WCONTINUED)) {
		code = CLD_CONTINUED, status = SIGCONT, word = 0xffff;
	} else {
		return 0;
	}
	if (news_write(c, caller, w, code, status, word))
		return -EFAULT;
	long pid = xinim_endpoint_pid(c->self);
	if (w->options & WNOWAIT)
		return pid;
	if (c->zombie) {
		usage_reaped(waiter, c);
		process_forget(c);
	} else {
		keep_change(&c->report, sizeof(c->report));
		c->report = 0;
	}
	return pid;
}

// What waiter's wait w finds now: a child's PID, 0 (children it waits for, no news),
// -ECHILD (none), or -EFAULT.
static long wait_now(struct process *waiter, const struct wait_call *w)
{
	if (w->pid > 0) {	// one child: its record alone
		struct process *c = w->pid < XINIM_PROCS_MAX ? process_at((unsigned)w->pid) : NULL;
		if (!c || !c->self || c->parent != waiter->self)
			return -ECHILD;
		return child_take(c, waiter, w);
	}
	bool any = false;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct process *c = process_at(pid);
		if (!c->self || c->parent != waiter->self || !wanted(c, w->pid, waiter))
			continue;
		long taken = child_take(c, waiter, w);
		if (taken)
			return taken;
		any = true;
	}
	return any ? 0 : -ECHILD;
}

// Parks w in the calling thread's record unless it finds something now (or WNOHANG).
static long wait_start(const struct ipc_request *request, struct process *waiter,
		       struct wait_call w)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct thread *t = thread_of(&call);
	w.id = request->msg.header.id;
	long found = wait_now(waiter, &w);
	if (found || (w.options & WNOHANG) || !t)
		return found;
	thread_change(t);
	t->waiting = w;	// answered when a child it waits for has news (waiter_told)
	return IPC_DEFERRED;
}

long pm_wait4(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *waiter = process_of(call.caller);
	struct wait_call w = { .pid = (int32_t)call.args[0], .options = (uint32_t)call.args[2],
			       .status_at = call.args[1], .rusage_at = call.args[3] };
	if ((w.options & ~(uint32_t)WAIT_OPTIONS) || w.pid == INT32_MIN)
		return -EINVAL;
	if (!waiter)
		return -ECHILD;
	w.options |= WEXITED;
	return wait_start(request, waiter, w);
}

// waitid: P_ALL, P_PID, P_PGID (0: the caller's group, as Linux 5.4 on), a siginfo_t
// out, WEXITED / WSTOPPED / WCONTINUED at least one, WNOWAIT. Nothing to report under
// WNOHANG: 0 with a zeroed siginfo.
long pm_waitid(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *waiter = process_of(call.caller);
	int idtype = (int)call.args[0];
	int32_t id = (int32_t)call.args[1];
	uint32_t options = (uint32_t)call.args[3];
	const uint32_t allowed = WAIT_OPTIONS | WEXITED | WNOWAIT;
	struct wait_call w = { .options = options, .status_at = call.args[2],
			       .rusage_at = call.args[4], .siginfo = 1 };
	if ((options & ~allowed) || !(options & (WEXITED | WSTOPPED | WCONTINUED)) ||
	    (idtype != P_ALL && idtype != P_PID && idtype != P_PGID) ||
	    (idtype != P_ALL && id < 0) || (idtype == P_PID && id == 0))
		return -EINVAL;
	if (!waiter)
		return -ECHILD;
	w.pid = idtype == P_ALL ? -1 : idtype == P_PID ? id : -id;
	long found = wait_start(request, waiter, w);
	if (found == 0 && w.status_at) {	// WNOHANG, nothing yet
		static const siginfo_t none;
		found = ipc_copy_to(call.caller, w.status_at, &none, sizeof(none));
	}
	return found > 0 ? 0 : found;
}

// Answers a parked wait of a thread of parent if child's news is what it waits for.
static void waiter_told(struct process *parent, struct process *child)
{
	for (struct thread *t = thread_next(parent, NULL); t; t = thread_next(parent, t)) {
		struct wait_call w = t->waiting;
		if (!w.id || !wanted(child, w.pid, parent))
			continue;
		long result = child_take(child, parent, &w);
		if (!result)
			continue;
		thread_change(t);
		t->waiting = (struct wait_call){ 0 };
		ipc_syscall_answer_parked(w.id, w.siginfo && result > 0 ? 0 : result);
		return;	// the news is taken
	}
}

// A parked wait of a thread of parent that has no child left to wait for: -ECHILD.
static void waiters_childless(struct process *parent)
{
	for (struct thread *t = thread_next(parent, NULL); t; t = thread_next(parent, t)) {
		struct wait_call w = t->waiting;
		if (w.id && wait_now(parent, &w) == -ECHILD) {
			thread_change(t);
			t->waiting = (struct wait_call){ 0 };
			ipc_syscall_answer_parked(w.id, -ECHILD);
		}
	}
}

// Whether parent's SIGCHLD action asks for no zombies (SIG_IGN, SA_NOCLDWAIT).
static bool reaps_itself(const struct process *parent)
{
	const struct kernel_sigaction *a = &parent->actions[SIGCHLD - 1];
	return a->handler == (uint64_t)(uintptr_t)SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

static void parent_signal(struct process *parent, const struct process *child, int code,
			  int status)
{
	const struct signal_info info = { .code = code, .pid = xinim_endpoint_pid(child->self),
					  .status = status };
	signal_raise(parent, SIGCHLD, &info);
}

void tree_child_news(struct process *child, int code, int status)
{
	struct process *parent = process_of(child->parent);
	if (!parent || parent->zombie)
		return;
	if (!(parent->actions[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		parent_signal(parent, child, code, status);
	waiter_told(parent, child);
}

bool tree_exit(struct process *p, int status)
{
	struct process *init = process_at(XINIM_PID_INIT);
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct process *c = process_at(pid);
		if (c->self && c->parent == p->self && c != p) {
			keep_change(&c->parent, sizeof(c->parent));
			c->parent = init->managed && init != p ? init->self : XINIM_ENDPOINT_NONE;
			if (c->pgid != p->pgid)
				stop_orphans_check(c->pgid, p->self);
			if (c->zombie && init->managed && init != p)
				waiter_told(init, c);
		}
	}
	stop_orphans_check(p->pgid, p->self);
	tree_vfork_done(p);
	struct process *parent = process_of(p->parent);
	if (!parent || parent->zombie)
		return false;
	int code = WIFEXITED(status) ? CLD_EXITED : WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
	parent_signal(parent, p, code, WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	if (reaps_itself(parent)) {	// no zombie: a wait finds no such child
		process_forget(p);
		waiters_childless(parent);
		return true;
	}
	threads_forget(p, NULL);	// a zombie has no threads, nor timers, nor a stop
	timers_forget(p, false);
	stop_forget(p);
	usage_end(p);	// logs p
	p->zombie = 1;
	p->status = status;
	waiter_told(parent, p);
	return true;
}

long pm_vfork_wait(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_pm_vfork w;
	if (!from_kernel(request, &w, sizeof(w)))
		return -EPERM;
	struct thread *waiter = thread_named(w.parent, w.tid);
	const struct process *child = process_of(w.child);
	if (!process_of(w.parent) || !waiter)
		return -ESRCH;
	if (!child || child->zombie || child->execed || child->parent != w.parent)
		return xinim_endpoint_pid(w.child);	// done already (a delivery again)
	thread_change(waiter);
	waiter->vfork = (struct vfork_wait){ .id = request->msg.header.id, .child = w.child };
	return IPC_DEFERRED;
}

void tree_vfork_done(const struct process *child)
{
	struct process *parent = process_of(child->parent);
	struct thread *t = parent ? thread_next(parent, NULL) : NULL;
	while (t && !(t->vfork.id && t->vfork.child == child->self))
		t = thread_next(parent, t);
	if (!t)
		return;
	uint64_t id = t->vfork.id;
	thread_change(t);
	t->vfork = (struct vfork_wait){ 0 };
	struct xinim_msg answer = { .header.id = id };
	long pid = xinim_endpoint_pid(child->self);
	keep_answered_call(id, XINIM_ENDPOINT_KERNEL, pid, &answer);	// the commit
	ipc_reply(XINIM_ENDPOINT_KERNEL, pid, &answer);
}
