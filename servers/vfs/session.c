// The terminal's session and foreground process group: job control as Linux's
// drivers/tty/tty_jobctrl.c does it. The console is the controlling terminal of the
// session that took it (TIOCSCTTY) until that session's leader ends or lets it go; a
// process of that session outside the foreground group that reads it (or writes it
// with TOSTOP, or changes its settings) gets SIGTTIN (SIGTTOU) in its group, raised by
// PM through the answer (ipc_syscall_raise); the keyboard's signals wait here, in the
// terminal's kept state, until PM fetches them (XINIM_NOTE_TTY_SIGNALS, then
// XINIM_VFS_TTY_SIGNALS): VFS never calls PM. PM tells VFS each process's group and
// session (XINIM_VFS_PROC_CREDS).
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <xinim/ipc/vfs.h>
#include "vfs.h"

// who's group and session as PM told them (0: VFS has no table of who).
static uint32_t pgid_of(xinim_endpoint_t who)
{
	const struct process_creds *c = fd_creds(who);
	return c ? c->pgid : 0;
}

static uint32_t sid_of(xinim_endpoint_t who)
{
	const struct process_creds *c = fd_creds(who);
	return c ? c->sid : 0;
}

// Whether the terminal is who's controlling terminal: its session's.
static bool controls(const struct tty *t, xinim_endpoint_t who)
{
	return t->sid && (uint32_t)t->sid == sid_of(who);
}

// The call being served was made again because the signal its first answer raised was
// ignored or blocked (XINIM_SYSCALL_AGAIN): it goes through.
static bool let_through;

void tty_call(const struct ipc_request *request)
{
	let_through = ipc_syscall_of(request).number & XINIM_SYSCALL_AGAIN;
}

// Linux's __tty_check_change: 0 when who may go on, else the answer (signal raised in
// who's group by PM, or -EIO, or the call let through: XINIM_RAISE_JOB_CONTROL).
static long check_change(const struct tty *t, xinim_endpoint_t who, int signal)
{
	if (!controls(t, who) || !t->pgrp || (uint32_t)t->pgrp == pgid_of(who) || let_through)
		return 0;
	ipc_syscall_raise((uint32_t)signal, XINIM_RAISE_JOB_CONTROL);
	return -XINIM_ERESTARTSYS;
}

long tty_may_read(const struct tty *t, xinim_endpoint_t caller)
{
	return check_change(t, caller, SIGTTIN);
}

long tty_may_write(const struct tty *t, xinim_endpoint_t caller)
{
	return t->termios.lflag & TOSTOP ? check_change(t, caller, SIGTTOU) : 0;
}

long tty_may_change(const struct tty *t, xinim_endpoint_t caller)
{
	return check_change(t, caller, SIGTTOU);
}

void tty_signals_raise(struct tty *t, int32_t pgrp, uint32_t signals)
{
	struct tty_signal *entry = NULL;
	size_t max = sizeof(t->pending) / sizeof(t->pending[0]);
	for (size_t i = 0; i < max && pgrp > 0; i++)
		if (t->pending[i].pgrp == pgrp || (!t->pending[i].pgrp && !entry))
			entry = &t->pending[i];
	if (!entry)
		return;	// no group in the foreground, or too many groups signaled at once
	keep_change(entry, sizeof(*entry));
	entry->pgrp = pgrp;
	entry->signals |= signals;
	long pm = ipc_lookup(XINIM_PID_PM);
	if (pm > 0)
		ipc_notify((xinim_endpoint_t)pm, XINIM_NOTE_TTY_SIGNALS);
}

_Static_assert(sizeof(((struct tty *)0)->pending) / sizeof(struct tty_signal) ==
	       XINIM_TTY_SIGNALS_MAX, "every kept entry fits PM's reply");

long vfs_tty_signals(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_vfs_tty_signals taken = { 0 };
	if (!pm_sent(request, &taken, 0))
		return -EPERM;
	struct tty *t = vfs_console();
	long count = 0;
	for (size_t i = 0; i < sizeof(t->pending) / sizeof(t->pending[0]); i++)
		if (t->pending[i].pgrp)
			taken.pending[count++] = (struct xinim_tty_signal){ t->pending[i].pgrp,
									    t->pending[i].signals };
	keep_change(t->pending, sizeof(t->pending));
	memset(t->pending, 0, sizeof(t->pending));
	memcpy(reply->payload, &taken, sizeof(taken));
	reply->header.length = sizeof(taken);
	return count;
}

// TIOCSCTTY: a session leader without a terminal takes it, or steals it from another
// session (arg 1, root only).
static long take(struct tty *t, xinim_endpoint_t caller, uint64_t arg)
{
	const struct process_creds *c = fd_creds(caller);
	bool leader = sid_of(caller) == xinim_endpoint_pid(caller);
	if (leader && controls(t, caller))
		return 0;
	if (!leader || controls(t, caller))
		return -EPERM;
	if (t->sid && ((int)arg != 1 || (c && c->euid != 0)))
		return -EPERM;
	keep_change(t, sizeof(*t));
	t->sid = (int32_t)sid_of(caller);
	t->pgrp = (int32_t)pgid_of(caller);
	return 0;
}

// The session's leader lets the terminal go: its foreground group gets SIGHUP and
// SIGCONT, as Linux's disassociate_ctty.
static void let_go(struct tty *t)
{
	int32_t pgrp = t->pgrp;
	keep_change(t, sizeof(*t));
	t->sid = t->pgrp = 0;
	tty_signals_raise(t, pgrp, 1u << SIGHUP | 1u << SIGCONT);
}

// TIOCSPGRP: a group of the terminal's session becomes the foreground.
static long foreground(struct tty *t, xinim_endpoint_t caller, uint64_t arg)
{
	int32_t pgrp;
	long err = tty_may_change(t, caller);
	if (!err)
		err = ipc_copy_from(caller, &pgrp, arg, sizeof(pgrp));
	if (err)
		return err;
	if (pgrp < 0)
		return -EINVAL;
	uint32_t sid = fd_group_session((uint32_t)pgrp);
	if (!sid)
		return -ESRCH;
	if (sid != (uint32_t)t->sid)
		return -EPERM;
	keep_change(&t->pgrp, sizeof(t->pgrp));
	t->pgrp = pgrp;
	return 0;
}

long tty_session_ioctl(struct tty *t, xinim_endpoint_t caller, unsigned request, uint64_t arg)
{
	if (request == TIOCSCTTY)
		return take(t, caller, arg);
	if (request != TIOCNOTTY && request != TIOCGPGRP && request != TIOCSPGRP &&
	    request != TIOCGSID)
		return -ENOTTY;	// as Linux's tty layer answers a request it does not know
	if (!controls(t, caller))
		return -ENOTTY;	// not the caller's controlling terminal
	switch (request) {
	case TIOCNOTTY:
		if (sid_of(caller) == xinim_endpoint_pid(caller))
			let_go(t);
		return 0;
	case TIOCGPGRP:
		return ipc_copy_to(caller, arg, &t->pgrp, sizeof(t->pgrp));
	case TIOCGSID:
		return ipc_copy_to(caller, arg, &t->sid, sizeof(t->sid));
	default:
		return foreground(t, caller, arg);
	}
}

void tty_process_end(struct tty *t, xinim_endpoint_t who)
{
	if (t->sid && controls(t, who) && sid_of(who) == xinim_endpoint_pid(who))
		let_go(t);
}
