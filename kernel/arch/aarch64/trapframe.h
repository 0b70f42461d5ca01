#pragma once
// The registers saved on exception entry (vectors.S). Layout is shared with assembly.
#define TF_X(n)     ((n) * 8)
#define TF_SP       (31 * 8)
#define TF_ELR      (32 * 8)
#define TF_SPSR     (33 * 8)
#define TF_ESR      (34 * 8)
#define TF_FAR      (35 * 8)
#define TF_SIZE     (36 * 8)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trapframe {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe layout is shared with vectors.S");
_Static_assert(TF_SIZE % 16 == 0, "the stack stays 16-byte aligned");
#endif
