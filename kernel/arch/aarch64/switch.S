// Thread switch. The kernel is built without FP/SIMD (-mgeneral-regs-only), so the
// FP/SIMD registers hold the user state of the running thread all the time it is in
// the kernel, and are switched here, eagerly, with the rest.
#include <kernel/arch/aarch64/context.h>

	.arch	armv8-a+fp+simd
	.text
	.globl	context_switch
context_switch:
	stp	x19, x20, [x0, #CTX_X19]
	stp	x21, x22, [x0, #CTX_X19 + 16]
	stp	x23, x24, [x0, #CTX_X19 + 32]
	stp	x25, x26, [x0, #CTX_X19 + 48]
	stp	x27, x28, [x0, #CTX_X19 + 64]
	stp	x29, x30, [x0, #CTX_X19 + 80]
	mov	x9, sp
	str	x9, [x0, #CTX_SP]
	mov	x19, x1			// saved above; the helpers below keep x19
	bl	fpsimd_save_to		// x0: prev
	mov	x0, x19
	bl	fpsimd_load_from
	mov	x1, x19
	ldp	x19, x20, [x1, #CTX_X19]
	ldp	x21, x22, [x1, #CTX_X19 + 16]
	ldp	x23, x24, [x1, #CTX_X19 + 32]
	ldp	x25, x26, [x1, #CTX_X19 + 48]
	ldp	x27, x28, [x1, #CTX_X19 + 64]
	ldp	x29, x30, [x1, #CTX_X19 + 80]
	ldr	x9, [x1, #CTX_SP]
	mov	sp, x9
	ret

	.globl	thread_first_entry
thread_first_entry:
	bl	sched_finish_switch
	b	trap_return_user

// The user FP/SIMD state (q0..q31, FPSR, FPCR) and TPIDR_EL0 to and from a context;
// x0 = the context. They touch only x0, x9..x12.
	.globl	fpsimd_save_to
fpsimd_save_to:
	add	x9, x0, #CTX_Q
	stp	q0, q1, [x9], #32
	stp	q2, q3, [x9], #32
	stp	q4, q5, [x9], #32
	stp	q6, q7, [x9], #32
	stp	q8, q9, [x9], #32
	stp	q10, q11, [x9], #32
	stp	q12, q13, [x9], #32
	stp	q14, q15, [x9], #32
	stp	q16, q17, [x9], #32
	stp	q18, q19, [x9], #32
	stp	q20, q21, [x9], #32
	stp	q22, q23, [x9], #32
	stp	q24, q25, [x9], #32
	stp	q26, q27, [x9], #32
	stp	q28, q29, [x9], #32
	stp	q30, q31, [x9], #32
	mrs	x10, fpsr
	mrs	x11, fpcr
	mrs	x12, tpidr_el0
	stp	x10, x11, [x9]		// x9 has reached CTX_FPSR; TPIDR follows FPCR
	str	x12, [x9, #CTX_TPIDR - CTX_FPSR]
	ret

	.globl	fpsimd_load_from
fpsimd_load_from:
	add	x9, x0, #CTX_Q
	ldp	q0, q1, [x9], #32
	ldp	q2, q3, [x9], #32
	ldp	q4, q5, [x9], #32
	ldp	q6, q7, [x9], #32
	ldp	q8, q9, [x9], #32
	ldp	q10, q11, [x9], #32
	ldp	q12, q13, [x9], #32
	ldp	q14, q15, [x9], #32
	ldp	q16, q17, [x9], #32
	ldp	q18, q19, [x9], #32
	ldp	q20, q21, [x9], #32
	ldp	q22, q23, [x9], #32
	ldp	q24, q25, [x9], #32
	ldp	q26, q27, [x9], #32
	ldp	q28, q29, [x9], #32
	ldp	q30, q31, [x9], #32
	ldp	x10, x11, [x9]
	ldr	x12, [x9, #CTX_TPIDR - CTX_FPSR]
	msr	fpsr, x10
	msr	fpcr, x11
	msr	tpidr_el0, x12
	ret

// The codec's registers only (fpsimd_codec_begin): q0..q7 and q16..q24, each in its place
// in the context, moved by pair and single (stp and str, or ldp and ldr). They touch
// only x0 and x9.
.macro codec_registers pair, single
	add	x9, x0, #CTX_Q
	\pair	q0, q1, [x9]
	\pair	q2, q3, [x9, #32]
	\pair	q4, q5, [x9, #64]
	\pair	q6, q7, [x9, #96]
	add	x9, x9, #256		// q16
	\pair	q16, q17, [x9]
	\pair	q18, q19, [x9, #32]
	\pair	q20, q21, [x9, #64]
	\pair	q22, q23, [x9, #96]
	\single	q24, [x9, #128]
	ret
.endm

	.globl	fpsimd_codec_save_to
fpsimd_codec_save_to:
	codec_registers stp, str

	.globl	fpsimd_codec_load_from
fpsimd_codec_load_from:
	codec_registers ldp, ldr
