#pragma once
// The machine's part of Linux's AArch64 signal frame (include/xinim/sigframe.h): the
// interrupted registers and FP/SIMD state, written below a handler's stack and read
// back by rt_sigreturn.
#include <stdbool.h>
#include <stdint.h>
#include <kernel/arch/aarch64/trapframe.h>

// The interrupted context as uc_mcontext holds it (fault: with the fault's address and
// ESR). user_write copies n bytes to the user address at (faults resolved): 0 or -EFAULT.
struct sigframe_io {
	int (*write)(uint64_t at, const void *from, uint64_t n);
	int (*read)(void *to, uint64_t at, uint64_t n);
};
int sigframe_save(const struct trapframe *frame, uint64_t at, bool fault,
		  const struct sigframe_io *io);

// Restores frame (registers, FP/SIMD) from the uc_mcontext of the frame at `at`: 0, or
// -EFAULT (unreadable), -EINVAL (not a context EL0 could have: another mode, masked
// interrupts, a record it does not know); nothing changes then.
int sigframe_restore(struct trapframe *frame, uint64_t at, const struct sigframe_io *io);
