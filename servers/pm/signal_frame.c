// A caught signal reaches its handler (docs/processes.md, Signals): on its way back to
// EL0 the thread asks (XINIM_PM_SIGNAL); PM takes the signal, places the frame (on the
// alternate stack if the action asks and the thread is not on it already), writes its
// siginfo and the POSIX part of the ucontext, and sets the mask the handler runs with;
// the kernel saves the registers into the frame and enters the handler. rt_sigreturn
// comes back (XINIM_PM_SIGRETURN) with the mask the frame holds. A fault the kernel
// reports becomes a pending signal when a handler can take it.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/pm.h>
#include <xinim/runtime.h>
#include <xinim/sigframe.h>
#include "pm.h"

#define DFL ((uint64_t)(uintptr_t)SIG_DFL)
#define IGN ((uint64_t)(uintptr_t)SIG_IGN)
#define SA_RESTORER_FLAG 0x04000000	// Linux's SA_RESTORER (musl hides it)
#define UNBLOCKABLE (signal_bit(SIGKILL) | signal_bit(SIGSTOP))

// The POSIX part of the frame, as Linux writes it (the machine's part is the kernel's).
struct frame_head {
	siginfo_t info;
	uint64_t uc_flags, uc_link;
	stack_t uc_stack;
	uint64_t uc_sigmask;
};

_Static_assert(__builtin_offsetof(struct frame_head, uc_stack) == XINIM_SIGFRAME_UC_STACK, "");
_Static_assert(__builtin_offsetof(struct frame_head, uc_sigmask) == XINIM_SIGFRAME_UC_SIGMASK, "");

// The handler of signal is to run in thread t of p, interrupted at sp: the frame
// written, the mask set, the answer for the kernel filled. false when the frame cannot
// be written (the process then dies of SIGSEGV, as Linux's force_sigsegv).
static bool handler_setup(struct process *p, struct thread *t, int signal,
			  const struct signal_info *info, bool fault, uint64_t sp,
			  struct xinim_pm_signal_reply *r)
{
	struct kernel_sigaction *a = &p->actions[signal - 1];
	bool onstack = signal_on_altstack(t, sp), disabled = t->altstack.flags & SS_DISABLE;
	uint64_t top = (a->flags & SA_ONSTACK) && !onstack && !disabled
			       ? t->altstack.sp + t->altstack.size : sp;
	struct frame_head head = {
		.uc_stack = { .ss_sp = (void *)(uintptr_t)t->altstack.sp,
			      .ss_size = t->altstack.size,
			      .ss_flags = disabled ? SS_DISABLE
					  : onstack ? SS_ONSTACK : t->altstack.flags },
		.uc_sigmask = t->mask_saved ? t->saved_mask : t->blocked,
	};
	signal_info_write(&head.info, signal, info);
	uint64_t at = xinim_sigframe_at(top);
	if (ipc_copy_to(p->self, at, &head, sizeof(head)))
		return false;
	*r = (struct xinim_pm_signal_reply){
		.signal = signal, .handler = a->handler, .frame = at,
		.restorer = (a->flags & SA_RESTORER_FLAG) ? a->restorer : XINIM_SIGRETURN_TRAMPOLINE,
		.flags = ((a->flags & SA_RESTART) ? XINIM_SIGNAL_RESTART : 0) |
			 (fault ? XINIM_SIGNAL_FAULT : 0),
	};
	t->blocked |= a->mask | ((a->flags & SA_NODEFER) ? 0 : signal_bit(signal));
	t->blocked &= ~UNBLOCKABLE;
	t->mask_saved = 0;
	if (top != sp && (t->altstack.flags & SS_AUTODISARM))
		t->altstack = (struct alternate_stack){ .flags = SS_DISABLE };
	if (a->flags & SA_RESETHAND)
		*a = (struct kernel_sigaction){ .handler = DFL };
	return true;
}

long pm_signal(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_pm_signal ask;
	struct xinim_pm_signal_reply r = { 0 };
	if (!from_kernel(request, &ask, sizeof(ask)))
		return -EPERM;
	struct process *p = process_of(ask.who);
	struct thread *t = p ? thread_named(ask.who, ask.tid) : NULL;
	if (t && !p->zombie) {
		thread_change(t);
		struct signal_info info;
		bool fault = false;
		int signal = signal_next(p, t, &info, &fault);
		if (signal && !handler_setup(p, t, signal, &info, fault, ask.sp, &r)) {
			process_signaled(p->self, SIGSEGV, false);
			r = (struct xinim_pm_signal_reply){ 0 };
		}
		if (!signal && t->mask_saved) {	// sigsuspend's mask back: no handler ran
			t->blocked = t->saved_mask;
			t->mask_saved = 0;
		}
		if (!p->zombie && ((p->pending | t->pending) & ~t->blocked))
			signal_consider(p);	// the next, on the handler's frame
	}
	memcpy(reply->payload, &r, sizeof(r));
	reply->header.length = sizeof(r);
	return 0;
}

long pm_sigreturn(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_pm_sigreturn back;
	if (!from_kernel(request, &back, sizeof(back)))
		return -EPERM;
	struct process *p = process_of(back.who);
	struct thread *t = p ? thread_named(back.who, back.tid) : NULL;
	if (!t)
		return 0;
	thread_change(t);
	t->blocked = back.mask & ~UNBLOCKABLE;
	// Linux's restore_altstack: the frame's uc_stack becomes the alternate stack again
	// (SS_AUTODISARM's disarming ends with the handler); a bad one is left as it was.
	int mode = back.ss_flags & ~SS_AUTODISARM;
	if (mode == SS_DISABLE || ((mode == 0 || mode == SS_ONSTACK) &&
				   back.ss_size >= (uint64_t)MINSIGSTKSZ))
		signal_altstack_set(t, back.ss_sp, back.ss_size, back.ss_flags & ~SS_ONSTACK);
	signal_consider(p);
	return 0;
}

long signal_fault(struct process *p, const struct xinim_pm_death *death)
{
	int signal = death->signal;
	uint64_t handler = p->actions[signal - 1].handler;
	struct thread *t = thread_named(p->self, death->tid);
	if (t && handler != DFL && handler != IGN && !(t->blocked & signal_bit(signal))) {
		keep_change(&t->pending, sizeof(t->pending) * 2);	// and synchronous
		t->pending |= signal_bit(signal);
		t->synchronous |= signal_bit(signal);
		keep_change(&p->info[signal - 1], sizeof(p->info[0]));
		p->info[signal - 1] = (struct signal_info){ .code = death->code,
							    .value = death->address };
		xinim_kcall(KCALL_PROC_SIGNAL, p->self, t->tid);
		return XINIM_DEATH_CAUGHT;
	}
	// Linux's force_sig_fault: blocked or ignored, the fault kills all the same.
	process_killed(p->self, signal, false);
	return 0;
}
