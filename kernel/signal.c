// Signals (docs/processes.md, Signals). PM holds every signal's state and decides; the
// kernel only asks PM at the right moment, on a thread's way back to EL0 after PM said
// so (KCALL_PROC_SIGNAL), and moves registers between the thread and the frame PM
// placed (kernel/arch/aarch64/sigframe.c). Stopping is a wait on that same way back.
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/pm.h>
#include <xinim/sigframe.h>
#include <kernel/arch/aarch64/sigframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/fault.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>

enum { SVC_SIZE = 4, SI_KERNEL = 0x80 };

// Copies to or from the running process's memory a page at a time; a page MM has not
// mapped yet is asked for (as a fault at EL0 would be). 0 or -EFAULT.
static int user_copy(uint64_t user, void *kernel, uint64_t n, bool to_user)
{
	struct proc *proc = proc_current();
	for (uint64_t done = 0; done < n;) {
		uint64_t at = user + done, part = XINIM_PAGE_SIZE - (at & (XINIM_PAGE_SIZE - 1));
		part = part < n - done ? part : n - done;
		char *here = (char *)kernel + done;
		int err = to_user ? copy_to_user(at, here, part) : copy_from_user(here, at, part);
		if (err && fault_resolve(proc, at, to_user ? XINIM_MM_WRITE : XINIM_MM_READ) == 0)
			err = to_user ? copy_to_user(at, here, part) : copy_from_user(here, at, part);
		if (err)
			return -EFAULT;
		done += part;
	}
	return 0;
}

static int user_write(uint64_t at, const void *from, uint64_t n)
{
	return user_copy(at, (void *)from, n, true);
}

static int user_read(void *to, uint64_t at, uint64_t n) { return user_copy(at, to, n, false); }

static const struct sigframe_io user_io = { user_write, user_read };

void signal_restart_note(int restart)
{
	struct thread *self = sched_current();
	self->restart = restart;
	__atomic_fetch_or(&self->pending, PROC_PENDING_SIGNAL, __ATOMIC_RELAXED);
}

// What Linux makes of a call a signal interrupted (arch/arm64/kernel/signal.c,
// do_signal): made again (pc back on its svc, x0 as it was) or -EINTR.
static void restart_settle(struct trapframe *frame, int restart, const struct xinim_pm_signal_reply *r)
{
	bool again = restart == XINIM_ERESTARTNOINTR || !r->signal ||
		     (restart == XINIM_ERESTARTSYS && (r->flags & XINIM_SIGNAL_RESTART));
	if (again) {
		frame->elr -= SVC_SIZE;
		frame->x[0] = sched_current()->syscall_x0;
	} else {
		frame->x[0] = (uint64_t)-EINTR;
	}
}

// The handler runs next: its frame (PM wrote siginfo and the POSIX part) gets the
// interrupted context, and the registers are the handler's call.
static int handler_enter(struct trapframe *frame, const struct xinim_pm_signal_reply *r)
{
	uint64_t at = r->frame;
	if (at & 15 || at >= USER_LIMIT - XINIM_SIGFRAME_SIZE - 16)
		return -EFAULT;
	uint64_t record[2] = { frame->x[29], frame->x[30] };
	bool fault = r->flags & XINIM_SIGNAL_FAULT;
	if (sigframe_save(frame, at, fault, &user_io) ||
	    user_write(at + XINIM_SIGFRAME_SIZE, record, sizeof(record)))
		return -EFAULT;
	frame->x[0] = (uint64_t)r->signal;
	frame->x[1] = at + XINIM_SIGFRAME_INFO;
	frame->x[2] = at + XINIM_SIGFRAME_UC;
	frame->x[29] = at + XINIM_SIGFRAME_SIZE;
	frame->x[30] = r->restorer;
	frame->sp = at;
	frame->elr = r->handler;
	frame->spsr &= ~(uint64_t)(3u << 10);	// PSTATE.BTYPE: the handler starts afresh
	return 0;
}

// A frame the process cannot take (its stack is bad): SIGSEGV, which kills it unless
// a handler of it can run, as Linux's force_sigsegv.
static void frame_refused(struct trapframe *frame, uint64_t at)
{
	frame->far = at;
	fault_signal(frame, XINIM_SIGSEGV, SI_KERNEL, at, "bad signal frame");
}

void signal_deliver(struct trapframe *frame)
{
	struct thread *self = sched_current();
	struct proc *proc = self->proc;
	int restart = self->restart;
	self->restart = 0;
	struct xinim_pm_signal ask = { .who = proc->endpoint, .tid = self->tid, .sp = frame->sp };
	struct xinim_pm_signal_reply r = { 0 };
	const struct xinim_msg *reply;
	long err = ipc_kernel_call(XINIM_PID_PM, XINIM_PM_SIGNAL, &ask, sizeof(ask), &reply);
	if (err == -EINTR)
		proc_end();	// ended meanwhile
	if (!err && reply->header.type == 0 && reply->header.length == sizeof(r))
		memcpy(&r, reply->payload, sizeof(r));
	if (restart)
		restart_settle(frame, restart, &r);
	if (r.signal && handler_enter(frame, &r))
		frame_refused(frame, r.frame);
}

void signal_return(struct trapframe *frame)
{
	uint64_t at = frame->sp;
	struct { uint64_t sp; int32_t flags, padding; uint64_t size; } stack;	// uc_stack
	struct xinim_pm_sigreturn back = { .who = proc_current()->endpoint,
					   .tid = sched_current()->tid };
	if ((at & 15) || user_read(&stack, at + XINIM_SIGFRAME_UC_STACK, sizeof(stack)) ||
	    user_read(&back.mask, at + XINIM_SIGFRAME_UC_SIGMASK, sizeof(back.mask)) ||
	    sigframe_restore(frame, at, &user_io)) {
		frame_refused(frame, at);
		return;
	}
	back.ss_flags = stack.flags;
	back.ss_sp = stack.sp;
	back.ss_size = stack.size;
	const struct xinim_msg *reply;
	if (ipc_kernel_call(XINIM_PID_PM, XINIM_PM_SIGRETURN, &back, sizeof(back), &reply) == -EINTR)
		proc_end();
}

// KCALL_PROC_SIGNAL: the thread is marked; PM learns which server's answer to a system
// call it waits for, so that the server may be asked to cut the call short.
static long signal_mark(struct thread *t, uint64_t unused)
{
	(void)unused;
	__atomic_fetch_or(&t->pending, PROC_PENDING_SIGNAL, __ATOMIC_SEQ_CST);
	return ipc_syscall_server(t);
}

long signal_kcall(struct trapframe *frame)
{
	return proc_thread_apply((xinim_endpoint_t)frame->x[0], (unsigned)frame->x[1], signal_mark, 0);
}

// The thread's sp, if it waits in a call to the caller (so that it stays as it is).
static long blocked_sp(struct thread *t, uint64_t unused)
{
	(void)unused;
	if (ipc_syscall_server(t) != proc_current()->pid)
		return -ESRCH;
	return (long)thread_user_frame(t)->sp;
}

long signal_kcall_thread_sp(struct trapframe *frame)
{
	return proc_thread_apply((xinim_endpoint_t)frame->x[0], (unsigned)frame->x[1], blocked_sp, 0);
}

void signal_stop_release(struct thread *thread)
{
	if (thread->stop_waiting)
		sched_wakeup(thread);
}

long signal_kcall_stop(struct trapframe *frame)
{
	struct proc *proc = proc_managed((xinim_endpoint_t)frame->x[0]);
	if (!proc)
		return -ESRCH;
	bool stop = frame->x[1] != 0;
	spin_lock(&proc->threads_lock);
	proc->stopped = stop;
	spin_unlock(&proc->threads_lock);
	proc_mark(proc, 0, stop ? PROC_PENDING_STOP : 0, stop ? NULL : signal_stop_release);
	proc_put(proc);
	return 0;
}

void signal_stop_wait(struct proc *proc)
{
	struct thread *self = sched_current();
	spin_lock(&proc->threads_lock);
	while (proc->stopped && !(__atomic_load_n(&self->pending, __ATOMIC_SEQ_CST) & PROC_PENDING_END)) {
		self->stop_waiting = true;
		sched_block(&proc->threads_lock);
		spin_lock(&proc->threads_lock);
	}
	self->stop_waiting = false;
	spin_unlock(&proc->threads_lock);
}
