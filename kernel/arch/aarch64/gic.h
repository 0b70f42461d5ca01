#pragma once
// The interrupt controller: GICv2 or GICv3, as the DTB says.
#include <kernel/dtb.h>

#define INTID_SPURIOUS 1020	// acknowledge values from here on mean "nothing pending"

// Software-generated interrupts between CPUs.
enum ipi {
	IPI_STOP = 1,	// panic: halt this CPU
	IPI_PING = 2,	// counted and answered with an event: shows that IPIs work
};

struct gic_ops {
	void (*init)(const struct platform *platform);
	void (*init_cpu)(void);
	void (*enable)(unsigned intid);
	unsigned (*ack)(void);
	void (*eoi)(unsigned intid);
	void (*send_sgi)(unsigned intid, unsigned cpu);
};

extern const struct gic_ops gicv2_ops, gicv3_ops;

// Sets up the distributor; the boot CPU calls it once.
void gic_init(const struct platform *platform);
// Sets up the running CPU's interface and its private interrupts.
void gic_init_cpu(void);
// Enables an interrupt: for SGIs and PPIs, on the running CPU only.
void gic_enable(unsigned intid);
unsigned gic_ack(void);
void gic_eoi(unsigned intid);
void gic_send_sgi(enum ipi ipi, unsigned cpu);
