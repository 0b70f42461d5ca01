// The real-time clock (CLOCK_REALTIME, its coarse twin, CLOCK_TAI, gettimeofday): the
// time the kernel read from the RTC at boot (KCALL_TIME_BASE), the counter's time since,
// and the offset clock_settime and settimeofday moved it by, in PM's kept state (a
// restarted PM keeps it). CLOCK_TAI is CLOCK_REALTIME, as on Linux until NTP sets the
// TAI offset. A sleep or timer parked at an absolute real time keeps the counter
// deadline it had when the clock is set again (Linux moves it).
#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/runtime.h>
#include "pm.h"

#define NS 1000000000ll

// The kernel's time base, asked once (all zero without an RTC: the epoch at boot).
static const struct xinim_time_base *time_base(void)
{
	static struct xinim_time_base base;
	static bool asked;
	if (!asked && xinim_kcall(KCALL_TIME_BASE, (long)&base, 0) != 0)
		base = (struct xinim_time_base){ 0 };
	asked = true;
	return &base;
}

int64_t realtime_at(const struct xinim_time_base *base, int64_t offset, uint64_t counter,
		    uint64_t hz)
{
	return xinim_realtime_ns(base, offset, counter, hz);
}

uint64_t realtime_counter(const struct xinim_time_base *base, int64_t offset, int64_t at,
			  uint64_t hz)
{
	int64_t from_base = at - offset - (int64_t)base->epoch_seconds * NS;
	if (from_base <= 0)
		return base->counter ? base->counter : 1;	// passed: due at once
	uint64_t seconds = (uint64_t)(from_base / NS), rest = (uint64_t)(from_base % NS);
	if (seconds >= UINT64_MAX / 4 / hz)
		return UINT64_MAX / 4;	// never, with room left to add to
	return base->counter + seconds * hz + (rest * hz + NS - 1) / NS;	// at, or just after
}

static int64_t timespec_ns(const struct timespec *t) { return (int64_t)t->tv_sec * NS + t->tv_nsec; }

struct timespec realtime_now(void)
{
	int64_t ns = realtime_at(time_base(), pm_kept->realtime_offset, counter_ticks(),
				 counter_hz());
	return (struct timespec){ .tv_sec = (time_t)(ns / NS), .tv_nsec = (long)(ns % NS) };
}

uint64_t realtime_deadline(const struct timespec *at)
{
	// Beyond 2262 the nanoseconds overflow: such a time never comes.
	if ((uint64_t)at->tv_sec >= (uint64_t)(INT64_MAX / NS))
		return UINT64_MAX / 4;
	return realtime_counter(time_base(), pm_kept->realtime_offset, timespec_ns(at),
				counter_hz());
}

void realtime_publish(void)
{
	const struct xinim_time_base *base = time_base();
	struct xinim_vvar_set set = { .epoch_seconds = base->epoch_seconds, .counter = base->counter,
				      .realtime_offset = pm_kept->realtime_offset };
	server_call(XINIM_PID_MM, XINIM_MM_VVAR_SET, &set, sizeof(set));
}

void realtime_check(void)
{
	int64_t offset = pm_kept->realtime_offset;
	int64_t boot = (int64_t)time_base()->epoch_seconds * NS;
	if (offset < -boot || offset > INT64_MAX / 2) {
		klog(LOGLEVEL_WARNING, "pm: the kept real-time offset did not check out: the RTC's time again\n");
		keep_change(&pm_kept->realtime_offset, sizeof(pm_kept->realtime_offset));
		pm_kept->realtime_offset = 0;
	}
}

// The real time set to `to` (valid, before 2262) by caller: 0 or -EPERM (not root).
static long realtime_set(xinim_endpoint_t caller, const struct timespec *to)
{
	const struct process *p = process_of(caller);
	if (p && !credentials_privileged(p))
		return -EPERM;
	const struct xinim_time_base *base = time_base();
	int64_t unmoved = realtime_at(base, 0, counter_ticks(), counter_hz());
	keep_change(&pm_kept->realtime_offset, sizeof(pm_kept->realtime_offset));
	pm_kept->realtime_offset = timespec_ns(to) - unmoved;
	realtime_publish();
	return 0;
}

static bool settable(const struct timespec *t)
{
	return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < NS &&
	       (uint64_t)t->tv_sec < (uint64_t)(INT64_MAX / NS / 2);
}

// clock_settime(clock, &to): CLOCK_REALTIME only (-EINVAL for others, as Linux's, which
// cannot set its other clocks either); -EFAULT, -EINVAL (bad time), -EPERM.
long pm_clock_settime(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timespec to;
	if ((clockid_t)call.args[0] != CLOCK_REALTIME)
		return -EINVAL;
	if (ipc_copy_from(call.caller, &to, call.args[1], sizeof(to)))
		return -EFAULT;
	return settable(&to) ? realtime_set(call.caller, &to) : -EINVAL;
}

// gettimeofday(tv, tz): either may be NULL; the time zone is UTC (all zero).
long pm_gettimeofday(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timespec now = realtime_now();
	struct timeval tv = { .tv_sec = now.tv_sec, .tv_usec = now.tv_nsec / 1000 };
	struct timezone tz = { 0 };
	if (call.args[0] && ipc_copy_to(call.caller, call.args[0], &tv, sizeof(tv)))
		return -EFAULT;
	if (call.args[1] && ipc_copy_to(call.caller, call.args[1], &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

// settimeofday(tv, tz): tv NULL leaves the time as it is; the time zone is ignored (it
// only ever changed how Linux reads some file systems' times).
long pm_settimeofday(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timeval tv;
	if (!call.args[0])
		return 0;
	if (ipc_copy_from(call.caller, &tv, call.args[0], sizeof(tv)))
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EINVAL;
	struct timespec to = { .tv_sec = tv.tv_sec, .tv_nsec = tv.tv_usec * 1000 };
	return settable(&to) ? realtime_set(call.caller, &to) : -EINVAL;
}
