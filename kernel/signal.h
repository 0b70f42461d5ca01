#pragma once
// Signals: PM decides what is delivered, to whom and when; the kernel moves registers
// (docs/processes.md, Signals).
#include <stdbool.h>
#include <stdint.h>
#include <kernel/arch/aarch64/trapframe.h>

struct proc;

// On the way back to EL0 with PROC_PENDING_SIGNAL: asks PM for the signal to handle, turns
// an interrupted call's restart answer into -EINTR or the call made again, and builds
// the handler's frame (a frame that does not fit kills the process with SIGSEGV).
void signal_deliver(struct trapframe *frame);

// rt_sigreturn: the registers back from the frame at sp, the mask to PM. false when the
// frame is not one the kernel could have built (the process gets SIGSEGV).
void signal_return(struct trapframe *frame);

// A server answered the running thread's call with restart (XINIM_ERESTART*): kept for
// signal_deliver, which PM is asked for in any case.
void signal_restart_note(int restart);

// KCALL_PROC_SIGNAL and KCALL_PROC_STOP.
long signal_kcall(struct trapframe *frame);
long signal_kcall_stop(struct trapframe *frame);
long signal_kcall_thread_sp(struct trapframe *frame);

// A stopped process's thread waits here until it is continued or ended.
void signal_stop_wait(struct proc *proc);

// thread goes on if it waits in signal_stop_wait (to end, or continued). Under its
// process's threads_lock.
struct thread;
void signal_stop_release(struct thread *thread);
