// Sleeping threads, in a list sorted by deadline under sleep_lock.
// Lock order: sleep_lock, then a run-queue lock (sched_wakeup).
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/sched.h>
#include <kernel/sleep.h>
#include <kernel/spinlock.h>

static struct sleeper *sleepers;
static struct spinlock sleep_lock;

void sleep_arm(struct sleeper *s, uint64_t deadline)
{
	*s = (struct sleeper){ .thread = sched_current(), .deadline = deadline, .armed = true };
	spin_lock(&sleep_lock);
	struct sleeper **at = &sleepers;
	while (*at && (*at)->deadline <= deadline)
		at = &(*at)->next;
	s->next = *at;
	*at = s;
	spin_unlock(&sleep_lock);
}

void sleep_cancel(struct sleeper *s)
{
	spin_lock(&sleep_lock);
	if (s->armed) {
		struct sleeper **at = &sleepers;
		while (*at != s)
			at = &(*at)->next;
		*at = s->next;
		s->armed = false;
	}
	spin_unlock(&sleep_lock);
}

void sleep_until(uint64_t deadline)
{
	struct sleeper s;
	sched_block_prepare();
	sleep_arm(&s, deadline);
	sched_block_commit();
	sleep_cancel(&s);
}

uint64_t sleep_deadline(uint64_t us)
{
	if (us == UINT64_MAX)
		return UINT64_MAX;
	uint64_t hz = counter_frequency();
	uint64_t ticks = us / 1000000 * hz + us % 1000000 * hz / 1000000;
	uint64_t now = counter_now();
	return ticks < UINT64_MAX - now ? now + ticks : UINT64_MAX - 1;
}

void sleep_tick(void)
{
	uint64_t now = counter_now();
	spin_lock(&sleep_lock);
	while (sleepers && sleepers->deadline <= now) {
		struct sleeper *s = sleepers;
		sleepers = s->next;
		s->armed = false;
		sched_wakeup(s->thread);
	}
	spin_unlock(&sleep_lock);
}
