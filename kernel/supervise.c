// Supervised boot programs: the kernel records how an instance ended and starts the next
// one when RS asks; every decision (whether, when) is RS's (docs/resurrection.md).
#include <errno.h>
#include <xinim/ipc/message.h>
#include <xinim/limits.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/boottable.h>
#include <kernel/ipc.h>
#include <kernel/klog.h>
#include <kernel/proc.h>
#include <kernel/spinlock.h>
#include <kernel/supervise.h>
#include <kernel/trace.h>

static struct spinlock deaths_lock;
static struct xinim_death deaths[XINIM_PROCS_MAX];	// by PID; who 0: none to read

void supervise_ending(const struct proc *proc, const struct xinim_death *death)
{
	if (!proc->supervised)
		return;
	spin_lock(&deaths_lock);
	struct xinim_death *record = &deaths[proc->pid];
	if (record->who != proc->endpoint) {
		*record = *death;
		record->who = proc->endpoint;
		record->time = sysreg_read(cntvct_el0);
	}
	spin_unlock(&deaths_lock);
}

static const struct boot_program *supervised_program(uint64_t pid)
{
	for (unsigned i = 0; i < boot_program_count; i++)
		if (boot_programs[i].supervised && boot_programs[i].pid == pid)
			return &boot_programs[i];
	return NULL;
}

// The next instance of bp, started from its boot image: its endpoint, or the error.
static long restart(const struct boot_program *bp)
{
	int pid = proc_spawn(bp, 1, &bp->path);
	xinim_endpoint_t self = pid < 0 ? XINIM_ENDPOINT_NONE : ipc_endpoint_of(bp->pid);
	if (self != XINIM_ENDPOINT_NONE) {	// for the host console: a line of its own
		struct xinim_msg_header h = { .source = self, .dest = self };
		trace_event(XINIM_TRACE_RESTART, XINIM_TRACE_OK, &h, 0);
	}
	return pid < 0 ? pid : self == XINIM_ENDPOINT_NONE ? -ESRCH : (long)self;	// it ended
												// at once
}

// RS is restarted at once, whatever ended it: nobody else could decide to. The new
// instance reads why the last one died (KCALL_PROC_DEATH of its own PID).
void supervise_gone(unsigned pid)
{
	const struct boot_program *bp = supervised_program(pid);
	if (!bp || !bp->kernel_restarts) {
		ipc_kernel_notify(XINIM_PID_RS, XINIM_NOTE_GONE);
		return;
	}
	long self = restart(bp);
	if (self < 0)
		klog(LOGLEVEL_ERR, "supervise: %s could not be restarted: error %ld", bp->name, self);
}

long supervise_kcall_death(struct trapframe *frame)
{
	uint64_t pid = frame->x[0];
	if (pid >= XINIM_PROCS_MAX)
		return -EINVAL;
	spin_lock(&deaths_lock);
	struct xinim_death death = deaths[pid];
	// Told once the instance is gone whole (its PID free, or held by its successor:
	// RS reads its own), not while it is still ending.
	bool told = death.who && !proc_pid_holds((unsigned)pid, death.who);
	if (told)
		deaths[pid] = (struct xinim_death){ 0 };
	spin_unlock(&deaths_lock);
	if (!told)
		return -ENOENT;
	if (copy_to_user(frame->x[1], &death, sizeof(death))) {
		spin_lock(&deaths_lock);
		if (!deaths[pid].who)
			deaths[pid] = death;	// not read after all
		spin_unlock(&deaths_lock);
		return -EFAULT;
	}
	return 0;
}

long supervise_kcall_restart(struct trapframe *frame)
{
	const struct boot_program *bp = supervised_program(frame->x[0]);
	return bp && !bp->kernel_restarts ? restart(bp) : -EINVAL;
}
