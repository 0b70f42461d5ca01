// Sleeping threads, in a list sorted by deadline under sleep_lock.
// Lock order: sleep_lock, then a run-queue lock (sched_block_prepare, sched_wakeup).
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/sched.h>
#include <kernel/sleep.h>
#include <kernel/spinlock.h>

struct sleeper {
	struct thread *thread;
	uint64_t deadline;
	struct sleeper *next;
};

static struct sleeper *sleepers;
static struct spinlock sleep_lock;

void sleep_until(uint64_t deadline)
{
	struct sleeper self = { .thread = sched_current(), .deadline = deadline };
	spin_lock(&sleep_lock);
	struct sleeper **at = &sleepers;
	while (*at && (*at)->deadline <= deadline)
		at = &(*at)->next;
	self.next = *at;
	*at = &self;
	sched_block_prepare();
	spin_unlock(&sleep_lock);
	sched_block_commit();
}

void sleep_tick(void)
{
	uint64_t now = counter_now();
	spin_lock(&sleep_lock);
	while (sleepers && sleepers->deadline <= now) {
		struct sleeper *s = sleepers;
		sleepers = s->next;
		sched_wakeup(s->thread);
	}
	spin_unlock(&sleep_lock);
}
