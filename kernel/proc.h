#pragma once
// Processes as the kernel sees them: a PID, an address space, capabilities and threads.
// Everything POSIX about them (parents, signals, credentials) belongs to PM.
#include <stddef.h>
#include <kernel/arch/aarch64/uvm.h>

struct boot_program;
struct thread;

struct proc {
	unsigned pid;
	char name[16];
	unsigned caps;		// KCAP_* (kernel/boottable.h)
	struct aspace as;
	unsigned threads;	// alive
};

// Starts boot program bp from the boot archive with argv (argc entries). Returns its
// PID, or -ENOENT (not in the archive), -ENOEXEC/-EINVAL (elf_parse), -E2BIG (arguments
// larger than a page), -ENOMEM, -EAGAIN (no free PID).
int proc_spawn(const struct boot_program *bp, int argc, const char *const argv[]);

// The process of the running thread (NULL in an idle thread).
struct proc *proc_current(void);

struct aspace *proc_aspace(struct proc *proc);

// Ends the running process (its one thread for now); does not return.
void proc_end(void) __attribute__((__noreturn__));

// Called when a thread of proc is gone; the last one frees the process.
void proc_thread_gone(struct proc *proc);

// The boot archive the kernel was given (kmain sets it).
void proc_set_archive(const void *archive, size_t size);
