// uc_mcontext of Linux's AArch64 rt_sigframe (arch/arm64/kernel/signal.c): the general
// registers, sp, pc and pstate, then in __reserved an FP/SIMD record, an ESR record for
// a fault, and the zero record that ends them.
#include <errno.h>
#include <string.h>
#include <xinim/sigframe.h>
#include <kernel/arch/aarch64/context.h>
#include <kernel/arch/aarch64/sigframe.h>

struct record {
	uint32_t magic, size;
};

struct fpsimd_record {
	struct record head;
	uint32_t fpsr, fpcr;
	uint64_t vregs[64];	// 32 128-bit registers
};

struct esr_record {
	struct record head;
	uint64_t esr;
};

// uc_mcontext up to the end of the records written here.
struct mcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint64_t padding;
	struct fpsimd_record fpsimd;
	union {
		struct {
			struct esr_record esr;
			struct record end;
		} fault;
		struct record end;
	} tail;
} __attribute__((aligned(16)));

_Static_assert(__builtin_offsetof(struct mcontext, sp) == XINIM_SIGCONTEXT_SP, "Linux's layout");
_Static_assert(__builtin_offsetof(struct mcontext, pstate) == XINIM_SIGCONTEXT_PSTATE, "layout");
_Static_assert(__builtin_offsetof(struct mcontext, fpsimd) == XINIM_SIGCONTEXT_RESERVED, "layout");
_Static_assert(sizeof(struct fpsimd_record) == XINIM_FPSIMD_SIZE, "Linux's fpsimd_context");
_Static_assert(sizeof(struct esr_record) == XINIM_ESR_SIZE, "Linux's esr_context");

// SPSR bits EL0 may hold: NZCV, DIT, SSBS; others are dropped. A context with a mode
// or a masked interrupt (EL1, AArch32) is not one the kernel saved: refused.
enum {
	PSTATE_NZCV = 0xfu << 28, PSTATE_DIT = 1u << 24, PSTATE_SSBS = 1u << 12,
	PSTATE_KEPT = PSTATE_NZCV | PSTATE_DIT | PSTATE_SSBS,
	PSTATE_MODE_AND_MASKS = 0x3ff,	// M[4:0], and the D, A, I, F masks
};

int sigframe_save(const struct trapframe *frame, uint64_t at, bool fault,
		  const struct sigframe_io *io)
{
	struct mcontext m = { .fault_address = fault ? frame->far : 0, .sp = frame->sp,
			      .pc = frame->elr, .pstate = frame->spsr };
	memcpy(m.regs, frame->x, sizeof(m.regs));
	struct cpu_context live;
	fpsimd_save_to(&live);	// the thread's own: the kernel leaves them as EL0 left them
	m.fpsimd = (struct fpsimd_record){ .head = { XINIM_FPSIMD_MAGIC, XINIM_FPSIMD_SIZE },
					   .fpsr = (uint32_t)live.fpsr,
					   .fpcr = (uint32_t)live.fpcr };
	memcpy(m.fpsimd.vregs, live.q, sizeof(m.fpsimd.vregs));
	size_t size = sizeof(m) - sizeof(m.tail) + sizeof(struct record);
	if (fault) {
		m.tail.fault.esr = (struct esr_record){ { XINIM_ESR_MAGIC, XINIM_ESR_SIZE },
							frame->esr };
		size += sizeof(m.tail.fault.esr);
	}
	return io->write(at + XINIM_SIGFRAME_MCONTEXT, &m, size);
}

// Walks the records after the FP/SIMD one: an ESR record may come (the frame of a
// fault), then the end. 0 or -EINVAL.
static int records_check(const struct mcontext *m)
{
	if (m->fpsimd.head.magic != XINIM_FPSIMD_MAGIC || m->fpsimd.head.size != XINIM_FPSIMD_SIZE)
		return -EINVAL;
	const struct record *next = &m->tail.end;
	if (next->magic == XINIM_ESR_MAGIC && next->size == XINIM_ESR_SIZE)
		next = &m->tail.fault.end;
	return next->magic == 0 && next->size == 0 ? 0 : -EINVAL;
}

int sigframe_restore(struct trapframe *frame, uint64_t at, const struct sigframe_io *io)
{
	struct mcontext m;
	if (io->read(&m, at + XINIM_SIGFRAME_MCONTEXT, sizeof(m)))
		return -EFAULT;
	if (records_check(&m) || (m.pstate & PSTATE_MODE_AND_MASKS))
		return -EINVAL;
	memcpy(frame->x, m.regs, sizeof(m.regs));
	frame->sp = m.sp;
	frame->elr = m.pc;
	frame->spsr = m.pstate & PSTATE_KEPT;
	struct cpu_context live;
	fpsimd_save_to(&live);	// TPIDR_EL0 stays
	memcpy(live.q, m.fpsimd.vregs, sizeof(live.q));
	live.fpsr = m.fpsimd.fpsr;
	live.fpcr = m.fpsimd.fpcr;
	fpsimd_load_from(&live);
	return 0;
}
