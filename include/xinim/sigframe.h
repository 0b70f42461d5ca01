#pragma once
// Linux's AArch64 signal frame (arch/arm64/include/uapi/asm/sigcontext.h and ucontext.h,
// arch/arm64/kernel/signal.c), which handlers, C libraries and debuggers read: a struct
// rt_sigframe { siginfo_t info; struct ucontext uc; } with a frame record {x29, x30}
// just above it. PM writes the POSIX part (siginfo, uc_flags, uc_link, uc_stack,
// uc_sigmask) through its copy to the caller; the kernel writes the machine's part
// (uc_mcontext: registers, FP/SIMD) and reads it back at rt_sigreturn (docs/processes.md).
// Offsets in bytes from the frame's start.
#define XINIM_SIGFRAME_INFO		0	// siginfo_t, 128 bytes
#define XINIM_SIGFRAME_UC		128	// struct ucontext
#define XINIM_SIGFRAME_UC_STACK		(XINIM_SIGFRAME_UC + 16)	// stack_t, 24 bytes
#define XINIM_SIGFRAME_UC_SIGMASK	(XINIM_SIGFRAME_UC + 40)	// 8 bytes (+ 120 unused)
#define XINIM_SIGFRAME_MCONTEXT		(XINIM_SIGFRAME_UC + 176)	// struct sigcontext
// struct sigcontext: fault_address, regs[31], sp, pc, pstate, then __reserved[4096]
// (16-byte aligned) with records {u32 magic, u32 size, ...} up to a zero one.
#define XINIM_SIGCONTEXT_FAULT_ADDRESS	0
#define XINIM_SIGCONTEXT_REGS		8
#define XINIM_SIGCONTEXT_SP		256
#define XINIM_SIGCONTEXT_PC		264
#define XINIM_SIGCONTEXT_PSTATE		272
#define XINIM_SIGCONTEXT_RESERVED	288
#define XINIM_SIGCONTEXT_RESERVED_SIZE	4096
#define XINIM_SIGFRAME_SIZE \
	(XINIM_SIGFRAME_MCONTEXT + XINIM_SIGCONTEXT_RESERVED + XINIM_SIGCONTEXT_RESERVED_SIZE)
#define XINIM_FPSIMD_MAGIC	0x46508001u	// struct fpsimd_context: fpsr, fpcr, vregs[32]
#define XINIM_FPSIMD_SIZE	528
#define XINIM_ESR_MAGIC		0x45535201u	// struct esr_context: the fault's ESR
#define XINIM_ESR_SIZE		16

// Where a frame goes for a handler whose stack top is top (the interrupted sp, or the
// alternate stack's end): the frame record 16-byte aligned below top, the frame below it.
static inline unsigned long xinim_sigframe_at(unsigned long top)
{
	return ((top - 16) & ~15ul) - XINIM_SIGFRAME_SIZE;
}

_Static_assert(XINIM_SIGFRAME_SIZE == 4688, "Linux's rt_sigframe");
_Static_assert(XINIM_SIGFRAME_SIZE % 16 == 0, "the frame keeps sp aligned");
