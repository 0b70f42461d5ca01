#pragma once
#include <stdint.h>
#include <kernel/arch/aarch64/trapframe.h>

struct proc;

// A synchronous exception from EL0 that is not a call. A page fault of a process MM
// manages goes to MM as a message (XINIM_MM_FAULT) and returns once MM mapped the page;
// anything else reports "proc N (name): <reason> at <pc> addr <far>, killed" (or "out of
// memory at ..." when MM had no page for an allowed access) and ends the process; PM
// hears of it first (XINIM_PM_DEATH, include/xinim/ipc/pm.h) if it made the process.
void fault_user(const struct trapframe *frame);

// The running process gets signal (Linux's number) for a fault or a frame it could not
// take (code: siginfo's si_code; address: si_addr): PM makes it pending when a handler
// of it can run, and this returns; otherwise "proc N (name): <reason> at <pc> addr
// <address>, killed" is logged and the process ends.
void fault_signal(const struct trapframe *frame, unsigned signal, int code, uint64_t address,
		  const char *reason);

// Asks MM to make address in proc's space allow access (XINIM_MM_READ...), unless it is
// a write to a copy-on-write page MM made writable already, which the kernel copies
// itself (aspace_copy_on_write): 0 when it did, -ENOMEM when it found no memory for it,
// -EINTR when the running thread's process was ended meanwhile, -EFAULT when it will not
// (or proc is not MM's).
int fault_resolve(struct proc *proc, uint64_t address, unsigned access);
