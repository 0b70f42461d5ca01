// Timers (docs/processes.md, Timers): their expiry, which setitimer's (itimer.c) and
// the POSIX ones share, and timer_create, timer_settime, timer_gettime,
// timer_getoverrun and timer_delete, as Linux's. A timer counts the counter's ticks (every
// clock here is the counter since boot: time.c) or its process's CPU time in ns, which
// the kernel counts in ticks and PM looks at on its timer every TIMER_CPU_CHECK_US. At
// each expiry the timer raises its signal, unless that signal is still pending from it:
// the expiry is then counted in the pending siginfo's si_overrun, and the count becomes
// the timer's own (timer_getoverrun) when the signal is taken. A PM that is late counts
// the intervals it missed as overruns too. The records are kept state: each change is
// logged, and a take-over drops a record that does not check out.
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <time.h>
#include <xinim/runtime.h>
#include "pm.h"

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4	// Linux's (a glibc or musl header may hide it)
#endif
#define NS 1000000000ull
#define POOL_FIRST (XINIM_PROCS_MAX * ITIMERS)	// the first of timer_create's records
#define MIN_WAKE_US 100	// PM's timer fires for timers no more often than this

// Linux's struct sigevent as timer_create takes it.
struct kernel_sigevent {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid;	// SIGEV_THREAD_ID's
	int32_t pad[11];
};

// A time in t's clock's units (counter ticks or ns), rounded up: a time that is not zero
// is a unit at least; one too far to come is "never", with room left to add to.
static uint64_t units_of(const struct timer *t, const struct timespec *time)
{
	uint64_t hz = t->clock == TIMER_COUNTER ? counter_hz() : NS;
	uint64_t seconds = (uint64_t)time->tv_sec;
	if (seconds >= UINT64_MAX / 4 / hz)
		return UINT64_MAX / 4;
	return seconds * hz + ((uint64_t)time->tv_nsec * hz + NS - 1) / NS;
}

static struct timespec timespec_of(const struct timer *t, uint64_t units)
{
	if (t->clock == TIMER_COUNTER)
		return sleep_timespec(units);
	return (struct timespec){ .tv_sec = (time_t)(units / NS), .tv_nsec = (long)(units % NS) };
}

// t's clock now.
static uint64_t timer_now(const struct timer *t)
{
	if (t->clock == TIMER_COUNTER)
		return counter_ticks();
	struct cpu_times times = usage_now(t->owner);
	return times.user + (t->clock == TIMER_CPU ? times.system : 0);
}

// When PM's timer is to look at t next: its deadline on the counter, or a CPU check.
static uint64_t wake_of(const struct timer *t)
{
	if (t->clock == TIMER_COUNTER)
		return t->deadline;
	return counter_ticks() + TIMER_CPU_CHECK_US * (counter_hz() / 1000000);
}

void timer_set(struct timer *t, const struct timespec *value, const struct timespec *interval,
	       bool absolute)
{
	keep_change(t, sizeof(*t));
	t->overrun = 0;
	t->interval = units_of(t, interval);
	t->deadline = 0;
	if (!value->tv_sec && !value->tv_nsec)
		return;
	uint64_t units = units_of(t, value);
	if (absolute && t->realtime)
		t->deadline = realtime_deadline(value);
	else
		t->deadline = absolute ? units : timer_now(t) + units;
	sleep_wake_by(wake_of(t));
}

void timer_get(const struct timer *t, struct timespec *value, struct timespec *interval)
{
	*interval = timespec_of(t, t->interval);
	uint64_t now = t->deadline ? timer_now(t) : 0;
	// Due and not yet fired: the least time there is, as Linux says for one.
	*value = timespec_of(t, !t->deadline ? 0 : t->deadline > now ? t->deadline - now : 1);
}

static struct timer *timer_at(unsigned index) { return &process_timers()[index]; }

// The owner of t, if it is still a live process; NULL otherwise.
static struct process *owner_of(const struct timer *t)
{
	struct process *p = process_at(xinim_endpoint_pid(t->owner));
	return p->self == t->owner && !p->zombie ? p : NULL;
}

// timer_create's id of the record at index; -1 for a setitimer one.
static int32_t id_of(unsigned index)
{
	return index >= POOL_FIRST ? (int32_t)(index - POOL_FIRST) : -1;
}

static int32_t add_overrun(int32_t overrun, uint64_t more)
{
	return more >= (uint64_t)(INT_MAX - overrun) ? INT_MAX : overrun + (int32_t)more;	// DELAYTIMER_MAX
}

// The timer at index expired `expiries` times: its signal raised once, for the thread it
// names if that thread is still its process's; counted in the siginfo still pending.
static void timer_notify(struct timer *t, unsigned index, uint64_t expiries)
{
	struct process *p = owner_of(t);
	if (t->notify == SIGEV_NONE || !p)
		return;
	struct thread *th = t->tid ? thread_at(t->tid) : NULL;
	th = th && th->process == t->owner ? th : NULL;
	struct signal_info *queued = &p->info[t->signal - 1];
	uint64_t pending = th ? th->pending : p->pending;
	int32_t id = id_of(index);
	if ((pending & signal_bit(t->signal)) && id >= 0 && queued->code == SI_TIMER &&
	    queued->timer == id) {
		keep_change(queued, sizeof(*queued));
		queued->overrun = add_overrun(queued->overrun, expiries);
		return;
	}
	struct signal_info info = { .code = id >= 0 ? SI_TIMER : SI_KERNEL, .value = t->value,
				    .timer = id, .overrun = add_overrun(0, expiries - 1) };
	if (th)
		signal_raise_thread(p, th, t->signal, &info);
	else
		signal_raise(p, t->signal, &info);
}

// The timer at index is due at now on its clock: its next deadline (none without an
// interval; the intervals PM missed skipped), then its signal.
static void timer_expire(struct timer *t, unsigned index, uint64_t now)
{
	uint64_t expiries = 1 + (t->interval ? (now - t->deadline) / t->interval : 0);
	keep_change(t, sizeof(*t));
	t->deadline = t->interval ? t->deadline + expiries * t->interval : 0;
	timer_notify(t, index, expiries);
	keep_commit();	// each expiry whole: no request is delivered again for it
}

uint64_t timers_fire(uint64_t now)
{
	struct timer *timers = process_timers();
	uint64_t earliest = 0;
	for (unsigned i = 0; i < TIMERS; i++) {
		struct timer *t = &timers[i];
		if (!t->owner || !t->deadline)
			continue;
		if (!owner_of(t)) {
			keep_change(t, sizeof(*t));
			*t = (struct timer){ 0 };	// its process is gone
			continue;
		}
		uint64_t clock_now = t->clock == TIMER_COUNTER ? now : timer_now(t);
		if (t->deadline <= clock_now)
			timer_expire(t, i, clock_now);
		if (!t->owner || !t->deadline)
			continue;	// a one-shot, or its signal ended its process
		uint64_t wake = wake_of(t);
		earliest = !earliest || wake < earliest ? wake : earliest;
	}
	uint64_t soonest = now + MIN_WAKE_US * (counter_hz() / 1000000);
	return earliest && earliest < soonest ? soonest : earliest;
}

// t deleted if it is who's.
static void timer_forget(struct timer *t, xinim_endpoint_t who)
{
	if (t->owner == who) {
		keep_change(t, sizeof(*t));
		*t = (struct timer){ 0 };
	}
}

void timers_forget(const struct process *p, bool exec)
{
	unsigned pid = xinim_endpoint_pid(p->self);
	for (unsigned which = 0; which < ITIMERS && !exec; which++)
		timer_forget(timer_at(pid * ITIMERS + which), p->self);
	for (unsigned i = POOL_FIRST; i < TIMERS && p->timers_made; i++)
		timer_forget(timer_at(i), p->self);
}

void timer_taken(const struct process *p, const struct signal_info *info)
{
	if (info->timer < 0 || info->timer >= TIMER_POOL)
		return;
	struct timer *t = timer_at(POOL_FIRST + (unsigned)info->timer);
	if (t->owner == p->self) {
		keep_change(&t->overrun, sizeof(t->overrun));
		t->overrun = info->overrun;
	}
}

// Whether t, at index, is a record the calls could have left: a setitimer one at its
// process's slot with that kind's clock and signal, a timer_create one with a clock,
// notification and signal timer_create takes; of a live process either way.
static bool timer_sound(const struct timer *t, unsigned index)
{
	static const uint8_t signals[ITIMERS] = { SIGALRM, SIGVTALRM, SIGPROF };
	unsigned pid = xinim_endpoint_pid(t->owner);
	if (pid >= XINIM_PROCS_MAX || !owner_of(t) || t->overrun < 0 || t->tid >= XINIM_PROCS_MAX)
		return false;
	if (index < POOL_FIRST)
		return pid == index / ITIMERS && t->clock == index % ITIMERS &&
		       t->notify == SIGEV_SIGNAL && t->signal == signals[index % ITIMERS] && !t->tid;
	if (t->clock > TIMER_CPU || (t->notify == SIGEV_THREAD_ID) != (t->tid != 0) ||
	    (t->realtime && t->clock != TIMER_COUNTER))
		return false;
	if (t->notify == SIGEV_NONE)
		return !t->signal;
	return (t->notify == SIGEV_SIGNAL || t->notify == SIGEV_THREAD_ID) && t->signal >= 1 &&
	       t->signal <= SIGNAL_MAX;
}

void timers_check(void)
{
	struct timer *timers = process_timers();
	bool armed = false;
	for (unsigned i = 0; i < TIMERS; i++) {
		if (timers[i].owner && !timer_sound(&timers[i], i))
			timers[i] = (struct timer){ 0 };
		armed |= timers[i].deadline != 0;
		struct process *owner = i >= POOL_FIRST ? process_of(timers[i].owner) : NULL;
		if (owner)
			owner->timers_made = 1;	// the hint follows the records
	}
	if (armed && !*sleep_next_wake)
		*sleep_next_wake = 1;	// due: the next fire finds the earliest
}

// ---- the system calls

// The clock of timer_create's clock id: false for one it does not take. The CPU-time
// clocks count the process's time, a thread's too (the kernel counts processes).
static bool clock_of(clockid_t clock, uint8_t *out)
{
	switch (clock) {
	case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: case CLOCK_TAI:
		*out = TIMER_COUNTER;
		return true;
	case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
		*out = TIMER_CPU;
		return true;
	default:
		return false;
	}
}

// The caller's timer of timer_create's id, or NULL.
static struct timer *timer_named(xinim_endpoint_t caller, uint64_t id)
{
	if ((int)id < 0 || (int)id >= TIMER_POOL)
		return NULL;
	struct timer *t = timer_at(POOL_FIRST + (unsigned)(int)id);
	return t->owner == caller ? t : NULL;
}

// A free record for the caller's new timer: its id, or -EAGAIN.
static long timer_free(xinim_endpoint_t caller)
{
	long free = -EAGAIN;
	unsigned mine = 0;
	for (unsigned k = 0; k < TIMER_POOL; k++) {
		const struct timer *t = timer_at(POOL_FIRST + k);
		if (!t->owner && free < 0)
			free = k;
		mine += t->owner == caller;
	}
	return mine < TIMERS_PER_PROCESS ? free : -EAGAIN;
}

// The record sigevent asks for (Linux's good_sigevent): false when it is not valid.
// SIGEV_THREAD is for the C library, which makes it SIGEV_THREAD_ID; the kernel takes it
// as SIGEV_SIGNAL.
static bool notify_of(xinim_endpoint_t caller, const struct kernel_sigevent *e, struct timer *t)
{
	t->value = e->value;
	switch (e->notify) {
	case SIGEV_NONE:
		t->notify = SIGEV_NONE;
		return true;
	case SIGEV_THREAD_ID:
		if (e->tid <= 0 || e->tid >= XINIM_PROCS_MAX || thread_at((unsigned)e->tid)->process != caller)
			return false;
		t->tid = (uint32_t)e->tid;
		break;
	case SIGEV_SIGNAL: case SIGEV_THREAD:
		break;
	default:
		return false;
	}
	t->notify = e->notify == SIGEV_THREAD_ID ? SIGEV_THREAD_ID : SIGEV_SIGNAL;
	t->signal = (uint8_t)e->signo;
	return e->signo >= 1 && e->signo <= SIGNAL_MAX;
}

// timer_create(clock, sigevent, id): without a sigevent, SIGALRM with the id as its value.
long pm_timer_create(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct kernel_sigevent event = { .signo = SIGALRM, .notify = SIGEV_SIGNAL };
	struct timer next = { .owner = call.caller };
	clockid_t clock = (clockid_t)call.args[0];
	if (!clock_of(clock, &next.clock))
		return -EINVAL;
	next.realtime = clock == CLOCK_REALTIME || clock == CLOCK_TAI;
	if (call.args[1] && ipc_copy_from(call.caller, &event, call.args[1], sizeof(event)))
		return -EFAULT;
	long id = timer_free(call.caller);
	if (id < 0)
		return id;
	if (!call.args[1])
		event.value = (uint64_t)id;
	struct process *p = process_record(call.caller);
	if (!notify_of(call.caller, &event, &next) || !p)
		return -EINVAL;
	p->timers_made = 1;	// process_record logged it
	int32_t out = (int32_t)id;
	if (ipc_copy_to(call.caller, call.args[2], &out, sizeof(out)))
		return -EFAULT;
	struct timer *t = timer_at(POOL_FIRST + (unsigned)id);
	keep_change(t, sizeof(*t));
	*t = next;
	return 0;
}

static bool timespec_valid(const struct timespec *t)
{
	return t->tv_sec >= 0 && t->tv_nsec >= 0 && (uint64_t)t->tv_nsec < NS;
}

// timer_settime(id, flags, new, old): old written before the timer changes.
long pm_timer_settime(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timer *t = timer_named(call.caller, call.args[0]);
	struct itimerspec next, old;
	if (!t || !call.args[2])
		return -EINVAL;
	if (ipc_copy_from(call.caller, &next, call.args[2], sizeof(next)))
		return -EFAULT;
	if (!timespec_valid(&next.it_value) || !timespec_valid(&next.it_interval))
		return -EINVAL;
	timer_get(t, &old.it_value, &old.it_interval);
	if (call.args[3] && ipc_copy_to(call.caller, call.args[3], &old, sizeof(old)))
		return -EFAULT;
	timer_set(t, &next.it_value, &next.it_interval, (int)call.args[1] & TIMER_ABSTIME);
	return 0;
}

long pm_timer_gettime(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct timer *t = timer_named(call.caller, call.args[0]);
	struct itimerspec now;
	if (!t)
		return -EINVAL;
	timer_get(t, &now.it_value, &now.it_interval);
	return ipc_copy_to(call.caller, call.args[1], &now, sizeof(now));
}

long pm_timer_getoverrun(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct timer *t = timer_named(call.caller, call.args[0]);
	return t ? t->overrun : -EINVAL;
}

long pm_timer_delete(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timer *t = timer_named(call.caller, call.args[0]);
	if (!t)
		return -EINVAL;
	timer_forget(t, call.caller);
	return 0;
}
