#pragma once
// PM's messages (besides the system calls the kernel delegates to it).
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>

enum xinim_pm_msg {
	// Kernel -> PM: the kernel has ended `who` (a process PM made) on its own account:
	// a fault nobody resolves, or no memory for a fault MM would have resolved. A call
	// the kernel makes in the dying thread, as for a system call, before the thread
	// ends; PM forgets the process as after an exit (VFS, MM, KCALL_PROC_END) and
	// answers 0. Only the kernel sends it (-EPERM otherwise).
	XINIM_PM_DEATH = XINIM_MSG_PM_FIRST,	// struct xinim_pm_death
	// A server -> PM: the credentials of a process PM made (struct xinim_pm_who), in
	// the reply's payload (struct xinim_pm_credentials); -ESRCH for any other.
	XINIM_PM_CREDENTIALS,
	// Kernel -> PM, for a parent whose vfork PM answered (XINIM_FORK_VFORK): answered
	// (with the child's PID) once the child has made an execve or ended.
	XINIM_PM_VFORK_WAIT,	// struct xinim_pm_vfork
	// Kernel -> PM, as a thread of `who` returns to EL0 after PM said a signal waits for
	// it (KCALL_PROC_SIGNAL): PM takes the signal to deliver, writes its siginfo and the
	// POSIX part of the frame (include/xinim/sigframe.h) below sp, and answers with a
	// struct xinim_pm_signal_reply; signal 0 when none is to be handled (PM may have ended
	// or stopped the process instead).
	XINIM_PM_SIGNAL,	// struct xinim_pm_signal
	// Kernel -> PM, at a thread's rt_sigreturn (the kernel restored its registers from the
	// frame): the signal mask and alternate stack the frame held; 0.
	XINIM_PM_SIGRETURN,	// struct xinim_pm_sigreturn
	// Kernel -> PM, in a thread whose system call a server answered with a signal to
	// raise (struct xinim_syscall_raise_reply): PM raises it as flags say and answers
	// what the call returns (struct xinim_pm_raise_reply).
	XINIM_PM_RAISE,		// struct xinim_pm_raise
	XINIM_PM_MSG_END
};

enum xinim_pm_death_cause {
	XINIM_DEATH_FAULT = 1,		// an exception of the program: signal says which kind
	XINIM_DEATH_NO_MEMORY = 2,	// no frame for a page it was allowed (Linux: OOM killer)
	XINIM_DEATH_ENDED = 3,		// ended by a process (KCALL_PROC_END), or its own exit
};

// Linux's numbers of the signals a kernel-decided end is reported as (the kernel has no
// <signal.h>).
enum xinim_linux_signal {
	XINIM_SIGILL = 4,
	XINIM_SIGTRAP = 5,
	XINIM_SIGBUS = 7,
	XINIM_SIGKILL = 9,
	XINIM_SIGSEGV = 11,
};

// signal is what Linux would have killed the process with, as a wait status gives it:
// SIGSEGV for a bad access, SIGBUS for misalignment, SIGILL for an undefined or trapped
// instruction, SIGTRAP for a breakpoint, SIGKILL for no memory. pc and address are the
// kernel's report (address 0 where the exception has none).
// For a fault (cause XINIM_DEATH_FAULT) the process need not die: PM answers
// XINIM_DEATH_CAUGHT when its handler for the signal is to run (the signal is pending,
// code is siginfo's si_code, address its si_addr), and 0 when it ends.
struct xinim_pm_death {
	xinim_endpoint_t who;
	uint16_t cause;		// enum xinim_pm_death_cause
	uint16_t signal;
	uint64_t esr;
	uint64_t pc;
	uint64_t address;
	int32_t code;
	uint32_t tid;		// the thread that faulted
};

#define XINIM_DEATH_CAUGHT 1

struct xinim_pm_raise {
	xinim_endpoint_t who;
	uint32_t tid;
	uint32_t signal;
	uint32_t flags;		// enum xinim_raise_flag
	int64_t value;		// the server's answer
	uint64_t mask;		// XINIM_RAISE_MASK's
};

struct xinim_pm_raise_reply {
	int64_t value;		// for x0
	uint32_t again;		// 1: make the call again, XINIM_SYSCALL_AGAIN added
	uint32_t reserved;
};

struct xinim_pm_signal {
	xinim_endpoint_t who;
	uint32_t tid;		// the thread
	uint64_t sp;		// its interrupted stack pointer
};

enum xinim_pm_signal_flag {
	XINIM_SIGNAL_RESTART = 1 << 0,	// the handler's SA_RESTART: a call it interrupts
					// with -XINIM_ERESTARTSYS starts again
	XINIM_SIGNAL_FAULT = 1 << 1,	// a fault's signal: the frame records its address
					// and ESR
};

// The handler to run: pc = handler, x0 = signal, x1 = frame's siginfo, x2 = its
// ucontext, x30 = restorer, sp = frame (PM chose it: include/xinim/sigframe.h).
struct xinim_pm_signal_reply {
	int32_t signal;
	uint32_t flags;		// enum xinim_pm_signal_flag
	uint64_t handler;
	uint64_t restorer;
	uint64_t frame;
};

struct xinim_pm_sigreturn {
	xinim_endpoint_t who;
	int32_t ss_flags;	// the frame's uc_stack
	uint64_t mask;		// its uc_sigmask
	uint64_t ss_sp, ss_size;
	uint32_t tid;
	uint32_t reserved;
};

_Static_assert(sizeof(struct xinim_pm_death) <= XINIM_PAYLOAD_MAX, "death fits a payload");
_Static_assert(sizeof(struct xinim_pm_signal_reply) <= XINIM_PAYLOAD_MAX, "fits a payload");
_Static_assert(sizeof(struct xinim_pm_sigreturn) <= XINIM_PAYLOAD_MAX, "fits a payload");

struct xinim_pm_who {
	xinim_endpoint_t who;
};

struct xinim_pm_credentials {
	uint32_t uid, euid, gid, egid;
};

struct xinim_pm_vfork {
	xinim_endpoint_t parent;
	xinim_endpoint_t child;
	uint32_t tid;		// the parent's thread that waits
};
