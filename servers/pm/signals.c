// Signal bookkeeping: each process's actions and blocked mask (in its record), as
// rt_sigaction and rt_sigprocmask keep them. Delivery comes later; nothing is ever raised yet.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "pm.h"

#define SIGNALS SIGNAL_MAX


static const uint64_t unblockable = 1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1);

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

bool signals_sound(const struct process *p)
{
	const struct kernel_sigaction unset = { 0 };
	if (p->blocked & unblockable ||
	    memcmp(&p->actions[SIGKILL - 1], &unset, sizeof(unset)) != 0 ||
	    memcmp(&p->actions[SIGSTOP - 1], &unset, sizeof(unset)) != 0)
		return false;
	for (unsigned s = 0; s < SIGNALS; s++)
		if (p->actions[s].mask & unblockable)
			return false;
	return true;
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
	if (!err && act) {
		next.mask &= ~unblockable;
		*slot = next;
	}
	return err;
}

long pm_rt_sigprocmask(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int how = (int)call.args[0];	// an int: the register's upper bits are ignored
	uint64_t set = call.args[1], old = call.args[2], mask;
	struct process *s = process_record(call.caller);
	if (call.args[3] != sizeof(uint64_t) || !s)
		return -EINVAL;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	long err = set ? ipc_copy_from(call.caller, &mask, set, sizeof(mask)) : 0;
	if (!err && old)
		err = ipc_copy_to(call.caller, old, &s->blocked, sizeof(s->blocked));
	if (err || !set)
		return err;
	s->blocked = how == SIG_BLOCK ? s->blocked | mask
		   : how == SIG_UNBLOCK ? s->blocked & ~mask : mask;
	s->blocked &= ~unblockable;
	return 0;
}

// execve's part (POSIX, Linux's flush_signal_handlers): a caught signal goes back to its
// default action, an ignored one stays ignored, and no action keeps flags or a mask.
// The blocked mask is kept.
void signals_exec(struct process *p)
{
	for (unsigned i = 0; i < SIGNAL_MAX; i++) {
		struct kernel_sigaction *a = &p->actions[i];
		*a = (struct kernel_sigaction){ .handler = a->handler == 1 ? 1 : 0 };	// SIG_IGN,
											// SIG_DFL
	}
}
