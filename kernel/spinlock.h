#pragma once
// The one lock type: a ticket lock, fair between CPUs. Waiters sleep in wfe and unlock
// wakes them with sev (under icount a spinning vCPU would starve the others).
// It does not mask interrupts: a lock also taken from an interrupt handler must be
// taken with irq_save() first. Builds on the host too, for unit tests.
#include <stdbool.h>
#include <stdint.h>

struct spinlock {
	uint32_t next;
	uint32_t owner;
};

static inline void cpu_wait_event(void)
{
#if defined(__aarch64__)
	__asm__ volatile("wfe" : : : "memory");
#endif
}

static inline void cpu_send_event(void)
{
#if defined(__aarch64__)
	__asm__ volatile("dsb ishst\n\tsev" : : : "memory");
#endif
}

static inline void spin_lock(struct spinlock *lock)
{
	uint32_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_wait_event();
}

static inline bool spin_trylock(struct spinlock *lock)
{
	uint32_t owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	uint32_t expected = owner;
	return __atomic_compare_exchange_n(&lock->next, &expected, owner + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(struct spinlock *lock)
{
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
	cpu_send_event();
}
