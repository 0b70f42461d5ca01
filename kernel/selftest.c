#include <stdint.h>
#include <string.h>
#include <kernel/arch/aarch64/gic.h>
#include <kernel/arch/aarch64/psci.h>
#include <kernel/arch/aarch64/timer.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/cpu.h>
#include <kernel/panic.h>
#include <kernel/selftest.h>

#define TICKS_WANTED 20
#define WAIT_SECONDS 5

// CPU 0 waits in wfi, woken by its own tick at least: under qemu -icount a wfe loop is
// a host round trip every few guest instructions (tests/boot run under -icount).
static bool wait_until(bool (*done)(unsigned), unsigned cpu)
{
	uint64_t deadline = counter_now() + WAIT_SECONDS * counter_frequency();
	while (!done(cpu) && counter_now() < deadline)
		wfi();
	return done(cpu);
}

static bool ticked(unsigned cpu)
{
	return __atomic_load_n(&cpus[cpu].ticks, __ATOMIC_RELAXED) >= TICKS_WANTED;
}

static bool pinged(unsigned cpu) { return __atomic_load_n(&cpus[cpu].pings, __ATOMIC_ACQUIRE) > 0; }

// Every online CPU takes timer interrupts and answers an interrupt sent to it.
static void test_ticks(void)
{
	bool pass = true;
	for (unsigned cpu = 0; cpu < cpus_present; cpu++) {
		if (!cpus[cpu].online)
			continue;
		gic_send_sgi(IPI_PING, cpu);
		bool ticks_ok = wait_until(ticked, cpu);
		bool ping_ok = wait_until(pinged, cpu);
		klog(LOGLEVEL_INFO, "selftest ticks: cpu %u: %lu timer interrupts, ipi %s", cpu, cpus[cpu].ticks,
		     ping_ok ? "answered" : "LOST");
		pass = pass && ticks_ok && ping_ok;
	}
	klog(LOGLEVEL_INFO, "selftest ticks: %s", pass ? "pass" : "FAIL");
	psci_system_off();
}

static uint64_t load(const uint64_t *counter) { return __atomic_load_n(counter, __ATOMIC_RELAXED); }

// The other CPUs sleep in wfi and wake only for their interrupts (here: the tick). It
// waits for half a second's worth of ticks on each rather than for a second: a host
// that is short of CPU time delivers fewer ticks, but never more wakeups than ticks.
static bool idle_ticked(unsigned cpu, const uint64_t *since)
{
	return load(&cpus[cpu].ticks) - since[cpu] >= TIMER_HZ / 2;
}

static void test_idle(void)
{
	uint64_t ticks[MAX_CPUS], wakeups[MAX_CPUS];
	for (unsigned cpu = 0; cpu < cpus_present; cpu++) {
		ticks[cpu] = load(&cpus[cpu].ticks);
		wakeups[cpu] = load(&cpus[cpu].wakeups);
	}
	uint64_t deadline = counter_now() + WAIT_SECONDS * counter_frequency();
	bool pass = true;
	for (unsigned cpu = 1; cpu < cpus_present; cpu++) {
		while (!idle_ticked(cpu, ticks) && counter_now() < deadline)
			wfi();
		uint64_t t = load(&cpus[cpu].ticks) - ticks[cpu];
		uint64_t w = load(&cpus[cpu].wakeups) - wakeups[cpu];
		bool ok = cpus[cpu].online && idle_ticked(cpu, ticks) && w <= t + 2;
		klog(LOGLEVEL_INFO, "selftest idle: cpu %u: %lu ticks, %lu wakeups", cpu, t, w);
		pass = pass && ok;
	}
	klog(LOGLEVEL_INFO, "selftest idle: %s", pass ? "pass" : "FAIL");
	psci_system_off();
}

static void test_panic(void)
{
	klog(LOGLEVEL_INFO, "selftest panic: calling panic");
	panic("selftest panic with %d", 42);
}

static void test_fault(void)
{
	klog(LOGLEVEL_INFO, "selftest fault: writing to address 0");
	*(volatile uint64_t *)0 = 0xbad;
}

static void test_write_text(void)
{
	klog(LOGLEVEL_INFO, "selftest wx: writing to kernel text");
	*(volatile uint32_t *)(uintptr_t)test_write_text = 0;
}

static const uint64_t constant = 42;

static void test_write_rodata(void)
{
	klog(LOGLEVEL_INFO, "selftest rodata: writing to kernel rodata");
	*(volatile uint64_t *)(uintptr_t)&constant = 0;
}

static uint32_t data_code[] = { 0xd65f03c0 };	// ret

static void test_exec_data(void)
{
	klog(LOGLEVEL_INFO, "selftest nx: executing kernel data");
	((void (*)(void))(uintptr_t)data_code)();
}

static const struct {
	const char *name;
	void (*run)(void);
} tests[] = {
	{ "ticks", test_ticks },
	{ "idle", test_idle },
	{ "fault", test_fault },
	{ "panic", test_panic },
	{ "wx", test_write_text },
	{ "rodata", test_write_rodata },
	{ "nx", test_exec_data },
};

void selftest_run(const char *name)
{
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (strcmp(tests[i].name, name) == 0) {
			tests[i].run();
			klog(LOGLEVEL_INFO, "selftest %s: returned, which it must not", name);
			return;
		}
	}
	klog(LOGLEVEL_INFO, "selftest: no test named \"%s\"", name);
}
