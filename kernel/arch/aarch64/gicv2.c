// GICv2: memory-mapped distributor and CPU interface. SGIs, PPIs and their enables
// and priorities are banked per CPU in the distributor.
#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/cpu.h>

enum {
	GICD_CTLR = 0x000,
	GICD_TYPER = 0x004,
	GICD_ISENABLER = 0x100,
	GICD_ICENABLER = 0x180,
	GICD_IPRIORITYR = 0x400,
	GICD_ITARGETSR = 0x800,
	GICD_SGIR = 0xf00,
	GICC_CTLR = 0x000,
	GICC_PMR = 0x004,
	GICC_IAR = 0x00c,
	GICC_EOIR = 0x010,
};

#define PRIORITY_DEFAULT 0xa0a0a0a0u
#define SGIR_TO_SELF (2u << 24)	/* TargetListFilter: the requesting CPU only */

static volatile uint8_t *dist, *cpuif;
static unsigned lines;

static inline volatile uint32_t *d32(unsigned offset) { return (volatile uint32_t *)(dist + offset); }
static inline volatile uint32_t *c32(unsigned offset) { return (volatile uint32_t *)(cpuif + offset); }

static void gicv2_init(const struct platform *platform)
{
	dist = mmio_map(platform->gic_dist, 0x1000);
	cpuif = mmio_map(platform->gic_cpu, 0x2000);
	lines = 32 * ((*d32(GICD_TYPER) & 0x1f) + 1);
	if (lines > INTID_SPURIOUS)
		lines = INTID_SPURIOUS;
	// Shared interrupts go to the boot CPU: its interface bit is the banked first byte
	// of ITARGETSR0 (zero on a uniprocessor GIC, where targets do not matter).
	uint32_t boot_target = *(volatile uint8_t *)(dist + GICD_ITARGETSR) * 0x01010101u;
	*d32(GICD_CTLR) = 0;
	for (unsigned i = 32; i < lines; i += 32)
		*d32(GICD_ICENABLER + i / 8) = ~0u;
	for (unsigned i = 32; i < lines; i += 4) {
		*d32(GICD_IPRIORITYR + i) = PRIORITY_DEFAULT;
		*d32(GICD_ITARGETSR + i) = boot_target;
	}
	*d32(GICD_CTLR) = 1;
	klog(LOGLEVEL_INFO, "gic: v2, distributor %lx, cpu interface %lx, %u lines", platform->gic_dist,
	     platform->gic_cpu, lines);
}

static void gicv2_init_cpu(void)
{
	// The banked first byte of ITARGETSR0 is this CPU's interface bit.
	this_cpu()->gic_target = *(volatile uint8_t *)(dist + GICD_ITARGETSR);
	*d32(GICD_ICENABLER) = ~0u;
	for (unsigned i = 0; i < 32; i += 4)
		*d32(GICD_IPRIORITYR + i) = PRIORITY_DEFAULT;
	*c32(GICC_PMR) = 0xf0;
	*c32(GICC_CTLR) = 1;
}

static void gicv2_enable(unsigned intid)
{
	*d32(GICD_ISENABLER + intid / 32 * 4) = 1u << (intid % 32);
}

static void gicv2_disable(unsigned intid)
{
	*d32(GICD_ICENABLER + intid / 32 * 4) = 1u << (intid % 32);
}

// The acknowledge value carries, for an SGI, the sending CPU: EOIR must get it back.
static uint32_t gicv2_ack(void) { return *c32(GICC_IAR); }

static void gicv2_eoi(uint32_t ack) { *c32(GICC_EOIR) = ack; }

static void gicv2_send_sgi(unsigned intid, unsigned cpu)
{
	unsigned target = cpus[cpu].gic_target;
	dsb(ishst);	// what the target will read is visible before it is told to
	// A uniprocessor GIC has no target bits (ITARGETSR reads as zero): send to self.
	*d32(GICD_SGIR) = target ? target << 16 | intid : SGIR_TO_SELF | intid;
}

const struct gic_ops gicv2_ops = {
	.init = gicv2_init,
	.init_cpu = gicv2_init_cpu,
	.enable = gicv2_enable,
	.disable = gicv2_disable,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.intid_mask = 0x3ff,
	.send_sgi = gicv2_send_sgi,
};
