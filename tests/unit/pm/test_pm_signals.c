// PM's signal state machine (servers/pm/signals.c, signal_send.c, signal_frame.c,
// stop.c), hosted: PM serves in its thread, and the test is the kernel, delivering the
// processes' system calls and its own calls (XINIM_PM_SIGNAL, _SIGRETURN, _DEATH) with
// the process as caller, so that PM's copies reach the test's memory. What PM asks of
// the kernel (KCALL_PROC_SIGNAL, _STOP, _END) is read back from the emulation.
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/runtime.h>
#include <xinim/sigframe.h>
#include <pm/pm.h>
#include "harness.h"

#define SIGSET 8
#define BIT(sig) (UINT64_C(1) << ((sig) - 1))
#define HANDLER 0x400000

static struct proc pm;
static uint8_t stack[16384] __attribute__((aligned(16)));	// where frames go

static int group_setup(void **state)
{
	*state = &pm;
	host_kcalls_reset();
	return server_setup(&pm, XINIM_PID_PM, &pm_table);
}

static int group_teardown(void **state)
{
	(void)state;
	server_stop(&pm);
	return 0;
}

// A process PM made (the kernel's emulation made it too), child of parent, one thread.
static xinim_endpoint_t made(xinim_endpoint_t parent)
{
	xinim_endpoint_t self = (xinim_endpoint_t)xinim_kcall(KCALL_PROC_NEW, 0, (long)"test");
	struct process *p = process_at(xinim_endpoint_pid(self));
	*p = (struct process){ .self = self, .parent = parent, .managed = true,
			       .pgid = xinim_endpoint_pid(self), .sid = 1 };
	thread_start(self, xinim_endpoint_pid(self), NULL);
	return self;
}

// The kernel's last process call of number for target: its first argument (tid, stop),
// or -1 if there was none since `since` calls.
static long last_call(long number, xinim_endpoint_t target, unsigned since)
{
	static struct host_proc_call calls[64];
	unsigned n = host_proc_calls(calls, 64);
	for (unsigned i = n; i-- > since && i < n;)
		if (calls[i].number == number && calls[i].target == target)
			return (long)calls[i].a;
	return -1;
}

static unsigned calls_now(void)
{
	static struct host_proc_call calls[64];
	return host_proc_calls(calls, 64);
}

static void catch(xinim_endpoint_t who, int signal, uint64_t flags, uint64_t mask)
{
	struct kernel_sigaction a = { .handler = HANDLER, .flags = flags, .mask = mask };
	assert_int_equal(SYSCALL(pm.endpoint, who, rt_sigaction, signal, ADDR(&a), 0, SIGSET), 0);
}

static uint64_t blocked(xinim_endpoint_t who)
{
	uint64_t mask = 0;
	assert_int_equal(SYSCALL(pm.endpoint, who, rt_sigprocmask, SIG_BLOCK, 0, ADDR(&mask),
				 SIGSET), 0);
	return mask;
}

// The kernel asks for who's signal (XINIM_PM_SIGNAL) with sp at the top of `stack`.
static struct xinim_pm_signal_reply taken(xinim_endpoint_t who)
{
	struct xinim_pm_signal ask = { .who = who, .sp = ADDR(stack + sizeof(stack)) };
	struct xinim_msg msg = { .header = { .type = XINIM_PM_SIGNAL, .length = sizeof(ask) } };
	memcpy(msg.payload, &ask, sizeof(ask));
	assert_int_equal(host_ipc_kernel_call(pm.endpoint, who, &msg, 1000000), 0);
	struct xinim_pm_signal_reply r;
	assert_int_equal(msg.header.length, sizeof(r));
	memcpy(&r, msg.payload, sizeof(r));
	return r;
}

static void test_a_caught_signal_is_sent_for_and_framed(void **state)
{
	(void)state;
	xinim_endpoint_t p = made(XINIM_ENDPOINT_NONE);
	catch(p, SIGUSR1, SA_SIGINFO, BIT(SIGUSR2));
	unsigned since = calls_now();
	assert_int_equal(SYSCALL(pm.endpoint, p, kill, xinim_endpoint_pid(p), SIGUSR1), 0);
	assert_int_equal(last_call(KCALL_PROC_SIGNAL, p, since), xinim_endpoint_pid(p));
	struct xinim_pm_signal_reply r = taken(p);
	assert_int_equal(r.signal, SIGUSR1);
	assert_int_equal(r.handler, HANDLER);
	assert_int_equal(r.restorer, XINIM_SIGRETURN_TRAMPOLINE);	// no SA_RESTORER
	assert_int_equal(r.frame, xinim_sigframe_at(ADDR(stack + sizeof(stack))));
	const siginfo_t *info = (const siginfo_t *)(uintptr_t)(r.frame + XINIM_SIGFRAME_INFO);
	assert_int_equal(info->si_signo, SIGUSR1);
	assert_int_equal(info->si_code, SI_USER);
	assert_int_equal(info->si_pid, (pid_t)xinim_endpoint_pid(p));
	uint64_t saved;
	memcpy(&saved, (const void *)(uintptr_t)(r.frame + XINIM_SIGFRAME_UC_SIGMASK), 8);
	assert_int_equal(saved, 0);	// the mask before the handler
	assert_int_equal(blocked(p), BIT(SIGUSR1) | BIT(SIGUSR2));	// sa_mask and itself
	assert_int_equal(taken(p).signal, 0);	// nothing more
	// rt_sigreturn: the frame's mask back.
	struct xinim_pm_sigreturn back = { .who = p, .mask = saved, .ss_flags = SS_DISABLE };
	struct xinim_msg msg = { .header = { .type = XINIM_PM_SIGRETURN, .length = sizeof(back) } };
	memcpy(msg.payload, &back, sizeof(back));
	assert_int_equal(host_ipc_kernel_call(pm.endpoint, p, &msg, 1000000), 0);
	assert_int_equal(blocked(p), 0);
}

static void test_blocked_signals_wait_and_ignored_ones_go(void **state)
{
	(void)state;
	xinim_endpoint_t p = made(XINIM_ENDPOINT_NONE);
	catch(p, SIGUSR2, SA_NODEFER | SA_RESETHAND, 0);
	uint64_t mask = BIT(SIGUSR2);
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigprocmask, SIG_BLOCK, ADDR(&mask), 0, SIGSET), 0);
	unsigned since = calls_now();
	assert_int_equal(SYSCALL(pm.endpoint, p, kill, xinim_endpoint_pid(p), SIGUSR2), 0);
	assert_int_equal(SYSCALL(pm.endpoint, p, kill, xinim_endpoint_pid(p), SIGCHLD), 0);
	assert_int_equal(last_call(KCALL_PROC_SIGNAL, p, since), -1);	// blocked: nothing sent
	uint64_t pending = 0;
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigpending, ADDR(&pending), SIGSET), 0);
	assert_int_equal(pending, BIT(SIGUSR2));	// SIGCHLD's default is to ignore: dropped
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigprocmask, SIG_UNBLOCK, ADDR(&mask), 0, SIGSET), 0);
	assert_true(last_call(KCALL_PROC_SIGNAL, p, since) > 0);	// sent for as it unblocks
	struct xinim_pm_signal_reply r = taken(p);
	assert_int_equal(r.signal, SIGUSR2);
	assert_int_equal(blocked(p), 0);	// SA_NODEFER
	struct kernel_sigaction now;
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigaction, SIGUSR2, 0, ADDR(&now), SIGSET), 0);
	assert_int_equal(now.handler, (uint64_t)(uintptr_t)SIG_DFL);	// SA_RESETHAND
}

static void test_a_default_death_ends_the_process_and_tells_its_parent(void **state)
{
	(void)state;
	xinim_endpoint_t parent = made(XINIM_ENDPOINT_NONE), child = made(parent);
	catch(parent, SIGCHLD, SA_SIGINFO, 0);
	unsigned since = calls_now();
	assert_int_equal(SYSCALL(pm.endpoint, parent, kill, xinim_endpoint_pid(child), SIGTERM), 0);
	assert_true(process_of(child)->zombie);
	assert_true(WIFSIGNALED(process_of(child)->status) &&
		    WTERMSIG(process_of(child)->status) == SIGTERM);
	assert_int_equal(last_call(KCALL_PROC_END, child, since), 0);
	struct xinim_pm_signal_reply r = taken(parent);
	assert_int_equal(r.signal, SIGCHLD);
	const siginfo_t *info = (const siginfo_t *)(uintptr_t)(r.frame + XINIM_SIGFRAME_INFO);
	assert_int_equal(info->si_code, CLD_KILLED);
	assert_int_equal(info->si_status, SIGTERM);
	assert_int_equal(info->si_pid, (pid_t)xinim_endpoint_pid(child));
}

static void test_stops_and_continues_are_reported(void **state)
{
	(void)state;
	xinim_endpoint_t parent = made(XINIM_ENDPOINT_NONE), child = made(parent);
	unsigned since = calls_now();
	assert_int_equal(SYSCALL(pm.endpoint, parent, kill, xinim_endpoint_pid(child), SIGSTOP), 0);
	assert_int_equal(last_call(KCALL_PROC_STOP, child, since), 1);
	int status = 0;
	assert_int_equal(SYSCALL(pm.endpoint, parent, wait4, xinim_endpoint_pid(child),
				 ADDR(&status), WUNTRACED | WNOHANG, 0), xinim_endpoint_pid(child));
	assert_true(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	assert_int_equal(SYSCALL(pm.endpoint, parent, wait4, xinim_endpoint_pid(child),
				 ADDR(&status), WUNTRACED | WNOHANG, 0), 0);	// reported once
	since = calls_now();
	assert_int_equal(SYSCALL(pm.endpoint, parent, kill, xinim_endpoint_pid(child), SIGCONT), 0);
	assert_int_equal(last_call(KCALL_PROC_STOP, child, since), 0);
	assert_int_equal(SYSCALL(pm.endpoint, parent, wait4, xinim_endpoint_pid(child),
				 ADDR(&status), WCONTINUED | WNOHANG, 0), xinim_endpoint_pid(child));
	assert_true(WIFCONTINUED(status));
	// A stop with a handler for SIGTSTP is the handler's; SIGKILL ends a stopped process.
	catch(child, SIGTSTP, 0, 0);
	since = calls_now();
	assert_int_equal(SYSCALL(pm.endpoint, parent, kill, xinim_endpoint_pid(child), SIGTSTP), 0);
	assert_int_equal(last_call(KCALL_PROC_STOP, child, since), -1);
	assert_int_equal(SYSCALL(pm.endpoint, parent, kill, xinim_endpoint_pid(child), SIGKILL), 0);
	assert_true(process_of(child)->zombie);
}

static void test_a_fault_is_caught_only_by_a_handler_it_may_run(void **state)
{
	(void)state;
	xinim_endpoint_t p = made(XINIM_ENDPOINT_NONE), q = made(XINIM_ENDPOINT_NONE);
	catch(p, SIGSEGV, SA_SIGINFO, 0);
	struct xinim_pm_death d = { .who = p, .cause = XINIM_DEATH_FAULT, .signal = SIGSEGV,
				    .address = 0x10, .code = SEGV_MAPERR };
	struct xinim_msg msg = { .header = { .type = XINIM_PM_DEATH, .length = sizeof(d) } };
	memcpy(msg.payload, &d, sizeof(d));
	assert_int_equal(host_ipc_kernel_call(pm.endpoint, p, &msg, 1000000), XINIM_DEATH_CAUGHT);
	struct xinim_pm_signal_reply r = taken(p);
	assert_int_equal(r.signal, SIGSEGV);
	assert_true(r.flags & XINIM_SIGNAL_FAULT);
	const siginfo_t *info = (const siginfo_t *)(uintptr_t)(r.frame + XINIM_SIGFRAME_INFO);
	assert_int_equal(info->si_code, SEGV_MAPERR);
	assert_int_equal((uintptr_t)info->si_addr, 0x10);
	// Again while the handler runs (SIGSEGV blocked): it kills, as Linux's force_sig.
	d.who = p;
	memcpy(msg.payload, &d, sizeof(d));
	msg.header.type = XINIM_PM_DEATH;
	msg.header.length = sizeof(d);
	assert_int_equal(host_ipc_kernel_call(pm.endpoint, p, &msg, 1000000), 0);
	assert_null(process_of(p));	// no parent: forgotten
	d.who = q;	// no handler at all
	memcpy(msg.payload, &d, sizeof(d));
	msg.header.type = XINIM_PM_DEATH;
	msg.header.length = sizeof(d);
	assert_int_equal(host_ipc_kernel_call(pm.endpoint, q, &msg, 1000000), 0);
	assert_null(process_of(q));
}

static void test_sigtimedwait_takes_a_blocked_signal_with_its_siginfo(void **state)
{
	(void)state;
	xinim_endpoint_t p = made(XINIM_ENDPOINT_NONE);
	uint64_t set = BIT(SIGUSR1);
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigprocmask, SIG_BLOCK, ADDR(&set), 0, SIGSET), 0);
	siginfo_t given = { .si_code = SI_QUEUE, .si_value.sival_int = 77 };
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigqueueinfo, xinim_endpoint_pid(p), SIGUSR1,
				 ADDR(&given)), 0);
	given.si_code = SI_USER;	// the kernel's code: not for another process
	xinim_endpoint_t other = made(XINIM_ENDPOINT_NONE);
	assert_int_equal(SYSCALL(pm.endpoint, other, rt_sigqueueinfo, xinim_endpoint_pid(p),
				 SIGUSR1, ADDR(&given)), -EPERM);
	siginfo_t info;
	struct timespec zero = { 0, 0 };
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigtimedwait, ADDR(&set), ADDR(&info),
				 ADDR(&zero), SIGSET), SIGUSR1);
	assert_int_equal(info.si_code, SI_QUEUE);
	assert_int_equal(info.si_value.sival_int, 77);
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigtimedwait, ADDR(&set), ADDR(&info),
				 ADDR(&zero), SIGSET), -EAGAIN);
}

static void test_real_time_signals_queue_and_standard_ones_do_not(void **state)
{
	(void)state;
	xinim_endpoint_t p = made(XINIM_ENDPOINT_NONE);
	const int rt = 40;
	uint64_t set = BIT(rt) | BIT(SIGUSR2);
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigprocmask, SIG_BLOCK, ADDR(&set), 0, SIGSET), 0);
	for (int v = 1; v <= 3; v++) {
		siginfo_t given = { .si_code = SI_QUEUE, .si_value.sival_int = v };
		assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigqueueinfo, xinim_endpoint_pid(p), rt,
					 ADDR(&given)), 0);
		assert_int_equal(SYSCALL(pm.endpoint, p, kill, xinim_endpoint_pid(p), SIGUSR2), 0);
	}
	siginfo_t info;
	struct timespec zero = { 0, 0 };
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigtimedwait, ADDR(&set), ADDR(&info),
				 ADDR(&zero), SIGSET), SIGUSR2);	// the lowest first
	for (int v = 1; v <= 3; v++) {	// each instance, in order, with its value
		assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigtimedwait, ADDR(&set), ADDR(&info),
					 ADDR(&zero), SIGSET), rt);
		assert_int_equal(info.si_value.sival_int, v);
	}
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigtimedwait, ADDR(&set), ADDR(&info),
				 ADDR(&zero), SIGSET), -EAGAIN);	// one SIGUSR2 only
	siginfo_t given = { .si_code = SI_QUEUE };
	long last = 0;
	for (int n = 0; n < SIGNAL_QUEUE + 2 && last == 0; n++)
		last = SYSCALL(pm.endpoint, p, rt_sigqueueinfo, xinim_endpoint_pid(p), rt, ADDR(&given));
	assert_int_equal(last, -EAGAIN);	// the queue is full
	struct kernel_sigaction ignore = { .handler = (uint64_t)(uintptr_t)SIG_IGN };
	assert_int_equal(SYSCALL(pm.endpoint, p, rt_sigaction, rt, ADDR(&ignore), 0, SIGSET), 0);
	assert_int_equal(process_of(p)->queued, 0);	// ignoring drops every instance
}

static void test_a_thread_gets_what_is_sent_to_it(void **state)
{
	(void)state;
	xinim_endpoint_t p = made(XINIM_ENDPOINT_NONE);
	unsigned tid = process_free_pid();
	thread_start(p, tid, NULL);
	catch(p, SIGUSR1, 0, 0);
	unsigned since = calls_now();
	assert_int_equal(SYSCALL(pm.endpoint, p, tgkill, xinim_endpoint_pid(p), tid, SIGUSR1), 0);
	assert_int_equal(last_call(KCALL_PROC_SIGNAL, p, since), tid);
	assert_int_equal(taken(p).signal, 0);	// the first thread has none
	assert_int_equal(SYSCALL(pm.endpoint, p, tgkill, xinim_endpoint_pid(p) + 1, tid, SIGUSR1),
			 -ESRCH);
	assert_true(thread_at(tid)->pending & BIT(SIGUSR1));
}

// The kernel passes on a server's answer that raises signal in who (XINIM_PM_RAISE).
static struct xinim_pm_raise_reply raised(xinim_endpoint_t who, int signal, uint32_t flags)
{
	struct xinim_pm_raise ask = { .who = who, .signal = (uint32_t)signal, .flags = flags,
				      .value = -XINIM_ERESTARTSYS };
	struct xinim_msg msg = { .header = { .type = XINIM_PM_RAISE, .length = sizeof(ask) } };
	memcpy(msg.payload, &ask, sizeof(ask));
	assert_int_equal(host_ipc_kernel_call(pm.endpoint, who, &msg, 1000000), 0);
	struct xinim_pm_raise_reply r;
	assert_int_equal(msg.header.length, sizeof(r));
	memcpy(&r, msg.payload, sizeof(r));
	return r;
}

static void test_a_raise_follows_linux_tty_job_control(void **state)
{
	(void)state;
	xinim_endpoint_t shell = made(XINIM_ENDPOINT_NONE), job = made(shell);
	xinim_endpoint_t orphan = made(XINIM_ENDPOINT_NONE);	// no parent in the session
	unsigned since = calls_now();
	struct xinim_pm_raise_reply r = raised(job, SIGTTIN, XINIM_RAISE_JOB_CONTROL);
	assert_int_equal(r.value, -XINIM_ERESTARTSYS);	// made again once continued
	assert_int_equal(r.again, 0);
	assert_int_equal(last_call(KCALL_PROC_STOP, job, since), 1);	// SIGTTIN stops it
	struct kernel_sigaction ignore = { .handler = (uint64_t)(uintptr_t)SIG_IGN };
	assert_int_equal(SYSCALL(pm.endpoint, job, rt_sigaction, SIGTTOU, ADDR(&ignore), 0, SIGSET), 0);
	assert_int_equal(raised(job, SIGTTOU, XINIM_RAISE_JOB_CONTROL).again, 1);	// let through
	assert_int_equal(SYSCALL(pm.endpoint, job, rt_sigaction, SIGTTIN, ADDR(&ignore), 0, SIGSET), 0);
	assert_int_equal(raised(job, SIGTTIN, XINIM_RAISE_JOB_CONTROL).value, -EIO);
	since = calls_now();
	assert_int_equal(raised(orphan, SIGTTOU, XINIM_RAISE_JOB_CONTROL).value, -EIO);
	assert_int_equal(last_call(KCALL_PROC_STOP, orphan, since), -1);	// no signal
	catch(shell, SIGUSR1, 0, 0);	// a signal for the thread alone (SIGPIPE's kind)
	since = calls_now();
	assert_int_equal(raised(shell, SIGUSR1, 0).value, -XINIM_ERESTARTSYS);
	assert_int_equal(last_call(KCALL_PROC_SIGNAL, shell, since), xinim_endpoint_pid(shell));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_caught_signal_is_sent_for_and_framed),
		cmocka_unit_test(test_a_raise_follows_linux_tty_job_control),
		cmocka_unit_test(test_blocked_signals_wait_and_ignored_ones_go),
		cmocka_unit_test(test_a_default_death_ends_the_process_and_tells_its_parent),
		cmocka_unit_test(test_stops_and_continues_are_reported),
		cmocka_unit_test(test_a_fault_is_caught_only_by_a_handler_it_may_run),
		cmocka_unit_test(test_sigtimedwait_takes_a_blocked_signal_with_its_siginfo),
		cmocka_unit_test(test_real_time_signals_queue_and_standard_ones_do_not),
		cmocka_unit_test(test_a_thread_gets_what_is_sent_to_it),
	};
	(void)argc, (void)argv;
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
