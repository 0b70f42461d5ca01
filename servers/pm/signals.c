// Signals (docs/processes.md, Signals): each process's actions, mask, pending set and
// alternate stack, kept in its record, and what a raised signal does, as Linux's
// kernel/signal.c: an ignored one is dropped, SIGKILL and the default deaths end the
// process at once, stops and SIGCONT act at once, and a caught one waits for the
// process's thread, which PM tells the kernel to send (KCALL_PROC_SIGNAL); the thread
// takes it on its way back to EL0 (signal_frame.c). Raising changes only the fields it
// logs, so that a kill of every process fits one request's undo log.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

#define SIGNALS SIGNAL_MAX
#define DFL ((uint64_t)(uintptr_t)SIG_DFL)
#define IGN ((uint64_t)(uintptr_t)SIG_IGN)

static const uint64_t unblockable = 1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1);
static const uint64_t stops = 1ULL << (SIGSTOP - 1) | 1ULL << (SIGTSTP - 1) |
			      1ULL << (SIGTTIN - 1) | 1ULL << (SIGTTOU - 1);

static const char *const names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",
	[SIGUSR2] = "SIGUSR2", [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",
	[SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",
	[SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
	[SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG",
	[SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM",
	[SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
	[SIGSYS] = "SIGSYS",
};

const char *signal_name(int signal)
{
	static char number[16];
	if (signal > 0 && (size_t)signal < sizeof(names) / sizeof(names[0]) && names[signal])
		return names[signal];
	snprintf(number, sizeof(number), "signal %d", signal);
	return number;
}

// Linux's default actions (signal(7)); the real-time signals terminate.
enum default_action { TERMINATE, CORE, STOP, IGNORE };

static const uint8_t defaults[SIGNALS + 1] = {
	[SIGQUIT] = CORE, [SIGILL] = CORE, [SIGTRAP] = CORE, [SIGABRT] = CORE,
	[SIGBUS] = CORE, [SIGFPE] = CORE, [SIGSEGV] = CORE, [SIGXCPU] = CORE,
	[SIGXFSZ] = CORE, [SIGSYS] = CORE,
	[SIGSTOP] = STOP, [SIGTSTP] = STOP, [SIGTTIN] = STOP, [SIGTTOU] = STOP,
	[SIGCONT] = IGNORE, [SIGCHLD] = IGNORE, [SIGURG] = IGNORE, [SIGWINCH] = IGNORE,
};

bool signals_sound(const struct process *p)
{
	const struct kernel_sigaction unset = { 0 };
	if (memcmp(&p->actions[SIGKILL - 1], &unset, sizeof(unset)) != 0 ||
	    memcmp(&p->actions[SIGSTOP - 1], &unset, sizeof(unset)) != 0)
		return false;
	for (unsigned s = 0; s < SIGNALS; s++)
		if (p->actions[s].mask & unblockable)
			return false;
	if (p->queued > SIGNAL_QUEUE)
		return false;
	for (unsigned i = 0; i < p->queued; i++)
		if (p->queue[i].signal < SIGRTMIN_LINUX || p->queue[i].signal > SIGNALS)
			return false;
	return p->stopped <= 1 && p->stop_signal <= SIGNALS &&
	       (!p->report || p->report == CLD_STOPPED || p->report == CLD_CONTINUED);
}

static bool caught(const struct process *p, int signal)
{
	uint64_t handler = p->actions[signal - 1].handler;
	return handler != DFL && handler != IGN;
}

// Whether signal, raised for p now, would be dropped (Linux's sig_ignored): one that
// the thread named (or the process's first) blocks never is; init takes none whose
// action is the default.
static bool ignored(const struct process *p, const struct thread *t, int signal)
{
	t = t ? t : thread_next(p, NULL);
	if (t && (t->blocked & signal_bit(signal)))
		return false;
	uint64_t handler = p->actions[signal - 1].handler;
	if (handler == IGN)
		return true;
	return handler == DFL &&
	       (xinim_endpoint_pid(p->self) == XINIM_PID_INIT || defaults[signal] == IGNORE);
}

static void info_keep(struct process *p, int signal, const struct signal_info *info)
{
	keep_change(&p->info[signal - 1], sizeof(p->info[0]));
	p->info[signal - 1] = *info;
}

// set is no longer pending for p nor any of its threads (nor queued).
static void pending_drop(struct process *p, uint64_t set)
{
	if (p->pending & set) {
		keep_change(&p->pending, sizeof(p->pending));
		p->pending &= ~set;
	}
	for (struct thread *t = thread_next(p, NULL); t; t = thread_next(p, t)) {
		if (t->pending & set) {
			keep_change(&t->pending, sizeof(t->pending) * 2);	// and synchronous
			t->pending &= ~set;
			t->synchronous &= ~set;
		}
	}
	unsigned kept = 0;
	for (unsigned i = 0; i < p->queued; i++)
		if (!(set & signal_bit(p->queue[i].signal)))
			kept++;
	if (kept == p->queued)
		return;
	keep_change(p->queue, sizeof(p->queue));
	keep_change(&p->queued, sizeof(p->queued));
	kept = 0;
	for (unsigned i = 0; i < p->queued; i++)
		if (!(set & signal_bit(p->queue[i].signal)))
			p->queue[kept++] = p->queue[i];
	p->queued = (uint8_t)kept;
}

// p dies of signal, with the core flag where Linux would dump one (RLIMIT_CORE).
static void signal_death(struct process *p, int signal)
{
	bool core = defaults[signal] == CORE && p->limits[RLIMIT_CORE].cur;
	process_signaled(p->self, signal, core);
}

// A real-time signal pending already (for t, or the process) gets one more instance.
static long queue_add(struct process *p, const struct thread *t, int signal,
		      const struct signal_info *info)
{
	if (p->queued >= SIGNAL_QUEUE)	// a kill's is dropped; a sigqueue fails (Linux)
		return info->code == SI_USER ? 0 : -EAGAIN;
	keep_change(&p->queued, sizeof(p->queued));
	keep_change(&p->queue[p->queued], sizeof(p->queue[0]));
	p->queue[p->queued++] = (struct queued_signal){ .signal = (uint8_t)signal,
							.tid = t ? t->tid : 0, .info = *info };
	return 0;
}

// signal, just taken for t (own: sent to t alone), has a further instance queued: the
// oldest becomes its siginfo, pending again.
static void queue_next(struct process *p, struct thread *t, int signal, bool own)
{
	uint32_t tid = own ? t->tid : 0;
	for (unsigned i = 0; i < p->queued; i++) {
		if (p->queue[i].signal != signal || p->queue[i].tid != tid)
			continue;
		uint64_t *pending = own ? &t->pending : &p->pending;
		keep_change(pending, sizeof(*pending));
		*pending |= signal_bit(signal);
		info_keep(p, signal, &p->queue[i].info);
		keep_change(p->queue, sizeof(p->queue));
		keep_change(&p->queued, sizeof(p->queued));
		memmove(&p->queue[i], &p->queue[i + 1], (p->queued - i - 1) * sizeof(p->queue[0]));
		p->queued--;
		return;
	}
}

// What a signal does as it is raised, whoever it is for: false when it goes no further
// (SIGKILL, ignored, or pending already: a standard signal is not queued twice, a
// real-time one is, and *err is -EAGAIN when there is no room).
static bool raised(struct process *p, struct thread *t, int signal,
		   const struct signal_info *info, long *err)
{
	*err = 0;
	if (!p->self || p->zombie || signal < 1 || signal > SIGNALS)
		return false;
	if (signal == SIGKILL && xinim_endpoint_pid(p->self) != XINIM_PID_INIT) {
		signal_death(p, signal);
		return false;
	}
	if (stops & signal_bit(signal))
		pending_drop(p, signal_bit(SIGCONT));
	if (signal == SIGCONT) {
		pending_drop(p, stops);
		if (p->stopped)
			process_continue(p);
	}
	uint64_t pending = t ? t->pending : p->pending;
	if (ignored(p, t, signal))
		return false;
	if (!(pending & signal_bit(signal)))
		return true;
	if (signal >= SIGRTMIN_LINUX)
		*err = queue_add(p, t, signal, info);
	return false;
}

long signal_raise_thread(struct process *p, struct thread *t, int signal,
			 const struct signal_info *info)
{
	long err;
	if (!raised(p, t, signal, info, &err))
		return err;
	uint64_t *pending = t ? &t->pending : &p->pending;
	keep_change(pending, sizeof(*pending));
	*pending |= signal_bit(signal);
	info_keep(p, signal, info);
	signal_consider(p);
	return 0;
}

long signal_raise(struct process *p, int signal, const struct signal_info *info)
{
	return signal_raise_thread(p, NULL, signal, info);
}

// rt_sigtimedwait's answer when one of its set is pending for t: the signal taken, its
// siginfo written where the call asked; 0 when none is.
static long timedwait_take(struct process *p, struct thread *t, uint64_t set, uint64_t info_at)
{
	struct signal_info info;
	int signal = signal_take(p, t, set, &info);
	if (!signal)
		return 0;
	siginfo_t out;
	signal_info_write(&out, signal, &info);
	return info_at && ipc_copy_to(p->self, info_at, &out, sizeof(out)) ? -EFAULT : signal;
}

// A parked rt_sigtimedwait of a thread of p whose set holds a pending signal takes it.
static void timedwaits_answer(struct process *p)
{
	for (struct thread *t = thread_next(p, NULL); t; t = thread_next(p, t)) {
		struct signal_wait w = t->sigwait;
		if (!w.id || !w.set || !((p->pending | t->pending) & w.set))
			continue;
		thread_change(t);
		long result = timedwait_take(p, t, w.set, w.info_at);
		t->sigwait = (struct signal_wait){ 0 };
		sleep_drop(t, w.id);
		ipc_syscall_answer_parked(w.id, result);
	}
}

// Does what signal (no longer pending) does to p when not caught: false if p died.
static bool signal_default(struct process *p, int signal)
{
	if (p->actions[signal - 1].handler == IGN || xinim_endpoint_pid(p->self) == XINIM_PID_INIT ||
	    defaults[signal] == IGNORE)
		return true;
	if (defaults[signal] == STOP) {	// a terminal's stops leave orphaned groups be
		if (signal == SIGSTOP || !group_orphaned(p->pgid))
			process_stop(p, signal);
		return true;
	}
	signal_death(p, signal);
	return false;
}

// The signals of p some thread can take now: those sent to the process that one of its
// threads does not block, and those sent to a thread that it does not block.
static uint64_t takeable(const struct process *p)
{
	uint64_t ready = 0;
	for (struct thread *t = thread_next(p, NULL); t; t = thread_next(p, t))
		ready |= (p->pending | t->pending) & ~t->blocked;
	return ready;
}

void signal_consider(struct process *p)
{
	if (!p->self || p->zombie)
		return;
	timedwaits_answer(p);
	uint64_t handled = 0;
	for (int signal = 1; signal <= SIGNALS; signal++)
		handled |= caught(p, signal) ? signal_bit(signal) : 0;
	for (uint64_t ready; (ready = takeable(p) & ~handled);) {
		int signal = __builtin_ctzll(ready) + 1;
		pending_drop(p, signal_bit(signal));
		if (!signal_default(p, signal))
			return;
	}
	// Each caught one goes to one thread that does not block it; a signal sent to the
	// process, to the first such.
	uint64_t unclaimed = p->pending & handled;
	for (struct thread *t = thread_next(p, NULL); t; t = thread_next(p, t)) {
		uint64_t mine = ((t->pending & handled) | unclaimed) & ~t->blocked;
		if (!mine)
			continue;
		unclaimed &= ~mine;
		signal_interrupt(t);
		if (xinim_kcall(KCALL_PROC_SIGNAL, p->self, t->tid) == XINIM_PID_VFS)
			vfs_interrupt_call(p->self, t->tid);	// a call parked there ends too
	}
}

void signal_interrupt(struct thread *t)
{
	uint64_t id = t->waiting.id;
	if (id) {	// wait4: made again after a handler with SA_RESTART (Linux's ERESTARTSYS)
		thread_change(t);
		t->waiting = (struct wait_call){ 0 };
		ipc_syscall_answer_parked(id, -XINIM_ERESTARTSYS);
	}
	if ((id = t->futex.id)) {	// futex: the same, or -EINTR with a timeout
		bool timed = t->sleeping.id == id;
		thread_change(t);
		t->futex = (struct futex_wait){ 0 };
		sleep_drop(t, id);
		ipc_syscall_answer_parked(id, timed ? -EINTR : -XINIM_ERESTARTSYS);
	}
	if ((id = t->sigwait.id)) {	// rt_sigsuspend: -EINTR; rt_sigtimedwait: -EINTR
		bool suspend = !t->sigwait.set;
		thread_change(t);
		t->sigwait = (struct signal_wait){ 0 };
		sleep_drop(t, id);
		ipc_syscall_answer_parked(id, suspend ? -XINIM_ERESTARTNOHAND : -EINTR);
	}
	sysv_interrupt(t);	// semop, msgsnd, msgrcv: -EINTR, never restarted
	if (t->sleeping.id)
		sleep_interrupt(t);
}

// The first of ready, a fault's first.
static int first_of(uint64_t ready, uint64_t synchronous)
{
	uint64_t first = ready & synchronous;
	return __builtin_ctzll(first ? first : ready) + 1;
}

int signal_take(struct process *p, struct thread *t, uint64_t set, struct signal_info *info)
{
	uint64_t own = t->pending & set, shared = p->pending & set;
	if (!own && !shared)
		return 0;
	int signal = own ? first_of(own, t->synchronous) : first_of(shared, 0);
	*info = p->info[signal - 1];
	if (info->code == SI_TIMER)
		timer_taken(p, info);
	uint64_t bit = signal_bit(signal);
	if (own) {
		keep_change(&t->pending, sizeof(t->pending) * 2);	// and synchronous
		t->pending &= ~bit;
		t->synchronous &= ~bit;
	} else {
		keep_change(&p->pending, sizeof(p->pending));
		p->pending &= ~bit;
	}
	if (signal >= SIGRTMIN_LINUX)
		queue_next(p, t, signal, own);
	return signal;
}

int signal_next(struct process *p, struct thread *t, struct signal_info *info, bool *fault)
{
	for (;;) {
		uint64_t synchronous = t->synchronous;
		int signal = signal_take(p, t, ~t->blocked, info);
		if (!signal)
			return 0;
		if (caught(p, signal)) {
			*fault = synchronous & signal_bit(signal);
			return signal;
		}
		if (!signal_default(p, signal))
			return 0;
	}
}

// siginfo_t as Linux lays it out for signal and info (the fields each si_code uses).
void signal_info_write(void *siginfo, int signal, const struct signal_info *info)
{
	siginfo_t *out = siginfo;
	memset(out, 0, sizeof(*out));
	out->si_signo = signal;
	out->si_code = info->code;
	if (signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE ||
	    signal == SIGTRAP) {
		if (info->code > 0)
			out->si_addr = (void *)(uintptr_t)info->value;
		return;
	}
	out->si_pid = (pid_t)info->pid;
	out->si_uid = info->uid;
	if (signal == SIGCHLD)
		out->si_status = info->status;
	else
		out->si_value.sival_ptr = (void *)(uintptr_t)info->value;
	if (info->code == SI_TIMER) {	// in si_pid's and si_uid's place
		out->si_timerid = info->timer;
		out->si_overrun = info->overrun;
	}
}

// The caller's sigset_t at `at` (rt_* calls take its size, which must be 8).
static long set_of(const struct xinim_syscall *call, uint64_t at, uint64_t size, uint64_t *set)
{
	if (size != sizeof(*set))
		return -EINVAL;
	return ipc_copy_from(call->caller, set, at, sizeof(*set));
}

long pm_rt_sigaction(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int sig = (int)call.args[0];	// an int: the register's upper bits are ignored
	uint64_t act = call.args[1], old = call.args[2];
	struct process *s = process_record(call.caller);
	if (call.args[3] != sizeof(uint64_t) || sig < 1 || sig > SIGNALS || !s)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	struct kernel_sigaction *slot = &s->actions[sig - 1], next;
	long err = act ? ipc_copy_from(call.caller, &next, act, sizeof(next)) : 0;
	if (!err && old)
		err = ipc_copy_to(call.caller, old, slot, sizeof(*slot));
	if (err || !act)
		return err;
	next.mask &= ~unblockable;
	*slot = next;
	// POSIX: an action set to ignore drops the signal if pending, blocked or not.
	if (next.handler == IGN || (next.handler == DFL && defaults[sig] == IGNORE))
		pending_drop(s, signal_bit(sig));
	return 0;
}

long pm_rt_sigprocmask(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int how = (int)call.args[0];	// an int: the register's upper bits are ignored
	uint64_t set = call.args[1], old = call.args[2], mask;
	struct thread *t = thread_of(&call);
	if (call.args[3] != sizeof(uint64_t) || !t)
		return -EINVAL;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	long err = set ? ipc_copy_from(call.caller, &mask, set, sizeof(mask)) : 0;
	if (!err && old)
		err = ipc_copy_to(call.caller, old, &t->blocked, sizeof(t->blocked));
	if (err || !set)
		return err;
	thread_change(t);
	t->blocked = how == SIG_BLOCK ? t->blocked | mask
		   : how == SIG_UNBLOCK ? t->blocked & ~mask : mask;
	t->blocked &= ~unblockable;
	struct process *p = process_of(call.caller);
	if (p)
		signal_consider(p);	// one it unblocked is taken before the call returns
	return 0;
}

long pm_rt_sigpending(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct process *p = process_of(call.caller);
	const struct thread *t = thread_of(&call);
	uint64_t set = p && t ? (p->pending | t->pending) & t->blocked : 0;
	if (call.args[1] != sizeof(set))
		return -EINVAL;
	return ipc_copy_to(call.caller, call.args[0], &set, sizeof(set));
}

bool signal_mask_for_call(struct process *p, struct thread *t, uint64_t mask)
{
	thread_change(t);
	if (!t->mask_saved) {	// not a delivery again
		t->saved_mask = t->blocked;
		t->mask_saved = 1;
	}
	t->blocked = mask & ~unblockable;
	signal_consider(p);
	return ((p->pending | t->pending) & ~t->blocked) != 0;
}

void signal_unmask_after_call(struct process *p, struct thread *t, long result)
{
	bool interrupted = result == -EINTR || result == -XINIM_ERESTARTSYS ||
			   result == -XINIM_ERESTARTNOHAND || result == -XINIM_ERESTARTNOINTR;
	if (interrupted || !t->mask_saved)
		return;	// the handler's frame puts the mask back (signal_frame.c)
	thread_change(t);
	t->blocked = t->saved_mask;
	t->mask_saved = 0;
	signal_consider(p);
}

// rt_sigsuspend: the mask replaced until a handler has run (its frame restores the old
// one), the call parked until a signal is taken; -EINTR then (Linux's ERESTARTNOHAND).
long pm_rt_sigsuspend(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *p = process_of(call.caller);
	struct thread *t = thread_of(&call);
	uint64_t mask;
	long err = set_of(&call, call.args[0], call.args[1], &mask);
	if (err || !p || !t)
		return err ? err : -EINVAL;
	thread_change(t);
	if (t->sigwait.id != request->msg.header.id) {	// not a delivery again
		t->saved_mask = t->blocked;
		t->mask_saved = 1;
		t->blocked = mask & ~unblockable;
	}
	t->sigwait = (struct signal_wait){ 0 };
	signal_consider(p);	// what is ready is acted on, a caught one sent for
	if ((p->pending | t->pending) & ~t->blocked)
		return -XINIM_ERESTARTNOHAND;
	t->sigwait = (struct signal_wait){ .id = request->msg.header.id };
	return IPC_DEFERRED;
}

long pm_rt_sigtimedwait(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct process *p = process_of(call.caller);
	struct thread *t = thread_of(&call);
	uint64_t set, id = request->msg.header.id;
	struct timespec timeout;
	long err = set_of(&call, call.args[0], call.args[3], &set);
	if (!err && call.args[2])
		err = ipc_copy_from(call.caller, &timeout, call.args[2], sizeof(timeout));
	if (err || !p || !t)
		return err ? err : -EINVAL;
	if (call.args[2] && (timeout.tv_sec < 0 || (uint64_t)timeout.tv_nsec >= 1000000000))
		return -EINVAL;
	set &= ~unblockable;
	thread_change(t);
	long taken = timedwait_take(p, t, set, call.args[1]);
	if (taken)
		return taken;
	t->sigwait = (struct signal_wait){ .id = id, .set = set, .info_at = call.args[1] };
	if (!call.args[2])
		return IPC_DEFERRED;
	long answer = sleep_park(request, t, counter_ticks() + sleep_ticks(&timeout), -EAGAIN);
	if (answer != IPC_DEFERRED)
		t->sigwait = (struct signal_wait){ 0 };
	return answer;
}

long pm_sigaltstack(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct thread *t = thread_of(&call);
	stack_t next, old;
	if (!t)
		return -EINVAL;
	long sp = xinim_kcall(KCALL_THREAD_SP, call.caller, t->tid);
	bool onstack = sp >= 0 && signal_on_altstack(t, (uint64_t)sp);
	old = (stack_t){ .ss_sp = (void *)(uintptr_t)t->altstack.sp, .ss_size = t->altstack.size,
			 .ss_flags = onstack ? SS_ONSTACK : t->altstack.flags };
	long err = call.args[0] ? ipc_copy_from(call.caller, &next, call.args[0], sizeof(next)) : 0;
	if (!err && call.args[0]) {
		int mode = next.ss_flags & ~SS_AUTODISARM;
		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
			return -EINVAL;
		if (mode != SS_DISABLE && next.ss_size < (size_t)MINSIGSTKSZ)
			return -ENOMEM;
	}
	if (!err && call.args[1])
		err = ipc_copy_to(call.caller, call.args[1], &old, sizeof(old));
	if (err || !call.args[0])
		return err;
	if (onstack)
		return -EPERM;	// Linux: not while running on it
	thread_change(t);
	signal_altstack_set(t, (uint64_t)(uintptr_t)next.ss_sp, next.ss_size, next.ss_flags);
	return 0;
}

bool signal_on_altstack(const struct thread *t, uint64_t sp)
{
	return !(t->altstack.flags & SS_DISABLE) && t->altstack.size &&
	       sp - t->altstack.sp <= t->altstack.size;
}

void signal_altstack_set(struct thread *t, uint64_t sp, uint64_t size, int flags)
{
	if ((flags & ~SS_AUTODISARM) == SS_DISABLE)
		t->altstack = (struct alternate_stack){ .flags = SS_DISABLE };
	else
		t->altstack = (struct alternate_stack){ .sp = sp, .size = size,
							.flags = flags & SS_AUTODISARM };
}

// execve's part (POSIX, Linux's flush_signal_handlers): a caught signal goes back to its
// default action, an ignored one stays ignored, and no action keeps flags or a mask.
// The blocked mask and pending signals are kept; the alternate stack is gone.
void signals_exec(struct process *p, struct thread *t)
{
	for (unsigned i = 0; i < SIGNAL_MAX; i++) {
		struct kernel_sigaction *a = &p->actions[i];
		*a = (struct kernel_sigaction){ .handler = a->handler == IGN ? IGN : DFL };
	}
	thread_change(t);
	t->altstack = (struct alternate_stack){ .flags = SS_DISABLE };
}
