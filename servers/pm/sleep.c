// sched_yield, nanosleep and clock_nanosleep, as Linux's. sched_yield: the caller's
// thread waits while PM answers, which gives its CPU to the others; 0, as on Linux.
// nanosleep and clock_nanosleep: the caller's deadline on the counter (every
// clock here is the counter since boot: time.c), the call parked in its kept record and
// answered 0 when the deadline has passed (ipc_table.timer). A call delivered again to
// a restarted PM keeps the deadline it had. A signal whose handler is to run ends a
// sleep early (-EINTR, the time left written for nanosleep); rt_sigtimedwait's timeout
// is such a sleep too, answered -EAGAIN.
#include <errno.h>
#include <time.h>
#include <xinim/runtime.h>
#include "pm.h"

#define NS 1000000000ull

static uint64_t ticks_of(const struct timespec *t)
{
	uint64_t hz = counter_hz();
	return (uint64_t)t->tv_sec * hz + (uint64_t)t->tv_nsec * hz / NS;
}

// Parks p's call until deadline (rem: where the time left goes if a signal ends it); 0
// at once if it has passed.
static long sleep_until(const struct ipc_request *request, struct process *p,
			uint64_t deadline, uint64_t rem_at)
{
	uint64_t id = request->msg.header.id;
	if (!p)
		return -EINVAL;
	process_change(p);
	if (p->sleeping.id == id)
		deadline = p->sleeping.deadline;	// delivered again: the first deadline
	if (deadline <= counter_ticks())
		return 0;
	p->sleeping = (struct sleep_call){ .id = id, .deadline = deadline, .rem_at = rem_at };
	uint64_t *next = sleep_next_wake;
	if (!*next || deadline < *next) {
		keep_change(next, sizeof(*next));
		*next = deadline;
	}
	return IPC_DEFERRED;
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
	return err ? err : sleep_until(request, process_record(call.caller),
				       counter_ticks() + ticks_of(&t), call.args[1]);
}

long sleep_park(const struct ipc_request *request, struct process *p,
		const struct timespec *relative)
{
	long answer = sleep_until(request, p, counter_ticks() + ticks_of(relative), 0);
	return answer == 0 ? -EAGAIN : answer;
}

void sleep_interrupt(struct process *p)
{
	struct sleep_call s = p->sleeping;
	uint64_t now = counter_ticks(), hz = counter_hz();
	uint64_t left = s.deadline > now ? s.deadline - now : 0;
	struct timespec rem = { .tv_sec = (time_t)(left / hz),
				.tv_nsec = (long)(left % hz * NS / hz) };
	process_change(p);
	p->sleeping = (struct sleep_call){ 0 };
	if (s.rem_at)
		ipc_copy_to(p->self, s.rem_at, &rem, sizeof(rem));	// EFAULT: Linux ignores it too
	ipc_syscall_answer_parked(s.id, -EINTR);
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
	bool absolute = (int)call.args[1] & TIMER_ABSTIME;
	uint64_t deadline = absolute ? ticks_of(&t) : counter_ticks() + ticks_of(&t);
	return sleep_until(request, process_record(call.caller), deadline, absolute ? 0 : call.args[3]);
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
	uint64_t earliest = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct process *p = process_at(pid);
		if (!p->self || !p->sleeping.id)
			continue;
		if (p->sleeping.deadline <= now) {
			uint64_t id = p->sleeping.id;
			bool timedwait = p->sigwait.id == id;	// rt_sigtimedwait's timeout
			process_change(p);
			p->sleeping = (struct sleep_call){ 0 };
			if (timedwait)
				p->sigwait = (struct signal_wait){ 0 };
			ipc_syscall_answer_parked(id, timedwait ? -EAGAIN : 0);
		} else if (!earliest || p->sleeping.deadline < earliest) {
			earliest = p->sleeping.deadline;
		}
	}
	keep_change(next, sizeof(*next));
	*next = earliest;
	keep_commit();
	return sleep_timer(false);
}
