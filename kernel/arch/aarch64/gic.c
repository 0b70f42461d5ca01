#include <kernel/arch/aarch64/gic.h>

static const struct gic_ops *gic;

void gic_init(const struct platform *platform)
{
	gic = platform->gic_version == 3 ? &gicv3_ops : &gicv2_ops;
	gic->init(platform);
}

void gic_init_cpu(void) { gic->init_cpu(); }
void gic_enable(unsigned intid) { gic->enable(intid); }
void gic_disable(unsigned intid) { gic->disable(intid); }
uint32_t gic_ack(unsigned *intid)
{
	uint32_t ack = gic->ack();
	*intid = ack & gic->intid_mask;
	return ack;
}

void gic_eoi(uint32_t ack) { gic->eoi(ack); }
void gic_send_sgi(enum ipi ipi, unsigned cpu) { gic->send_sgi(ipi, cpu); }
