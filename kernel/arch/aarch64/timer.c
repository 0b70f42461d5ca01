// Compare values advance by a fixed period from the previous deadline, so ticks do not
// drift with interrupt latency.
#include <kernel/arch/aarch64/irq.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/timer.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/cpu.h>
#include <kernel/sched.h>
#include <kernel/sleep.h>

#define CNTV_CTL_ENABLE 1
#define CNTKCTL_EL0VCTEN (1 << 1)
#define CNTKCTL_EVNTEN (1 << 2)
#define CNTKCTL_EVNTI(bit) ((bit) << 4)

static unsigned timer_intid;
static uint64_t period;

static void timer_tick(unsigned intid)
{
	(void)intid;
	this_cpu()->ticks++;
	sleep_tick();
	sched_tick();
	uint64_t next = sysreg_read(cntv_cval_el0) + period;
	uint64_t now = counter_now();
	if (next <= now)	// missed ticks (a long stop in a debugger): do not storm
		next = now + period;
	sysreg_write(cntv_cval_el0, next);
	isb();	// the timer must see the new deadline before the EOI, or it fires again
}

void timer_init(const struct platform *platform)
{
	timer_intid = platform->timer_intid;
	period = counter_frequency() / TIMER_HZ;
	irq_register(timer_intid, timer_tick);
	klog(LOGLEVEL_INFO, "timer: %lu Hz counter, %u Hz tick, intid %u", counter_frequency(), TIMER_HZ,
	     timer_intid);
}

void timer_init_cpu(void)
{
	sysreg_write(cntv_cval_el0, counter_now() + period);
	sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
	// An event every 2^10 counter ticks (16 us at 62.5 MHz) bounds every wfe wait; user
	// code may read the virtual counter, as on Linux.
	sysreg_write(cntkctl_el1, CNTKCTL_EL0VCTEN | CNTKCTL_EVNTEN | CNTKCTL_EVNTI(9));
}
