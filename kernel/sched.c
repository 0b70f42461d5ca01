// The scheduler.
//
// Locking rules
// - Each CPU has a run queue with its own spinlock. Kernel code runs with interrupts
//   masked (only the idle loop unmasks them, around wfi), so no lock is ever taken
//   from an interrupt on a CPU that already holds it.
// - A thread's state, cpu, slice and queue link change only under the lock of the run
//   queue its cpu field names (or, for a thread between queues, by the one CPU moving it).
//   A thread that is not blocked may move meanwhile, so code that locks the run queue a
//   thread's cpu field names reads the field again under that lock (wakeup).
// - A blocked thread stays on the CPU it blocked on until a waker finds it blocked under
//   that CPU's lock: that waker alone makes it runnable and decides where it goes.
// - A thread is switched to only when it is runnable and its context is saved
//   (switch_check): two CPUs on one kernel stack would corrupt it without a trace.
// - schedule() takes its CPU's lock and holds it across context_switch; the thread
//   that is switched to releases it (sched_finish_switch). So a thread put back on a
//   queue cannot be taken by another CPU before its registers are saved.
// - No code holds two run-queue locks at once: a thread that migrates is taken off one
//   queue under that lock, then put on the other under the other lock.
// - Loads read without the locks (for placement and balancing) are hints only.
#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/irq.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cpu.h>
#include <kernel/cputime.h>
#include <kernel/frame.h>
#include <kernel/kalloc.h>
#include <kernel/panic.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <errno.h>
#include <string.h>

#define SLICE_TICKS 2		// 20 ms at 100 Hz
#define BALANCE_TICKS 10	// push work to a less loaded CPU at most every 100 ms

struct runqueue {
	struct spinlock lock;
	struct thread *head[PRIORITIES], *tail[PRIORITIES];
	unsigned waiting;	// threads on the queues (not running)
	struct thread *current;
	struct thread *idle;
	struct thread *dead;	// exited; freed once the CPU has switched away from it
	struct thread *moving;	// pinned elsewhere; placed there once the CPU has left it
	struct thread *handoff;	// runnable, not queued: runs next (sched_wakeup_next)
	struct thread *switched_from;	// the switch under way leaves it (sched_finish_switch)
	unsigned running_priority;	// of current; PRIORITIES when idle (a lock-free hint)
	bool need_resched;
	unsigned balance_countdown;
};

static struct runqueue runqueues[MAX_CPUS];
static struct thread idle_threads[MAX_CPUS];

static struct runqueue *this_rq(void) { return &runqueues[this_cpu()->id]; }

const void *sched_current_stack(void)
{
	const struct thread *t = this_rq()->current;
	return t ? t->stack : NULL;
}

static void enqueue(struct runqueue *rq, struct thread *t)
{
	t->next = NULL;
	if (rq->tail[t->priority])
		rq->tail[t->priority]->next = t;
	else
		rq->head[t->priority] = t;
	rq->tail[t->priority] = t;
	rq->waiting++;
}

static bool allowed_on(const struct thread *t, unsigned cpu) { return t->allowed >> cpu & 1; }

// Takes the first waiting thread, highest priority first; with for_cpu, the first that
// may run on that CPU (for_cpu < 0: any).
// Takes t, which follows prev (NULL: the first) in rq's queue, off it.
static void unlink(struct runqueue *rq, struct thread *prev, struct thread *t)
{
	*(prev ? &prev->next : &rq->head[t->priority]) = t->next;
	if (rq->tail[t->priority] == t)
		rq->tail[t->priority] = prev;
	rq->waiting--;
}

static struct thread *take(struct runqueue *rq, int for_cpu)
{
	for (unsigned p = 0; p < PRIORITIES; p++) {
		struct thread *prev = NULL, *t = rq->head[p];
		while (t && for_cpu >= 0 && !allowed_on(t, (unsigned)for_cpu)) {
			prev = t;
			t = t->next;
		}
		if (!t)
			continue;
		unlink(rq, prev, t);
		return t;
	}
	return NULL;
}

static struct thread *dequeue(struct runqueue *rq) { return take(rq, -1); }

// Takes t off rq's queue: false if it is not there.
static bool unqueue(struct runqueue *rq, struct thread *t)
{
	struct thread *prev = NULL, *at = rq->head[t->priority];
	while (at && at != t) {
		prev = at;
		at = at->next;
	}
	if (at)
		unlink(rq, prev, t);
	return at != NULL;
}

// Threads on the CPU: waiting ones plus a running one that is not idle.
static unsigned load(unsigned cpu)
{
	struct runqueue *rq = &runqueues[cpu];
	return __atomic_load_n(&rq->waiting, __ATOMIC_RELAXED) +
	       (__atomic_load_n(&rq->current, __ATOMIC_RELAXED) != rq->idle);
}

static bool usable(unsigned cpu, uint32_t allowed)
{
	return allowed >> cpu & 1 && __atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE);
}

// The least loaded online CPU of allowed, this one when it is among the least.
static unsigned least_loaded(uint32_t allowed)
{
	unsigned best = this_cpu()->id;
	for (unsigned cpu = 0; cpu < cpus_present; cpu++)
		if (usable(cpu, allowed) && (!usable(best, allowed) || load(cpu) < load(best)))
			best = cpu;
	return best;
}

// Tells cpu that t is waiting there, if t should run before what runs there now.
static void kick(unsigned cpu, const struct thread *t)
{
	struct runqueue *rq = &runqueues[cpu];
	if (__atomic_load_n(&rq->running_priority, __ATOMIC_RELAXED) <= t->priority)
		return;
	if (cpu == this_cpu()->id)
		rq->need_resched = true;
	else
		gic_send_sgi(IPI_RESCHEDULE, cpu);
}

// Puts a runnable thread that is on no queue onto cpu's queue.
static void place(struct thread *t, unsigned cpu)
{
	struct runqueue *rq = &runqueues[cpu];
	if (t->state != THREAD_RUNNABLE && t->state != THREAD_MOVING)
		panic("sched: thread %u of pid %u placed on cpu %u in state %u", t->tid,
		      t->proc ? t->proc->pid : 0, cpu, t->state);
	spin_lock(&rq->lock);
	t->cpu = cpu;
	t->state = THREAD_RUNNABLE;
	enqueue(rq, t);
	spin_unlock(&rq->lock);
	kick(cpu, t);
}

void sched_start(struct thread *thread)
{
	place(thread, least_loaded(thread->allowed));
}

// The hand-off thread, unless a thread of higher priority waits, or one of its own
// priority waits and it has used up its slice (then it is queued). Two threads handing
// off to each other (a server and MM over a copy's faults) switch inside the kernel, and
// each switch clears need_resched before either returns to EL0: without the second
// rule a third thread queued on their CPU waited until they stopped (served_meanwhile:
// PM's getpid 364 ms behind VFS's 192 MiB read, where a slice is 20 ms).
static struct thread *handoff_take(struct runqueue *rq)
{
	struct thread *t = rq->handoff;
	rq->handoff = NULL;
	unsigned before = t && !t->slice ? t->priority + 1 : t ? t->priority : 0;
	for (unsigned p = 0; p < before; p++) {
		if (rq->head[p]) {
			enqueue(rq, t);
			return NULL;
		}
	}
	return t;
}

// A thread switched to must be runnable (taken from a queue or the hand-off) and its
// context saved by the CPU that ran it last (on_cpu false).
static void switch_check(const struct thread *next)
{
	bool elsewhere = __atomic_load_n(&next->on_cpu, __ATOMIC_RELAXED);
	if (next->state != THREAD_RUNNABLE || elsewhere)
		panic("sched: cpu %u switches to thread %u of pid %u in state %u%s", this_cpu()->id,
		      next->tid, next->proc ? next->proc->pid : 0, next->state,
		      elsewhere ? ", which another cpu runs" : "");
}

// Switches to the next thread; entered with this CPU's run-queue lock held.
static void schedule_locked(struct runqueue *rq)
{
	rq->need_resched = false;
	struct thread *prev = rq->current;
	if (prev->state == THREAD_RUNNING && prev != rq->idle && allowed_on(prev, this_cpu()->id)) {
		prev->state = THREAD_RUNNABLE;
		enqueue(rq, prev);
	} else if (prev->state == THREAD_RUNNING && prev != rq->idle) {
		prev->state = THREAD_MOVING;	// its CPUs changed while it ran (sched_allow)
		prev->cpu = least_loaded(prev->allowed);
		rq->moving = prev;
	}
	struct thread *next = handoff_take(rq);
	if (!next)
		next = dequeue(rq);
	if (!next)
		next = rq->idle;
	if (next != prev && next != rq->idle)	// an idle thread is RUNNING, queued nowhere
		switch_check(next);
	next->state = THREAD_RUNNING;
	if (!next->slice)	// a switch back after a block keeps what is left of it
		next->slice = SLICE_TICKS;
	next->cpu = this_cpu()->id;
	rq->current = next;
	this_cpu()->current = next;
	__atomic_store_n(&rq->running_priority, next == rq->idle ? PRIORITIES : next->priority,
			 __ATOMIC_RELAXED);
	if (next != prev) {
		__atomic_store_n(&next->on_cpu, true, __ATOMIC_RELAXED);
		rq->switched_from = prev;
		aspace_activate(next->proc ? proc_aspace(next->proc) : NULL);
		context_switch(&prev->context, &next->context);
	}
	sched_finish_switch();
}

static void schedule(void)
{
	struct runqueue *rq = this_rq();
	spin_lock(&rq->lock);
	schedule_locked(rq);
}

void sched_discard(struct thread *thread)
{
	frame_free_range(&kernel_frames, virt_to_phys(thread->stack), KSTACK_SIZE / PAGE_SIZE);
	kmfree(thread, sizeof(*thread));
}

void sched_finish_switch(void)
{
	struct runqueue *rq = this_rq();
	struct thread *dead = rq->dead, *moving = rq->moving;
	rq->dead = rq->moving = NULL;
	if (rq->switched_from)	// its context is saved: another CPU may run it from now on
		__atomic_store_n(&rq->switched_from->on_cpu, false, __ATOMIC_RELAXED);
	rq->switched_from = NULL;
	spin_unlock(&rq->lock);
	if (moving)
		place(moving, moving->cpu);
	if (dead) {
		struct proc *proc = dead->proc;
		sched_discard(dead);
		proc_thread_gone(proc);
	}
}

void sched_yield(void)
{
	schedule();
}

void sched_block_prepare(void)
{
	struct runqueue *rq = this_rq();
	spin_lock(&rq->lock);
	rq->current->state = THREAD_BLOCKED;
	spin_unlock(&rq->lock);
}

void sched_block_commit(void)
{
	schedule();
}

void sched_block(struct spinlock *held)
{
	struct runqueue *rq = this_rq();
	spin_lock(&rq->lock);
	rq->current->state = THREAD_BLOCKED;
	spin_unlock(held);
	schedule_locked(rq);
}

// Another online CPU of t's with nothing to do, or cpu itself.
static unsigned idle_instead(unsigned cpu, const struct thread *t)
{
	for (unsigned c = 0; c < cpus_present; c++)
		if (c != cpu && usable(c, t->allowed) && load(c) == 0)
			return c;
	return cpu;
}

// Where t, woken on cpu (rq, locked), is to run: there, unless it would wait there for the
// slice of a thread it does not preempt while another of its CPUs idles, or may no
// longer run there. It may move: it is switched out whole, as cpu's lock is held across
// a switch.
static unsigned wake_cpu(const struct runqueue *rq, const struct thread *t, unsigned cpu)
{
	if (!allowed_on(t, cpu))
		return least_loaded(t->allowed);
	bool would_wait = rq->current != rq->idle && rq->running_priority <= t->priority;
	return would_wait ? idle_instead(cpu, t) : cpu;
}

// Locks the run queue that guards t and returns its CPU. A blocked thread stays on its
// CPU, so t->cpu names that lock. A thread that is not blocked may move between the read
// and the lock (a waker that comes late, or a sleep's tick, meets it running or queued
// anywhere): t->cpu is read again under the lock, so that what is found there is t's
// state on that CPU.
static unsigned lock_thread_cpu(const struct thread *t)
{
	for (;;) {
		unsigned cpu = t->cpu;
		spin_lock(&runqueues[cpu].lock);
		if (t->cpu == cpu)
			return cpu;
		spin_unlock(&runqueues[cpu].lock);
	}
}

static void wakeup(struct thread *t, bool next_here)
{
	unsigned cpu = lock_thread_cpu(t);
	struct runqueue *rq = &runqueues[cpu];
	bool queued = false;	// by this wake-up: on cpu's queue, or on to's once unlocked
	unsigned to = cpu;
	if (t->state == THREAD_BLOCKED && rq->current == t) {
		t->state = THREAD_RUNNING;	// woken before it switched away: it goes on
	} else if (t->state == THREAD_BLOCKED && next_here && rq == this_rq() && !rq->handoff &&
		   rq->current != rq->idle && allowed_on(t, cpu)) {
		t->state = THREAD_RUNNABLE;
		rq->handoff = t;
		rq->need_resched = true;	// at the latest when the waker returns to EL0
	} else if (t->state == THREAD_BLOCKED) {
		to = wake_cpu(rq, t, cpu);
		t->state = THREAD_RUNNABLE;
		if (to == cpu)
			enqueue(rq, t);
		queued = true;
	}
	spin_unlock(&rq->lock);
	// Only what was decided under the lock counts: t->cpu may have changed since, when
	// t was not blocked here (another waker or the tick woke it first and moved it),
	// and a thread that this wake-up did not make runnable must not be queued again.
	if (queued && to != cpu)
		place(t, to);
	else if (queued)
		kick(cpu, t);
}

void sched_wakeup(struct thread *t) { wakeup(t, false); }

void sched_wakeup_next(struct thread *t) { wakeup(t, true); }

int sched_pin(unsigned cpu)
{
	if (cpu >= cpus_present || !cpus[cpu].online)
		return -EINVAL;
	sched_allow(sched_current(), 1u << cpu);
	sched_preempt_check();	// moves now, if it runs elsewhere (schedule_locked)
	return 0;
}

long sched_allow(struct thread *t, uint64_t cpus)
{
	uint32_t online = 0;
	for (unsigned cpu = 0; cpu < cpus_present; cpu++)
		online |= usable(cpu, SCHED_CPUS_ALL) ? 1u << cpu : 0;
	if (cpus && !(cpus & online))
		return -EINVAL;
	unsigned cpu = lock_thread_cpu(t);
	struct runqueue *rq = &runqueues[cpu];
	long before = t->allowed;
	bool move = false;
	if (cpus) {
		t->allowed = (uint32_t)(cpus & online);
		if (!allowed_on(t, cpu) && t->state == THREAD_RUNNABLE)
			move = rq->handoff == t || unqueue(rq, t);	// else: MOVING, placed anew
		if (rq->handoff == t)
			rq->handoff = NULL;
		if (move)
			t->state = THREAD_MOVING;
	}
	bool running_there = !allowed_on(t, cpu) && t->state == THREAD_RUNNING;
	spin_unlock(&rq->lock);
	if (move)
		place(t, least_loaded(t->allowed));
	else if (running_there && cpu == this_cpu()->id)
		rq->need_resched = true;	// moves on its way back to EL0 (schedule_locked)
	else if (running_there)
		gic_send_sgi(IPI_RESCHEDULE, cpu);
	return before;
}

void sched_exit(void)
{
	struct runqueue *rq = this_rq();
	spin_lock(&rq->lock);
	rq->current->state = THREAD_DEAD;
	rq->dead = rq->current;
	spin_unlock(&rq->lock);
	schedule();
	__builtin_unreachable();
}

void sched_preempt_check(void)
{
	if (this_rq()->need_resched)
		schedule();
}

// Moves one waiting thread from the busiest CPU here, when this CPU has nothing to do.
static bool steal(void)
{
	unsigned self = this_cpu()->id, busiest = self;
	for (unsigned cpu = 0; cpu < cpus_present; cpu++)
		if (cpu != self && runqueues[cpu].waiting > runqueues[busiest].waiting)
			busiest = cpu;
	if (busiest == self)
		return false;
	struct runqueue *victim = &runqueues[busiest];
	spin_lock(&victim->lock);
	struct thread *t = take(victim, (int)self);
	spin_unlock(&victim->lock);
	if (!t)
		return false;
	place(t, self);
	return true;
}

// Pushes one waiting thread to the least loaded CPU when it has two fewer threads.
static void balance(void)
{
	unsigned self = this_cpu()->id, target = least_loaded(SCHED_CPUS_ALL);
	if (target == self || load(self) < load(target) + 2)
		return;
	struct runqueue *rq = this_rq();
	spin_lock(&rq->lock);
	struct thread *t = take(rq, (int)target);
	spin_unlock(&rq->lock);
	if (t)
		place(t, target);
}

void sched_tick(void)
{
	struct runqueue *rq = this_rq();
	struct thread *t = rq->current;
	t->ticks++;
	cputime_tick(t);
	if (t != rq->idle) {
		if (t->slice)
			t->slice--;
		if (!t->slice && (rq->waiting || rq->handoff))
			rq->need_resched = true;	// also when others came after it used up its slice
	}
	if (--rq->balance_countdown == 0) {
		rq->balance_countdown = BALANCE_TICKS;
		balance();
	}
}

void sched_idle(void)
{
	struct runqueue *rq = this_rq();
	for (;;) {
		if (rq->waiting || rq->handoff || steal()) {
			schedule();
			continue;
		}
		wfi();		// a pending interrupt wakes it even while masked
		__atomic_fetch_add(&this_cpu()->wakeups, 1, __ATOMIC_RELAXED);
		irq_enable();
		irq_disable();
	}
}

static void reschedule_handler(unsigned intid)
{
	(void)intid;
	this_rq()->need_resched = true;
}

void sched_init(void)
{
	irq_register(IPI_RESCHEDULE, reschedule_handler);
}

void sched_init_cpu(void)
{
	unsigned id = this_cpu()->id;
	struct runqueue *rq = &runqueues[id];
	struct thread *idle = &idle_threads[id];
	*idle = (struct thread){ .state = THREAD_RUNNING, .priority = PRIORITIES - 1, .cpu = id,
				 .allowed = 1u << id, .on_cpu = true };
	rq->idle = rq->current = idle;
	this_cpu()->current = idle;
	rq->running_priority = PRIORITIES;
	rq->balance_countdown = BALANCE_TICKS;
}

struct thread *thread_create(struct proc *proc, enum priority priority,
			     const void *trapframe, unsigned trapframe_size)
{
	struct thread *t = kmalloc(sizeof(*t));
	uint64_t stack = frame_alloc_contig(&kernel_frames, KSTACK_SIZE / PAGE_SIZE, 1);
	if (!t || stack == FRAME_NONE) {
		kmfree(t, sizeof(*t));
		if (stack != FRAME_NONE)
			frame_free_range(&kernel_frames, stack, KSTACK_SIZE / PAGE_SIZE);
		return NULL;
	}
	t->proc = proc;
	t->priority = priority;
	t->allowed = SCHED_CPUS_ALL;
	t->stack = phys_to_virt(stack);
	// The stack's top holds the trap frame, below it an empty frame record: the layout
	// trap_return_user expects.
	char *top = (char *)t->stack + KSTACK_SIZE;
	memcpy(top - trapframe_size, trapframe, trapframe_size);
	uint64_t *record = (uint64_t *)(top - trapframe_size - 16);
	record[0] = record[1] = 0;
	t->context.sp = (uint64_t)record;
	t->context.x19_to_x30[11] = (uint64_t)thread_first_entry;	// x30
	return t;
}
