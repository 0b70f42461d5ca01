// PM's timers (servers/pm/timer.c, itimer.c) as a server: PM serves pm_table in its
// thread, whose timer fires the timers on the host's clock, and the test is the kernel
// delivering a process's system calls. Arming and reading back, expiry with its
// siginfo, intervals and overruns, the CPU-time clocks (the hosted kernel's CPU times),
// SIGEV_THREAD_ID, the errors, delete, exec and exit, and a take-over that drops a
// corrupt timer record. The real-time clock (servers/pm/realtime.c): the arithmetic
// from the kernel's time base (the RTC at a counter value), clock_settime's kept offset
// and its permission, gettimeofday, absolute CLOCK_REALTIME sleeps and timers, the
// take-over of the offset. The hosted kernel has no RTC (KCALL_TIME_BASE -ENOSYS): real
// time starts at the host counter's zero until set.
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/syscalls.h>
#include <pm/pm.h>
#include "harness.h"

#define SIGSET_SIZE 8
#define BIT(sig) (UINT64_C(1) << ((sig) - 1))
#define MS 1000000L
#define NS 1000000000LL
#define HZ 62500000ULL		// QEMU virt's counter
#define DATE 1795872000LL	// 2026-11-27 00:00:00 UTC
#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

// Linux's struct sigevent as timer_create takes it.
struct kernel_sigevent {
	uint64_t value;
	int32_t signo, notify, tid;
	int32_t pad[11];
};

static struct proc pm;
static struct pm_state kept;	// PM's state, for the take-over's test to corrupt
static xinim_endpoint_t who;

#define CALL(name, ...) SYSCALL(pm.endpoint, who, name, __VA_ARGS__)

// PM serves from the test's state, taken before it starts.
static int group_setup(void **state)
{
	*state = &pm;
	host_kcalls_reset();
	pm_state_take(&kept, KEEP_FRESH);
	return server_setup(&pm, XINIM_PID_PM, &pm_table);
}

// Each test starts from an empty state (emptied in place: PM's pointers into it hold).
static int fresh_process(void **state)
{
	(void)state;
	memset(&kept, 0, sizeof(kept));
	who = fresh_endpoint();	// a process PM made (rt_sigtimedwait's caller is one)
	unsigned pid = xinim_endpoint_pid(who);
	kept.processes[pid] = (struct process){ .self = who, .parent = XINIM_ENDPOINT_NONE,
						.managed = true, .pgid = pid, .sid = pid };
	thread_start(who, pid, NULL);
	return 0;
}

// A timer of who's on CLOCK_MONOTONIC that raises signal with value: its id.
static int32_t signal_timer(int signal, uint64_t value)
{
	struct kernel_sigevent e = { .value = value, .signo = signal, .notify = SIGEV_SIGNAL };
	int32_t id = -1;
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, ADDR(&e), ADDR(&id)), 0);
	return id;
}

static long settime(int32_t id, int flags, long value_ns, long interval_ns)
{
	struct itimerspec v = { { interval_ns / 1000000000, interval_ns % 1000000000 },
				{ value_ns / 1000000000, value_ns % 1000000000 } };
	return CALL(timer_settime, (uint64_t)id, (uint64_t)flags, ADDR(&v), 0);
}

static void block(int signal)
{
	uint64_t set = BIT(signal);
	assert_int_equal(CALL(rt_sigprocmask, SIG_BLOCK, ADDR(&set), 0, SIGSET_SIZE), 0);
}

// Waits (at most 5 s) for one of signal, blocked, as sigtimedwait: its number.
static long take(int signal, siginfo_t *info)
{
	uint64_t set = BIT(signal);
	struct timespec timeout = { 5, 0 };
	memset(info, 0, sizeof(*info));
	return CALL(rt_sigtimedwait, ADDR(&set), ADDR(info), ADDR(&timeout), SIGSET_SIZE);
}

static long ns_of(struct timespec t) { return t.tv_sec * 1000000000L + t.tv_nsec; }

static void test_an_armed_timer_reads_back_its_time_left(void **state)
{
	(void)state;
	int32_t id = signal_timer(SIGUSR1, 1);
	assert_true(id >= 0);
	assert_int_equal(settime(id, 0, 10000 * MS, 2000 * MS), 0);
	struct itimerspec got, off = { 0 };
	assert_int_equal(CALL(timer_gettime, (uint64_t)id, ADDR(&got)), 0);
	assert_true(ns_of(got.it_value) > 9000 * MS && ns_of(got.it_value) <= 10000 * MS);
	assert_int_equal(ns_of(got.it_interval), 2000 * MS);
	assert_int_equal(CALL(timer_settime, (uint64_t)id, 0, ADDR(&off), ADDR(&got)), 0);
	assert_true(ns_of(got.it_value) > 9000 * MS);	// the old value
	assert_int_equal(CALL(timer_gettime, (uint64_t)id, ADDR(&got)), 0);
	assert_int_equal(ns_of(got.it_value), 0);	// disarmed
	assert_int_equal(ns_of(got.it_interval), 0);
}

static void test_expiry_raises_the_signal_with_its_siginfo(void **state)
{
	(void)state;
	block(SIGUSR1);
	int32_t id = signal_timer(SIGUSR1, 0x1234);
	assert_int_equal(settime(id, 0, 2 * MS, 0), 0);
	siginfo_t info;
	assert_int_equal(take(SIGUSR1, &info), SIGUSR1);
	assert_int_equal(info.si_code, SI_TIMER);
	assert_int_equal(info.si_timerid, id);
	assert_int_equal(info.si_overrun, 0);
	assert_int_equal((uintptr_t)info.si_value.sival_ptr, 0x1234);
	struct itimerspec got;
	assert_int_equal(CALL(timer_gettime, (uint64_t)id, ADDR(&got)), 0);
	assert_int_equal(ns_of(got.it_value), 0);	// a one-shot: disarmed
}

static void test_an_absolute_time_fires_then(void **state)
{
	(void)state;
	block(SIGUSR1);
	int32_t id = signal_timer(SIGUSR1, 0);
	struct timespec now;
	assert_int_equal(CALL(clock_gettime, CLOCK_MONOTONIC, ADDR(&now)), 0);
	long at = ns_of(now) + 3 * MS;
	assert_int_equal(settime(id, TIMER_ABSTIME, at, 0), 0);
	siginfo_t info;
	assert_int_equal(take(SIGUSR1, &info), SIGUSR1);
	assert_int_equal(CALL(clock_gettime, CLOCK_MONOTONIC, ADDR(&now)), 0);
	assert_true(ns_of(now) >= at);
}

static void test_an_interval_counts_overruns_while_the_signal_is_pending(void **state)
{
	(void)state;
	block(SIGUSR2);
	int32_t id = signal_timer(SIGUSR2, 0);
	assert_int_equal(settime(id, 0, 2 * MS, 2 * MS), 0);
	struct timespec pause = { 0, 40 * MS };
	nanosleep(&pause, NULL);
	siginfo_t info;
	assert_int_equal(take(SIGUSR2, &info), SIGUSR2);
	assert_true(info.si_overrun >= 3);
	assert_int_equal(CALL(timer_getoverrun, (uint64_t)id), info.si_overrun);
	assert_int_equal(take(SIGUSR2, &info), SIGUSR2);	// reloaded: it fires again
	assert_int_equal(CALL(timer_delete, (uint64_t)id), 0);
}

static void test_setitimer_real_raises_sigalrm_and_reloads(void **state)
{
	(void)state;
	block(SIGALRM);
	struct itimerval v = { .it_interval = { 0, 2000 }, .it_value = { 0, 2000 } }, got;
	assert_int_equal(CALL(setitimer, ITIMER_REAL, ADDR(&v), 0), 0);
	siginfo_t info;
	assert_int_equal(take(SIGALRM, &info), SIGALRM);
	assert_int_equal(info.si_code, SI_KERNEL);
	assert_int_equal(take(SIGALRM, &info), SIGALRM);
	struct itimerval off = { 0 };
	assert_int_equal(CALL(setitimer, ITIMER_REAL, ADDR(&off), ADDR(&got)), 0);
	assert_int_equal(got.it_interval.tv_usec, 2000);
	assert_int_equal(CALL(getitimer, ITIMER_REAL, ADDR(&got)), 0);
	assert_int_equal(got.it_value.tv_sec + got.it_value.tv_usec, 0);
	v = (struct itimerval){ .it_value = { 7, 0 } };
	assert_int_equal(CALL(setitimer, ITIMER_REAL, ADDR(&v), 0), 0);
	assert_int_equal(CALL(getitimer, ITIMER_REAL, ADDR(&got)), 0);
	assert_true(got.it_value.tv_sec == 6 || (got.it_value.tv_sec == 7 && !got.it_value.tv_usec));
	assert_int_equal(CALL(setitimer, ITIMER_REAL, 0, 0), 0);	// NULL: disarmed
	assert_int_equal(CALL(getitimer, ITIMER_REAL, ADDR(&got)), 0);
	assert_int_equal(got.it_value.tv_sec + got.it_value.tv_usec, 0);
}

static void test_cpu_time_timers_follow_the_kernels_cpu_time(void **state)
{
	(void)state;
	block(SIGPROF);
	block(SIGUSR1);
	host_proc_times_set(who, 10 * MS, 0);
	struct kernel_sigevent e = { .signo = SIGUSR1, .notify = SIGEV_SIGNAL };
	int32_t id;
	assert_int_equal(CALL(timer_create, CLOCK_PROCESS_CPUTIME_ID, ADDR(&e), ADDR(&id)), 0);
	assert_int_equal(settime(id, 0, 1000 * MS, 0), 0);
	struct itimerspec got;
	assert_int_equal(CALL(timer_gettime, (uint64_t)id, ADDR(&got)), 0);
	assert_int_equal(ns_of(got.it_value), 1000 * MS);	// the process has not run since
	struct itimerval v = { .it_value = { 0, 50000 } };
	assert_int_equal(CALL(setitimer, ITIMER_PROF, ADDR(&v), 0), 0);
	host_proc_times_set(who, 40 * MS, 30 * MS);	// user and system: past 50 ms
	siginfo_t info;
	assert_int_equal(take(SIGPROF, &info), SIGPROF);
	assert_int_equal(CALL(timer_gettime, (uint64_t)id, ADDR(&got)), 0);
	assert_int_equal(ns_of(got.it_value), 940 * MS);
	host_proc_times_set(who, 2000 * MS, 0);
	assert_int_equal(take(SIGUSR1, &info), SIGUSR1);
	assert_int_equal(info.si_code, SI_TIMER);
}

static void test_sigev_thread_id_signals_that_thread(void **state)
{
	(void)state;
	assert_int_equal(CALL(getpid, 0), xinim_endpoint_pid(who));	// its first thread
	unsigned tid = xinim_endpoint_pid(fresh_endpoint());
	struct thread *t = thread_start(who, tid, NULL);
	t->blocked = BIT(SIGUSR1);
	struct kernel_sigevent e = { .signo = SIGUSR1, .notify = SIGEV_THREAD_ID, .tid = (int32_t)tid };
	int32_t id;
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, ADDR(&e), ADDR(&id)), 0);
	assert_int_equal(settime(id, 0, 1 * MS, 0), 0);
	struct timespec pause = { 0, 1 * MS };
	for (int i = 0; i < 5000 && !(__atomic_load_n(&t->pending, __ATOMIC_ACQUIRE) & BIT(SIGUSR1)); i++)
		nanosleep(&pause, NULL);
	assert_true(t->pending & BIT(SIGUSR1));
	assert_false(kept.processes[xinim_endpoint_pid(who)].pending & BIT(SIGUSR1));
	e.tid = (int32_t)xinim_endpoint_pid(fresh_endpoint());	// no thread of who's
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, ADDR(&e), ADDR(&id)), -EINVAL);
}

static void test_the_calls_refuse_what_linux_refuses(void **state)
{
	(void)state;
	struct kernel_sigevent e = { .signo = SIGUSR1, .notify = SIGEV_SIGNAL };
	int32_t id;
	assert_int_equal(CALL(timer_create, 99, ADDR(&e), ADDR(&id)), -EINVAL);
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, 8, ADDR(&id)), -EFAULT);
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, ADDR(&e), 8), -EFAULT);
	e.signo = 0;
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, ADDR(&e), ADDR(&id)), -EINVAL);
	e.signo = SIGNAL_MAX + 1;
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, ADDR(&e), ADDR(&id)), -EINVAL);
	e = (struct kernel_sigevent){ .signo = SIGUSR1, .notify = 7 };
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, ADDR(&e), ADDR(&id)), -EINVAL);
	id = signal_timer(SIGUSR1, 0);
	struct itimerspec bad = { .it_value = { 0, 1000000000 } };
	assert_int_equal(CALL(timer_settime, (uint64_t)id, 0, ADDR(&bad), 0), -EINVAL);
	assert_int_equal(CALL(timer_settime, (uint64_t)id, 0, 0, 0), -EINVAL);
	assert_int_equal(CALL(timer_settime, (uint64_t)id, 0, 8, 0), -EFAULT);
	assert_int_equal(CALL(timer_gettime, (uint64_t)id, 8), -EFAULT);
	assert_int_equal(CALL(timer_gettime, (uint64_t)id + 1, ADDR(&bad)), -EINVAL);
	assert_int_equal(CALL(timer_gettime, (uint64_t)-1, ADDR(&bad)), -EINVAL);
	assert_int_equal(SYSCALL(pm.endpoint, fresh_endpoint(), timer_gettime, (uint64_t)id,
				 ADDR(&bad)), -EINVAL);	// another process's
	assert_int_equal(CALL(timer_getoverrun, (uint64_t)id + 1), -EINVAL);
	assert_int_equal(CALL(timer_delete, (uint64_t)id + 1), -EINVAL);
	struct itimerval v = { .it_value = { 0, 1000000 } };
	assert_int_equal(CALL(setitimer, ITIMER_REAL, ADDR(&v), 0), -EINVAL);
	v.it_value.tv_usec = 0;
	assert_int_equal(CALL(setitimer, 3, ADDR(&v), 0), -EINVAL);
	assert_int_equal(CALL(setitimer, ITIMER_REAL, 8, 0), -EFAULT);
	assert_int_equal(CALL(getitimer, 3, ADDR(&v)), -EINVAL);
	assert_int_equal(CALL(getitimer, ITIMER_REAL, 8), -EFAULT);
}

static void test_a_process_has_at_most_its_share_of_timers(void **state)
{
	(void)state;
	for (unsigned i = 0; i < TIMERS_PER_PROCESS; i++)
		signal_timer(SIGUSR1, 0);
	struct kernel_sigevent e = { .signo = SIGUSR1, .notify = SIGEV_SIGNAL };
	int32_t id;
	assert_int_equal(CALL(timer_create, CLOCK_MONOTONIC, ADDR(&e), ADDR(&id)), -EAGAIN);
}

static void test_delete_exec_and_exit_forget_timers(void **state)
{
	(void)state;
	int32_t first = signal_timer(SIGUSR1, 0), second = signal_timer(SIGUSR1, 0);
	assert_int_equal(CALL(timer_delete, (uint64_t)first), 0);
	struct itimerspec got;
	assert_int_equal(CALL(timer_gettime, (uint64_t)first, ADDR(&got)), -EINVAL);
	assert_int_equal(signal_timer(SIGUSR1, 0), first);	// its record is free again
	struct itimerval v = { .it_value = { 100, 0 } }, left;
	assert_int_equal(CALL(setitimer, ITIMER_REAL, ADDR(&v), 0), 0);
	const struct process *p = &kept.processes[xinim_endpoint_pid(who)];
	timers_forget(p, true);	// execve: setitimer's stay
	assert_int_equal(CALL(timer_gettime, (uint64_t)second, ADDR(&got)), -EINVAL);
	assert_int_equal(CALL(getitimer, ITIMER_REAL, ADDR(&left)), 0);
	assert_true(left.it_value.tv_sec >= 99);
	timers_forget(p, false);	// its end
	assert_int_equal(CALL(getitimer, ITIMER_REAL, ADDR(&left)), 0);
	assert_int_equal(left.it_value.tv_sec, 0);
}

static void test_take_over_drops_a_corrupt_timer_record(void **state)
{
	(void)state;
	int32_t sound = signal_timer(SIGUSR1, 0), bad_signal = signal_timer(SIGUSR1, 0),
		bad_owner = signal_timer(SIGUSR1, 0);
	for (int32_t id = sound; id <= bad_owner; id++)
		assert_int_equal(settime(id, 0, 100000 * MS, 0), 0);
	struct itimerval v = { .it_value = { 100, 0 } }, left;
	assert_int_equal(CALL(setitimer, ITIMER_PROF, ADDR(&v), 0), 0);
	struct timer *pool = &kept.timers[XINIM_PROCS_MAX * ITIMERS];
	struct timer *prof = &kept.timers[xinim_endpoint_pid(who) * ITIMERS + ITIMER_PROF];
	pool[bad_signal].signal = SIGNAL_MAX + 1;
	pool[bad_owner].owner = fresh_endpoint();	// a process PM has no record of
	static struct pm_state before;
	before = kept;
	pm_state_take(&kept, KEEP_INHERITED);
	struct itimerspec got;
	assert_int_equal(CALL(timer_gettime, (uint64_t)sound, ADDR(&got)), 0);
	assert_true(got.it_value.tv_sec >= 99);
	assert_int_equal(CALL(timer_gettime, (uint64_t)bad_signal, ADDR(&got)), -EINVAL);
	assert_int_equal(pool[bad_owner].owner, 0);
	assert_int_equal(CALL(getitimer, ITIMER_PROF, ADDR(&left)), 0);
	assert_true(left.it_value.tv_sec >= 99);
	assert_memory_equal(prof, &before.timers[prof - kept.timers], sizeof(*prof));
	prof->clock = TIMER_COUNTER;	// not ITIMER_PROF's
	kept.next_wake = 0;
	pm_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(prof->owner, 0);
	assert_true(kept.next_wake);	// due: the timer still armed is looked at
}

// Clock clock's time now, in ns.
static int64_t clock_ns(clockid_t clock)
{
	struct timespec now;
	assert_int_equal(CALL(clock_gettime, (uint64_t)clock, ADDR(&now)), 0);
	return ns_of(now);
}

static void test_real_time_is_the_rtc_time_plus_the_counter_since(void **state)
{
	(void)state;
	const struct xinim_time_base base = { .epoch_seconds = DATE, .counter = 1000 };
	assert_int_equal(realtime_at(&base, 0, 1000, HZ), DATE * NS);
	assert_int_equal(realtime_at(&base, 0, 1000 + 3 * HZ + HZ / 2, HZ), (DATE + 3) * NS + NS / 2);
	assert_int_equal(realtime_at(&base, -2 * NS, 1000 + 3 * HZ, HZ), (DATE + 1) * NS);
	assert_int_equal(realtime_at(&base, 0, 10, HZ), DATE * NS);	// before the base
	assert_int_equal(realtime_at(&base, -(DATE + 5) * NS, 1000, HZ), 0);	// never before 1970
	const struct xinim_time_base none = { 0 };
	assert_int_equal(realtime_at(&none, 0, 5 * HZ, HZ), 5 * NS);	// no RTC: since boot
}

static void test_a_real_time_turns_into_the_counter_tick_that_reaches_it(void **state)
{
	(void)state;
	const struct xinim_time_base base = { .epoch_seconds = DATE, .counter = 1000 };
	int64_t offset = 7 * NS + 3;
	for (int64_t at = (DATE + 10) * NS; at < (DATE + 10) * NS + 100; at += 7) {
		uint64_t tick = realtime_counter(&base, offset, at, HZ);
		assert_true(realtime_at(&base, offset, tick, HZ) >= at);
		assert_true(realtime_at(&base, offset, tick - 1, HZ) < at);
	}
	assert_int_equal(realtime_counter(&base, 0, (DATE - 1) * NS, HZ), 1000);	// passed
	assert_int_equal(realtime_counter(&base, 0, INT64_MAX, 1ULL << 62), UINT64_MAX / 4);
	const struct xinim_time_base none = { 0 };
	assert_int_equal(realtime_counter(&none, 0, 0, HZ), 1);	// passed, yet not 0
}

static void test_clock_settime_by_root_moves_the_real_time_only(void **state)
{
	(void)state;
	int64_t monotonic = clock_ns(CLOCK_MONOTONIC);
	struct timespec to = { .tv_sec = DATE, .tv_nsec = 5 };
	assert_int_equal(CALL(clock_settime, CLOCK_REALTIME, ADDR(&to)), 0);
	int64_t real = clock_ns(CLOCK_REALTIME);
	assert_true(real >= DATE * NS && real < (DATE + 1) * NS);
	assert_true(clock_ns(CLOCK_REALTIME_COARSE) >= DATE * NS);
	assert_true(clock_ns(CLOCK_TAI) >= DATE * NS);	// Linux's TAI offset: 0
	assert_true(clock_ns(CLOCK_MONOTONIC) - monotonic < NS);
	assert_true(kept.realtime_offset > 0);
	struct timeval tv;
	struct timezone tz = { 1, 1 };
	assert_int_equal(CALL(gettimeofday, ADDR(&tv), ADDR(&tz)), 0);
	assert_int_equal(tv.tv_sec, DATE);
	assert_int_equal(tz.tz_minuteswest, 0);
	struct timeval back = { .tv_sec = 1000 };
	assert_int_equal(CALL(settimeofday, ADDR(&back), 0), 0);
	assert_true(clock_ns(CLOCK_REALTIME) < 1001 * NS);
}

static void test_clock_settime_refuses_what_linux_refuses(void **state)
{
	(void)state;
	struct timespec to = { .tv_sec = DATE }, bad = { .tv_sec = DATE, .tv_nsec = NS };
	assert_int_equal(CALL(clock_settime, CLOCK_MONOTONIC, ADDR(&to)), -EINVAL);
	assert_int_equal(CALL(clock_settime, CLOCK_REALTIME, ADDR(&bad)), -EINVAL);
	kept.processes[xinim_endpoint_pid(who)].creds.user.effective = 1000;
	assert_int_equal(CALL(clock_settime, CLOCK_REALTIME, ADDR(&to)), -EPERM);
	struct timeval tv = { .tv_sec = DATE };
	assert_int_equal(CALL(settimeofday, ADDR(&tv), 0), -EPERM);
	assert_int_equal(kept.realtime_offset, 0);
}

static void test_an_absolute_real_time_sleep_waits_on_the_real_time(void **state)
{
	(void)state;
	struct timespec to = { .tv_sec = DATE }, passed = { .tv_sec = DATE - 10 };
	assert_int_equal(CALL(clock_settime, CLOCK_REALTIME, ADDR(&to)), 0);
	// The counter is far from DATE - 10 s: on it, the sleep would not end for decades.
	assert_int_equal(CALL(clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, ADDR(&passed), 0), 0);
	struct timespec soon = { .tv_sec = DATE, .tv_nsec = 300000000 };
	assert_int_equal(CALL(clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, ADDR(&soon), 0), 0);
	assert_true(clock_ns(CLOCK_REALTIME) >= ns_of(soon));
}

static void test_take_over_keeps_the_offset_and_drops_one_before_1970(void **state)
{
	(void)state;
	kept.realtime_offset = 5 * NS;
	pm_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(kept.realtime_offset, 5 * NS);
	kept.realtime_offset = -5 * NS;	// no RTC: the time would be before the epoch
	pm_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(kept.realtime_offset, 0);
}

static void test_an_absolute_real_time_timer_fires_at_that_time_of_day(void **state)
{
	(void)state;
	struct timespec to = { .tv_sec = DATE };
	assert_int_equal(CALL(clock_settime, CLOCK_REALTIME, ADDR(&to)), 0);
	block(SIGUSR1);
	struct kernel_sigevent e = { .signo = SIGUSR1, .notify = SIGEV_SIGNAL };
	int32_t id = -1;
	assert_int_equal(CALL(timer_create, CLOCK_REALTIME, ADDR(&e), ADDR(&id)), 0);
	long at = DATE * NS + 3 * MS;	// on the counter it would be decades away
	assert_int_equal(settime(id, TIMER_ABSTIME, at, 0), 0);
	siginfo_t info;
	assert_int_equal(take(SIGUSR1, &info), SIGUSR1);
	assert_true(clock_ns(CLOCK_REALTIME) >= at);
}

int main(void)
{
#define TEST(f) cmocka_unit_test_setup(f, fresh_process)
	const struct CMUnitTest tests[] = {
		TEST(test_an_armed_timer_reads_back_its_time_left),
		TEST(test_expiry_raises_the_signal_with_its_siginfo),
		TEST(test_an_absolute_time_fires_then),
		TEST(test_an_interval_counts_overruns_while_the_signal_is_pending),
		TEST(test_setitimer_real_raises_sigalrm_and_reloads),
		TEST(test_cpu_time_timers_follow_the_kernels_cpu_time),
		TEST(test_sigev_thread_id_signals_that_thread),
		TEST(test_the_calls_refuse_what_linux_refuses),
		TEST(test_a_process_has_at_most_its_share_of_timers),
		TEST(test_delete_exec_and_exit_forget_timers),
		TEST(test_take_over_drops_a_corrupt_timer_record),
		TEST(test_real_time_is_the_rtc_time_plus_the_counter_since),
		TEST(test_a_real_time_turns_into_the_counter_tick_that_reaches_it),
		TEST(test_clock_settime_by_root_moves_the_real_time_only),
		TEST(test_clock_settime_refuses_what_linux_refuses),
		TEST(test_an_absolute_real_time_sleep_waits_on_the_real_time),
		TEST(test_an_absolute_real_time_timer_fires_at_that_time_of_day),
		TEST(test_take_over_keeps_the_offset_and_drops_one_before_1970),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
