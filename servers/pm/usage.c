// CPU time: times, getrusage, wait4's rusage and the CPU-time clocks, from the kernel's
// accounting (KCALL_PROC_TIMES: ticks a process ran at; kernel/cputime.c). A process's
// own time is read at its end and kept in its zombie's record; its parent's wait adds
// it, with the zombie's own reaped children's, to the parent's children's time
// (RUSAGE_CHILDREN, times' cutime). The other rusage fields are 0.
#include <errno.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

#define NS 1000000000ULL
#define CLOCK_TICKS 100	// USER_HZ, AT_CLKTCK: times' unit

struct cpu_times usage_now(xinim_endpoint_t who)
{
	const struct process *p = process_of(who);
	if (p && p->zombie)
		return p->ended;
	struct xinim_proc_times t = { 0 };
	xinim_kcall(KCALL_PROC_TIMES, who, (long)&t);
	return (struct cpu_times){ t.user_ns, t.system_ns };
}

// Thread tid of who's CPU time (the kernel counts each thread's ticks).
static struct cpu_times usage_thread(xinim_endpoint_t who, unsigned tid)
{
	struct xinim_proc_times t = { 0 };
	xinim_kcall3(KCALL_PROC_TIMES, who, (long)&t, tid);
	return (struct cpu_times){ t.user_ns, t.system_ns };
}

static void add(struct cpu_times *to, struct cpu_times more)
{
	to->user += more.user;
	to->system += more.system;
}

void usage_end(struct process *p)
{
	process_change(p);
	p->ended = usage_now(p->self);
}

void usage_reaped(struct process *parent, const struct process *zombie)
{
	process_change(parent);
	add(&parent->children, zombie->ended);
	add(&parent->children, zombie->children);
}

static struct timeval timeval_of(uint64_t ns)
{
	return (struct timeval){ .tv_sec = (time_t)(ns / NS), .tv_usec = (long)(ns % NS / 1000) };
}

long usage_copy(xinim_endpoint_t caller, uint64_t at, struct cpu_times t)
{
	struct rusage usage = { .ru_utime = timeval_of(t.user), .ru_stime = timeval_of(t.system) };
	return ipc_copy_to(caller, at, &usage, sizeof(usage));
}

struct cpu_times usage_both(const struct process *p)
{
	struct cpu_times t = usage_now(p->self);
	add(&t, p->children);
	return t;
}

long pm_getrusage(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct process *p = process_of(call.caller);
	struct cpu_times t;
	switch ((int)call.args[0]) {
	case RUSAGE_SELF:
		t = usage_now(call.caller);
		break;
	case RUSAGE_THREAD:
		t = usage_thread(call.caller, call.tid ? call.tid : xinim_endpoint_pid(call.caller));
		break;
	case RUSAGE_CHILDREN:
		t = p ? p->children : (struct cpu_times){ 0 };
		break;
	default:
		return -EINVAL;
	}
	return usage_copy(call.caller, call.args[1], t);
}

static clock_t ticks_of(uint64_t ns) { return (clock_t)(ns / (NS / CLOCK_TICKS)); }

// times(buf): the caller's and its reaped children's times, and the clock ticks since
// boot (Linux's start an arbitrary point).
long pm_times(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	const struct process *p = process_of(call.caller);
	struct cpu_times self = usage_now(call.caller), children = p ? p->children
								      : (struct cpu_times){ 0 };
	struct tms t = { ticks_of(self.user), ticks_of(self.system), ticks_of(children.user),
			 ticks_of(children.system) };
	long err = call.args[0] ? ipc_copy_to(call.caller, call.args[0], &t, sizeof(t)) : 0;
	return err ? err : (long)(counter_ticks() / (counter_hz() / CLOCK_TICKS));
}

// Linux's CPU-time clock ids (MAKE_PROCESS_CPUCLOCK, MAKE_THREAD_CPUCLOCK): the PID
// (0: the caller) complemented above 3 bits, a thread bit, and which time.
#define CPUCLOCK_PROF 0		// user and system
#define CPUCLOCK_VIRT 1		// user
#define CPUCLOCK_SCHED 2	// all it ran: user and system here
#define CPUCLOCK_WHICH_MASK 3
#define CPUCLOCK_THREAD 4
#define PROCESS_CLOCK(pid, which) ((clockid_t)(~(unsigned)(pid) << 3) | (which))

long usage_clock(const struct xinim_syscall *call, int clock, struct timespec *now,
		 struct timespec *resolution)
{
	if (clock == CLOCK_PROCESS_CPUTIME_ID)
		clock = PROCESS_CLOCK(0, CPUCLOCK_SCHED);
	if (clock == CLOCK_THREAD_CPUTIME_ID)
		clock = PROCESS_CLOCK(0, CPUCLOCK_SCHED | CPUCLOCK_THREAD);
	if (clock >= 0)
		return -EINVAL;
	unsigned which = (unsigned)clock & CPUCLOCK_WHICH_MASK;
	int32_t id = ~(clock >> 3);	// arithmetic shift, as Linux's CPUCLOCK_PID
	if (which > CPUCLOCK_SCHED || id < 0 || id >= XINIM_PROCS_MAX)
		return -EINVAL;
	struct cpu_times t;
	if (clock & CPUCLOCK_THREAD) {	// id is a TID (0: the caller's thread)
		const struct thread *th = id ? thread_at((unsigned)id) : thread_of(call);
		if (!th || !th->process)
			return -EINVAL;
		t = usage_thread(th->process, th->tid);
	} else {
		xinim_endpoint_t who = call->caller;
		if (id && (unsigned)id != xinim_endpoint_pid(call->caller)) {
			const struct process *p = process_at((unsigned)id);
			if (!p->self || !p->managed)
				return -EINVAL;	// Linux: no such process or thread
			who = p->self;
		}
		t = usage_now(who);
	}
	uint64_t ns = which == CPUCLOCK_VIRT ? t.user : t.user + t.system;
	*now = (struct timespec){ .tv_sec = (time_t)(ns / NS), .tv_nsec = (long)(ns % NS) };
	*resolution = (struct timespec){ .tv_nsec = NS / CLOCK_TICKS };	// the tick's
	return 0;
}
