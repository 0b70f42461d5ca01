#pragma once
// The process manager (docs/architecture.md, The parts): processes, exec and exit,
// identity, time, signal bookkeeping, limits. One file per concern; table.c routes the
// system calls.
#include <stdbool.h>
#include <stdint.h>
#include <libipc/server.h>
#include <xinim/elf.h>
#include <xinim/limits.h>


extern const struct ipc_table pm_table;

// process.c: the processes PM started, by PID.
struct process {
	xinim_endpoint_t self;		// 0: the slot is free
	xinim_endpoint_t parent;	// XINIM_ENDPOINT_NONE for init
	char name[16];
};
struct process *process_of(xinim_endpoint_t who);	// NULL: not one PM started
// Starts path with args as a new process (pid 0: any free one): its endpoint, or -errno.
struct arguments;
long process_spawn(unsigned pid, xinim_endpoint_t parent, const struct arguments *args);
// The process has ended (exit, or a failed start): VFS, MM and the kernel forget it.
void process_end(xinim_endpoint_t who, int status);
// How many processes PM manages now.
unsigned process_count(void);
// The kernel has ended the process with Linux's signal (no_memory: for want of memory);
// forgotten as by process_end.
void process_killed(xinim_endpoint_t who, int signal, bool no_memory);
// Tells VFS about PM itself, so that PM can open programs; 0 or -errno.
long process_self_register(void);

// exec.c: programs.
// A program's stack region, and what its arguments may take of it: Linux's limits with
// the default 8 MiB stack rlimit (fs/exec.c): argv's and envp's strings, the path's and
// a pointer for each string within a quarter of the stack, each string at most
// MAX_ARG_STRLEN with its NUL; beyond, execve is -E2BIG and changes nothing.
#define STACK_SIZE (UINT64_C(8) << 20)
#define ARG_BYTES_MAX (STACK_SIZE / 4)
#define ARG_STRLEN_MAX (128 * 1024)
#define ARG_POINTERS_MAX (ARG_BYTES_MAX / 8)
struct arguments {
	const char *path;
	int argc, envc;
	const char *const *argv;
	const char *const *envp;
};
struct program {
	int fd;
	struct elf_image image;
};
int program_open(const char *path, struct program *p);
void program_close(struct program *p);
// Builds target's address space for p (MM) with its initial stack; *sp gets the stack's
// top. The stack is built first, aside: when it does not fit (-E2BIG) *sp is 0 and
// nothing changed. After MM_EXEC_BEGIN the old space is gone: an error leaves target
// unrunnable.
long program_load(const struct program *p, xinim_endpoint_t target,
		  const struct arguments *args, uint64_t *sp);
// Calls VFS about who (XINIM_VFS_PROC_START or _END); its result.
long vfs_tell(int type, xinim_endpoint_t who, xinim_endpoint_t parent);

// init.c: PID 1 from the command line's init=, started when VFS and MM serve (their
// XINIM_NOTE_SERVING notifications).
void pm_notified(const struct xinim_notification *note);
// PID 1 (init) has ended with status: once the kernel says it is gone whole, PM logs
// free memory then and before init, and the machine powers off unless init.exit=halt.
void init_exited(xinim_endpoint_t init, int status);
// PID 1 was killed by signal (the kernel ended it): the same, said as Linux would.
void init_killed(xinim_endpoint_t init, int signal);

// identity.c: who a process is and what system it runs on.
ipc_handler pm_getpid, pm_getppid, pm_gettid, pm_getuid, pm_uname, pm_set_tid_address;
// lifecycle.c: execve, exit, exit_group; XINIM_PM_DEATH from the kernel.
ipc_handler pm_execve, pm_exit, pm_death;
// time.c, sysinfo.c, random.c, signals.c, limits.c
ipc_handler pm_sysinfo;
ipc_handler pm_clock_gettime, pm_getrandom, pm_rt_sigaction, pm_rt_sigprocmask, pm_prlimit64;

// signals.c: "SIGSEGV" for 11..., "signal N" for one without a name; SIGNAL_MAX is the
// highest number.
#define SIGNAL_MAX 64
const char *signal_name(int signal);
// random.c: one slice of a parked getrandom (ipc_table.resume); whether any remains.
bool random_resume(void);

// unserved.c: system calls nobody serves yet; each answers -ENOSYS and is counted.
ipc_handler pm_unserved;
