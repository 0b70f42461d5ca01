// GICv3: memory-mapped distributor and per-CPU redistributors, CPU interface through
// system registers, affinity routing. Runs with a single security state, as on QEMU virt.
#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>

enum {
	GICD_CTLR = 0x0000,
	GICD_TYPER = 0x0004,
	GICD_IGROUPR = 0x0080,
	GICD_ISENABLER = 0x0100,
	GICD_ICENABLER = 0x0180,
	GICD_IPRIORITYR = 0x0400,
	GICD_IROUTER = 0x6000,
	GICR_TYPER = 0x0008,
	GICR_WAKER = 0x0014,
	GICR_SGI = 0x10000,	// the SGI/PPI frame follows the control frame
	GICR_IGROUPR0 = GICR_SGI + 0x0080,
	GICR_ISENABLER0 = GICR_SGI + 0x0100,
	GICR_ICENABLER0 = GICR_SGI + 0x0180,
	GICR_IPRIORITYR = GICR_SGI + 0x0400,
};

enum {
	CTLR_ENABLE_GRP0 = 1 << 0,	// Group 1 Non-secure in the Non-secure view
	CTLR_ENABLE_GRP1 = 1 << 1,	// Group 1 (A) when there is one security state (or two)
	CTLR_ARE = 1 << 4,
	CTLR_RWP = 1u << 31,
	WAKER_PROCESSOR_SLEEP = 1 << 1,
	WAKER_CHILDREN_ASLEEP = 1 << 2,
	TYPER_LAST = 1 << 4,
	TYPER_VLPIS = 1 << 1,
};

#define PRIORITY_DEFAULT 0xa0a0a0a0u

static volatile uint8_t *dist, *redist_base;
static uint64_t redist_size;
static volatile uint8_t *redist[MAX_CPUS];
static unsigned lines;

static inline volatile uint32_t *reg32(volatile uint8_t *base, unsigned offset)
{
	return (volatile uint32_t *)(base + offset);
}

static void wait_rwp(void)
{
	while (*reg32(dist, GICD_CTLR) & CTLR_RWP)
		;
}

// MPIDR affinity in the layout of GICR_TYPER[63:32] and GICD_IROUTER.
static uint64_t affinity(uint64_t mpidr)
{
	return (mpidr & 0xffffff) | (mpidr >> 32 & 0xff) << 24;
}

static void gicv3_init(const struct platform *platform)
{
	dist = mmio_map(platform->gic_dist, 0x10000);
	redist_base = mmio_map(platform->gic_redist.base, platform->gic_redist.size);
	redist_size = platform->gic_redist.size;
	lines = 32 * ((*reg32(dist, GICD_TYPER) & 0x1f) + 1);
	if (lines > INTID_SPURIOUS)
		lines = INTID_SPURIOUS;
	*reg32(dist, GICD_CTLR) = 0;
	wait_rwp();
	uint64_t boot_affinity = affinity(cpus[0].mpidr);
	uint64_t route = (boot_affinity & 0xffffff) | (boot_affinity >> 24) << 32;
	for (unsigned i = 32; i < lines; i += 32) {
		*reg32(dist, GICD_ICENABLER + i / 8) = ~0u;
		*reg32(dist, GICD_IGROUPR + i / 8) = ~0u;
	}
	for (unsigned i = 32; i < lines; i++) {
		*(volatile uint8_t *)(dist + GICD_IPRIORITYR + i) = 0xa0;
		*(volatile uint64_t *)(dist + GICD_IROUTER + 8 * i) = route;
	}
	wait_rwp();
	*reg32(dist, GICD_CTLR) = CTLR_ARE | CTLR_ENABLE_GRP1 | CTLR_ENABLE_GRP0;
	wait_rwp();
	klog(LOGLEVEL_INFO, "gic: v3, distributor %lx, redistributors %lx, %u lines", platform->gic_dist,
	     platform->gic_redist.base, lines);
}

// Walks the redistributor frames for the one whose affinity is this CPU's.
static volatile uint8_t *find_redist(uint64_t mpidr)
{
	uint64_t want = affinity(mpidr);
	for (uint64_t at = 0; at + 0x20000 <= redist_size;) {
		volatile uint8_t *frame = redist_base + at;
		uint64_t typer = *(volatile uint64_t *)(frame + GICR_TYPER);
		if (typer >> 32 == want)
			return frame;
		if (typer & TYPER_LAST)
			break;
		at += typer & TYPER_VLPIS ? 0x40000 : 0x20000;
	}
	return 0;
}

static void gicv3_init_cpu(void)
{
	struct cpu *cpu = this_cpu();
	volatile uint8_t *rd = find_redist(cpu->mpidr);
	if (!rd)
		panic("gic: no redistributor for cpu %u (mpidr %lx)", cpu->id, cpu->mpidr);
	redist[cpu->id] = rd;
	*reg32(rd, GICR_WAKER) &= ~WAKER_PROCESSOR_SLEEP;
	while (*reg32(rd, GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
		;
	*reg32(rd, GICR_ICENABLER0) = ~0u;
	*reg32(rd, GICR_IGROUPR0) = ~0u;
	for (unsigned i = 0; i < 32; i += 4)
		*reg32(rd, GICR_IPRIORITYR + i) = PRIORITY_DEFAULT;
	sysreg_write(icc_sre_el1, sysreg_read(icc_sre_el1) | 1);
	isb();
	sysreg_write(icc_pmr_el1, 0xf0);
	sysreg_write(icc_bpr1_el1, 0);
	sysreg_write(icc_ctlr_el1, 0);	// EOI both drops priority and deactivates
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
}

static void gicv3_enable(unsigned intid)
{
	if (intid < 32)
		*reg32(redist[this_cpu()->id], GICR_ISENABLER0) = 1u << intid;
	else
		*reg32(dist, GICD_ISENABLER + intid / 32 * 4) = 1u << (intid % 32);
}

static void gicv3_disable(unsigned intid)
{
	*reg32(dist, GICD_ICENABLER + intid / 32 * 4) = 1u << (intid % 32);
	wait_rwp();	// disabled once the distributor says so
}

static uint32_t gicv3_ack(void)
{
	uint32_t ack = (uint32_t)sysreg_read(icc_iar1_el1);
	dsb(sy);
	return ack;
}

static void gicv3_eoi(uint32_t ack)
{
	sysreg_write(icc_eoir1_el1, ack);
	isb();
}

static void gicv3_send_sgi(unsigned intid, unsigned cpu)
{
	uint64_t mpidr = cpus[cpu].mpidr;
	// Aff3.Aff2.Aff1 name a cluster; RS picks 16 of its Aff0 values, the list one of them.
	uint64_t value = (mpidr >> 32 & 0xff) << 48 | (mpidr >> 4 & 0xf) << 44 |
			 (mpidr >> 16 & 0xff) << 32 | (uint64_t)intid << 24 |
			 (mpidr >> 8 & 0xff) << 16 | 1u << (mpidr & 0xf);
	dsb(ishst);
	sysreg_write(icc_sgi1r_el1, value);
	isb();
}

const struct gic_ops gicv3_ops = {
	.init = gicv3_init,
	.init_cpu = gicv3_init_cpu,
	.enable = gicv3_enable,
	.disable = gicv3_disable,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.intid_mask = 0xffffff,
	.send_sgi = gicv3_send_sgi,
};
