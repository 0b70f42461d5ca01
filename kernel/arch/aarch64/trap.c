// Exceptions taken from the vectors other than interrupts. In the kernel every one is
// fatal; from EL0 they are calls or faults of the process.
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/esr.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/fault.h>
#include <kernel/kcall.h>
#include <kernel/syscall.h>
#include <xinim/format.h>
#include <kernel/panic.h>
#include <kernel/proc.h>

void trap_kernel_sync(struct trapframe *frame);
void trap_unexpected(struct trapframe *frame, unsigned vector);
void trap_user_sync(struct trapframe *frame);
void trap_return_pending(struct trapframe *frame);

enum { EC_WFX = 0x01, EC_SVC64 = 0x15, EC_SP_ALIGNMENT = 0x26, ESR_IL = 1 << 25 };

static void trap_svc(struct trapframe *frame)
{
	switch (frame->esr & 0xffff) {	// the SVC's immediate says which kind of call
	case XINIM_SVC_LINUX:
		syscall_linux(frame);
		break;
	case XINIM_SVC_KCALL:
		kcall_dispatch(frame);
		break;
	default:
		fault_user(frame);
	}
}

// Synchronous exceptions from EL0: calls, WFI, and faults that end the process.
// The call ABI wants sp 16-byte aligned at a call. Hardware with SCTLR_EL1.SA0 set faults
// a misaligned sp at its first use, but QEMU omits that check; a call made with one is
// reported as the SP alignment fault it would have been.
void trap_user_sync(struct trapframe *frame)
{
	if (ESR_EC(frame->esr) == EC_WFX) {
		frame->elr += 4;	// WFI: a no-op at EL0, as on Linux (SCTLR_EL1.nTWI clear)
	} else if (ESR_EC(frame->esr) != EC_SVC64) {
		fault_user(frame);
	} else if (frame->sp & 15) {
		frame->esr = (uint64_t)EC_SP_ALIGNMENT << 26 | ESR_IL;
		fault_user(frame);
	} else {
		trap_svc(frame);
	}
}

// On every way back to EL0 (vectors.S): a process PM ended dies here even if it only
// computes, and never enters the kernel by a call.
void trap_return_pending(struct trapframe *frame)
{
	if (__atomic_load_n(&sched_current()->pending, __ATOMIC_RELAXED))
		proc_apply_pending(frame);	// exit or execve, as PM asked meanwhile
}

void trap_kernel_sync(struct trapframe *frame)
{
	panic_trap(frame, "kernel fault");
}

// vector = the slot in the table: 4 groups (EL1 with SP_EL0, EL1, EL0 AArch64,
// EL0 AArch32) of 4 kinds (synchronous, IRQ, FIQ, SError).
void trap_unexpected(struct trapframe *frame, unsigned vector)
{
	static const char *const groups[4] = {
		"at EL1 on SP_EL0", "at EL1", "from EL0", "from AArch32 EL0",
	};
	static const char *const kinds[4] = { "synchronous", "IRQ", "FIQ", "SError" };
	char what[64];
	ksnprintf(what, sizeof(what), "unexpected %s exception %s", kinds[vector % 4],
		  groups[vector / 4 % 4]);
	panic_trap(frame, what);
}
