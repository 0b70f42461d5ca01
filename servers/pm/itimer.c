// getitimer and setitimer, as Linux's: each process's three interval timers, timer.c's
// records at its PID's slots. ITIMER_REAL counts the counter and raises SIGALRM (musl's
// alarm is a setitimer), ITIMER_VIRTUAL the process's user time (SIGVTALRM), ITIMER_PROF
// its user and system time (SIGPROF), as far as the kernel's CPU time and PM's look at
// it every TIMER_CPU_CHECK_US go. Kept across execve, not inherited by a fork's child.
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include "pm.h"

// which's clock (enum timer_clock, in ITIMER_ order) and signal.
static const uint8_t signals[ITIMERS] = { SIGALRM, SIGVTALRM, SIGPROF };

// The caller's timer of which, made afresh if the slot holds another process's; NULL
// for an endpoint of no PID.
static struct timer *itimer_of(xinim_endpoint_t caller, int which)
{
	if (!process_record(caller))
		return NULL;
	struct timer *t = &process_timers()[xinim_endpoint_pid(caller) * ITIMERS + (unsigned)which];
	if (t->owner != caller) {
		keep_change(t, sizeof(*t));
		*t = (struct timer){ .owner = caller, .clock = (uint8_t)which,
				     .notify = SIGEV_SIGNAL, .signal = signals[which] };
	}
	return t;
}

static struct timespec timespec_of(struct timeval v)
{
	return (struct timespec){ .tv_sec = v.tv_sec, .tv_nsec = v.tv_usec * 1000 };
}

// A timer's time in microseconds, rounded up so that an armed one never reads zero.
static struct timeval timeval_of(struct timespec t)
{
	struct timeval v = { .tv_sec = t.tv_sec, .tv_usec = (t.tv_nsec + 999) / 1000 };
	if (v.tv_usec == 1000000)
		v = (struct timeval){ .tv_sec = v.tv_sec + 1 };
	return v;
}

static struct itimerval itimer_get(const struct timer *t)
{
	struct timespec value, interval;
	timer_get(t, &value, &interval);
	return (struct itimerval){ .it_value = timeval_of(value), .it_interval = timeval_of(interval) };
}

static bool timeval_valid(struct timeval v)
{
	return v.tv_sec >= 0 && v.tv_usec >= 0 && v.tv_usec < 1000000;
}

// getitimer(which, out).
long pm_getitimer(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int which = (int)call.args[0];
	if (which < 0 || which >= ITIMERS)
		return -EINVAL;
	struct timer *t = itimer_of(call.caller, which);
	if (!t)
		return -EINVAL;
	struct itimerval now = itimer_get(t);
	return ipc_copy_to(call.caller, call.args[1], &now, sizeof(now));
}

// setitimer(which, new, old): a NULL new disarms, as Linux's; old written first.
long pm_setitimer(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int which = (int)call.args[0];
	struct itimerval next = { 0 };
	if (call.args[1] && ipc_copy_from(call.caller, &next, call.args[1], sizeof(next)))
		return -EFAULT;
	if (!timeval_valid(next.it_value) || !timeval_valid(next.it_interval) || which < 0 ||
	    which >= ITIMERS)
		return -EINVAL;
	struct timer *t = itimer_of(call.caller, which);
	if (!t)
		return -EINVAL;
	if (!next.it_value.tv_sec && !next.it_value.tv_usec)
		next.it_interval = (struct timeval){ 0 };	// disarmed: no interval (Linux)
	struct itimerval old = itimer_get(t);
	if (call.args[2] && ipc_copy_to(call.caller, call.args[2], &old, sizeof(old)))
		return -EFAULT;
	struct timespec value = timespec_of(next.it_value), interval = timespec_of(next.it_interval);
	timer_set(t, &value, &interval, false);
	return 0;
}
