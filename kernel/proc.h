#pragma once
// Processes as the kernel sees them: a PID, an address space, capabilities and threads.
// Everything POSIX about them (parents, signals, credentials) belongs to PM.
#include <stdbool.h>
#include <stddef.h>
#include <xinim/codec.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cap.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>


// What a thread is to do on its way back to EL0 (struct thread's pending).
enum proc_pending {
	PROC_PENDING_EXEC = 1 << 0,	// start afresh at exec_entry, exec_sp (KCALL_PROC_EXEC)
	PROC_PENDING_END = 1 << 1,	// end (KCALL_PROC_END, KCALL_THREAD_END)
	PROC_PENDING_SIGNAL = 1 << 2,	// ask PM for a signal (KCALL_PROC_SIGNAL, kernel/signal.h)
	PROC_PENDING_STOP = 1 << 3,	// wait while stopped (KCALL_PROC_STOP)
};

struct boot_program;
struct thread;

struct proc {
	unsigned pid;
	xinim_endpoint_t endpoint;	// the pid and this instance's generation
	char name[16];
	struct cap_table caps;
	struct aspace as;
	unsigned refs;		// its threads, a process that never ran, and proc_get's holders
	bool managed;		// PM made it (KCALL_PROC_NEW) and MM manages its space
	bool supervised;	// a boot program RS restarts (boottable.h)
	bool started;		// its first thread ran (or it was ended before)
	const char *device;	// the boot table's DTB compatible (KCAP_DEVICE), or NULL
	bool kcall_denial_logged;	// a kernel call of it was denied and said so (kcall.c)
	uint64_t exec_entry, exec_sp;
	bool stopped;			// KCALL_PROC_STOP's; under threads_lock
	// Its threads, linked by sibling, and whether it is ending (no thread is added then).
	struct thread *threads;
	bool ending;
	struct spinlock threads_lock;
	// The channels between the kernel and the process, indexed by enum xinim_direction
	// as the process sees them: the keys until it takes them, the kernel's codec ends.
	struct xinim_channel kernel_keys[2];
	bool kernel_keys_taken[2];
	struct codec_channel kernel_tx, kernel_rx;
};

// Starts boot program bp from the boot archive with argv (argc entries). Returns its
// PID, or -ENOENT (not in the archive), -ENOEXEC/-EINVAL (elf_parse), -E2BIG (arguments
// larger than a page), -ENOMEM, -EAGAIN (no free PID), -EBUSY (its fixed PID is taken).
int proc_spawn(const struct boot_program *bp, int argc, const char *const argv[]);

// Starts child (a process PM made, not started) as a copy of the calling thread whose
// trap frame is frame, with x0 = 0 (and sp, if not 0): PM's fork (kernel/syscall.c). 0,
// -ESRCH, -EBUSY (it runs already), -ENOMEM.
int proc_fork_start(xinim_endpoint_t child, const struct trapframe *frame, uint64_t sp);

// A new thread tid of the running process, a copy of the calling thread whose trap
// frame is frame, with x0 = 0, sp and the TLS pointer *tls (NULL: the caller's): PM's
// clone of a thread. 0, -ENOMEM, -ESRCH (the process is ending).
int proc_thread_start(unsigned tid, const struct trapframe *frame, uint64_t sp,
		      const uint64_t *tls);

// Sets bits (enum proc_pending) for proc's thread tid (0: every thread): 0, or -ESRCH
// (no such thread). Under the process's threads_lock, each of f's calls too (f may be
// NULL), for each thread marked.
int proc_mark(struct proc *proc, unsigned tid, unsigned bits, void (*f)(struct thread *));

// f(thread, arg)'s answer for thread tid of the process PM made at endpoint, called
// under the process's threads_lock; -ESRCH when there is no such thread.
long proc_thread_apply(xinim_endpoint_t endpoint, unsigned tid,
		       long (*f)(struct thread *, uint64_t), uint64_t arg);

// Whether pid is held by the instance named endpoint (alive, or still ending).
bool proc_pid_holds(unsigned pid, xinim_endpoint_t endpoint);

// The live process holding endpoint, with a reference the caller drops with proc_put;
// NULL when there is none.
struct proc *proc_get(xinim_endpoint_t endpoint);
void proc_put(struct proc *proc);
// proc_get of a process PM made (KCALL_PROC_NEW); NULL for any other.
struct proc *proc_managed(xinim_endpoint_t endpoint);

// KCALL_PROC_NEW, KCALL_PROC_START, KCALL_PROC_EXEC and KCALL_PROC_END.
long proc_kcall_new(struct trapframe *frame);
long proc_kcall_made(struct trapframe *frame);
long proc_kcall_start(struct trapframe *frame);
long proc_kcall_exec(struct trapframe *frame);
long proc_kcall_end(struct trapframe *frame);
long proc_kcall_thread_end(struct trapframe *frame);
long proc_kcall_atomic(struct trapframe *frame);
long proc_kcall_thread_cpu(struct trapframe *frame);
long proc_kcall_thread_affinity(struct trapframe *frame);

// What PM asked for the running process (enum proc_pending), as it returns to EL0 in
// frame (after a call, a fault or an interrupt): it ends, or frame starts the new program.
void proc_apply_pending(struct trapframe *frame);

// KCALL_IPC_CHANNEL for the kernel's own channels: hands out the key of the channel in
// direction once. 0 or -EALREADY.
int proc_take_kernel_key(struct proc *proc, enum xinim_direction direction,
			 struct xinim_channel *out);

// The process of the running thread (NULL in an idle thread).
static inline struct proc *proc_current(void) { return sched_current()->proc; }

static inline struct aspace *proc_aspace(struct proc *proc) { return &proc->as; }

// Ends the running thread (the process goes with its last); does not return.
void proc_end(void) __attribute__((__noreturn__));

// Called when a thread of proc is gone; the last one frees the process.
void proc_thread_gone(struct proc *proc);

