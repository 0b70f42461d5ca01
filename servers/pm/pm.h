#pragma once
// The process manager (docs/architecture.md, The parts): processes, exec and exit,
// identity, time, signal bookkeeping, limits. One file per concern; table.c routes the
// system calls.
#include <stdbool.h>
#include <stdint.h>
#include <libipc/keep.h>
#include <libipc/server.h>
#include <xinim/elf.h>
#include <xinim/ipc/vfs.h>
#include <xinim/limits.h>
#include "sysv.h"


extern const struct ipc_table pm_table;

// A handler whose answer is one expression of its request (the reply unused).
#define PM_HANDLER(name, expression) \
	long name(const struct ipc_request *request, struct xinim_msg *reply) \
	{ \
		(void)reply; \
		return expression; \
	}

// signals.c: "SIGSEGV" for 11..., "signal N" for one without a name; SIGNAL_MAX is the
// highest number.
#define SIGNAL_MAX 64
const char *signal_name(int signal);
struct process;
// Whether p's signal state is one the calls leave: SIGKILL's and SIGSTOP's actions never
// set, neither signal ever blocked, flags and parked calls consistent.
bool signals_sound(const struct process *p);
// execve's part: caught signals back to their default action (ignored ones stay), no
// alternate stack for the thread t that made it.
struct thread;
void signals_exec(struct process *p, struct thread *t);
// sigaltstack's setting of t's alternate stack (flags: SS_DISABLE, SS_AUTODISARM...).
void signal_altstack_set(struct thread *t, uint64_t sp, uint64_t size, int flags);
// Whether sp is on t's alternate stack.
bool signal_on_altstack(const struct thread *t, uint64_t sp);
// Linux's struct sigaction as the system call takes it (not libc's).
struct kernel_sigaction {
	uint64_t handler, flags, restorer, mask;
};
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31)	// Linux's sigaltstack flag (musl's headers lack it)
#endif
// The further instances of real-time signals a process may have pending at once (sigqueue
// gives -EAGAIN beyond, as Linux's RLIMIT_SIGPENDING).
#define SIGNAL_QUEUE 32
#define SIGRTMIN_LINUX 32	// the first real-time signal (musl's SIGRTMIN is 35: it keeps 3)
// A pending signal's siginfo: the fields PM fills (the rest of Linux's 128 bytes are 0).
struct signal_info {
	int32_t code;		// si_code
	uint32_t pid, uid;	// the sender (kill, sigqueue; SIGCHLD: the child)
	int32_t status;		// SIGCHLD's si_status
	uint64_t value;		// si_value (sigqueue, a timer's), or si_addr (a fault)
	int32_t timer;		// SI_TIMER's si_timerid
	int32_t overrun;	// SI_TIMER's si_overrun: the expiries while it was pending
};
struct thread;
// What becomes of a signal raised for p now (signals.c): raise it with info (as Linux's
// send_signal: ignored ones dropped, SIGKILL and the default deaths at once, stops and
// SIGCONT acted on, caught ones handed to a thread that does not block them, by
// KCALL_PROC_SIGNAL). signal_raise_thread: for thread t of p alone (tgkill; NULL: the
// process).
// 0, or -EAGAIN: a real-time signal pending already, with no room to queue it again.
long signal_raise(struct process *p, int signal, const struct signal_info *info);
long signal_raise_thread(struct process *p, struct thread *t, int signal,
			 const struct signal_info *info);
// Takes the first of set pending for t (its own first, a fault's first among them, then
// its process's; the lowest of each): its number and siginfo; 0 if none.
int signal_take(struct process *p, struct thread *t, uint64_t set, struct signal_info *info);
// The next signal thread t of p is to handle (signal_take's, with those it does not
// catch acted on as they come: dropped, a stop, a death): its number, its siginfo, and
// whether a fault raised it; 0 for none (or p died).
int signal_next(struct process *p, struct thread *t, struct signal_info *info, bool *fault);
// Linux's siginfo_t for signal and info (the fields its si_code uses).
void signal_info_write(void *siginfo, int signal, const struct signal_info *info);
// p's masks or pending sets changed: what it can take now is acted on.
void signal_consider(struct process *p);
// A call's own signal mask (XINIM_RAISE_MASK: ppoll, pselect6, epoll_pwait) put in
// place as rt_sigsuspend's, the thread's kept to be put back: whether a signal it lets
// through is pending already (the call then ends -EINTR, before it waits). Once the call
// is over with result (XINIM_RAISE_UNMASK), the thread's mask is back, unless result is
// an interruption: the handler's frame puts it back.
bool signal_mask_for_call(struct process *p, struct thread *t, uint64_t mask);
void signal_unmask_after_call(struct process *p, struct thread *t, long result);
// The calls t is parked in that a handler about to run interrupts: answered -EINTR
// or with a restart (wait4, futex).
void signal_interrupt(struct thread *t);
// Linux's bit for signal in a sigset_t.
static inline uint64_t signal_bit(int signal) { return UINT64_C(1) << (signal - 1); }
// stop.c: p stops (signal: the one that stopped it) or continues, its parent told
// (SIGCHLD unless SA_NOCLDSTOP, and its wait's WUNTRACED / WCONTINUED report).
void process_stop(struct process *p, int signal);
void process_continue(struct process *p);
// Whether the process group pgid is orphaned (POSIX: no member has a parent in another
// group of the same session). At each end, a group that ending's end orphans (its own,
// each of its children's) gets SIGHUP and SIGCONT if a member is stopped.
bool group_orphaned(uint32_t pgid);
void stop_orphans_check(uint32_t pgid, xinim_endpoint_t ending);
// p ends: no longer counted as stopped (pm_state.stopped); the count made again from the
// records at take-over.
void stop_forget(struct process *p);
void stop_recount(void);
// tree.c: child stopped or continued (code CLD_STOPPED, CLD_CONTINUED; status: the
// signal): its parent's SIGCHLD and wait told.
void tree_child_news(struct process *child, int code, int status);
// signal_frame.c: the fault the kernel reports (XINIM_PM_DEATH): XINIM_DEATH_CAUGHT
// when p's handler is to run, 0 when p ends.
struct xinim_pm_death;
long signal_fault(struct process *p, const struct xinim_pm_death *death);
#define LIMITS 16	// RLIM_NLIMITS
#define CPUS 4		// QEMU virt's, as the boot scripts run it (affinity.c)
#define CPUS_ALL ((UINT64_C(1) << CPUS) - 1)
struct limit {
	uint64_t cur, max;	// struct rlimit
};

// credentials.c: a process's ids (credentials(7)), Linux's struct cred's.
struct ids {
	uint32_t real, effective, saved, fs;
};
struct credentials {
	struct ids user, group;
	uint32_t groups_count;		// supplementary groups, sorted
	uint32_t groups[XINIM_GROUPS_MAX];
};
// A process's CPU time (the kernel's KCALL_PROC_TIMES), in nanoseconds.
struct cpu_times {
	uint64_t user, system;
};

// A wait4 parked in its caller's record: the call's message id (0: none), and its
// arguments.
struct wait_call {
	uint64_t id;
	int32_t pid;			// as wait4's (waitid's idtype and id made one)
	uint32_t options;		// waitid's (wait4's with WEXITED)
	uint64_t status_at, rusage_at;	// status_at: waitid's siginfo_t when siginfo
	uint8_t siginfo;
	uint8_t reserved[7];
};

// process.c: all PM holds of a process, in one record per PID, kept across PM's
// restarts (docs/resurrection.md): the processes PM started, and the callers it answers
// that it did not start (boot programs: limits, signal actions). What is each thread's
// is in its thread record (struct thread).
struct process {
	xinim_endpoint_t self;		// the instance this record is of; 0: free
	xinim_endpoint_t parent;	// XINIM_ENDPOINT_NONE for init
	bool managed;			// PM started it
	char name[16];
	struct limit limits[LIMITS];
	struct kernel_sigaction actions[SIGNAL_MAX];
	// The process tree (tree.c).
	uint32_t pgid;			// its process group: its parent's (init's: 1)
	uint32_t sid;			// its session: its parent's (init's: 1)
	uint8_t zombie;			// ended: its status waits for its parent's wait
	uint8_t execed;			// it has made an execve since its fork (setpgid)
	int32_t status;			// a zombie's, as Linux's wait gives it
	// Signals (signals.c): those raised for the process and not yet taken, each with
	// its siginfo (a signal sent to one thread shares the slot).
	uint64_t pending;
	struct signal_info info[SIGNAL_MAX];
	uint8_t stopped;		// by a stop signal (stop.c)
	uint8_t report;			// for its parent's wait: CLD_STOPPED, CLD_CONTINUED; 0
	uint8_t stop_signal;		// the signal that stopped it
	uint8_t timers_made;		// it may own timer_create's timers (timer.c)
	uint8_t reserved[3];
	uint8_t queued;			// real-time signals' further instances, oldest first
	struct queued_signal {		// (the first is in info): for the process (tid 0) or
						// one thread
		uint8_t signal;
		uint8_t reserved[3];
		uint32_t tid;
		struct signal_info info;
	} queue[SIGNAL_QUEUE];
	struct credentials creds;	// fresh: root's
	struct cpu_times ended;		// a zombie's own CPU time at its end (usage.c)
	struct cpu_times children;	// its reaped children's, theirs included (wait4)
	// Version 10, for /proc (procinfo.c): when it started (counter ticks), and the first
	// bytes of its arguments at its last execve, each with its NUL (a fork's: its parent's).
	uint64_t started;
	uint16_t cmdline_length;
	char cmdline[XINIM_CMDLINE_MAX];
};

// threads.c: a thread's own state, one record per TID (from the PID space; the first
// thread's is its process's PID), kept as the processes' are.
struct thread {
	xinim_endpoint_t process;	// whose thread it is; 0: free
	uint32_t tid;
	uint64_t clear_child_tid;	// set_tid_address's (CLONE_CHILD_CLEARTID) word
	uint64_t robust_list;		// set_robust_list's head
	// Signals: its mask, those sent to it alone (tgkill, its faults: synchronous,
	// taken first), its alternate stack, rt_sigsuspend's mask to restore.
	uint64_t blocked, pending, synchronous;
	struct alternate_stack {
		uint64_t sp, size;
		int32_t flags;		// SS_DISABLE, SS_AUTODISARM
		uint32_t reserved;
	} altstack;
	uint64_t saved_mask;		// back after the handler, when mask_saved
	uint8_t mask_saved;
	uint8_t reserved[7];
	// The calls it is parked in; id 0: none.
	struct wait_call waiting;	// wait4, waitid: until a child it waits for has news
	struct sleep_call {		// until deadline (counter ticks), then answered due
		uint64_t id, deadline;	// (sleep.c); rem: where nanosleep's time left goes
		uint64_t rem_at;	// when a signal ends it early
		int64_t due;
	} sleeping;
	struct vfork_wait {		// vfork (XINIM_PM_VFORK_WAIT), until the child execs
		uint64_t id;		// or ends
		xinim_endpoint_t child;
		uint32_t reserved;
	} vfork;
	struct signal_wait {		// rt_sigsuspend (set 0) or rt_sigtimedwait (set: the
		uint64_t id, set;	// signals it waits for; info: where their siginfo goes)
		uint64_t info_at;
	} sigwait;
	struct futex_wait {		// FUTEX_WAIT: until a wake on its word (futex.c)
		uint64_t id, address;
		uint32_t bitset, reserved;
	} futex;
	struct sysv_wait sysv;		// semop, msgsnd, msgrcv (sysv.h)
};
// The calling thread's record (made afresh for a boot program's first call, as
// process_record's); NULL for an endpoint of no PID.
struct thread *thread_of(const struct xinim_syscall *call);
struct thread *thread_at(unsigned tid);
// thread_of for a kernel call that names the thread (process, tid; 0: the first).
struct thread *thread_named(xinim_endpoint_t process, uint32_t tid);
// A kernel message's payload (size bytes, the table checked its length) into payload:
// false when the kernel did not send it (PM's kernel messages are the kernel's alone).
bool from_kernel(const struct ipc_request *request, void *payload, size_t size);
// process.c: the thread records, in PM's kept state, and how many of them are further
// threads (not a process's first, at its PID): none, and thread_next looks no further
// than the PID.
struct thread *process_threads(void);
uint32_t *process_further_threads(void);
// At take-over: the further threads counted again from the records.
void threads_count(void);
// Logs t before the request changes it (once a request).
void thread_change(struct thread *t);
// p's threads, in TID order: thread_next(p, NULL) is the first, NULL after the last.
struct thread *thread_next(const struct process *p, struct thread *after);
// A process's first thread starts (process_spawn, a fork's child): its record made
// (with `from`'s mask and alternate stack, if given).
struct thread *thread_start(xinim_endpoint_t process, unsigned tid, const struct thread *from);
// Every thread record of p freed, but except (its end; its execve).
void threads_forget(const struct process *p, const struct thread *except);
// execve by t: p's other threads' records freed, t's moved to the PID (Linux's
// de_thread: the thread that execs takes the process's ID).
void threads_exec(struct process *p, struct thread *t);
// Whether t is a record PM could have written, at tid.
bool thread_sound(const struct thread *t, unsigned tid);
// clone of a thread (CLONE_THREAD); exit of one thread (the last ends its process).
long thread_clone(const struct ipc_request *request, struct xinim_msg *reply);
long thread_exit(const struct xinim_syscall *call, int status);
ipc_handler pm_set_robust_list, pm_get_robust_list;
// futex.c, with Linux's <linux/futex.h> numbers (musl's headers have none).
enum {
	FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
	FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10,
};
#define FUTEX_CLOCK_REALTIME 256	// an absolute timeout is CLOCK_REALTIME's
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
ipc_handler pm_futex;
// Wakes up to n threads of process waiting on the futex word at address (bitset: those
// whose bitset meets it): how many.
long futex_wake(xinim_endpoint_t process, uint64_t address, long n, uint32_t bitset);
struct process *process_of(xinim_endpoint_t who);	// NULL: not one PM started
// who's record, made afresh (Linux's defaults) if it held another instance; logged for
// a change (libipc/keep.h). NULL for an endpoint of no PID.
struct process *process_record(xinim_endpoint_t who);
// Logs p before the request changes it (once a request).
void process_change(struct process *p);
// timer.c: the timers of the processes, in PM's kept state: setitimer's three of each
// process at its PID's slots (itimer.c), then timer_create's from a pool, each owned by
// one process. A timer counts the counter's ticks, or its process's CPU time in ns
// (looked at every TIMER_CPU_CHECK_US on PM's timer); it raises its signal at each
// expiry, and counts the expiries while that signal is still pending as overruns.
enum timer_clock { TIMER_COUNTER, TIMER_USER, TIMER_CPU };	// CPU: user and system
struct timer {
	xinim_endpoint_t owner;		// the process; 0: free
	uint32_t tid;			// SIGEV_THREAD_ID's thread; 0: the process
	uint8_t clock;			// enum timer_clock
	uint8_t notify;			// SIGEV_SIGNAL, SIGEV_NONE or SIGEV_THREAD_ID
	uint8_t signal;			// 0 for SIGEV_NONE
	bool realtime;			// CLOCK_REALTIME's or _TAI's: an absolute value is
					// the time of day
	int32_t overrun;		// the last taken signal's (timer_getoverrun)
	uint64_t deadline, interval;	// in the clock's units; deadline 0: disarmed
	uint64_t value;			// sigev_value
};
#define ITIMERS 3		// ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF
#define TIMER_POOL 1024		// timer_create's, every process's together
#define TIMERS_PER_PROCESS 32	// timer_create's of one process
#define TIMERS (XINIM_PROCS_MAX * ITIMERS + TIMER_POOL)
#define TIMER_CPU_CHECK_US 10000	// the kernel's tick: CPU time's step
// process.c: the timer records, in PM's kept state.
struct timer *process_timers(void);
// t set (logged) to expire value from now on its clock (absolute: at value), then every
// interval; a zero value disarms it. Its overrun count starts again.
struct timespec;
void timer_set(struct timer *t, const struct timespec *value, const struct timespec *interval,
	       bool absolute);
// t's time to its next expiry (zero: disarmed) and its interval.
void timer_get(const struct timer *t, struct timespec *value, struct timespec *interval);
// PM's timer (sleep_timer), at counter tick now: every timer due expired; the counter
// tick at which the next is due (0: none armed).
uint64_t timers_fire(uint64_t now);
// p ends (exec: p execs; its setitimer timers stay): its timers deleted.
void timers_forget(const struct process *p, bool exec);
// A signal of a timer is taken (signal_take): its overrun is the timer's last one.
void timer_taken(const struct process *p, const struct signal_info *info);
// Take-over: each timer record checked (dropped unless sound and of a live process), the
// next wake made due if one is armed and none is set.
void timers_check(void);
ipc_handler pm_timer_create, pm_timer_settime, pm_timer_gettime, pm_timer_getoverrun,
	pm_timer_delete;
// itimer.c: getitimer, setitimer.
ipc_handler pm_getitimer, pm_setitimer;

// PM's state: the records, and init's bookkeeping (init.c), in kept memory.
struct init_state {
	bool vfs_serving, mm_serving, rs_serving, started;
	bool dev_serving, net_serving;	// the network driver and NET, if the boot has them
	xinim_endpoint_t ending;	// init, once it ended, until it is gone
	char ended[48];			// why
	uint64_t free_before;		// free memory before init started
};
extern struct init_state *init_state;
// PM's kept state (here for the take-over's tests): one record per PID, and init's.
struct pm_state {
	struct process processes[XINIM_PROCS_MAX];
	struct init_state init;
	uint32_t next_pid;		// where the search for a new process's PID starts
	uint64_t next_wake;		// the earliest sleep's or timer's deadline (counter
					// ticks); 0: none
	struct thread threads[XINIM_PROCS_MAX];
	struct timer timers[TIMERS];
	uint32_t further_threads;
	uint32_t stopped;		// how many processes are stopped (stop.c)
	struct sysv_state sysv;		// System V semaphores and message queues
	int64_t realtime_offset;	// ns clock_settime moved the real time by (realtime.c)
};
#define PM_STATE_VERSION 13
// PM's kept state (process.c), and its record at pid (free or not).
extern struct pm_state *pm_kept;
static inline struct process *process_at(unsigned pid) { return &pm_kept->processes[pid]; }
#define PM_UNDO_BYTES (64 * 1024)	// a request changes a record or two
size_t pm_state_size(void);
void pm_state_take(void *state, enum keep_start start);
// Starts path with args as a new process (pid 0: any free one): its endpoint, or -errno.
struct arguments;
long process_spawn(unsigned pid, xinim_endpoint_t parent, const struct arguments *args);
// The process has ended (exit, or a failed start): VFS, MM and the kernel forget it;
// it stays a zombie until its parent waits for it.
void process_end(xinim_endpoint_t who, int status);
// process.c for tree.c: a free PID for a new process (no record holds it, a zombie's
// included), or 0; VFS, MM and the kernel told that who is gone; the record made free.

// The process PM manages that a call of caller names by pid (0: the caller; a zombie
// too), or NULL.
struct process *process_named(xinim_endpoint_t caller, int32_t pid);
unsigned process_free_pid(void);
void process_release(xinim_endpoint_t who);
void process_forget(struct process *p);

// sleep.c: sched_yield; nanosleep and clock_nanosleep, parked in the caller's record until their
// deadline; sleep_timer is the server loop's timer (ipc_table.timer).
ipc_handler pm_sched_yield, pm_nanosleep, pm_clock_nanosleep;
uint64_t sleep_timer(bool fire);
// A signal ends t's sleep early: its remaining time written where nanosleep asked, and
// -EINTR answered.
void sleep_interrupt(struct thread *t);
// A timed wait of t (call id) is over before its deadline: its sleep given up.
void sleep_drop(struct thread *t, uint64_t id);
// Parks request (t's rt_sigtimedwait, futex wait, semtimedop) until deadline (counter ticks),
// answered due then; due at once if it has passed.
long sleep_park(const struct ipc_request *request, struct thread *t, uint64_t deadline,
		long due);
// The counter's ticks of a timespec.
struct timespec;
uint64_t sleep_ticks(const struct timespec *t);
extern uint64_t *sleep_next_wake;	// in PM's kept state (process.c)
// PM's timer is to fire by deadline (counter ticks) at the latest (logged).
void sleep_wake_by(uint64_t deadline);
// The timespec of a count of the counter's ticks.
struct timespec sleep_timespec(uint64_t ticks);

// groups.c: process groups and sessions.
ipc_handler pm_setpgid, pm_getpgid, pm_setsid, pm_getsid;

// tree.c: fork (clone), wait4, and what an end means to the tree.
ipc_handler pm_clone, pm_wait4, pm_waitid, pm_vfork_wait;
// child has made an execve or ended: a parent waiting for it in vfork goes on.
void tree_vfork_done(const struct process *child);
// who (p) has ended with Linux's wait status: its children go to init, and it becomes
// a zombie its parent is told of, unless it has none (init, a boot program): false then.
bool tree_exit(struct process *p, int status);
// How many processes PM manages now.
unsigned process_count(void);
// The kernel has ended the process with Linux's signal (no_memory: for want of memory);
// forgotten as by process_end.
void process_killed(xinim_endpoint_t who, int signal, bool no_memory);
// The process dies of a signal (core: with the core-dump flag); its parent hears of it
// as any end, and only init's is logged.
void process_signaled(xinim_endpoint_t who, int signal, bool core);
// Tells VFS that a signal's handler is to run in who's thread tid (XINIM_VFS_INTERRUPT):
// a call of it VFS has parked ends.
void vfs_interrupt_call(xinim_endpoint_t who, unsigned tid);
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
	int at;			// the directory path is relative to: AT_FDCWD, or PM's fd (an
	bool nofollow;		// execveat's); "" names `at` itself; nofollow: AT_SYMLINK_NOFOLLOW
	uint64_t stack_size;	// the stack region's (limits_stack): -E2BIG if the stack
				// built does not fit
	int argc, envc;
	const char *const *argv;
	const char *const *envp;
};
struct program {
	int fd;
	struct elf_image image;
};
int program_open(int at, const char *path, bool nofollow, struct program *p);
// script.c: program_open of args->path, or of its interpreter if it is a "#!" script,
// args rewritten as Linux does (-ELOOP past 4 interpreters).
int program_find(struct arguments *args, struct program *p);
void program_close(struct program *p);
// Builds target's address space for p (MM) with its initial stack; *sp gets the stack's
// top. The stack is built first, aside: when it does not fit (-E2BIG) *sp is 0 and
// nothing changed. After MM_EXEC_BEGIN the old space is gone: an error leaves target
// unrunnable.
long program_load(const struct program *p, xinim_endpoint_t target,
		  const struct arguments *args, uint64_t *sp);
// vdso.c: the vDSO's image, its size in *size.
const void *vdso_bytes(size_t *size);
// Calls VFS about who (XINIM_VFS_PROC_START or _END); its result.
long vfs_tell(int type, xinim_endpoint_t who, xinim_endpoint_t parent);
// vfs_tell with the program who runs: PM's fd of it (-1: none; /proc/PID/exe).
long vfs_tell_program(int type, xinim_endpoint_t who, xinim_endpoint_t parent, int fd);
// Calls the server at pid with a message of type and payload (PM -> VFS, MM): its result,
// or ipc_lookup's error.
long server_call(unsigned pid, int32_t type, const void *payload, uint16_t length);

// init.c: PID 1 from the command line's init=, started when VFS and MM serve (their
// XINIM_NOTE_SERVING notifications).
void pm_notified(const struct xinim_notification *note);
// raise.c: signals other servers raise: a server's answer's (XINIM_PM_RAISE), the
// keyboard's (tty_signals_fetch, at VFS's XINIM_NOTE_TTY_SIGNALS).
ipc_handler pm_raise;
void tty_signals_fetch(void);
// The signals VFS raised for single processes (at VFS's XINIM_NOTE_SIGNALS).
void vfs_signals_fetch(void);
// procinfo.c: /proc's process table, handed to VFS when it wants it (its
// XINIM_NOTE_PROC_WANTED), and p's name and arguments at an execve (args: what the program
// gets, base the name it is known by; "" keeps the one it has).
void proc_report(void);
void process_program(struct process *p, const char *base, const struct arguments *args);
// A restarted PM's part in starting init: VFS told of the new PM; and, if init has not
// started yet, who serves asked again and init started if all do (pm_state_take).
void init_resume(void);
// A start of init cut short by PM's death: it is to start again.
void init_start_cut_short(void);
// PID 1 (init) has ended (why: "init exited with status 0", "init killed by SIGSEGV"):
// noted in the kept state. Once the kernel says it is gone whole (init_gone_check, at
// each XINIM_NOTE_GONE and when a restarted PM starts), PM logs free memory then and
// before init, and the machine powers off unless init.exit=halt.
void init_end_note(xinim_endpoint_t init, const char *why);
// At take-over: an end of init that does not check out (of another PID, or its why not
// a string) is forgotten rather than trusted with KCALL_PROC_END.
void init_state_check(void);
void init_gone_check(void);

// identity.c: who a process is and what system it runs on.
ipc_handler pm_getpid, pm_getppid, pm_gettid, pm_uname, pm_set_tid_address;

// credentials.c: the id calls, and XINIM_PM_CREDENTIALS.
ipc_handler pm_getuid, pm_geteuid, pm_getgid, pm_getegid, pm_setuid, pm_setgid, pm_setreuid,
	pm_setregid, pm_setresuid, pm_setresgid, pm_getresuid, pm_getresgid, pm_setfsuid,
	pm_setfsgid, pm_getgroups, pm_setgroups, pm_credentials;
// Privilege (CAP_SETUID, CAP_SETGID, CAP_KILL, CAP_SYS_RESOURCE...): an effective uid 0.
bool credentials_privileged(const struct process *p);
// kill(2)'s rule: sender may signal target when the sender's real or effective uid is
// the target's real or saved one, or the sender is privileged.
bool credentials_may_signal(const struct process *sender, const struct process *target);
// Whether c is what the calls could leave (take-over): no id (uid_t)-1, groups in bounds.
bool credentials_sound(const struct credentials *c);
// execve's part (Linux's bprm creds): the saved and fs ids become the effective ones.
void credentials_exec(struct process *p);
// Tells VFS p's credentials and RLIMIT_NOFILE (XINIM_VFS_PROC_CREDS): its result.
long credentials_tell(const struct process *p);
// lifecycle.c: execve, exit, exit_group; XINIM_PM_DEATH from the kernel.
ipc_handler pm_execve, pm_execveat, pm_exit, pm_exit_group, pm_death;
// realtime.c: the time of day (CLOCK_REALTIME): the RTC's at boot, the counter since,
// and clock_settime's offset. realtime_at and realtime_counter are the arithmetic, in ns
// since the epoch (never negative) and counter ticks: the real time at counter, and the
// counter tick (not 0) when it reaches at (one passed: base->counter).
struct xinim_time_base;
int64_t realtime_at(const struct xinim_time_base *base, int64_t offset, uint64_t counter,
		    uint64_t hz);
uint64_t realtime_counter(const struct xinim_time_base *base, int64_t offset, int64_t at,
			  uint64_t hz);
struct timespec realtime_now(void);
// The counter tick when the real time reaches at (a sleep's or timer's deadline).
uint64_t realtime_deadline(const struct timespec *at);
// The take-over: a kept offset that would put the time before 1970 is dropped (logged).
void realtime_check(void);
// Tells MM what the clock page (vvar, docs/vdso.md) holds: the time base and the kept
// offset. At each change, when MM says it serves (a new MM), and at PM's take-over.
void realtime_publish(void);
ipc_handler pm_clock_settime, pm_gettimeofday, pm_settimeofday;

// time.c, sysinfo.c, random.c, signals.c, limits.c
ipc_handler pm_sysinfo;

// syslog.c: syslog(2), the kernel log (KCALL_SYSLOG).
ipc_handler pm_syslog;
// reboot.c: reboot(2) (KCALL_POWER_OFF).
ipc_handler pm_reboot;
ipc_handler pm_clock_gettime, pm_clock_getres, pm_getrandom, pm_rt_sigaction, pm_rt_sigprocmask;

// usage.c: CPU time (times, getrusage, wait4's rusage, the CPU-time clocks).
ipc_handler pm_times, pm_getrusage;
// who's CPU time so far (a zombie's: at its end).
struct cpu_times usage_now(xinim_endpoint_t who);
// p's own and its reaped children's CPU time (wait4's rusage of a child).
struct cpu_times usage_both(const struct process *p);
// p is ending: its CPU time kept in its record (logged).
void usage_end(struct process *p);
// parent reaps zombie: zombie's time and its children's added to parent's children's.
void usage_reaped(struct process *parent, const struct process *zombie);
// Copies a struct rusage of t to the caller's at: 0 or -EFAULT.
long usage_copy(xinim_endpoint_t caller, uint64_t at, struct cpu_times t);
// A CPU-time clock (CLOCK_PROCESS_CPUTIME_ID, _THREAD_, or clock_getcpuclockid's) of
// the caller (a thread clock: of a thread, 0 the calling one): its time and resolution,
// or -EINVAL.
struct timespec;
long usage_clock(const struct xinim_syscall *call, int clock, struct timespec *now,
		 struct timespec *resolution);

// affinity.c: sched_setaffinity, sched_getaffinity (the kernel's per thread; CPUS CPUs).
ipc_handler pm_sched_setaffinity, pm_sched_getaffinity, pm_getcpu;

// limits.c: prlimit64, getrlimit, setrlimit; what exec and fork make of the limits.
ipc_handler pm_prlimit64, pm_getrlimit, pm_setrlimit;
// The stack region execve gives p: its RLIMIT_STACK, within bounds.
uint64_t limits_stack(const struct process *p);
// Whether parent may fork as RLIMIT_NPROC says: the processes of its real uid (zombies
// too) below the limit, or it is root (real uid 0) or privileged. -EAGAIN otherwise.
long limits_fork(const struct process *parent);
// Tells MM p's RLIMIT_AS and RLIMIT_DATA (XINIM_MM_LIMITS): its result.
long limits_tell_mm(const struct process *p);
ipc_handler pm_rt_sigpending, pm_rt_sigsuspend, pm_rt_sigtimedwait, pm_sigaltstack;
// signal_send.c: kill and its kin.
ipc_handler pm_kill, pm_tkill, pm_tgkill, pm_rt_sigqueueinfo, pm_rt_tgsigqueueinfo;
// signal_frame.c: the kernel's XINIM_PM_SIGNAL and XINIM_PM_SIGRETURN.
ipc_handler pm_signal, pm_sigreturn;

// sem.c, msg.c: System V semaphores and message queues (sysv.h).
ipc_handler pm_semget, pm_semop, pm_semtimedop, pm_semctl;
ipc_handler pm_msgget, pm_msgsnd, pm_msgrcv, pm_msgctl;

// random.c: one slice of a parked getrandom (ipc_table.resume); whether any remains.
bool random_resume(void);

// unserved.c: system calls nobody serves yet; each answers -ENOSYS and is counted.
ipc_handler pm_unserved;
