// PM's real-time clock (servers/pm/realtime.c): the arithmetic from the kernel's time
// base (the RTC at a counter value), and, with PM serving, clock_settime's offset and
// its permission, gettimeofday, an absolute CLOCK_REALTIME sleep, and the take-over of
// the kept offset. The hosted kernel has no RTC (KCALL_TIME_BASE -ENOSYS): real time
// starts at the host's counter's epoch until set.
#include <errno.h>
#include <setjmp.h>
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

#define NS 1000000000LL
#define HZ 62500000ULL	// QEMU virt's counter
#define DATE 1795872000LL	// 2026-11-27 00:00:00 UTC

static struct proc pm;
static struct pm_state kept;
static xinim_endpoint_t who;

#define CALL(name, ...) SYSCALL(pm.endpoint, who, name, __VA_ARGS__)

static int group_setup(void **state)
{
	*state = &pm;
	host_kcalls_reset();
	pm_state_take(&kept, KEEP_FRESH);
	return server_setup(&pm, XINIM_PID_PM, &pm_table);
}

// Each test starts from an empty state with one process of root's.
static int fresh_process(void **state)
{
	(void)state;
	memset(&kept, 0, sizeof(kept));
	who = fresh_endpoint();
	unsigned pid = xinim_endpoint_pid(who);
	kept.processes[pid] = (struct process){ .self = who, .parent = XINIM_ENDPOINT_NONE,
						.managed = true, .pgid = pid, .sid = pid };
	thread_start(who, pid, NULL);
	return 0;
}

static int64_t ns_of(struct timespec t) { return t.tv_sec * NS + t.tv_nsec; }

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

int main(void)
{
#define TEST(f) cmocka_unit_test_setup(f, fresh_process)
	const struct CMUnitTest tests[] = {
		TEST(test_real_time_is_the_rtc_time_plus_the_counter_since),
		TEST(test_a_real_time_turns_into_the_counter_tick_that_reaches_it),
		TEST(test_clock_settime_by_root_moves_the_real_time_only),
		TEST(test_clock_settime_refuses_what_linux_refuses),
		TEST(test_an_absolute_real_time_sleep_waits_on_the_real_time),
		TEST(test_take_over_keeps_the_offset_and_drops_one_before_1970),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
