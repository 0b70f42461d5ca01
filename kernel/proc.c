// The process table. A PID names one slot; PIDs below XINIM_PID_FIRST_DYNAMIC are kept
// for the well-known servers (include/xinim/ipc/endpoints.h), given by the boot table.
#include <errno.h>
#include <string.h>
#include <sodium/utils.h>
#include <kernel/arch/aarch64/fpsimd.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/channel.h>
#include <kernel/ipc.h>
#include <kernel/boottable.h>
#include <kernel/bootdata.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <xinim/cpio.h>
#include <xinim/ipc/mm.h>
#include <kernel/device.h>
#include <kernel/exec.h>
#include <kernel/fault.h>
#include <kernel/kalloc.h>
#include <xinim/format.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/supervise.h>

#define FIRST_DYNAMIC_PID XINIM_PID_FIRST_DYNAMIC

static struct proc *procs[XINIM_PROCS_MAX];
static unsigned next_pid = FIRST_DYNAMIC_PID;
static struct spinlock procs_lock;

// Gives proc the PID fixed (if not 0), or a free dynamic one.
static int pid_alloc(struct proc *proc, unsigned fixed)
{
	int err = -EAGAIN;
	spin_lock(&procs_lock);
	if (fixed) {
		err = fixed >= XINIM_PROCS_MAX ? -EINVAL : procs[fixed] ? -EBUSY : 0;
		if (!err) {
			procs[fixed] = proc;
			proc->pid = fixed;
		}
	}
	for (unsigned n = 0; !fixed && n < XINIM_PROCS_MAX - FIRST_DYNAMIC_PID; n++) {
		unsigned pid = next_pid + n;
		if (pid >= XINIM_PROCS_MAX)
			pid -= XINIM_PROCS_MAX - FIRST_DYNAMIC_PID;
		if (!procs[pid]) {
			procs[pid] = proc;
			proc->pid = pid;
			next_pid = pid + 1 < XINIM_PROCS_MAX ? pid + 1 : FIRST_DYNAMIC_PID;
			err = 0;
			break;
		}
	}
	spin_unlock(&procs_lock);
	return err;
}

// Everything the process held goes before its PID is free again, so that once
// KCALL_PROC_END or KCALL_IPC_LOOKUP find no such process its memory is free too; PM
// hears that a process it made is gone (XINIM_NOTE_GONE). Its refs are 0: proc_get
// passes it by while this runs (KCALL_PROC_END still finds it ending, by its PID). The
// struct itself goes with the PID, under procs_lock: its slab frame may be one that
// would otherwise still be in use when the PID is seen free (PM's count at init's end).
static void proc_free(struct proc *proc)
{
	bool tell_pm = proc->managed, tell_rs = proc->supervised && proc->started;
	unsigned pid = proc->pid;
	aspace_destroy(&proc->as);
	if (proc->caps.kcalls & KCAP_DEVICE)
		device_release(proc);	// its DMA frames are mapped no more
	if (proc->endpoint)
		ipc_endpoint_close(proc);
	spin_lock(&procs_lock);
	if (pid && procs[pid] == proc)
		procs[pid] = NULL;
	sodium_memzero(proc, sizeof(*proc));
	kmfree(proc, sizeof(*proc));	// the heap's and frame pool's locks nest inside
	spin_unlock(&procs_lock);
	if (tell_pm)
		ipc_kernel_notify(XINIM_PID_PM, XINIM_NOTE_GONE);
	if (tell_rs)
		supervise_gone(pid);
}

// A process with its name, kernel-call classes, fresh keys for the kernel's channels and
// an empty address space, holding one reference; NULL when memory is short.
static struct proc *proc_alloc(const char *name, unsigned kcalls)
{
	struct proc *proc = kmalloc(sizeof(*proc));
	if (!proc)
		return NULL;
	*proc = (struct proc){ .refs = 1 };
	ksnprintf(proc->name, sizeof(proc->name), "%s", name);
	proc->caps.kcalls = kcalls;
	for (unsigned d = XINIM_TO_PEER; d <= XINIM_FROM_PEER; d++)
		channel_new_key(&proc->kernel_keys[d]);
	fpsimd_kernel_begin();
	codec_channel_init(&proc->kernel_tx, &proc->kernel_keys[XINIM_FROM_PEER]);
	codec_channel_init(&proc->kernel_rx, &proc->kernel_keys[XINIM_TO_PEER]);
	fpsimd_kernel_end();
	if (aspace_create(&proc->as) != 0) {
		proc_free(proc);
		return NULL;
	}
	return proc;
}

bool proc_pid_holds(unsigned pid, xinim_endpoint_t endpoint)
{
	spin_lock(&procs_lock);
	bool holds = pid < XINIM_PROCS_MAX && procs[pid] && procs[pid]->endpoint == endpoint;
	spin_unlock(&procs_lock);
	return holds;
}

struct proc *proc_get(xinim_endpoint_t endpoint)
{
	unsigned pid = xinim_endpoint_pid(endpoint);
	struct proc *proc = NULL;
	spin_lock(&procs_lock);
	if (pid < XINIM_PROCS_MAX && procs[pid] && procs[pid]->endpoint == endpoint &&
	    procs[pid]->refs) {
		proc = procs[pid];
		proc->refs++;
	}
	spin_unlock(&procs_lock);
	return proc;
}

void proc_put(struct proc *proc)
{
	spin_lock(&procs_lock);
	bool last = --proc->refs == 0;
	spin_unlock(&procs_lock);
	if (last)
		proc_free(proc);
}

int proc_take_kernel_key(struct proc *proc, enum xinim_direction direction,
			 struct xinim_channel *out)
{
	if (proc->kernel_keys_taken[direction])
		return -EALREADY;
	*out = proc->kernel_keys[direction];
	sodium_memzero(&proc->kernel_keys[direction], sizeof(*out));
	proc->kernel_keys_taken[direction] = true;
	return 0;
}

// A new thread tid of proc runs from frame (see proc_run); it holds a reference to proc.
// 0, -ENOMEM, or -ESRCH (proc is ending: no thread joins it then).
static int thread_run(struct proc *proc, unsigned tid, enum priority priority,
		      const struct trapframe *frame, bool callers_state)
{
	struct thread *thread = thread_create(proc, priority, frame, sizeof(*frame));
	if (!thread)
		return -ENOMEM;
	thread->tid = tid;
	if (callers_state) {	// and its CPUs, as Linux's fork and clone inherit them
		thread->allowed = sched_current()->allowed;
		fpsimd_save_to(&thread->context);
		thread->context.tpidr_el0 = sysreg_read(tpidr_el0);
	}
	spin_lock(&proc->threads_lock);
	bool ending = proc->ending;
	if (!ending) {
		thread->sibling = proc->threads;
		proc->threads = thread;
	}
	spin_unlock(&proc->threads_lock);
	if (ending) {
		sched_discard(thread);
		return -ESRCH;
	}
	sched_start(thread);
	return 0;
}

// Runs its first thread from frame: at entry with stack sp, every register zero, or (a
// fork's child) with the calling thread's FP/SIMD registers and TLS pointer, which are
// live on this CPU. The thread takes over proc's first reference. 0 or -ENOMEM (proc
// untouched).
static int proc_run(struct proc *proc, enum priority priority, const struct trapframe *frame,
		    bool callers_state)
{
	int err = thread_run(proc, proc->pid, priority, frame, callers_state);
	if (!err)
		proc->started = true;
	return err;
}

// A process PM made runs once: -EBUSY if its first thread ran (or runs) already.
static int proc_run_once(struct proc *proc, const struct trapframe *frame, bool callers_state)
{
	if (__atomic_exchange_n(&proc->started, true, __ATOMIC_ACQ_REL))
		return -EBUSY;
	int err = proc_run(proc, PRIO_PROGRAM, frame, callers_state);
	if (err)
		proc->started = false;
	return err;
}

int proc_fork_start(xinim_endpoint_t child, const struct trapframe *frame, uint64_t sp)
{
	struct proc *proc = proc_managed(child);
	int err = -ESRCH;
	if (proc) {
		struct trapframe copy = *frame;
		copy.x[0] = 0;
		copy.sp = sp ? sp : copy.sp;
		err = proc_run_once(proc, &copy, true);
		proc_put(proc);
	}
	return err;
}

int proc_thread_start(unsigned tid, const struct trapframe *frame, uint64_t sp,
		      const uint64_t *tls)
{
	struct proc *proc = proc_current();
	struct trapframe copy = *frame;
	copy.x[0] = 0;
	copy.sp = sp;
	spin_lock(&procs_lock);
	proc->refs++;	// the new thread's
	spin_unlock(&procs_lock);
	uint64_t own = sysreg_read(tpidr_el0);
	sysreg_write(tpidr_el0, tls ? *tls : own);	// thread_run takes the live one
	int err = thread_run(proc, tid, PRIO_PROGRAM, &copy, true);
	sysreg_write(tpidr_el0, own);
	if (err)
		proc_put(proc);
	return err;
}

long proc_thread_apply(xinim_endpoint_t endpoint, unsigned tid,
		       long (*f)(struct thread *, uint64_t), uint64_t arg)
{
	struct proc *proc = proc_managed(endpoint);
	if (!proc)
		return -ESRCH;
	long result = -ESRCH;
	spin_lock(&proc->threads_lock);
	for (struct thread *t = proc->threads; t; t = t->sibling)
		if (t->tid == tid) {
			result = f(t, arg);
			break;
		}
	spin_unlock(&proc->threads_lock);
	proc_put(proc);
	return result;
}

static long thread_cpu(struct thread *t, uint64_t unused)
{
	(void)unused;
	return (long)t->cpu;
}

long proc_kcall_thread_cpu(struct trapframe *frame)
{
	return proc_thread_apply((xinim_endpoint_t)frame->x[0], (unsigned)frame->x[1], thread_cpu, 0);
}

long proc_kcall_thread_affinity(struct trapframe *frame)
{
	return proc_thread_apply((xinim_endpoint_t)frame->x[0], (unsigned)frame->x[1], sched_allow,
				 frame->x[2]);
}

int proc_mark(struct proc *proc, unsigned tid, unsigned bits, void (*f)(struct thread *))
{
	int err = -ESRCH;
	spin_lock(&proc->threads_lock);
	for (struct thread *t = proc->threads; t; t = t->sibling) {
		if (tid && t->tid != tid)
			continue;
		__atomic_fetch_or(&t->pending, bits, __ATOMIC_SEQ_CST);
		if (f)
			f(t);
		err = 0;
	}
	spin_unlock(&proc->threads_lock);
	return err;
}

int proc_spawn(const struct boot_program *bp, int argc, const char *const argv[])
{
	const uint8_t *file;
	size_t archive_size, file_size;
	const void *archive = bootdata_archive(&archive_size);
	if (!cpio_find(archive, archive_size, bp->path, &file, &file_size))
		return -ENOENT;
	struct proc *proc = proc_alloc(bp->name, bp->kcalls);
	if (!proc)
		return -ENOMEM;
	proc->supervised = bp->supervised;
	proc->device = bp->device;
	int err = 0;
	for (unsigned i = 0; i < BOOT_SENDS_MAX && bp->sends[i].pid && !err; i++)
		err = cap_grant_send(&proc->caps, bp->sends[i].pid, bp->sends[i].badge);
	struct exec_image image;
	if (!err)
		err = exec_load(&proc->as, file, file_size, argc, argv, &image);
	if (!err)
		err = pid_alloc(proc, bp->pid);
	if (!err) {
		proc->endpoint = ipc_endpoint_open(proc);
		err = proc_run(proc, bp->priority, &(struct trapframe){ .sp = image.sp,
				.elr = image.entry }, false);
	}
	if (err) {
		proc_put(proc);
		return err;
	}
	return (int)proc->pid;
}

void proc_end(void)
{
	struct thread *self = sched_current();
	struct proc *proc = self->proc;
	spin_lock(&proc->threads_lock);
	struct thread **link = &proc->threads;
	while (*link && *link != self)
		link = &(*link)->sibling;
	if (*link)
		*link = self->sibling;
	spin_unlock(&proc->threads_lock);
	sched_exit();
}

void proc_thread_gone(struct proc *proc)
{
	proc_put(proc);
}

typedef char proc_name[sizeof(((struct proc *)0)->name)];

// The caller's string at `at`, cut to a process name: 0 or -EFAULT.
static long name_from_user(uint64_t at, proc_name name)
{
	memset(name, 0, sizeof(proc_name));
	for (size_t i = 0; i + 1 < sizeof(proc_name) && (i == 0 || name[i - 1]); i++)
		if (copy_from_user(&name[i], at + i, 1) != 0)
			return -EFAULT;
	return 0;
}

// Copied a few at a time: the list is read under the lock, the copy out may fault.
long proc_kcall_made(struct trapframe *frame)
{
	enum { BATCH = 32 };
	uint64_t out = frame->x[0], max = frame->x[1], count = 0;
	for (unsigned from = 0; from < XINIM_PROCS_MAX && count < max;) {
		struct xinim_proc_made batch[BATCH];
		unsigned n = 0;
		spin_lock(&procs_lock);
		for (; from < XINIM_PROCS_MAX && n < BATCH && count + n < max; from++) {
			const struct proc *proc = procs[from];
			if (proc && proc->managed)
				batch[n++] = (struct xinim_proc_made){ proc->endpoint,
					__atomic_load_n(&proc->started, __ATOMIC_ACQUIRE) };
		}
		spin_unlock(&procs_lock);
		if (n && copy_to_user(out + count * sizeof(batch[0]), batch, n * sizeof(batch[0])))
			return -EFAULT;
		count += n;
	}
	return (long)count;
}

long proc_kcall_new(struct trapframe *frame)
{
	uint64_t pid = frame->x[0];
	proc_name name;
	if (pid >= XINIM_PROCS_MAX)
		return -EINVAL;
	if (name_from_user(frame->x[1], name))
		return -EFAULT;
	struct proc *proc = proc_alloc(name, 0);
	if (!proc)
		return -ENOMEM;
	proc->managed = true;
	int err = pid_alloc(proc, (unsigned)pid);
	if (err) {
		proc_put(proc);
		return err;
	}
	proc->endpoint = ipc_endpoint_open(proc);
	return proc->endpoint;
}

struct proc *proc_managed(xinim_endpoint_t endpoint)
{
	struct proc *proc = proc_get(endpoint);
	if (proc && !proc->managed) {
		proc_put(proc);
		return NULL;
	}
	return proc;
}

// KCALL_PROC_START and _EXEC: (endpoint, entry, sp) naming a process PM made. 0 and
// *proc (proc_put it), or -EINVAL, -ESRCH.
static long entry_target(const struct trapframe *frame, struct proc **proc)
{
	if (frame->x[1] >= USER_LIMIT || frame->x[2] > USER_LIMIT)
		return -EINVAL;
	*proc = proc_managed((xinim_endpoint_t)frame->x[0]);
	return *proc ? 0 : -ESRCH;
}

long proc_kcall_start(struct trapframe *frame)
{
	uint64_t entry = frame->x[1], sp = frame->x[2];
	struct proc *proc;
	long err = entry_target(frame, &proc);
	if (err)
		return err;
	err = proc_run_once(proc, &(struct trapframe){ .sp = sp, .elr = entry }, false);
	proc_put(proc);
	return err;
}

long proc_kcall_exec(struct trapframe *frame)
{
	struct proc *proc;
	proc_name name;
	if (name_from_user(frame->x[3], name))
		return -EFAULT;
	long err = entry_target(frame, &proc);
	if (err)
		return err;
	ipc_endpoint_rename(proc, name);
	proc->exec_entry = frame->x[1];
	proc->exec_sp = frame->x[2];
	unsigned tid = frame->x[4] ? (unsigned)frame->x[4] : proc->pid;
	spin_lock(&proc->threads_lock);
	for (struct thread *t = proc->threads; t; t = t->sibling)	// the others end
		__atomic_fetch_or(&t->pending, t->tid == tid ? PROC_PENDING_EXEC : PROC_PENDING_END,
				  __ATOMIC_SEQ_CST);
	spin_unlock(&proc->threads_lock);
	ipc_cancel(proc);
	proc_put(proc);
	return 0;
}

// proc's thread tid (0: every one) ends as it next returns to EL0: an IPC wait is
// withdrawn first, a stopped thread goes on. 0 or -ESRCH (no such thread).
static long thread_ends(struct proc *proc, unsigned tid)
{
	int err = proc_mark(proc, tid, PROC_PENDING_END, signal_stop_release);
	if (!err)
		ipc_cancel(proc);
	return err;
}

// Any process may be ended (musl's exit loops until it is), not only those PM made,
// whatever it does: computing (it ends at the next interrupt) or waiting in IPC.
long proc_kcall_end(struct trapframe *frame)
{
	xinim_endpoint_t endpoint = (xinim_endpoint_t)frame->x[0];
	struct proc *proc = proc_get(endpoint);
	if (!proc)	// being freed (no references left, PID still held): ending, not gone
		return proc_pid_holds(xinim_endpoint_pid(endpoint), endpoint) ? 0 : -ESRCH;
	supervise_ending(proc, &(struct xinim_death){ .cause = XINIM_DEATH_ENDED,
		.ender = proc_current()->endpoint, .status = (int32_t)frame->x[1] });
	spin_lock(&proc->threads_lock);
	proc->ending = true;
	spin_unlock(&proc->threads_lock);
	if (!__atomic_exchange_n(&proc->started, true, __ATOMIC_ACQ_REL))
		proc_put(proc);	// it never ran: its first reference goes
	else
		thread_ends(proc, 0);
	proc_put(proc);
	return 0;
}

// KCALL_PROC_ATOMIC: a word of a process PM made changed atomically, its page faulted in
// first (MM) if it is not writable yet.
long proc_kcall_atomic(struct trapframe *frame)
{
	struct proc *proc = proc_managed((xinim_endpoint_t)frame->x[0]);
	uint64_t va = frame->x[1];
	enum aspace_atomic_op op = (enum aspace_atomic_op)frame->x[2];
	uint32_t arg = (uint32_t)frame->x[3], old = 0;
	if (!proc)
		return -ESRCH;
	int err = aspace_atomic(&proc->as, va, op, arg, &old);
	if (err == -EFAULT && fault_resolve(proc, va, XINIM_MM_WRITE) == 0)
		err = aspace_atomic(&proc->as, va, op, arg, &old);
	proc_put(proc);
	return err ? err : (long)old;
}

// KCALL_THREAD_END: one thread of a process PM made.
long proc_kcall_thread_end(struct trapframe *frame)
{
	struct proc *proc = proc_managed((xinim_endpoint_t)frame->x[0]);
	if (!proc)
		return -ESRCH;
	long err = thread_ends(proc, (unsigned)frame->x[1]);
	proc_put(proc);
	return err;
}

// Until nothing is pending: each step may wait (in PM, or stopped), and PM may ask for
// more meanwhile. Never inlined (the kernel is built with LTO): its frame would be set up
// on every way back to EL0, where almost always nothing is pending.
__attribute__((noinline)) void proc_apply_pending(struct trapframe *frame)
{
	struct thread *self = sched_current();
	struct proc *proc = self->proc;
	for (unsigned pending; (pending = __atomic_exchange_n(&self->pending, 0, __ATOMIC_ACQUIRE));) {
		if (pending & PROC_PENDING_END)
			proc_end();
		if (pending & PROC_PENDING_EXEC) {
			*frame = (struct trapframe){ .elr = proc->exec_entry, .sp = proc->exec_sp };
			sysreg_write(tpidr_el0, 0);
			self->restart = 0;	// the call it made is gone with its program
			self->tid = proc->pid;	// Linux: the thread that execs takes the PID
		}
		if (pending & PROC_PENDING_STOP)
			signal_stop_wait(proc);
		if (pending & PROC_PENDING_SIGNAL)
			signal_deliver(frame);
	}
}
