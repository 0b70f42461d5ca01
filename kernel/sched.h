#pragma once
// Threads and the scheduler: preemptive, per-CPU run queues, two priorities.
#include <stdbool.h>
#include <stdint.h>
#include <kernel/arch/aarch64/context.h>
#include <kernel/arch/aarch64/memory.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/cpu.h>
#include <kernel/ipc.h>

struct proc;
struct spinlock;

enum thread_state { THREAD_RUNNABLE, THREAD_RUNNING, THREAD_BLOCKED, THREAD_MOVING, THREAD_DEAD };

enum priority { PRIO_SERVER, PRIO_PROGRAM, PRIORITIES };	// lower value runs first

struct thread {
	struct cpu_context context;	// first: switch.S saves into it
	struct proc *proc;		// NULL for a CPU's idle thread
	enum thread_state state;
	enum priority priority;
	unsigned cpu;			// the run queue it belongs to
	uint32_t allowed;		// the CPUs it may run on, a bit each (sched_setaffinity)
	bool on_cpu;			// a CPU runs it: from the switch to it until the switch
					// away has saved its context (sched_finish_switch)
	unsigned slice;			// ticks left before it yields to its equals
	uint64_t ticks;			// ticks it has run
	struct thread *next;		// run-queue link
	void *stack;			// KSTACK_SIZE bytes; NULL for an idle thread
	struct ipc_wait ipc;		// what it sends, receives or waits for (kernel/ipc.c)
	uint64_t syscall_x0;		// x0 of its last Linux call, for a restart, and
	int restart;			// that call's XINIM_ERESTART* answer; 0: none (signal.c)
	// A thread of a process (proc.c): its ID (PM's, from the PID space: the first
	// thread's is the PID), what it is to do before it returns to EL0 (enum
	// proc_pending), its link in the process's list, and whether it waits while stopped.
	unsigned tid;
	unsigned pending;
	struct thread *sibling;
	bool stop_waiting;
};

// Makes the running boot context this CPU's idle thread. Before cpu_start_local.
void sched_init_cpu(void);

// A new thread that returns to EL0 through the trap frame it is given: kernel stack and
// thread are allocated here. Returns NULL when memory runs out.
struct thread *thread_create(struct proc *proc, enum priority priority,
			     const void *trapframe, unsigned trapframe_size);

// Puts a new or woken thread on the least loaded CPU's run queue.
void sched_start(struct thread *thread);

// The trap frame a user thread entered the kernel with (at the top of its kernel stack).
static inline struct trapframe *thread_user_frame(const struct thread *t)
{
	return (struct trapframe *)((char *)t->stack + KSTACK_SIZE) - 1;
}

// Frees a thread from thread_create that never ran.
void sched_discard(struct thread *thread);

static inline struct thread *sched_current(void) { return this_cpu()->current; }

// The running thread's kernel stack (KSTACK_SIZE bytes), or NULL when the CPU runs on its
// own stack (an idle thread, or before the scheduler is set up).
const void *sched_current_stack(void);

// The running thread gives up the rest of its time slice.
void sched_yield(void);

// Blocking, in two steps so that no wake-up is lost: under the lock that guards the
// condition it waits for, a thread calls sched_block_prepare, drops that lock, then
// calls sched_block_commit, which switches away unless sched_wakeup came in between.
void sched_block_prepare(void);
void sched_block_commit(void);

// Both steps at once, for a thread that holds only the lock guarding its condition and
// needs nothing done in between: that lock is released once the thread counts as blocked.
void sched_block(struct spinlock *held);

// Makes a blocked thread runnable again (on the CPU it blocked on); no effect on a
// thread that is not blocked.
void sched_wakeup(struct thread *thread);

// Like sched_wakeup, but a thread blocked on this CPU runs next, ahead of the queue:
// the direct hand-off from an IPC sender to its receiver.
void sched_wakeup_next(struct thread *thread);

// Moves the running thread to cpu and keeps it there. 0, or -EINVAL (no such CPU online).
int sched_pin(unsigned cpu);

// Every CPU, as a thread's allowed set.
#define SCHED_CPUS_ALL ((uint32_t)((1ull << MAX_CPUS) - 1))

// Lets thread run only on the online CPUs of cpus from now on: a thread queued or
// running elsewhere moves, a blocked one wakes on one of them. The set before, or
// -EINVAL (none of cpus is online). cpus 0 only asks.
long sched_allow(struct thread *thread, uint64_t cpus);

// The running thread ends; its stack and struct are freed once the CPU has left it,
// and then proc_thread_gone(proc) is called. Does not return.
void sched_exit(void) __attribute__((__noreturn__));

// From the timer interrupt: accounts the tick, asks for a switch when the slice is
// used up, and now and then moves a waiting thread to a less loaded CPU.
void sched_tick(void);

// Before returning to EL0: switches if a switch was asked for.
void sched_preempt_check(void);

// The idle loop of every CPU; does not return.
void sched_idle(void) __attribute__((__noreturn__));

// Called by the thread a switch lands in (switch.S, schedule).
void sched_finish_switch(void);

// Registers the reschedule IPI (before any CPU starts).
void sched_init(void);
