// The process table. A PID names one slot; PIDs below XINIM_PID_FIRST_DYNAMIC are kept
// for the well-known servers (include/xinim/ipc/endpoints.h), given by the boot table.
#include <errno.h>
#include <string.h>
#include <sodium/utils.h>
#include <kernel/arch/aarch64/fpsimd.h>
#include <kernel/channel.h>
#include <kernel/ipc.h>
#include <kernel/boottable.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/cpio.h>
#include <kernel/exec.h>
#include <kernel/kalloc.h>
#include <kernel/lib/format.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>

#define FIRST_DYNAMIC_PID XINIM_PID_FIRST_DYNAMIC

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

// Gives proc the PID fixed (if not 0), or a free dynamic one.
static int pid_alloc(struct proc *proc, unsigned fixed)
{
	int err = -EAGAIN;
	spin_lock(&procs_lock);
	if (fixed) {
		err = fixed >= FIRST_DYNAMIC_PID ? -EINVAL : procs[fixed] ? -EBUSY : 0;
		if (!err) {
			procs[fixed] = proc;
			proc->pid = fixed;
		}
	}
	for (unsigned n = 0; !fixed && n < MAX_PROCS - FIRST_DYNAMIC_PID; n++) {
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
	if (proc->endpoint)
		ipc_endpoint_close(proc);
	if (proc->pid) {
		spin_lock(&procs_lock);
		procs[proc->pid] = NULL;
		spin_unlock(&procs_lock);
	}
	aspace_destroy(&proc->as);
	sodium_memzero(proc, sizeof(*proc));
	kmfree(proc, sizeof(*proc));
}

// Capabilities from the boot table, and fresh keys for the kernel's channels.
static int proc_setup(struct proc *proc, const struct boot_program *bp)
{
	ksnprintf(proc->name, sizeof(proc->name), "%s", bp->name);
	proc->caps.kcalls = bp->kcalls;
	for (unsigned i = 0; i < BOOT_SENDS_MAX && bp->sends[i].pid; i++) {
		int err = cap_grant_send(&proc->caps, bp->sends[i].pid, bp->sends[i].badge);
		if (err)
			return err;
	}
	for (unsigned d = XINIM_TO_PEER; d <= XINIM_FROM_PEER; d++)
		channel_new_key(&proc->kernel_keys[d]);
	fpsimd_kernel_begin();
	codec_channel_init(&proc->kernel_tx, &proc->kernel_keys[XINIM_FROM_PEER]);
	codec_channel_init(&proc->kernel_rx, &proc->kernel_keys[XINIM_TO_PEER]);
	fpsimd_kernel_end();
	return 0;
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

int proc_spawn(const struct boot_program *bp, int argc, const char *const argv[])
{
	struct cpio_file file;
	if (!cpio_find(archive, archive_size, bp->path, &file))
		return -ENOENT;
	struct proc *proc = kmalloc(sizeof(*proc));
	if (!proc)
		return -ENOMEM;
	struct exec_image image;
	int err = proc_setup(proc, bp);
	if (!err)
		err = aspace_create(&proc->as);
	if (!err)
		err = exec_load(&proc->as, file.data, file.size, argc, argv, &image);
	struct thread *thread = NULL;
	if (!err) {
		struct trapframe frame = { .sp = image.sp, .elr = image.entry, .spsr = 0 };
		thread = thread_create(proc, bp->priority, &frame, sizeof(frame));
		err = thread ? pid_alloc(proc, bp->pid) : -ENOMEM;
	}
	if (err) {
		if (thread)
			sched_discard(thread);
		proc_free(proc);
		return err;
	}
	proc->threads = 1;
	proc->endpoint = ipc_endpoint_open(proc);
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
