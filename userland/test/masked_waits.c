// Waits under their own signal mask (ppoll, pselect6, epoll_pwait), run as PID 1
// (tests/boot/masked_waits.sh): a signal the call's mask lets through ends the wait at
// once if pending, or when it comes (EINTR, its handler run), and the thread's own mask
// is back afterwards; one the call's mask blocks neither ends the wait nor runs; a mask
// size but 8 is EINVAL. It prints each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PREFIX "masked_waits: "
#include "check.h"

static volatile sig_atomic_t caught;
static sigset_t seen_in_handler;	// the thread's mask while the handler ran

static void on_usr1(int signal)
{
	caught++;
	sigprocmask(SIG_BLOCK, NULL, &seen_in_handler);
	(void)signal;
}

static sigset_t only(int signal)
{
	sigset_t set;
	sigemptyset(&set);
	if (signal)
		sigaddset(&set, signal);
	return set;
}

// Whether the thread's mask blocks SIGUSR1 now.
static int usr1_blocked(void)
{
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, SIGUSR1);
}

enum wait_kind { PPOLL, PSELECT, EPOLL };

// One wait of kind with no fd ready, under mask, for ms: its result and errno.
static int wait_masked(enum wait_kind kind, const sigset_t *mask, int ms, int *error)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000 };
	int result = -1;
	if (kind == PPOLL) {
		result = ppoll(NULL, 0, &t, mask);
	} else if (kind == PSELECT) {
		result = pselect(0, NULL, NULL, NULL, &t, mask);
	} else {
		int ep = epoll_create1(EPOLL_CLOEXEC);
		struct epoll_event event;
		result = epoll_pwait(ep, &event, 1, ms, mask);
		int saved = errno;
		close(ep);
		errno = saved;
	}
	*error = errno;
	return result;
}

static const char *const names[] = { "ppoll", "pselect", "epoll_pwait" };

static void pending_let_through(enum wait_kind kind)
{
	char what[160];
	sigset_t none = only(0), both = only(SIGUSR1);
	sigaddset(&both, SIGUSR2);
	sigprocmask(SIG_SETMASK, &both, NULL);
	raise(SIGUSR1);	// pending: the thread blocks it
	caught = 0;
	int error = 0, result = wait_masked(kind, &none, 5000, &error);
	sigset_t after;
	sigprocmask(SIG_BLOCK, NULL, &after);
	snprintf(what, sizeof(what),
		 "%s: a pending signal its mask lets through: EINTR at once, the handler ran under "
		 "the call's mask, the thread's own back", names[kind]);
	check(result == -1 && error == EINTR && caught == 1 &&
	      !sigismember(&seen_in_handler, SIGUSR2) && sigismember(&after, SIGUSR1) &&
	      sigismember(&after, SIGUSR2), what);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void blocked_by_the_call(enum wait_kind kind)
{
	char what[128];
	sigset_t none = only(0), usr1 = only(SIGUSR1);
	sigprocmask(SIG_SETMASK, &usr1, NULL);
	raise(SIGUSR1);	// pending
	caught = 0;
	int error = 0, result = wait_masked(kind, &usr1, 30, &error);
	int during = caught;
	sigprocmask(SIG_SETMASK, &none, NULL);	// now it is taken
	snprintf(what, sizeof(what),
		 "%s: a signal its mask blocks: the timeout, then the signal once unblocked",
		 names[kind]);
	check(result == 0 && during == 0 && caught == 1, what);
}

static void comes_during(enum wait_kind kind)
{
	char what[128];
	sigset_t none = only(0), usr1 = only(SIGUSR1);
	sigprocmask(SIG_SETMASK, &usr1, NULL);
	caught = 0;
	pid_t parent = getpid(), child = fork();
	if (child == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	int error = 0, result = wait_masked(kind, &none, 20000, &error);
	snprintf(what, sizeof(what),
		 "%s: a signal that comes while it waits ends it (EINTR), the thread's mask back",
		 names[kind]);
	check(result == -1 && error == EINTR && caught == 1 && usr1_blocked(), what);
	waitpid(child, NULL, 0);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct sigaction action = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &action, NULL);
	for (enum wait_kind kind = PPOLL; kind <= EPOLL; kind++) {
		pending_let_through(kind);
		blocked_by_the_call(kind);
		comes_during(kind);
	}
	sigset_t none = only(0);
	struct timespec zero = { 0, 0 };
	check(syscall(SYS_ppoll, NULL, 0, &zero, &none, 4) == -1 && errno == EINVAL,
	      "a mask size other than 8: EINVAL");
	check(syscall(SYS_ppoll, NULL, 0, &zero, (void *)16, 8) == -1 && errno == EFAULT,
	      "a mask at a bad address: EFAULT");
	check(ppoll(NULL, 0, &zero, &none) == 0 && !usr1_blocked(),
	      "a mask and nothing to wait for: 0, the mask as it was");
	return check_summary();
}
