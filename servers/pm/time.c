// Clocks, from the generic timer's counter (CNTVCT_EL0). There is no RTC yet: the
// real-time clock starts at the epoch when the system boots.
#include <errno.h>
#include <time.h>
#include <xinim/runtime.h>
#include "pm.h"

long pm_clock_gettime(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	switch ((clockid_t)call.args[0]) {	// an int: the register's upper bits are ignored
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME:
		break;
	default:
		return -EINVAL;	// CPU-time clocks need the kernel's accounting (later)
	}
	uint64_t ticks = counter_ticks(), hz = counter_hz();
	struct timespec now = { .tv_sec = (time_t)(ticks / hz),
				.tv_nsec = (long)((ticks % hz) * 1000000000 / hz) };
	return ipc_copy_to(call.caller, call.args[1], &now, sizeof(now));
}
