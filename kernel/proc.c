// The process table. A PID names one slot; PIDs below FIRST_DYNAMIC_PID are kept for
// the well-known servers (include/xinim/ipc/endpoints.h, with IPC).
#include <errno.h>
#include <string.h>
#include <kernel/boottable.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/cpio.h>
#include <kernel/exec.h>
#include <kernel/kalloc.h>
#include <kernel/lib/format.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>

#define MAX_PROCS 1024
#define FIRST_DYNAMIC_PID 16

static struct proc *procs[MAX_PROCS];
static unsigned next_pid = FIRST_DYNAMIC_PID;
static struct spinlock procs_lock;
static const void *archive;
static size_t archive_size;

void proc_set_archive(const void *data, size_t size)
{
	archive = data;
	archive_size = size;
}

struct aspace *proc_aspace(struct proc *proc) { return &proc->as; }

struct proc *proc_current(void) { return sched_current()->proc; }

static int pid_alloc(struct proc *proc)
{
	int err = -EAGAIN;
	spin_lock(&procs_lock);
	for (unsigned n = 0; n < MAX_PROCS - FIRST_DYNAMIC_PID; n++) {
		unsigned pid = next_pid + n;
		if (pid >= MAX_PROCS)
			pid -= MAX_PROCS - FIRST_DYNAMIC_PID;
		if (!procs[pid]) {
			procs[pid] = proc;
			proc->pid = pid;
			next_pid = pid + 1 < MAX_PROCS ? pid + 1 : FIRST_DYNAMIC_PID;
			err = 0;
			break;
		}
	}
	spin_unlock(&procs_lock);
	return err;
}

static void proc_free(struct proc *proc)
{
	if (proc->pid) {
		spin_lock(&procs_lock);
		procs[proc->pid] = NULL;
		spin_unlock(&procs_lock);
	}
	aspace_destroy(&proc->as);
	kmfree(proc, sizeof(*proc));
}

int proc_spawn(const struct boot_program *bp, int argc, const char *const argv[])
{
	struct cpio_file file;
	if (!cpio_find(archive, archive_size, bp->path, &file))
		return -ENOENT;
	struct proc *proc = kmalloc(sizeof(*proc));
	if (!proc)
		return -ENOMEM;
	ksnprintf(proc->name, sizeof(proc->name), "%s", bp->name);
	proc->caps = bp->caps;
	struct exec_image image;
	int err = aspace_create(&proc->as);
	if (!err)
		err = exec_load(&proc->as, file.data, file.size, argc, argv, &image);
	struct thread *thread = NULL;
	if (!err) {
		struct trapframe frame = { .sp = image.sp, .elr = image.entry, .spsr = 0 };
		thread = thread_create(proc, bp->priority, &frame, sizeof(frame));
		err = thread ? pid_alloc(proc) : -ENOMEM;
	}
	if (err) {
		if (thread)
			sched_discard(thread);
		proc_free(proc);
		return err;
	}
	proc->threads = 1;
	sched_start(thread);
	return (int)proc->pid;
}

void proc_end(void)
{
	sched_exit();
}

void proc_thread_gone(struct proc *proc)
{
	if (--proc->threads == 0)
		proc_free(proc);
}
