// The address spaces of the processes PM made, as MM changes them (KCAP_SPACE). The
// kernel keeps no regions: MM decides what is mapped where, the kernel checks only that
// the ranges are user addresses and never writable and executable at once.
#include <errno.h>
#include <kernel/proc.h>
#include <kernel/space.h>

// Runs change on the space of the managed process named by x0. -ESRCH when there is none.
static long on_space(const struct trapframe *frame,
		     long (*change)(struct aspace *as, const struct trapframe *frame))
{
	struct proc *target = proc_get((xinim_endpoint_t)frame->x[0]);
	long err = -ESRCH;
	if (target && target->managed)
		err = change(&target->as, frame);
	if (target)
		proc_put(target);
	return err;
}

static long map(struct aspace *as, const struct trapframe *frame)
{
	return aspace_map_range(as, frame->x[1], frame->x[2], (unsigned)frame->x[3]);
}

static long unmap(struct aspace *as, const struct trapframe *frame)
{
	return aspace_unmap(as, frame->x[1], frame->x[2]);
}

static long protect(struct aspace *as, const struct trapframe *frame)
{
	return frame->x[3] > UINT32_MAX ? -EINVAL
					: aspace_protect(as, frame->x[1], frame->x[2], (unsigned)frame->x[3]);
}

static long write(struct aspace *as, const struct trapframe *frame)
{
	uint64_t there = frame->x[1], here = frame->x[2], n = frame->x[3];
	if (n > XINIM_COPY_MAX)
		return -EINVAL;
	return copy_between(as, there, proc_aspace(proc_current()), here, n, NULL);
}

static long fault(struct aspace *as, const struct trapframe *frame)
{
	return frame->x[2] > UINT32_MAX ? -EINVAL
					: aspace_fault_in(as, frame->x[1], (unsigned)frame->x[2]);
}

// Both spaces are of managed processes, and held while their tables change.
long space_kcall_share(struct trapframe *frame)
{
	struct proc *from = proc_get((xinim_endpoint_t)frame->x[0]);
	struct proc *to = proc_get((xinim_endpoint_t)frame->x[1]);
	long err = from && to && from->managed && to->managed
			   ? aspace_share(&from->as, &to->as, frame->x[2], frame->x[3])
			   : -ESRCH;
	if (from)
		proc_put(from);
	if (to)
		proc_put(to);
	return err;
}

long space_kcall_map(struct trapframe *frame) { return on_space(frame, map); }
long space_kcall_fault(struct trapframe *frame) { return on_space(frame, fault); }
long space_kcall_unmap(struct trapframe *frame) { return on_space(frame, unmap); }
long space_kcall_protect(struct trapframe *frame) { return on_space(frame, protect); }
long space_kcall_write(struct trapframe *frame) { return on_space(frame, write); }
