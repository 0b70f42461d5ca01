#include <kernel/arch/aarch64/psci.h>

enum {
	PSCI_CPU_ON = 0xc4000003,	// SMC64 calling convention
	PSCI_SYSTEM_OFF = 0x84000008,
	PSCI_SYSTEM_RESET = 0x84000009,
	PSCI_NOT_SUPPORTED = -1,
};

// SMCCC: arguments in x0..x3, result in x0; x4..x17 may be clobbered by old firmware.
#define PSCI_CALL(insn, fn, a, b, c) ({ \
	register uint64_t x0 __asm__("x0") = (fn); \
	register uint64_t x1 __asm__("x1") = (a); \
	register uint64_t x2 __asm__("x2") = (b); \
	register uint64_t x3 __asm__("x3") = (c); \
	__asm__ volatile(insn " #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory", \
			 "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
			 "x14", "x15", "x16", "x17"); \
	(int64_t)x0; })

static int64_t call_hvc(uint64_t fn, uint64_t a, uint64_t b, uint64_t c)
{
	return PSCI_CALL("hvc", fn, a, b, c);
}

static int64_t call_smc(uint64_t fn, uint64_t a, uint64_t b, uint64_t c)
{
	return PSCI_CALL("smc", fn, a, b, c);
}

static int64_t call_none(uint64_t fn, uint64_t a, uint64_t b, uint64_t c)
{
	(void)fn, (void)a, (void)b, (void)c;
	return PSCI_NOT_SUPPORTED;
}

static int64_t (*psci_call)(uint64_t, uint64_t, uint64_t, uint64_t) = call_none;

void psci_init(enum psci_method method)
{
	psci_call = method == PSCI_HVC ? call_hvc : method == PSCI_SMC ? call_smc : call_none;
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return psci_call(PSCI_CPU_ON, mpidr, entry, context);
}

void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

void psci_system_reset(void)
{
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
}
