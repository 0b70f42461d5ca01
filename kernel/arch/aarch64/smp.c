#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/irq.h>
#include <kernel/arch/aarch64/mmu.h>
#include <kernel/arch/aarch64/psci.h>
#include <kernel/arch/aarch64/pmu.h>
#include <kernel/arch/aarch64/smp.h>
#include <kernel/arch/aarch64/timer.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/cpu.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>

#define START_WAIT_SECONDS 2
#define MPIDR_AFFINITY 0xff00ffffffUL

struct cpu cpus[MAX_CPUS];
unsigned cpus_present = 1;

void secondary_entry(void);
void secondary_main(unsigned id);

void cpu_boot_init(void)
{
	cpus[0] = (struct cpu){ .id = 0, .mpidr = sysreg_read(mpidr_el1) & MPIDR_AFFINITY };
	sysreg_write(tpidr_el1, &cpus[0]);
}

static void ping_handler(unsigned intid)
{
	(void)intid;
	__atomic_fetch_add(&this_cpu()->pings, 1, __ATOMIC_RELEASE);
	cpu_send_event();
}

void smp_init(void)
{
	irq_register(IPI_PING, ping_handler);
}

void cpu_start_local(void)
{
	struct cpu *cpu = this_cpu();
	sched_init_cpu();
	gic_init_cpu();
	irq_init_cpu();
	timer_init_cpu();
	pmu_init_cpu();
	// Interrupts stay masked: kernel code runs so, and only the idle loop unmasks them
	// around wfi. Unmasked here, an interrupt could come between a thread's first
	// `msr elr_el1` and its eret to EL0 and send it to a kernel address.
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	cpu_send_event();
	klog(LOGLEVEL_INFO, "cpu %u online", cpu->id);
}

// Entered from head.S on the CPU's own stack, at the kernel's addresses.
void secondary_main(unsigned id)
{
	sysreg_write(tpidr_el1, &cpus[id]);
	mmu_drop_identity();
	cpu_start_local();
	sched_idle();
}

static unsigned online_count(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < cpus_present; i++)
		n += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE);
	return n;
}

unsigned smp_boot(const struct platform *platform)
{
	unsigned started = 1;
	for (unsigned i = 0; i < platform->cpu_count && cpus_present < MAX_CPUS; i++) {
		uint64_t mpidr = platform->cpu_mpidr[i] & MPIDR_AFFINITY;
		if (mpidr == cpus[0].mpidr)
			continue;
		unsigned id = cpus_present++;
		cpus[id] = (struct cpu){ .id = id, .mpidr = mpidr };
		int64_t err = psci_cpu_on(mpidr, virt_to_phys((void *)secondary_entry), id);
		if (err)
			klog(LOGLEVEL_ERR, "cpu %u: PSCI CPU_ON for mpidr %lx failed: %ld", id, mpidr, err);
		else
			started++;
	}
	uint64_t deadline = counter_now() + START_WAIT_SECONDS * counter_frequency();
	while (online_count() < started && counter_now() < deadline)
		wfe();
	return online_count();
}

