#pragma once
// What context_switch (switch.S) saves of a thread: the callee-saved registers and sp
// of its kernel side, and the user state the kernel itself never touches (FP/SIMD
// registers, FPSR, FPCR, TPIDR_EL0). Layout shared with assembly.
#define CTX_X19     0		/* x19..x30: 12 registers */
#define CTX_SP      96
#define CTX_Q       112		/* q0..q31 */
#define CTX_FPSR    (CTX_Q + 512)
#define CTX_FPCR    (CTX_FPSR + 8)
#define CTX_TPIDR   (CTX_FPCR + 8)
#define CTX_SIZE    (CTX_TPIDR + 16)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct cpu_context {
	uint64_t x19_to_x30[12];
	uint64_t sp;
	uint64_t unused;
	uint64_t q[64];		// 32 128-bit registers
	uint64_t fpsr;
	uint64_t fpcr;
	uint64_t tpidr_el0;
	uint64_t padding;
} __attribute__((aligned(16)));

_Static_assert(offsetof(struct cpu_context, sp) == CTX_SP, "switch.S layout");
_Static_assert(offsetof(struct cpu_context, q) == CTX_Q, "switch.S layout");
_Static_assert(offsetof(struct cpu_context, fpsr) == CTX_FPSR, "switch.S layout");
_Static_assert(offsetof(struct cpu_context, tpidr_el0) == CTX_TPIDR, "switch.S layout");
_Static_assert(sizeof(struct cpu_context) == CTX_SIZE, "switch.S layout");

// Saves the running thread's context in prev and resumes next's. Returns when prev is
// switched to again.
void context_switch(struct cpu_context *prev, struct cpu_context *next);

// The FP/SIMD part of a context (q0..q31, FPSR, FPCR, and TPIDR_EL0 with them).
void fpsimd_save_to(struct cpu_context *context);
void fpsimd_load_from(const struct cpu_context *context);

// Only the registers the codec's cipher uses, q0..q7 and q16..q24, in their places
// (fpsimd_codec_begin).
void fpsimd_codec_save_to(struct cpu_context *context);
void fpsimd_codec_load_from(const struct cpu_context *context);

// Where a new thread's first switch lands: finishes the switch, then returns to EL0
// through the trap frame at the top of its kernel stack.
void thread_first_entry(void);
#endif
