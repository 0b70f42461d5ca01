#pragma once
// Per-CPU data. TPIDR_EL1 points at the running CPU's struct cpu from its first C code on.
#include <stdbool.h>
#include <stdint.h>
#include <kernel/arch/aarch64/memory.h>
#include <kernel/arch/aarch64/sysreg.h>

struct thread;

struct cpu {
	struct thread *current;	// the running thread (a copy of its run queue's, for speed)
	unsigned id;		// 0 is the boot CPU; the order of /cpus in the DTB after it
	uint64_t mpidr;		// affinity fields of MPIDR_EL1
	unsigned gic_target;	// GICv2 CPU-interface bit, read from the banked GICD_ITARGETSR0
	bool online;
	uint64_t ticks;		// timer interrupts taken
	uint64_t pings;		// IPI_PING interrupts taken
	uint64_t wakeups;	// returns from wfi in the idle loop
};

extern struct cpu cpus[MAX_CPUS];
extern unsigned cpus_present;	// CPUs the DTB describes, up to MAX_CPUS

static inline struct cpu *this_cpu(void) { return (struct cpu *)sysreg_read(tpidr_el1); }

// Bounds of CPU id's kernel stack (head.S).
static inline uintptr_t cpu_stack_base(unsigned id)
{
	extern char cpu_stacks[];
	return (uintptr_t)cpu_stacks + (uintptr_t)id * KSTACK_SIZE;
}

static inline uintptr_t cpu_stack_top(unsigned id) { return cpu_stack_base(id) + KSTACK_SIZE; }
