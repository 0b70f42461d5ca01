#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/irq.h>
#include <kernel/console.h>
#include <kernel/klog.h>

#define PRIVATE_LINES 32

static irq_handler handlers[IRQ_LINES];
static uint64_t unclaimed;	// interrupts with no handler: acknowledged, counted, dropped

void irq_register(unsigned intid, irq_handler handler)
{
	handlers[intid] = handler;
	if (intid >= PRIVATE_LINES)
		gic_enable(intid);
}

void irq_init_cpu(void)
{
	for (unsigned intid = 0; intid < PRIVATE_LINES; intid++)
		if (handlers[intid])
			gic_enable(intid);
}

// Logged at the 1st, 2nd, 4th, 8th... occurrence: visible without flooding the console.
static void report_unclaimed(unsigned intid)
{
	uint64_t n = __atomic_add_fetch(&unclaimed, 1, __ATOMIC_RELAXED);
	if ((n & (n - 1)) == 0)
		klog(LOGLEVEL_WARNING, "irq: interrupt %u has no handler (%lu unclaimed so far)", intid, n);
}

void irq_handle(struct trapframe *frame)
{
	(void)frame;
	for (;;) {
		unsigned intid;
		uint32_t ack = gic_ack(&intid);
		if (intid >= INTID_SPURIOUS)
			return;
		if (handlers[intid])
			handlers[intid](intid);
		else
			report_unclaimed(intid);
		gic_eoi(ack);
	}
}
