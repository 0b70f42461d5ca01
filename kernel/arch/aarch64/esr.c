#include <stdbool.h>
#include <stddef.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/pm.h>
#include <kernel/arch/aarch64/esr.h>

enum {
	EC_IABT_LOW = 0x20,
	EC_IABT_CUR = 0x21,
	EC_DABT_LOW = 0x24,
	EC_DABT_CUR = 0x25,
	ESR_WNR = 1u << 6,	// data abort: the access was a write
	ESR_CM = 1u << 8,	// data abort: from a cache maintenance instruction
};

static const char *const class_names[64] = {
	[0x00] = "unknown reason (undefined instruction)",
	[0x01] = "trapped WFI/WFE",
	[0x07] = "FP/SIMD access trapped",
	[0x0e] = "illegal execution state",
	[0x15] = "SVC from AArch64",
	[0x16] = "HVC from AArch64",
	[0x17] = "SMC from AArch64",
	[0x18] = "trapped MSR/MRS/system instruction",
	[EC_IABT_LOW] = "instruction abort (lower EL)",
	[EC_IABT_CUR] = "instruction abort (same EL)",
	[0x22] = "PC alignment fault",
	[EC_DABT_LOW] = "data abort (lower EL)",
	[EC_DABT_CUR] = "data abort (same EL)",
	[0x26] = "SP alignment fault",
	[0x2c] = "floating-point exception",
	[0x2f] = "SError interrupt",
	[0x30] = "breakpoint (lower EL)",
	[0x31] = "breakpoint (same EL)",
	[0x32] = "software step (lower EL)",
	[0x33] = "software step (same EL)",
	[0x34] = "watchpoint (lower EL)",
	[0x35] = "watchpoint (same EL)",
	[0x3c] = "BRK instruction",
};

// Fault status codes whose low two bits are the translation level.
static const char *const levelled_faults[16] = {
	[0x0] = "address size fault",
	[0x1] = "translation fault",
	[0x2] = "access flag fault",
	[0x3] = "permission fault",
	[0x5] = "synchronous external abort on table walk",
};

static const char *const other_faults[64] = {
	[0x10] = "synchronous external abort",
	[0x18] = "synchronous parity or ECC error",
	[0x21] = "alignment fault",
	[0x30] = "TLB conflict abort",
	[0x31] = "unsupported atomic hardware update",
};

static int is_abort(unsigned ec)
{
	return ec == EC_IABT_LOW || ec == EC_IABT_CUR || ec == EC_DABT_LOW || ec == EC_DABT_CUR;
}

const char *esr_class_name(uint64_t esr)
{
	const char *name = class_names[ESR_EC(esr)];
	return name ? name : "reserved or unhandled exception class";
}

const char *esr_fault_name(uint64_t esr, int *level)
{
	*level = -1;
	if (!is_abort(ESR_EC(esr)))
		return NULL;
	unsigned status = esr & 0x3f;
	if (other_faults[status])
		return other_faults[status];
	if (status < 0x18 && levelled_faults[status >> 2]) {
		*level = (int)(status & 3);
		return levelled_faults[status >> 2];
	}
	return "unknown fault status";
}

const char *esr_access(uint64_t esr)
{
	unsigned ec = ESR_EC(esr);
	if (ec != EC_DABT_LOW && ec != EC_DABT_CUR)
		return NULL;
	return esr & ESR_WNR && !(esr & ESR_CM) ? "write" : "read";
}

unsigned esr_page_fault(uint64_t esr)
{
	unsigned ec = ESR_EC(esr), status = esr & 0x3f;
	bool paging = status >= 0x04 && status <= 0x0f;	// translation, access flag, permission
	if (!paging || (ec != EC_IABT_LOW && ec != EC_DABT_LOW))
		return 0;
	if (ec == EC_IABT_LOW)
		return XINIM_MM_EXEC;
	if (esr & ESR_CM)
		return XINIM_MM_READ;	// DC CVAU, IC IVAU...: set WnR but need only read access
	return esr & ESR_WNR ? XINIM_MM_WRITE : XINIM_MM_READ;
}

// Linux's arm64 choices (arch/arm64/mm/fault.c fault_info, traps.c): an alignment or
// external abort is SIGBUS, any other abort SIGSEGV; a misaligned pc or sp SIGBUS; BRK
// SIGTRAP; anything else an instruction the program may not run, SIGILL.
unsigned esr_signal(uint64_t esr)
{
	enum { EC_PC_ALIGNMENT = 0x22, EC_SP_ALIGNMENT = 0x26, EC_BRK64 = 0x3c };
	enum { STATUS_ALIGNMENT = 0x21, STATUS_EXTERNAL = 0x10 };
	unsigned ec = ESR_EC(esr), status = esr & 0x3f;
	if (ec == EC_IABT_LOW || ec == EC_IABT_CUR || ec == EC_DABT_LOW || ec == EC_DABT_CUR)
		return status == STATUS_ALIGNMENT || status == STATUS_EXTERNAL ? XINIM_SIGBUS
									   : XINIM_SIGSEGV;
	if (ec == EC_PC_ALIGNMENT || ec == EC_SP_ALIGNMENT)
		return XINIM_SIGBUS;
	return ec == EC_BRK64 ? XINIM_SIGTRAP : XINIM_SIGILL;
}

// siginfo's si_code for esr_signal's signal, as Linux's fault_info gives it: SEGV_MAPERR
// for nothing mapped, SEGV_ACCERR for a page the access may not touch, BUS_ADRALN for
// misalignment, BUS_OBJERR for an external abort, ILL_ILLOPC, TRAP_BRKPT.
int esr_signal_code(uint64_t esr)
{
	enum { SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRALN = 1, BUS_OBJERR = 3 };
	unsigned status = esr & 0x3f;
	if (!is_abort(ESR_EC(esr)))
		return 1;	// BUS_ADRALN for pc and sp, ILL_ILLOPC, TRAP_BRKPT
	if (status == 0x21)
		return BUS_ADRALN;
	if (status == 0x10)
		return BUS_OBJERR;
	return status >= 0x08 && status <= 0x0f ? SEGV_ACCERR : SEGV_MAPERR;
}
