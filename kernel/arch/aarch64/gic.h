#pragma once
// The interrupt controller: GICv2 or GICv3, as the DTB says.
#include <stdint.h>
#include <kernel/dtb.h>

#define INTID_SPURIOUS 1020	// acknowledge values from here on mean "nothing pending"

// Software-generated interrupts between CPUs.
enum ipi {
	IPI_STOP = 1,	// panic: halt this CPU
	IPI_PING = 2,	// counted and answered with an event: shows that IPIs work
	IPI_RESCHEDULE = 3,	// a thread that should run there was queued
};

struct gic_ops {
	void (*init)(const struct platform *platform);
	void (*init_cpu)(void);
	void (*enable)(unsigned intid);
	void (*disable)(unsigned intid);
	uint32_t (*ack)(void);		// the raw acknowledge value, given back to eoi
	void (*eoi)(uint32_t ack);
	uint32_t intid_mask;		// the interrupt ID's bits in the acknowledge value
	void (*send_sgi)(unsigned intid, unsigned cpu);
};

extern const struct gic_ops gicv2_ops, gicv3_ops;

// Sets up the distributor; the boot CPU calls it once.
void gic_init(const struct platform *platform);
// Sets up the running CPU's interface and its private interrupts.
void gic_init_cpu(void);
// Enables an interrupt: for SGIs and PPIs, on the running CPU only.
void gic_enable(unsigned intid);
// Disables a shared interrupt (an SPI): it stays pending at the GIC, undelivered.
void gic_disable(unsigned intid);
// Acknowledges the highest-priority pending interrupt: *intid is its ID (INTID_SPURIOUS
// or above when none); the returned value must be given to gic_eoi unchanged.
uint32_t gic_ack(unsigned *intid);
void gic_eoi(uint32_t ack);
void gic_send_sgi(enum ipi ipi, unsigned cpu);
