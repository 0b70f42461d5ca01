// Clocks, from the generic timer's counter (CNTVCT_EL0): the monotonic ones count from
// boot; the real-time ones (and CLOCK_TAI) are the time of day, realtime.c's. The
// CPU-time clocks are usage.c's.
#include <errno.h>
#include <time.h>
#include <xinim/runtime.h>
#include "pm.h"

#define TICK_NS 10000000	// the kernel's timer tick (100 Hz): the coarse clocks' step

// Clock clock's time now and resolution for caller: 0 or -EINVAL.
static long clock_read(const struct xinim_syscall *call, clockid_t clock, struct timespec *now,
		       struct timespec *resolution)
{
	long step = 1;	// Linux's high-resolution clocks say 1 ns
	switch (clock) {
	case CLOCK_REALTIME_COARSE:
		step = TICK_NS;
		*now = realtime_now();
		break;
	case CLOCK_REALTIME: case CLOCK_TAI:
		*now = realtime_now();
		break;
	case CLOCK_MONOTONIC_COARSE:
		step = TICK_NS;
		*now = sleep_timespec(counter_ticks());
		break;
	case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_BOOTTIME:
		*now = sleep_timespec(counter_ticks());
		break;
	default:
		return usage_clock(call, clock, now, resolution);
	}
	*resolution = (struct timespec){ .tv_nsec = step };
	return 0;
}

// clock_gettime(clock, &now), clock_getres(clock, &resolution): the clock id an int (the
// register's upper bits are ignored); clock_getres takes a NULL pointer.
static long clock_call(const struct ipc_request *request, bool resolution)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timespec times[2];
	long err = clock_read(&call, (clockid_t)call.args[0], &times[0], &times[1]);
	if (err || (resolution && !call.args[1]))
		return err;
	return ipc_copy_to(call.caller, call.args[1], &times[resolution], sizeof(times[0]));
}

PM_HANDLER(pm_clock_gettime, clock_call(request, false))
PM_HANDLER(pm_clock_getres, clock_call(request, true))
