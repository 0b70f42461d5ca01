// Signals delivered for real (docs/processes.md, Signals), run as PID 1
// (tests/boot/signals.sh): handlers with their siginfo and Linux's frame, the FP/SIMD
// registers back after a handler, masks and pending signals, a SIGSEGV handler that
// recovers with siglongjmp, a handler installed without SA_RESTORER (the trampoline),
// SA_RESTART vs EINTR, sigsuspend, sigtimedwait, sigaltstack, stops and continues seen
// by the parent, default actions and every status macro, SIGCHLD, and init's immunity.
// It prints each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PREFIX "signals: "
#include "check.h"

static volatile sig_atomic_t caught, caught_code, caught_pid;
static volatile uintptr_t caught_addr, caught_value, caught_stack;

static volatile int onstack_seen;

static void on_info(int signal, siginfo_t *info, void *context)
{
	(void)context;
	stack_t now;
	onstack_seen = sigaltstack(NULL, &now) == 0 && now.ss_flags == SS_ONSTACK;
	now.ss_flags = 0;	// (musl refuses SS_ONSTACK itself)
	onstack_seen = onstack_seen && sigaltstack(&now, NULL) == -1 && errno == EPERM;
	caught = signal;
	caught_code = info->si_code;
	caught_pid = info->si_pid;
	caught_value = (uintptr_t)info->si_value.sival_ptr;
	caught_stack = (uintptr_t)&signal;
}

static void on_plain(int signal) { caught = signal; }

static void catch(int signal, void (*handler)(int, siginfo_t *, void *), int flags)
{
	struct sigaction a = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO | flags };
	sigaction(signal, &a, NULL);
}

static void handlers(void)
{
	catch(SIGUSR1, on_info, 0);
	caught = 0;
	raise(SIGUSR1);
	check(caught == SIGUSR1 && caught_code == SI_TKILL && caught_pid == getpid(),
	      "raise: the handler ran before raise returned, with si_code SI_TKILL and si_pid");
	caught = 0;
	kill(getpid(), SIGUSR1);
	check(caught == SIGUSR1 && caught_code == SI_USER, "kill of itself: handled at once, SI_USER");
	union sigval v = { .sival_int = 42 };
	caught = 0;
	sigqueue(getpid(), SIGUSR1, v);
	check(caught == SIGUSR1 && caught_code == SI_QUEUE && caught_value == 42,
	      "sigqueue: si_code SI_QUEUE and si_value 42");
}

// d16 (caller-saved) holds a pattern across a kill whose handler zeroes it.
static void on_clobber(int signal)
{
	caught = signal;
	__asm__ volatile("fmov d16, xzr\n\tmovi v17.16b, #0" ::: "v16", "v17");
}

static void fp_registers(void)
{
	signal(SIGUSR2, on_clobber);
	uint64_t pattern = 0x0123456789abcdefull, out;
	register long x0 __asm__("x0") = getpid();
	register long x1 __asm__("x1") = SIGUSR2;
	register long x8 __asm__("x8") = SYS_kill;
	caught = 0;
	__asm__ volatile("fmov d16, %[in]\n\tsvc #0\n\tfmov %[out], d16"
			 : [out] "=r"(out), "+r"(x0) : [in] "r"(pattern), "r"(x1), "r"(x8)
			 : "v16", "memory");
	check(caught == SIGUSR2 && out == pattern,
	      "the FP/SIMD registers are the program's again after a handler that changed them");
}

static void masks(void)
{
	sigset_t block, pending, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	catch(SIGUSR1, on_info, 0);
	sigprocmask(SIG_BLOCK, &block, &old);
	caught = 0;
	kill(getpid(), SIGUSR1);
	sigpending(&pending);
	int held = caught == 0 && sigismember(&pending, SIGUSR1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	check(held && caught == SIGUSR1,
	      "a blocked signal stays pending (sigpending), and runs as sigprocmask unblocks it");
	signal(SIGUSR1, SIG_IGN);
	kill(getpid(), SIGUSR1);
	check(1, "an ignored signal is dropped");
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(getpid(), SIGUSR1);
	signal(SIGUSR1, SIG_IGN);	// POSIX: setting SIG_IGN drops it even while blocked
	sigpending(&pending);
	sigprocmask(SIG_SETMASK, &old, NULL);
	check(!sigismember(&pending, SIGUSR1), "SIG_IGN drops a pending blocked signal");
}

static sigjmp_buf recover;

static void on_segv(int signal, siginfo_t *info, void *context)
{
	(void)context;
	caught = signal;
	caught_code = info->si_code;
	caught_addr = (uintptr_t)info->si_addr;
	siglongjmp(recover, 1);
}

static void faults(void)
{
	catch(SIGSEGV, on_segv, 0);
	caught = 0;
	if (!sigsetjmp(recover, 1))
		*(volatile int *)0x10 = 1;
	check(caught == SIGSEGV && caught_code == SEGV_MAPERR && caught_addr == 0x10,
	      "a SIGSEGV handler sees si_addr and SEGV_MAPERR, and recovers with siglongjmp");
	caught = 0;
	if (!sigsetjmp(recover, 1))
		*(volatile int *)(uintptr_t)&faults = 1;	// its own text: mapped, read-only
	check(caught == SIGSEGV && caught_code == SEGV_ACCERR, "a write to text: SEGV_ACCERR");
	sigset_t mask;
	sigprocmask(SIG_SETMASK, NULL, &mask);
	check(!sigismember(&mask, SIGSEGV), "siglongjmp put the mask back");
	signal(SIGSEGV, SIG_DFL);
}

// A handler installed with the raw call, without SA_RESTORER (glibc's way): it returns
// through the trampoline every process has.
static void trampoline(void)
{
	struct { void (*handler)(int); unsigned long flags; void *restorer; uint64_t mask; } a = {
		on_plain, 0, NULL, 0 };
	syscall(SYS_rt_sigaction, SIGUSR2, &a, NULL, 8);
	caught = 0;
	kill(getpid(), SIGUSR2);
	check(caught == SIGUSR2, "a handler without SA_RESTORER returns through the trampoline");
}

static void restarts(void)
{
	errno = 0;
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		usleep(30000);
		_exit(5);
	}
	catch(SIGUSR1, on_info, 0);
	caught = 0;
	int status = 0;
	pid_t first = waitpid(pid, &status, 0);
	int err = errno;
	pid_t second = waitpid(pid, &status, 0);
	check(first == -1 && err == EINTR && caught == SIGUSR1 && second == pid,
	      "a handler without SA_RESTART: waitpid fails with EINTR");
	pid = fork();
	if (pid == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		usleep(30000);
		_exit(6);
	}
	catch(SIGUSR1, on_info, SA_RESTART);
	caught = 0;
	first = waitpid(pid, &status, 0);
	check(first == pid && caught == SIGUSR1 && WEXITSTATUS(status) == 6,
	      "a handler with SA_RESTART: waitpid goes on and returns the child");
	pid = fork();
	if (pid == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	struct timespec t = { 5, 0 }, rem = { 0, 0 };
	int slept = nanosleep(&t, &rem);
	err = errno;
	waitpid(pid, NULL, 0);
	check(slept == -1 && err == EINTR && rem.tv_sec >= 3 && rem.tv_sec <= 5,
	      "nanosleep ends with EINTR, even under SA_RESTART, and gives the time left");
}

static void pausing(void)
{
	catch(SIGUSR1, on_info, SA_RESTART);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	caught = 0;
	int r = pause();
	int err = errno;
	waitpid(pid, NULL, 0);
	check(r == -1 && err == EINTR && caught == SIGUSR1,
	      "pause (ppoll in VFS): a handler ends it with EINTR, even under SA_RESTART");
}

static void waits_for_signals(void)
{
	sigset_t block, old, none;
	sigemptyset(&block);
	sigemptyset(&none);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);
	catch(SIGUSR1, on_info, 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	caught = 0;
	int r = sigsuspend(&none);
	int err = errno;
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	waitpid(pid, NULL, 0);
	check(r == -1 && err == EINTR && caught == SIGUSR1 && sigismember(&now, SIGUSR1),
	      "sigsuspend: the handler ran, EINTR, and the mask is back");
	pid = fork();
	if (pid == 0) {
		usleep(20000);
		sigqueue(getppid(), SIGUSR2, (union sigval){ .sival_int = 7 });
		_exit(0);
	}
	siginfo_t info;
	int got = sigwaitinfo(&block, &info);
	waitpid(pid, NULL, 0);
	check(got == SIGUSR2 && info.si_code == SI_QUEUE && info.si_value.sival_int == 7 &&
	      info.si_pid == pid, "sigwaitinfo takes a queued signal with its value and sender");
	struct timespec t = { 0, 20000000 };
	got = sigtimedwait(&block, &info, &t);
	check(got == -1 && errno == EAGAIN, "sigtimedwait times out with EAGAIN");
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void altstack(void)
{
	static char area[64 * 1024];
	stack_t ss = { .ss_sp = area, .ss_size = sizeof(area) }, old;
	check(sigaltstack(&ss, &old) == 0 && old.ss_flags == SS_DISABLE,
	      "sigaltstack: none at first, one set");
	catch(SIGUSR1, on_info, SA_ONSTACK);
	caught = 0;
	raise(SIGUSR1);
	check(caught == SIGUSR1 && caught_stack > (uintptr_t)area &&
	      caught_stack < (uintptr_t)area + sizeof(area), "an SA_ONSTACK handler runs on it");
	check(onstack_seen, "on it, sigaltstack says SS_ONSTACK and refuses a change (EPERM)");
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	stack_t tiny = { .ss_sp = area, .ss_size = 100 };
	check(sigaltstack(&tiny, NULL) == -1 && errno == ENOMEM, "a stack under MINSIGSTKSZ: ENOMEM");
}

static void job_control(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			usleep(10000);
	}
	int status = 0;
	kill(pid, SIGSTOP);
	pid_t got = waitpid(pid, &status, WUNTRACED);
	check(got == pid && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP,
	      "SIGSTOP: the parent's WUNTRACED wait sees WIFSTOPPED, WSTOPSIG SIGSTOP");
	kill(pid, SIGCONT);
	got = waitpid(pid, &status, WCONTINUED);
	check(got == pid && WIFCONTINUED(status), "SIGCONT: WCONTINUED sees WIFCONTINUED");
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGTERM);	// pending while stopped, then deadly once continued
	kill(pid, SIGCONT);
	got = waitpid(pid, &status, 0);
	check(got == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	      "a SIGTERM sent while stopped kills once SIGCONT comes");
	pid = fork();
	if (pid == 0) {
		for (;;)
			usleep(10000);
	}
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGKILL);
	check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "SIGKILL ends a stopped child");
}

static void default_actions(void)
{
	int status = 0;
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		raise(SIGTERM);
		raise(SIGURG);	// ignored by default
		raise(SIGQUIT);	// terminate, no core (RLIMIT_CORE is 0)
		_exit(1);
	}
	check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGQUIT && !WCOREDUMP(status),
	      "SIGTERM ignored, SIGURG ignored by default, SIGQUIT: WIFSIGNALED, no WCOREDUMP");
	pid = fork();
	if (pid == 0) {
		struct rlimit core = { RLIM_INFINITY, RLIM_INFINITY };
		setrlimit(RLIMIT_CORE, &core);
		abort();
	}
	check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGABRT && WCOREDUMP(status),
	      "abort with RLIMIT_CORE: WTERMSIG SIGABRT and WCOREDUMP");
	pid = fork();
	if (pid == 0)
		_exit(3);
	siginfo_t info = { 0 };
	check(waitid(P_PID, (id_t)pid, &info, WEXITED) == 0 && info.si_code == CLD_EXITED &&
	      info.si_status == 3 && info.si_pid == pid, "waitid: CLD_EXITED with status 3");
}

static volatile sig_atomic_t child_code, child_pid;

static void on_child(int signal, siginfo_t *info, void *context)
{
	(void)signal, (void)context;
	child_code = info->si_code;
	child_pid = info->si_pid;
}

static void sigchld(void)
{
	catch(SIGCHLD, on_child, SA_RESTART);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int status;
	waitpid(pid, &status, 0);
	check(child_code == CLD_EXITED && child_pid == pid, "SIGCHLD: CLD_EXITED from the child");
	signal(SIGCHLD, SIG_IGN);	// children reaped by the system
	pid = fork();
	if (pid == 0)
		_exit(0);
	check(waitpid(pid, &status, 0) == -1 && errno == ECHILD,
	      "SIGCHLD ignored: no zombie, the wait finds ECHILD");
	signal(SIGCHLD, SIG_DFL);
}

static void init_immune(void)
{
	signal(SIGTERM, SIG_DFL);
	kill(getpid(), SIGTERM);
	kill(1, SIGINT);
	check(getpid() == 1, "init takes no signal whose action is the default");
}

int main(void)
{
	handlers();
	fp_registers();
	masks();
	faults();
	trampoline();
	restarts();
	pausing();
	waits_for_signals();
	altstack();
	job_control();
	default_actions();
	sigchld();
	init_immune();
	return check_summary();
}
