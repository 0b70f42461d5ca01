// The exception vector table. Every entry saves a struct trapframe on the current
// kernel stack and calls C. From EL0 the stack is the thread's own kernel stack
// (SP_EL1 is its top whenever the thread runs at EL0).
#include <kernel/arch/aarch64/trapframe.h>

// el: 0 when the exception came from EL0 (sp is then SP_EL0), 1 from EL1.
.macro	save_frame	el
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #TF_X(0)]
	stp	x2, x3, [sp, #TF_X(2)]
	stp	x4, x5, [sp, #TF_X(4)]
	stp	x6, x7, [sp, #TF_X(6)]
	stp	x8, x9, [sp, #TF_X(8)]
	stp	x10, x11, [sp, #TF_X(10)]
	stp	x12, x13, [sp, #TF_X(12)]
	stp	x14, x15, [sp, #TF_X(14)]
	stp	x16, x17, [sp, #TF_X(16)]
	stp	x18, x19, [sp, #TF_X(18)]
	stp	x20, x21, [sp, #TF_X(20)]
	stp	x22, x23, [sp, #TF_X(22)]
	stp	x24, x25, [sp, #TF_X(24)]
	stp	x26, x27, [sp, #TF_X(26)]
	stp	x28, x29, [sp, #TF_X(28)]
	.if \el == 0
	mrs	x0, sp_el0
	.else
	add	x0, sp, #TF_SIZE
	.endif
	stp	x30, x0, [sp, #TF_X(30)]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #TF_ELR]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #TF_ESR]
	.if \el == 0
	mov	x29, #0			// the kernel's backtrace ends here
	stp	xzr, xzr, [sp, #-16]!
	.else
	ldr	x1, [sp, #TF_ELR]	// a frame record {trapped fp, trapped pc}, so that a
	stp	x29, x1, [sp, #-16]!	// backtrace from the handler runs on into the trapped code
	.endif
	mov	x29, sp
	add	x0, sp, #16		// x0 = struct trapframe *
.endm

.macro	restore_frame	el
	add	sp, sp, #16
	ldp	x0, x1, [sp, #TF_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	.if \el == 0
	ldr	x0, [sp, #TF_SP]
	msr	sp_el0, x0
	.endif
	ldp	x0, x1, [sp, #TF_X(0)]
	ldp	x2, x3, [sp, #TF_X(2)]
	ldp	x4, x5, [sp, #TF_X(4)]
	ldp	x6, x7, [sp, #TF_X(6)]
	ldp	x8, x9, [sp, #TF_X(8)]
	ldp	x10, x11, [sp, #TF_X(10)]
	ldp	x12, x13, [sp, #TF_X(12)]
	ldp	x14, x15, [sp, #TF_X(14)]
	ldp	x16, x17, [sp, #TF_X(16)]
	ldp	x18, x19, [sp, #TF_X(18)]
	ldp	x20, x21, [sp, #TF_X(20)]
	ldp	x22, x23, [sp, #TF_X(22)]
	ldp	x24, x25, [sp, #TF_X(24)]
	ldp	x26, x27, [sp, #TF_X(26)]
	ldp	x28, x29, [sp, #TF_X(28)]
	ldr	x30, [sp, #TF_X(30)]
	add	sp, sp, #TF_SIZE
	eret
.endm

.macro	ventry	target
	.balign	128
	b	\target
.endm

// Vector slots hold 32 instructions: each unexpected one branches to its own stub.
.macro	unexpected	kind
	ventry	unexpected_\kind
.endm

.macro	unexpected_stub	kind
unexpected_\kind:
	save_frame 1
	mov	x1, #\kind
	bl	trap_unexpected
	b	.
.endm

	.text
	.balign	2048
	.globl	vectors
vectors:
	.irp	kind, 0, 1, 2, 3
	unexpected	\kind			// EL1 with SP_EL0: never used
	.endr
	ventry		el1_sync
	ventry		el1_irq
	unexpected	6			// FIQ
	unexpected	7			// SError
	ventry		el0_sync
	ventry		el0_irq
	unexpected	10			// FIQ from EL0
	unexpected	11			// SError from EL0
	.irp	kind, 12, 13, 14, 15
	unexpected	\kind			// AArch32 EL0: the kernel never enters it
	.endr

	.irp	kind, 0, 1, 2, 3, 6, 7, 10, 11, 12, 13, 14, 15
	unexpected_stub	\kind
	.endr

el1_sync:
	save_frame 1
	bl	trap_kernel_sync
	restore_frame 1

el1_irq:
	save_frame 1
	bl	irq_handle
	restore_frame 1

el0_sync:
	save_frame 0
	bl	trap_user_sync
	b	trap_return_user

el0_irq:
	save_frame 0
	bl	irq_handle
	b	trap_return_user

// Back to EL0 through the trap frame at sp (after its frame record): first any
// switch the scheduler asks for, with interrupts still masked, then what PM asked of
// the process meanwhile (its end or execve), after a call, a fault or an interrupt alike.
	.globl	trap_return_user
trap_return_user:
	bl	sched_preempt_check
	add	x0, sp, #16		// x0 = struct trapframe *
	bl	trap_return_pending
	restore_frame 0
