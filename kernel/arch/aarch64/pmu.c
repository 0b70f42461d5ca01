#include <kernel/arch/aarch64/pmu.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/klog.h>

#define PMU_EVENT_INST_RETIRED 0x08
#define PMCR_ENABLE (1 << 0)
#define PMUSERENR_EVENT_READ (1 << 3)	// ER: EL0 reads event counters, nothing else

static bool present, user;

void pmu_init(bool user_read)
{
	unsigned version = (sysreg_read(id_aa64dfr0_el1) >> 8) & 0xf;
	present = version != 0 && version != 0xf;	// 0xf: IMPLEMENTATION DEFINED, not PMUv3
	user = present && user_read;
	if (user_read && !present)
		klog(LOGLEVEL_WARNING, "pmu: no PMUv3: pmu.user=on has nothing to give");
	else if (user)
		klog(LOGLEVEL_INFO, "pmu: user code may read PMEVCNTR0_EL0 (instructions retired)");
}

void pmu_init_cpu(void)
{
	if (!present)
		return;
	// Event type 0x08 with every filter bit clear: EL0 and EL1 counted, EL2 not.
	sysreg_write(pmevtyper0_el0, PMU_EVENT_INST_RETIRED);
	sysreg_write(pmintenclr_el1, ~0ul);	// no overflow interrupts: readers take differences
	sysreg_write(pmcntenset_el0, 1);
	sysreg_write(pmcr_el0, sysreg_read(pmcr_el0) | PMCR_ENABLE);
	sysreg_write(pmuserenr_el0, user ? PMUSERENR_EVENT_READ : 0);
	isb();
}
