// The process table, and starting and ending processes with the kernel, VFS and MM.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/vfs.h>
#include <xinim/runtime.h>
#include "pm.h"

#ifdef XINIM_HOSTED	// the hosted tests have no kept memory: a state of their own
static struct pm_state hosted_state;
struct pm_state *pm_kept = &hosted_state;
uint64_t *sleep_next_wake = &hosted_state.next_wake;
struct init_state *init_state = &hosted_state.init;
struct sysv_state *sysv = &hosted_state.sysv;
#else
struct pm_state *pm_kept;
struct init_state *init_state;
uint64_t *sleep_next_wake;
struct sysv_state *sysv;
#endif
#define processes (pm_kept->processes)

size_t pm_state_size(void) { return sizeof(struct pm_state); }

// Whether p, kept at pid, is a record PM could have written: of an instance of pid, its
// parent none or of some PID, its name a string (it is printed), each soft limit within
// its hard one (prlimit64 refuses others), its signals and credentials as the calls
// leave them.
static bool record_sound(const struct process *p, unsigned pid)
{
	if (xinim_endpoint_pid(p->self) != pid || !memchr(p->name, 0, sizeof(p->name)))
		return false;
	if (p->parent != XINIM_ENDPOINT_NONE &&
	    (!p->parent || xinim_endpoint_pid(p->parent) >= XINIM_PROCS_MAX))
		return false;
	for (unsigned r = 0; r < LIMITS; r++)
		if (p->limits[r].cur > p->limits[r].max)
			return false;
	if (p->zombie > 1 || p->execed > 1 || p->pgid >= XINIM_PROCS_MAX || p->sid >= XINIM_PROCS_MAX)
		return false;
	if (!credentials_sound(&p->creds))
		return false;
	return signals_sound(p);
}

static void process_finish(xinim_endpoint_t who, int status, const char *why);

// What a start cut short by PM's death left (KCALL_PROC_MADE): a process the kernel
// made for PM that PM keeps no record of, or whose record it committed but that never
// started. It is ended and forgotten everywhere; init is started again.
static void starts_cut_short(void)
{
	static struct xinim_proc_made made[XINIM_PROCS_MAX];
	long n = xinim_kcall(KCALL_PROC_MADE, (long)made, XINIM_PROCS_MAX);
	for (long k = 0; k < n; k++) {
		if (process_of(made[k].endpoint) && made[k].started)
			continue;
		unsigned pid = xinim_endpoint_pid(made[k].endpoint);
		klog(LOGLEVEL_WARNING, "pm: process %u was left half started; ending it\n", pid);
		process_finish(made[k].endpoint, 0, NULL);
		if (pid == XINIM_PID_INIT)
			init_start_cut_short();
	}
}

void pm_state_take(void *state, enum keep_start start)
{
	pm_kept = state;
	init_state = &pm_kept->init;
	sleep_next_wake = &pm_kept->next_wake;
	sysv = &pm_kept->sysv;
	if (start == KEEP_REFUSED)
		klog(LOGLEVEL_WARNING, "pm: the kept state did not check out: starting empty\n");
	if (start != KEEP_INHERITED)
		return;
	unsigned live = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct process *p = &processes[pid];
		if (!p->self || !record_sound(p, pid))
			*p = (struct process){ 0 };	// free, or not one PM wrote: dropped
		live += p->managed;
	}
	for (unsigned tid = 0; tid < XINIM_PROCS_MAX; tid++) {
		struct thread *t = &pm_kept->threads[tid];
		if (t->process && !thread_sound(t, tid))
			*t = (struct thread){ 0 };	// as for the processes
	}
	threads_count();
	stop_recount();
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {	// a live one has a thread
		struct process *p = &processes[pid];
		if (p->managed && !p->zombie && !thread_next(p, NULL)) {
			*p = (struct process){ 0 };
			live--;
		}
	}
	timers_check();	// after the records: a timer of a dropped process goes too
	realtime_check();
	klog(LOGLEVEL_INFO, "pm: took over %u processes\n", live);
	unsigned dropped = sysv_check();
	if (dropped)
		klog(LOGLEVEL_WARNING, "pm: dropped %u System V records that did not check out\n", dropped);
	init_state_check();
	starts_cut_short();
	keep_commit();
	init_gone_check();	// init may have gone while no PM was there to hear it
	init_resume();
	if (init_state->mm_serving)
		realtime_publish();	// the last PM may have died before it told MM
	keep_commit();
}

struct process *process_of(xinim_endpoint_t who)
{
	unsigned pid = xinim_endpoint_pid(who);
	return who && pid < XINIM_PROCS_MAX && processes[pid].self == who && processes[pid].managed
		       ? &processes[pid] : NULL;
}

// The marks of keep_change_once for each record.
static uint64_t logged[XINIM_PROCS_MAX];

void process_change(struct process *p)
{
	keep_change_once(&logged[p - processes], p, sizeof(*p));
}

// What a process starts with, as Linux gives init.
static void fresh(struct process *p, xinim_endpoint_t self)
{
	*p = (struct process){ .self = self, .parent = XINIM_ENDPOINT_NONE };
	for (unsigned r = 0; r < LIMITS; r++)
		p->limits[r] = (struct limit){ UINT64_MAX, UINT64_MAX };	// RLIM_INFINITY
	p->limits[RLIMIT_STACK].cur = 8 << 20;
	p->limits[RLIMIT_NOFILE] = (struct limit){ 128, 128 };	// VFS's fd table
	p->limits[RLIMIT_CORE].cur = 0;
	p->limits[RLIMIT_MEMLOCK] = (struct limit){ 8 << 20, 8 << 20 };
}

struct process *process_record(xinim_endpoint_t who)
{
	unsigned pid = xinim_endpoint_pid(who);
	if (!who || who == XINIM_ENDPOINT_NONE || pid >= XINIM_PROCS_MAX)
		return NULL;
	struct process *p = &processes[pid];
	process_change(p);
	if (p->self != who)
		fresh(p, who);
	return p;
}

long server_call(unsigned pid, int32_t type, const void *payload, uint16_t length)
{
	struct xinim_msg msg = { .header = { .type = type, .length = length } };
	memcpy(msg.payload, payload, length);
	long server = ipc_lookup(pid);
	return server < 0 ? server : ipc_call((xinim_endpoint_t)server, &msg, XINIM_WAIT_FOREVER);
}

long vfs_tell_program(int type, xinim_endpoint_t who, xinim_endpoint_t parent, int fd)
{
	struct xinim_vfs_proc proc = { .who = who, .parent = parent,
				       .program = fd >= 0 ? (uint32_t)fd + 1 : 0 };
	return server_call(XINIM_PID_VFS, type, &proc, sizeof(proc));
}

long vfs_tell(int type, xinim_endpoint_t who, xinim_endpoint_t parent)
{
	return vfs_tell_program(type, who, parent, -1);
}

bool from_kernel(const struct ipc_request *request, void *payload, size_t size)
{
	memcpy(payload, request->msg.payload, size);
	return request->msg.header.source == XINIM_ENDPOINT_KERNEL;
}

void vfs_interrupt_call(xinim_endpoint_t who, unsigned tid)
{
	struct xinim_vfs_interrupt which = { .who = who, .tid = tid };
	server_call(XINIM_PID_VFS, XINIM_VFS_INTERRUPT, &which, sizeof(which));
}

long process_self_register(void)
{
	return vfs_tell(XINIM_VFS_PROC_START, ipc_self(), XINIM_ENDPOINT_NONE);
}

static void mm_release(xinim_endpoint_t who)
{
	struct xinim_mm_exec exec = { .target = who };
	server_call(XINIM_PID_MM, XINIM_MM_RELEASE, &exec, sizeof(exec));
}

struct process *process_named(xinim_endpoint_t caller, int32_t pid)
{
	if (pid < 0 || pid >= XINIM_PROCS_MAX)
		return NULL;
	struct process *p = pid ? &processes[pid] : process_of(caller);
	return p && p->self && p->managed ? p : NULL;
}

unsigned process_free_pid(void)
{
	for (unsigned n = 0; n < XINIM_PROCS_MAX - XINIM_PID_FIRST_DYNAMIC; n++) {
		unsigned pid = XINIM_PID_FIRST_DYNAMIC +
			       (pm_kept->next_pid + n) % (XINIM_PROCS_MAX - XINIM_PID_FIRST_DYNAMIC);
		if (!processes[pid].self && !pm_kept->threads[pid].process) {
			keep_change(&pm_kept->next_pid, sizeof(pm_kept->next_pid));
			pm_kept->next_pid = pid + 1 - XINIM_PID_FIRST_DYNAMIC;
			return pid;
		}
	}
	return 0;
}

void process_forget(struct process *p)
{
	if (!p->zombie) {	// a zombie's went at its end (tree_exit)
		threads_forget(p, NULL);
		timers_forget(p, false);
		stop_forget(p);
	}
	process_change(p);
	*p = (struct process){ 0 };
}

struct thread *process_threads(void) { return pm_kept->threads; }

uint32_t *process_further_threads(void) { return &pm_kept->further_threads; }
struct timer *process_timers(void) { return pm_kept->timers; }

// What the others do at an end, each harmless done twice: VFS and MM forget it, the
// kernel ends it. After PM's own change is committed, so that a PM that dies here finds
// what it did, and does the rest again.
void process_release(xinim_endpoint_t who)
{
	keep_commit();
	vfs_tell(XINIM_VFS_PROC_END, who, XINIM_ENDPOINT_NONE);
	mm_release(who);
	xinim_kcall(KCALL_PROC_END, who, 0);
}

// A process's end (docs/resurrection.md): PM's own record first (a zombie for its
// parent, or forgotten), then what the others do; then, for init, the end of the system
// once it is gone. why: init's end in words (NULL: a process that never ran, whose
// start the caller reports). status: Linux's wait status.
static void process_finish(xinim_endpoint_t who, int status, const char *why)
{
	struct process *p = process_of(who);
	if (p && p->zombie)
		return;	// an end delivered again: done already
	sem_exit(who);
	if (p && !(why && tree_exit(p, status)))
		process_forget(p);
	bool init = why && xinim_endpoint_pid(who) == XINIM_PID_INIT;
	if (init)
		init_end_note(who, why);
	process_release(who);
	if (init)
		init_gone_check();
}

void process_end(xinim_endpoint_t who, int status)
{
	const struct process *p = process_of(who);
	char why[48];
	if (p && p->zombie)
		return;
	if (xinim_endpoint_pid(who) == XINIM_PID_INIT)	// others' ends are their parents' news
		klog(LOGLEVEL_INFO, "pm: process %u (%s) exited with status %d\n", xinim_endpoint_pid(who),
		      p ? p->name : "?", status);
	snprintf(why, sizeof(why), "init exited with status %d", status);
	process_finish(who, (status & 0xff) << 8, why);
}

// who dies of signal (status: Linux's wait status); logged when loud (the kernel's
// kills: a fault, no memory; suffix says which) or when it is init.
static void signal_end(xinim_endpoint_t who, int signal, int status, bool loud,
		       const char *suffix)
{
	const struct process *p = process_of(who);
	char why[48];
	if (p && p->zombie)
		return;
	if (loud || xinim_endpoint_pid(who) == XINIM_PID_INIT)
		klog(LOGLEVEL_ERR, "pm: process %u (%s) killed by %s%s\n", xinim_endpoint_pid(who),
		      p ? p->name : "?", signal_name(signal), suffix);
	snprintf(why, sizeof(why), "init killed by %s", signal_name(signal));
	process_finish(who, status, why);
}

void process_killed(xinim_endpoint_t who, int signal, bool no_memory)
{
	signal_end(who, signal, signal & 0x7f, true, no_memory ? " (out of memory)" : "");
}

void process_signaled(xinim_endpoint_t who, int signal, bool core)
{
	signal_end(who, signal, (signal & 0x7f) | (core ? 0x80 : 0), false, "");
}

long process_spawn(unsigned pid, xinim_endpoint_t parent, const struct arguments *given)
{
	struct program program;
	struct arguments found = *given, *args = &found;	// a script's: its interpreter's
	found.stack_size = limits_stack(NULL);	// Linux's defaults'
	int err = program_find(args, &program);
	if (err)
		return err;
	const char *base = strrchr(given->path, '/');
	base = base ? base + 1 : given->path;
	long self = xinim_kcall(KCALL_PROC_NEW, pid, (long)base);
	uint64_t sp = 0;
	err = self < 0 ? (int)self
		       : (int)vfs_tell_program(XINIM_VFS_PROC_START, (xinim_endpoint_t)self, parent,
					       program.fd);
	if (!err)
		err = (int)program_load(&program, (xinim_endpoint_t)self, args, &sp);
	if (!err) {
		struct process *p = &processes[xinim_endpoint_pid((xinim_endpoint_t)self)];
		process_change(p);
		fresh(p, (xinim_endpoint_t)self);
		p->parent = parent;
		p->managed = true;
		p->pgid = p->sid = xinim_endpoint_pid((xinim_endpoint_t)self);	// init leads
								// group 1, session 1
		p->started = counter_ticks();
		process_program(p, base, args);
		thread_start(p->self, xinim_endpoint_pid(p->self), NULL);
		// Committed before it runs: a PM that dies from here on finds the record, and
		// the kernel says whether it started (starts_cut_short).
		keep_commit();
		err = (int)xinim_kcall3(KCALL_PROC_START, self, (long)program.image.entry, (long)sp);
	}
	program_close(&program);
	if (err && self >= 0)
		process_finish((xinim_endpoint_t)self, 0, NULL);	// it never ran
	return err ? err : self;
}

unsigned process_count(void)
{
	unsigned n = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		n += processes[pid].managed;
	return n;
}
