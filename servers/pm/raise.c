// Signals that other servers raise through PM, which alone decides about signals: one a
// server's answer raises in its caller (XINIM_PM_RAISE, the kernel's call in the
// caller's thread before it returns to EL0: SIGTTIN, SIGTTOU, later SIGPIPE), and those
// the keyboard raises in the terminal's foreground process group (VFS's
// XINIM_NOTE_TTY_SIGNALS: ^C, ^\, ^Z), and those VFS raises in single processes (its
// XINIM_NOTE_SIGNALS: a message queue's notification). VFS never calls PM: it notifies,
// and PM fetches.
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/vfs.h>
#include "pm.h"

// Sends signal to every live process of group pgid, from the kernel (Linux's
// kill_pgrp(pgrp, sig, 1): no permission to check).
static void group_raise(uint32_t pgid, int signal)
{
	const struct signal_info info = { .code = SI_KERNEL };
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct process *p = process_at(pid);
		if (p->self && p->managed && !p->zombie && p->pgid == pgid)
			signal_raise(p, signal, &info);
	}
}

// Linux's __tty_check_change, once VFS found the caller in a background group: the
// signal for the caller's group, or -EIO, or the call let through (again).
static struct xinim_pm_raise_reply job_control(struct process *p, const struct thread *t,
					       const struct xinim_pm_raise *ask)
{
	struct xinim_pm_raise_reply r = { .value = ask->value };
	int signal = (int)ask->signal;
	bool refused = (t->blocked & signal_bit(signal)) ||
		       p->actions[signal - 1].handler == (uint64_t)(uintptr_t)SIG_IGN;
	if (refused && signal == SIGTTIN)
		r.value = -EIO;
	else if (refused)
		r.again = 1;
	else if (group_orphaned(p->pgid))
		r.value = -EIO;
	else
		group_raise(p->pgid, signal);
	return r;
}

long pm_raise(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_pm_raise ask;
	if (!from_kernel(request, &ask, sizeof(ask)))
		return -EPERM;
	struct xinim_pm_raise_reply r = { .value = ask.value };
	struct process *p = process_of(ask.who);
	struct thread *t = p ? thread_named(ask.who, ask.tid) : NULL;
	if (t && !p->zombie && (ask.flags & XINIM_RAISE_MASK)) {
		bool pending = signal_mask_for_call(p, t, ask.mask);
		r.value = pending ? -XINIM_ERESTARTNOHAND : ask.value;
		r.again = !pending;
	} else if (t && !p->zombie && (ask.flags & XINIM_RAISE_UNMASK)) {
		signal_unmask_after_call(p, t, ask.value);
	} else if (t && !p->zombie && ask.signal >= 1 && ask.signal <= SIGNAL_MAX) {
		if (ask.flags & XINIM_RAISE_JOB_CONTROL)
			r = job_control(p, t, &ask);
		else
			signal_raise_thread(p, t, (int)ask.signal,
					    &(const struct signal_info){ .code = SI_KERNEL });
	}
	memcpy(reply->payload, &r, sizeof(r));
	reply->header.length = sizeof(r);
	return 0;
}

void tty_signals_fetch(void)
{
	long vfs = ipc_lookup(XINIM_PID_VFS);
	struct xinim_msg msg = { .header.type = XINIM_VFS_TTY_SIGNALS };
	long count = vfs < 0 ? vfs : ipc_call((xinim_endpoint_t)vfs, &msg, XINIM_WAIT_FOREVER);
	struct xinim_vfs_tty_signals got;
	if (count <= 0 || count > XINIM_TTY_SIGNALS_MAX || msg.header.length != sizeof(got))
		return;
	memcpy(&got, msg.payload, sizeof(got));
	for (long i = 0; i < count; i++)
		for (int signal = 1; signal < 32; signal++)
			if (got.pending[i].pgrp > 0 && (got.pending[i].signals & 1u << signal))
				group_raise((uint32_t)got.pending[i].pgrp, signal);
}

// One signal VFS raised for a process, with its siginfo (SI_MESGQ: sender, sigev_value).
static void vfs_signal_send(const struct xinim_vfs_signal *s)
{
	struct process *p = process_of(s->who);
	if (!p || p->zombie || s->signal < 1 || s->signal > SIGNAL_MAX)
		return;	// gone meanwhile, as a signal to an exited process
	const struct signal_info info = { .code = s->code, .pid = s->pid, .uid = s->uid,
					  .value = s->value };
	signal_raise(p, s->signal, &info);
}

void vfs_signals_fetch(void)
{
	long vfs = ipc_lookup(XINIM_PID_VFS), count;
	do {
		struct xinim_msg msg = { .header.type = XINIM_VFS_SIGNALS };
		count = vfs < 0 ? vfs : ipc_call((xinim_endpoint_t)vfs, &msg, XINIM_WAIT_FOREVER);
		struct xinim_vfs_signals got;
		if (count <= 0 || count > XINIM_VFS_SIGNALS_MAX || msg.header.length != sizeof(got))
			return;
		memcpy(&got, msg.payload, sizeof(got));
		for (long i = 0; i < count; i++)
			vfs_signal_send(&got.signal[i]);
	} while (count == XINIM_VFS_SIGNALS_MAX);
}
