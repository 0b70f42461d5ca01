// The exception vector table. Every entry saves a struct trapframe and calls C.
#include <kernel/arch/aarch64/trapframe.h>

.macro	save_frame
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
	add	x0, sp, #TF_SIZE
	stp	x30, x0, [sp, #TF_X(30)]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #TF_ELR]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #TF_ESR]
	ldr	x1, [sp, #TF_ELR]	// a frame record {trapped fp, trapped pc}, so that a
	stp	x29, x1, [sp, #-16]!	// backtrace from the handler runs on into the trapped code
	mov	x29, sp
	add	x0, sp, #16		// x0 = struct trapframe *
.endm

.macro	restore_frame
	add	sp, sp, #16
	ldp	x0, x1, [sp, #TF_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
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
	save_frame
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
	.irp	kind, 8, 9, 10, 11, 12, 13, 14, 15
	unexpected	\kind			// from EL0 (user space comes with processes)
	.endr

	.irp	kind, 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	unexpected_stub	\kind
	.endr

el1_sync:
	save_frame
	bl	trap_kernel_sync
	restore_frame

el1_irq:
	save_frame
	bl	irq_handle
	restore_frame
