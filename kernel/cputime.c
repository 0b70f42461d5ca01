// Each process's CPU time, as Linux's tick-based accounting keeps it: a timer tick is
// charged to the thread it interrupted (sched_tick). The kernel runs with interrupts
// masked, so a tick that lands in a thread lands in its EL0 code: user time. Time the
// kernel and the servers spend on a process's calls is charged to nobody yet, so its
// system time stays 0. PM reads the sums with KCALL_PROC_TIMES (getrusage, times,
// wait4, the CPU-time clocks).
//
// Locking: a process's sums are added to atomically by the CPUs its threads run on, and
// read whole-word (relaxed atomics); a read racing a tick sees the old or new count. A
// thread's own count is its struct thread's ticks, read under its process's
// threads_lock.
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>
#include <kernel/arch/aarch64/timer.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cputime.h>
#include <kernel/proc.h>
#include <kernel/sched.h>

// By PID: the instance the sums are of (another one's start again from 0).
static struct {
	xinim_endpoint_t owner;
	uint64_t user, system;	// ticks
} times[XINIM_PROCS_MAX];

void cputime_tick(const struct thread *t)
{
	if (!t->proc || t->proc->pid >= XINIM_PROCS_MAX)
		return;	// an idle thread
	unsigned pid = t->proc->pid;
	if (__atomic_load_n(&times[pid].owner, __ATOMIC_RELAXED) != t->proc->endpoint) {
		__atomic_store_n(&times[pid].user, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&times[pid].system, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&times[pid].owner, t->proc->endpoint, __ATOMIC_RELEASE);
	}
	__atomic_fetch_add(&times[pid].user, 1, __ATOMIC_RELAXED);
}

// One thread's ticks (sched_tick counts them in struct thread).
static long thread_ticks(struct thread *t, uint64_t unused)
{
	(void)unused;
	return (long)__atomic_load_n(&t->ticks, __ATOMIC_RELAXED);
}

// KCALL_PROC_TIMES (endpoint, struct xinim_proc_times *out, unsigned tid) -> 0: the sums
// of that instance (0 for one that never ran a tick, or whose PID another holds since),
// or with tid, of that thread of it (-ESRCH for none).
long cputime_kcall(struct trapframe *frame)
{
	xinim_endpoint_t who = (xinim_endpoint_t)frame->x[0];
	unsigned pid = xinim_endpoint_pid(who), tid = (unsigned)frame->x[2];
	uint64_t tick_ns = 1000000000 / TIMER_HZ;
	struct xinim_proc_times out = { 0 };
	if (tid) {
		long ticks = proc_thread_apply(who, tid, thread_ticks, 0);
		if (ticks < 0)
			return ticks;
		out.user_ns = (uint64_t)ticks * tick_ns;
	} else if (pid < XINIM_PROCS_MAX &&
		   __atomic_load_n(&times[pid].owner, __ATOMIC_ACQUIRE) == who) {
		out.user_ns = __atomic_load_n(&times[pid].user, __ATOMIC_RELAXED) * tick_ns;
		out.system_ns = __atomic_load_n(&times[pid].system, __ATOMIC_RELAXED) * tick_ns;
	}
	return copy_to_user(frame->x[1], &out, sizeof(out)) ? -EFAULT : 0;
}
