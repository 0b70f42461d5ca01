// PM as a server: its thread serves pm_table and the test is the kernel delivering
// processes' system calls (host_ipc_kernel_call). What PM asks the kernel directly
// (random bytes, the end of a process, its log) is seen in <libipc/host_kcalls.h>.
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/syscalls.h>
#include <pm/pm.h>
#include "harness.h"

#define SIGSET_SIZE 8	// the kernel's sigset_t: 64 signals
#define BIT(sig) (UINT64_C(1) << ((sig) - 1))

// Linux's struct sigaction as rt_sigaction takes it: struct kernel_sigaction (pm.h).

static struct proc pm;
static xinim_endpoint_t who;	// the test's process, a fresh one for each test
static unsigned who_pid;

#define CALL(name, ...) SYSCALL(pm.endpoint, who, name, __VA_ARGS__)

static int group_setup(void **state)
{
	*state = &pm;
	host_kcalls_reset();
	return server_setup(&pm, XINIM_PID_PM, &pm_table);
}

static int fresh_process(void **state)
{
	(void)state;
	who = fresh_endpoint();
	who_pid = xinim_endpoint_pid(who);
	return 0;
}

static void test_identity_calls_name_the_caller(void **state)
{
	(void)state;
	assert_int_equal(CALL(getpid, 0), who_pid);
	assert_int_equal(CALL(gettid, 0), who_pid);	// a first thread's TID is the PID
	assert_int_equal(CALL(getppid, 0), 0);		// PM did not start it: no parent
	assert_int_equal(CALL(getuid, 0), 0);
	assert_int_equal(CALL(geteuid, 0), 0);
	assert_int_equal(CALL(getgid, 0), 0);
	assert_int_equal(CALL(getegid, 0), 0);
	assert_int_equal(CALL(set_tid_address, 0x1000), who_pid);
}

static void test_uname_is_copied_into_the_callers_memory(void **state)
{
	(void)state;
	struct utsname name;
	memset(&name, 0xa5, sizeof(name));
	assert_int_equal(CALL(uname, ADDR(&name)), 0);
	assert_string_equal(name.sysname, "XINIM");
	assert_string_equal(name.machine, "aarch64");
	assert_string_equal(name.release, "6.1.0-xinim");
	assert_int_equal(CALL(uname, 0), -EFAULT);
}

static void test_sysinfo_reports_the_kernels_memory_and_pms_processes(void **state)
{
	(void)state;
	struct {
		struct sysinfo info;
		uint8_t after[64];	// Linux's struct is 112 bytes: nothing past it is written
	} out;
	struct sysinfo *info_at = &out.info;
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(CALL(sysinfo, ADDR(info_at)), 0);
	for (size_t i = 112; i < sizeof(out); i++)
		assert_int_equal(((uint8_t *)&out)[i], 0xa5);
	struct sysinfo info = out.info;
	assert_int_equal(info.mem_unit, 1);
	assert_int_equal(info.totalram, (unsigned long)HOST_PAGES * HOST_PAGE_SIZE);
	assert_int_equal(info.freeram, info.totalram);	// no MM here: nothing is mapped
	assert_int_equal(info.totalswap, 0);
	assert_int_equal(info.loads[0], 0);
	assert_int_equal(CALL(sysinfo, 0), -EFAULT);
}

// Linux takes these arguments as int or unsigned int: the registers' upper bits are
// ignored (1 << 32 | SIGUSR1 is SIGUSR1).
static void test_32_bit_arguments_ignore_the_upper_bits(void **state)
{
	(void)state;
	const uint64_t high = UINT64_C(1) << 32;
	struct timespec now;
	assert_int_equal(CALL(clock_gettime, high | CLOCK_MONOTONIC, ADDR(&now)), 0);
	uint8_t bytes[16];
	assert_int_equal(CALL(getrandom, ADDR(bytes), sizeof(bytes), high), sizeof(bytes));
	uint64_t old[4], set = UINT64_C(1) << (SIGUSR2 - 1), mask;
	assert_int_equal(CALL(rt_sigaction, high | SIGUSR1, 0, ADDR(old), 8), 0);
	assert_int_equal(CALL(rt_sigprocmask, high | SIG_BLOCK, ADDR(&set), 0, 8), 0);
	assert_int_equal(CALL(rt_sigprocmask, SIG_BLOCK, 0, ADDR(&mask), 8), 0);
	assert_true(mask & set);
	assert_int_equal(CALL(rt_sigprocmask, SIG_UNBLOCK, ADDR(&set), 0, 8), 0);
	struct rlimit limit;
	assert_int_equal(CALL(prlimit64, high, high | RLIMIT_NOFILE, 0, ADDR(&limit)), 0);
	assert_int_equal(CALL(prlimit64, (uint64_t)-1, RLIMIT_NOFILE, 0, ADDR(&limit)), -ESRCH);
}

static void test_clock_gettime_is_monotonic_and_refuses_other_clocks(void **state)
{
	(void)state;
	struct timespec before, after, pause = { .tv_nsec = 2000000 };
	assert_int_equal(CALL(clock_gettime, CLOCK_MONOTONIC, ADDR(&before)), 0);
	nanosleep(&pause, NULL);
	assert_int_equal(CALL(clock_gettime, CLOCK_MONOTONIC, ADDR(&after)), 0);
	int64_t elapsed_ns = (after.tv_sec - before.tv_sec) * 1000000000 +
			     (after.tv_nsec - before.tv_nsec);
	assert_true(elapsed_ns >= 1000000);	// at least most of the pause
	assert_true(after.tv_nsec >= 0 && after.tv_nsec < 1000000000);
	assert_int_equal(CALL(clock_gettime, CLOCK_REALTIME, ADDR(&after)), 0);
	assert_int_equal(CALL(clock_gettime, CLOCK_PROCESS_CPUTIME_ID, ADDR(&after)), 0);
	assert_int_equal(CALL(clock_gettime, -8 * 1000 + 2, ADDR(&after)), -EINVAL);	// PID 999's
	assert_int_equal(CALL(clock_gettime, 99, ADDR(&after)), -EINVAL);
	assert_int_equal(CALL(clock_gettime, CLOCK_MONOTONIC, 0), -EFAULT);
}

static bool all_zero(const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bytes[i])
			return false;
	return true;
}

static void test_getrandom_fills_the_buffer_past_one_kernel_call(void **state)
{
	(void)state;
	uint8_t first[600] = { 0 }, second[600] = { 0 };	// the kernel gives 256 a call
	assert_int_equal(CALL(getrandom, ADDR(first), sizeof(first), 0), sizeof(first));
	assert_int_equal(CALL(getrandom, ADDR(second), sizeof(second), GRND_NONBLOCK),
			 sizeof(second));
	assert_false(all_zero(first + 512, 88));	// the last, partial chunk too
	assert_memory_not_equal(first, second, sizeof(first));
	assert_int_equal(CALL(getrandom, ADDR(first), 16, 0x80), -EINVAL);
	assert_int_equal(CALL(getrandom, ADDR(first), 16, GRND_RANDOM | GRND_INSECURE), -EINVAL);
	assert_int_equal(CALL(getrandom, 0, 16, 0), -EFAULT);
	assert_int_equal(CALL(getrandom, ADDR(first), 0, 0), 0);
}

// The kernel sends no system call that names no process; one that does (a fuzzer found a
// getrandom of caller 0 that PM parked in a slot it took for free, never to answer it)
// is refused before any handler runs.
static void test_a_system_call_naming_no_caller_is_refused(void **state)
{
	(void)state;
	static uint8_t buffer[100000];
	for (unsigned i = 0; i < 2; i++) {
		xinim_endpoint_t nobody = i ? XINIM_ENDPOINT_NONE : XINIM_ENDPOINT_KERNEL;
		assert_int_equal(SYSCALL(pm.endpoint, nobody, getrandom, ADDR(buffer), sizeof(buffer), 0),
				 -EINVAL);
		assert_int_equal(SYSCALL(pm.endpoint, nobody, getpid, 0), -EINVAL);
	}
	assert_int_equal(CALL(getrandom, ADDR(buffer), sizeof(buffer), 0), sizeof(buffer));
}

static void test_getrandom_longer_than_a_slice_fills_it_all_and_checks_the_range(void **state)
{
	(void)state;
	static uint8_t big[3 * 64 * 1024 + 100];	// more than three of PM's slices
	assert_int_equal(CALL(getrandom, ADDR(big), sizeof(big), 0), sizeof(big));
	assert_false(all_zero(big + sizeof(big) - 64, 64));
	assert_int_equal(CALL(getrandom, UINT64_C(0xffff000000001000), 16, 0), -EFAULT);
	assert_int_equal(CALL(getrandom, (UINT64_C(1) << 48) - 8, 16, 0), -EFAULT);
}

static void test_rt_sigaction_keeps_actions_and_returns_the_old_one(void **state)
{
	(void)state;
	struct kernel_sigaction act = { .handler = 0x401234, .flags = 0x4000000,
					.restorer = 0x405678, .mask = BIT(SIGUSR1) | BIT(SIGKILL) };
	struct kernel_sigaction old;
	memset(&old, 0xa5, sizeof(old));
	assert_int_equal(CALL(rt_sigaction, SIGINT, ADDR(&act), ADDR(&old), SIGSET_SIZE), 0);
	assert_int_equal(old.handler, 0);	// SIG_DFL at first
	assert_int_equal(old.mask, 0);
	assert_int_equal(CALL(rt_sigaction, SIGINT, 0, ADDR(&old), SIGSET_SIZE), 0);
	assert_int_equal(old.handler, act.handler);
	assert_int_equal(old.restorer, act.restorer);
	assert_int_equal(old.mask, BIT(SIGUSR1));	// SIGKILL cannot be blocked
	assert_int_equal(CALL(rt_sigaction, SIGTERM, 0, ADDR(&old), SIGSET_SIZE), 0);
	assert_int_equal(old.handler, 0);		// per signal
}

static void test_rt_sigaction_refuses_sigkill_sigstop_and_bad_arguments(void **state)
{
	(void)state;
	struct kernel_sigaction act = { .handler = 1 }, old;
	assert_int_equal(CALL(rt_sigaction, SIGKILL, ADDR(&act), 0, SIGSET_SIZE), -EINVAL);
	assert_int_equal(CALL(rt_sigaction, SIGSTOP, ADDR(&act), 0, SIGSET_SIZE), -EINVAL);
	assert_int_equal(CALL(rt_sigaction, SIGKILL, 0, ADDR(&old), SIGSET_SIZE), 0);
	assert_int_equal(CALL(rt_sigaction, 0, ADDR(&act), 0, SIGSET_SIZE), -EINVAL);
	assert_int_equal(CALL(rt_sigaction, 65, ADDR(&act), 0, SIGSET_SIZE), -EINVAL);
	assert_int_equal(CALL(rt_sigaction, SIGINT, ADDR(&act), 0, 4), -EINVAL);
	assert_int_equal(CALL(rt_sigaction, SIGINT, 0, ADDR(&old), SIGSET_SIZE), 0);
	assert_int_equal(old.handler, 0);	// nothing was set
}

static uint64_t blocked(void)
{
	uint64_t mask = ~UINT64_C(0);
	assert_int_equal(CALL(rt_sigprocmask, SIG_BLOCK, 0, ADDR(&mask), SIGSET_SIZE), 0);
	return mask;
}

static void test_rt_sigprocmask_blocks_all_but_sigkill_and_sigstop(void **state)
{
	(void)state;
	uint64_t set = BIT(SIGINT) | BIT(SIGKILL), old = ~UINT64_C(0);
	assert_int_equal(CALL(rt_sigprocmask, SIG_BLOCK, ADDR(&set), ADDR(&old), SIGSET_SIZE), 0);
	assert_int_equal(old, 0);
	assert_int_equal(blocked(), BIT(SIGINT));
	set = BIT(SIGUSR1) | BIT(SIGSTOP);
	assert_int_equal(CALL(rt_sigprocmask, SIG_BLOCK, ADDR(&set), 0, SIGSET_SIZE), 0);
	assert_int_equal(blocked(), BIT(SIGINT) | BIT(SIGUSR1));
	set = BIT(SIGINT);
	assert_int_equal(CALL(rt_sigprocmask, SIG_UNBLOCK, ADDR(&set), ADDR(&old), SIGSET_SIZE), 0);
	assert_int_equal(old, BIT(SIGINT) | BIT(SIGUSR1));
	assert_int_equal(blocked(), BIT(SIGUSR1));
	set = BIT(SIGTERM);
	assert_int_equal(CALL(rt_sigprocmask, SIG_SETMASK, ADDR(&set), 0, SIGSET_SIZE), 0);
	assert_int_equal(blocked(), BIT(SIGTERM));
	assert_int_equal(CALL(rt_sigprocmask, 7, ADDR(&set), 0, SIGSET_SIZE), -EINVAL);
	assert_int_equal(CALL(rt_sigprocmask, SIG_BLOCK, ADDR(&set), 0, 4), -EINVAL);
	assert_int_equal(blocked(), BIT(SIGTERM));
}

static void test_signal_state_is_fresh_for_a_new_instance_of_the_pid(void **state)
{
	(void)state;
	uint64_t set = BIT(SIGINT);
	assert_int_equal(CALL(rt_sigprocmask, SIG_BLOCK, ADDR(&set), 0, SIGSET_SIZE), 0);
	who = xinim_endpoint(who_pid, 2);
	assert_int_equal(blocked(), 0);
}

static void test_prlimit64_reads_and_sets_the_callers_own_limits(void **state)
{
	(void)state;
	struct rlimit limit, next = { 1 << 20, RLIM_INFINITY };
	assert_int_equal(CALL(prlimit64, 0, RLIMIT_NOFILE, 0, ADDR(&limit)), 0);
	assert_int_equal(limit.rlim_cur, 128);	// VFS's fd table
	assert_int_equal(limit.rlim_max, 128);
	assert_int_equal(CALL(prlimit64, who_pid, RLIMIT_STACK, ADDR(&next), ADDR(&limit)), 0);
	assert_int_equal(limit.rlim_cur, 8 << 20);	// the old value
	assert_int_equal(CALL(prlimit64, 0, RLIMIT_STACK, 0, ADDR(&limit)), 0);
	assert_int_equal(limit.rlim_cur, 1 << 20);
	assert_int_equal(limit.rlim_max, RLIM_INFINITY);
}

static void test_prlimit64_refuses_others_bad_resources_and_cur_above_max(void **state)
{
	(void)state;
	struct rlimit limit, inverted = { 10, 5 };
	assert_int_equal(CALL(prlimit64, who_pid + 1, RLIMIT_NOFILE, 0, ADDR(&limit)), -ESRCH);
	assert_int_equal(CALL(prlimit64, 0, RLIM_NLIMITS, 0, ADDR(&limit)), -EINVAL);
	assert_int_equal(CALL(prlimit64, 0, RLIMIT_NOFILE, ADDR(&inverted), 0), -EINVAL);
	assert_int_equal(CALL(prlimit64, 0, RLIMIT_NOFILE, 0, ADDR(&limit)), 0);
	assert_int_equal(limit.rlim_cur, 128);	// unchanged
}

static unsigned occurrences(const char *text, const char *part)
{
	unsigned count = 0;
	for (const char *at = text; (at = strstr(at, part)); at++)
		count++;
	return count;
}

static void test_unserved_calls_are_enosys_and_named_in_the_log_once(void **state)
{
	(void)state;
	assert_int_equal(CALL(ptrace, 0, 0, 0), -ENOSYS);
	assert_int_equal(CALL(ptrace, 0, 0, 0), -ENOSYS);
	assert_int_equal(kernel_syscall(pm.endpoint, who, 5000, (const uint64_t[6]){ 0 }), -ENOSYS);
	assert_int_equal(kernel_syscall(pm.endpoint, who, 6000, (const uint64_t[6]){ 0 }), -ENOSYS);
	const char *log = host_debug_text();
	assert_int_equal(occurrences(log, "system call 117 (ptrace)"), 1);
	assert_int_equal(occurrences(log, "(unknown)"), 1);	// past the table: counted together
	assert_int_equal(occurrences(log, "system call 5000 (unknown)"), 1);
}

static void test_exit_ends_the_process_with_the_kernel(void **state)
{
	(void)state;
	struct host_proc_call calls[HOST_PROC_CALLS];
	unsigned before = host_proc_calls(calls, HOST_PROC_CALLS);
	assert_int_equal(CALL(exit_group, 3), 0);
	unsigned count = host_proc_calls(calls, HOST_PROC_CALLS);
	assert_int_equal(count, before + 1);
	assert_int_equal(calls[count - 1].number, KCALL_PROC_END);
	assert_int_equal(calls[count - 1].target, who);
	assert_null(strstr(host_debug_text(), "exited with status 3"));	// only init's end
										// is logged
}

// The newest process call (KCALL_PROC_* or KCALL_POWER_OFF) PM made; back 1: the one
// before it.
static struct host_proc_call proc_call_newest(unsigned back)
{
	struct host_proc_call calls[HOST_PROC_CALLS];
	unsigned count = host_proc_calls(calls, HOST_PROC_CALLS);
	assert_true(count > back);
	return calls[count - 1 - back];
}

static void test_exit_of_another_process_leaves_the_machine_on(void **state)
{
	(void)state;
	assert_int_equal(CALL(exit_group, 0), 0);
	assert_int_equal(proc_call_newest(0).number, KCALL_PROC_END);
	assert_int_equal(proc_call_newest(0).target, who);
	assert_null(strstr(host_debug_text(), "init exited"));
}

static void test_init_exit_powers_the_machine_off(void **state)
{
	(void)state;
	xinim_endpoint_t init = xinim_endpoint(XINIM_PID_INIT, 1);
	assert_int_equal(SYSCALL(pm.endpoint, init, exit_group, 3), 0);
	assert_int_equal(proc_call_newest(1).number, KCALL_PROC_END);	// init is gone first
	assert_int_equal(proc_call_newest(1).target, init);
	assert_int_equal(proc_call_newest(0).number, KCALL_POWER_OFF);
	const char *log = host_debug_text();
	assert_non_null(strstr(log, "pm: process 1 (?) exited with status 3\npm: free memory "));
	assert_non_null(strstr(log, " KiB before init\ninit exited with status 3; powering off\n"));
	assert_null(strstr(log, "panic"));
	assert_null(strstr(log, "killed"));
}

static void test_init_exit_halt_leaves_the_machine_on(void **state)
{
	(void)state;
	host_boot_args_set("run=pm,vfs,mm init=/bin/x init.exit=halt");
	xinim_endpoint_t init = xinim_endpoint(XINIM_PID_INIT, 2);
	assert_int_equal(SYSCALL(pm.endpoint, init, exit_group, 4), 0);
	host_boot_args_set(NULL);
	assert_int_equal(proc_call_newest(0).number, KCALL_PROC_END);
	assert_int_equal(proc_call_newest(0).target, init);
	assert_non_null(strstr(host_debug_text(),
			       "init exited with status 4; not powering off (init.exit=halt)\n"));
}

static void test_init_exit_with_an_unknown_option_says_so_and_powers_off(void **state)
{
	(void)state;
	host_boot_args_set("init.exit=reboot init.exit=halt");	// the first one decides
	xinim_endpoint_t init = xinim_endpoint(XINIM_PID_INIT, 3);
	assert_int_equal(SYSCALL(pm.endpoint, init, exit_group, 5), 0);
	host_boot_args_set(NULL);
	assert_int_equal(proc_call_newest(0).number, KCALL_POWER_OFF);
	const char *log = host_debug_text();
	assert_non_null(strstr(log, "pm: init.exit=reboot is neither poweroff nor halt"));
	assert_non_null(strstr(log, "init exited with status 5; powering off\n"));
}

// XINIM_PM_DEATH about target with cause and signal, from the kernel (for target's
// dying thread) or from the test itself (a process): PM's result.
static long death(bool from_kernel, xinim_endpoint_t target, uint16_t cause, uint16_t signal)
{
	struct xinim_pm_death d = { .who = target, .cause = cause, .signal = signal,
				    .esr = 0x92000006, .pc = 0x401000 };
	struct xinim_msg msg = { .header = { .type = XINIM_PM_DEATH, .length = sizeof(d) } };
	memcpy(msg.payload, &d, sizeof(d));
	return from_kernel ? host_ipc_kernel_call(pm.endpoint, target, &msg, CALL_TIMEOUT_US)
			   : ipc_call(pm.endpoint, &msg, CALL_TIMEOUT_US);
}

static void test_a_process_the_kernel_killed_is_ended_as_by_exit(void **state)
{
	(void)state;
	assert_int_equal(death(true, who, XINIM_DEATH_FAULT, SIGSEGV), 0);
	assert_int_equal(proc_call_newest(0).number, KCALL_PROC_END);
	assert_int_equal(proc_call_newest(0).target, who);
	char line[64];
	snprintf(line, sizeof(line), "pm: process %u (?) killed by SIGSEGV\n", who_pid);
	assert_non_null(strstr(host_debug_text(), line));
	assert_null(strstr(host_debug_text(), "init killed"));
}

static void test_an_out_of_memory_kill_says_so(void **state)
{
	(void)state;
	assert_int_equal(death(true, who, XINIM_DEATH_NO_MEMORY, SIGKILL), 0);
	char line[64];
	snprintf(line, sizeof(line), "pm: process %u (?) killed by SIGKILL (out of memory)\n",
		 who_pid);
	assert_non_null(strstr(host_debug_text(), line));
}

static void test_init_killed_powers_off_naming_the_signal(void **state)
{
	(void)state;
	xinim_endpoint_t init = xinim_endpoint(XINIM_PID_INIT, 4);
	assert_int_equal(death(true, init, XINIM_DEATH_FAULT, SIGBUS), 0);
	assert_int_equal(proc_call_newest(1).number, KCALL_PROC_END);
	assert_int_equal(proc_call_newest(1).target, init);
	assert_int_equal(proc_call_newest(0).number, KCALL_POWER_OFF);
	assert_non_null(strstr(host_debug_text(), "pm: process 1 (?) killed by SIGBUS\npm: free memory "));
	assert_non_null(strstr(host_debug_text(), " KiB before init\ninit killed by SIGBUS; powering off\n"));
}

// Only the kernel ends a process on its own account; a bad notice changes nothing.
static void test_a_death_notice_not_from_the_kernel_or_malformed_is_refused(void **state)
{
	(void)state;
	struct host_proc_call calls[HOST_PROC_CALLS];
	unsigned before = host_proc_calls(calls, HOST_PROC_CALLS);
	assert_int_equal(death(false, who, XINIM_DEATH_FAULT, SIGSEGV), -EPERM);
	assert_int_equal(death(true, who, XINIM_DEATH_FAULT, 0), -EINVAL);
	assert_int_equal(death(true, who, XINIM_DEATH_FAULT, 65), -EINVAL);
	assert_int_equal(death(true, who, 7, SIGSEGV), -EINVAL);
	assert_int_equal(host_proc_calls(calls, HOST_PROC_CALLS), before);
}

#define TEST(name) cmocka_unit_test_setup(name, fresh_process)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_identity_calls_name_the_caller),
		TEST(test_uname_is_copied_into_the_callers_memory),
		TEST(test_sysinfo_reports_the_kernels_memory_and_pms_processes),
		TEST(test_32_bit_arguments_ignore_the_upper_bits),
		TEST(test_clock_gettime_is_monotonic_and_refuses_other_clocks),
		TEST(test_getrandom_fills_the_buffer_past_one_kernel_call),
		TEST(test_a_system_call_naming_no_caller_is_refused),
		TEST(test_getrandom_longer_than_a_slice_fills_it_all_and_checks_the_range),
		TEST(test_rt_sigaction_keeps_actions_and_returns_the_old_one),
		TEST(test_rt_sigaction_refuses_sigkill_sigstop_and_bad_arguments),
		TEST(test_rt_sigprocmask_blocks_all_but_sigkill_and_sigstop),
		TEST(test_signal_state_is_fresh_for_a_new_instance_of_the_pid),
		TEST(test_prlimit64_reads_and_sets_the_callers_own_limits),
		TEST(test_prlimit64_refuses_others_bad_resources_and_cur_above_max),
		TEST(test_unserved_calls_are_enosys_and_named_in_the_log_once),
		TEST(test_exit_ends_the_process_with_the_kernel),
		TEST(test_exit_of_another_process_leaves_the_machine_on),
		TEST(test_init_exit_powers_the_machine_off),
		TEST(test_init_exit_halt_leaves_the_machine_on),
		TEST(test_init_exit_with_an_unknown_option_says_so_and_powers_off),
		TEST(test_a_process_the_kernel_killed_is_ended_as_by_exit),
		TEST(test_an_out_of_memory_kill_says_so),
		TEST(test_init_killed_powers_off_naming_the_signal),
		TEST(test_a_death_notice_not_from_the_kernel_or_malformed_is_refused),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
