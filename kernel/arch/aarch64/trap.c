// Exceptions taken from the vectors other than interrupts. In the kernel every one is
// fatal for now; exceptions from EL0 arrive with processes.
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/lib/format.h>
#include <kernel/panic.h>

void trap_kernel_sync(struct trapframe *frame);
void trap_unexpected(struct trapframe *frame, unsigned vector);

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
