#pragma once
// Processes as the kernel sees them: a PID, an address space, capabilities and threads.
// Everything POSIX about them (parents, signals, credentials) belongs to PM.
#include <stdbool.h>
#include <stddef.h>
#include <libipc/codec.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cap.h>
#include <kernel/sched.h>

#define MAX_PROCS 1024

struct boot_program;
struct thread;

struct proc {
	unsigned pid;
	xinim_endpoint_t endpoint;	// the pid and this instance's generation
	char name[16];
	struct cap_table caps;
	struct aspace as;
	unsigned threads;	// alive
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

// KCALL_IPC_CHANNEL for the kernel's own channels: hands out the key of the channel in
// direction once. 0 or -EALREADY.
int proc_take_kernel_key(struct proc *proc, enum xinim_direction direction,
			 struct xinim_channel *out);

// The process of the running thread (NULL in an idle thread).
static inline struct proc *proc_current(void) { return sched_current()->proc; }

static inline struct aspace *proc_aspace(struct proc *proc) { return &proc->as; }

// Ends the running process (its one thread for now); does not return.
void proc_end(void) __attribute__((__noreturn__));

// Called when a thread of proc is gone; the last one frees the process.
void proc_thread_gone(struct proc *proc);

// The boot archive the kernel was given (kmain sets it).
void proc_set_archive(const void *archive, size_t size);
