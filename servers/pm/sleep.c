// sched_yield, nanosleep and clock_nanosleep, as Linux's; PM's timer, which timers
// (timer.c) share. sched_yield: the caller's
// thread waits while PM answers, which gives its CPU to the others; 0, as on Linux.
// nanosleep and clock_nanosleep: the caller's deadline on the counter (an absolute
// CLOCK_REALTIME or _TAI time turned into the counter's by realtime.c), the call parked in its kept record and
// answered 0 when the deadline has passed (ipc_table.timer). A call delivered again to
// a restarted PM keeps the deadline it had. A signal whose handler is to run ends a
// sleep early (-EINTR, the time left written for nanosleep); rt_sigtimedwait's and a
// futex wait's timeouts are such sleeps too, answered -EAGAIN and -ETIMEDOUT, and
// semtimedop's (sysv.c), answered -EAGAIN.
#include <errno.h>
#include <time.h>
#include <xinim/runtime.h>
#include "pm.h"

#define NS 1000000000ull

uint64_t sleep_ticks(const struct timespec *t)
{
	uint64_t hz = counter_hz();
	return (uint64_t)t->tv_sec * hz + (uint64_t)t->tv_nsec * hz / NS;
}

struct timespec sleep_timespec(uint64_t ticks)
{
	uint64_t hz = counter_hz();
	return (struct timespec){ .tv_sec = (time_t)(ticks / hz),
				  .tv_nsec = (long)(ticks % hz * NS / hz) };
}

void sleep_wake_by(uint64_t deadline)
{
	uint64_t *next = sleep_next_wake;
	if (!*next || deadline < *next) {
		keep_change(next, sizeof(*next));
		*next = deadline;
	}
}

// Parks t's call until deadline, answered due then (rem: where the time left goes if a
// signal ends it early); due at once if the deadline has passed.
static long sleep_until(const struct ipc_request *request, struct thread *t, uint64_t deadline,
			uint64_t rem_at, long due)
{
	uint64_t id = request->msg.header.id;
	if (!t)
		return -EINVAL;
	thread_change(t);
	if (t->sleeping.id == id)
		deadline = t->sleeping.deadline;	// delivered again: the first deadline
	if (deadline <= counter_ticks())
		return due;
	t->sleeping = (struct sleep_call){ .id = id, .deadline = deadline, .rem_at = rem_at,
					   .due = due };
	sleep_wake_by(deadline);
	return IPC_DEFERRED;
}

long sleep_park(const struct ipc_request *request, struct thread *t, uint64_t deadline, long due)
{
	return sleep_until(request, t, deadline, 0, due);
}

void sleep_drop(struct thread *t, uint64_t id)
{
	if (t->sleeping.id == id) {
		thread_change(t);
		t->sleeping = (struct sleep_call){ 0 };
	}
}

void sleep_interrupt(struct thread *t)
{
	struct sleep_call s = t->sleeping;
	uint64_t now = counter_ticks();
	struct timespec rem = sleep_timespec(s.deadline > now ? s.deadline - now : 0);
	thread_change(t);
	t->sleeping = (struct sleep_call){ 0 };
	if (s.rem_at)
		ipc_copy_to(t->process, s.rem_at, &rem, sizeof(rem));	// EFAULT: Linux ignores it too
	ipc_syscall_answer_parked(s.id, -EINTR);
}

// The caller's timespec at `at`: 0, -EFAULT, or -EINVAL (not a valid one).
static long request_of(xinim_endpoint_t caller, uint64_t at, struct timespec *t)
{
	long err = ipc_copy_from(caller, t, at, sizeof(*t));
	if (err)
		return err;
	return t->tv_sec < 0 || t->tv_nsec < 0 || (uint64_t)t->tv_nsec >= NS ? -EINVAL : 0;
}

long pm_sched_yield(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request, (void)reply;
	return 0;
}

long pm_nanosleep(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timespec t;
	long err = request_of(call.caller, call.args[0], &t);
	return err ? err : sleep_until(request, thread_of(&call), counter_ticks() + sleep_ticks(&t),
				       call.args[1], 0);
}

long pm_clock_nanosleep(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	switch ((clockid_t)call.args[0]) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: case CLOCK_TAI:
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
		return -ENOTSUP;	// Linux: no sleep on one's own CPU time
	default:
		return -EINVAL;
	}
	if ((int)call.args[1] & ~TIMER_ABSTIME)
		return -EINVAL;
	struct timespec t;
	long err = request_of(call.caller, call.args[2], &t);
	if (err)
		return err;
	clockid_t clock = (clockid_t)call.args[0];
	bool absolute = (int)call.args[1] & TIMER_ABSTIME;
	bool real = clock == CLOCK_REALTIME || clock == CLOCK_TAI;
	uint64_t deadline = !absolute ? counter_ticks() + sleep_ticks(&t)
			    : real    ? realtime_deadline(&t)
				      : sleep_ticks(&t);
	return sleep_until(request, thread_of(&call), deadline, absolute ? 0 : call.args[3], 0);
}

// t's sleep is over: answered what it was due, the wait it timed (rt_sigtimedwait,
// futex) given up.
static void sleep_due(struct thread *t)
{
	struct sleep_call s = t->sleeping;
	thread_change(t);
	t->sleeping = (struct sleep_call){ 0 };
	if (t->sigwait.id == s.id)
		t->sigwait = (struct signal_wait){ 0 };
	if (t->futex.id == s.id)
		t->futex = (struct futex_wait){ 0 };
	if (t->sysv.id == s.id)
		t->sysv = (struct sysv_wait){ 0 };	// semtimedop
	ipc_syscall_answer_parked(s.id, s.due);
}

uint64_t sleep_timer(bool fire)
{
	uint64_t *next = sleep_next_wake;
	if (!*next)
		return XINIM_WAIT_FOREVER;	// the common case, before the counter is read
	uint64_t now = counter_ticks(), hz_us = counter_hz() / 1000000;
	if (*next > now)
		return (*next - now + hz_us - 1) / hz_us;
	if (!fire)
		return 0;
	uint64_t earliest = timers_fire(now);
	for (unsigned tid = 0; tid < XINIM_PROCS_MAX; tid++) {
		struct thread *t = thread_at(tid);
		if (!t->process || !t->sleeping.id)
			continue;
		if (t->sleeping.deadline <= now)
			sleep_due(t);
		else if (!earliest || t->sleeping.deadline < earliest)
			earliest = t->sleeping.deadline;
	}
	keep_change(next, sizeof(*next));
	*next = earliest;
	keep_commit();
	return sleep_timer(false);
}
