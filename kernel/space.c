// The address spaces of the processes PM made, as MM changes them (KCAP_SPACE), and the
// caller's store (XINIM_SPACE_STORE: MM's System V segments). The kernel keeps no
// regions: MM decides what is mapped where, the kernel checks only that the ranges are
// user addresses and never writable and executable at once.
#include <errno.h>
#include <kernel/proc.h>
#include <kernel/space.h>
#include <kernel/spinlock.h>
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>

// The stores (XINIM_SPACE_STORE), by PID, made at first use and never destroyed: what
// a server keeps there outlives its instances, as its kept memory.
static struct aspace stores[XINIM_PROCS_MAX];
static struct spinlock stores_lock;

static struct aspace *store_of(const struct proc *caller)
{
	struct aspace *store = &stores[caller->pid];
	spin_lock(&stores_lock);
	bool made = store->root || aspace_create(store) == 0;
	spin_unlock(&stores_lock);
	return made ? store : NULL;
}

// The space endpoint names: the caller's store, or a managed process's, held (*held,
// to be put) meanwhile. NULL when there is none.
static struct aspace *space_named(xinim_endpoint_t endpoint, struct proc **held)
{
	*held = NULL;
	if (endpoint == XINIM_SPACE_STORE)
		return store_of(proc_current());
	*held = proc_get(endpoint);
	return *held && (*held)->managed ? &(*held)->as : NULL;
}

static void space_put(struct proc *held)
{
	if (held)
		proc_put(held);
}

// Runs change on the space named by x0. -ESRCH when there is none.
static long on_space(const struct trapframe *frame,
		     long (*change)(struct aspace *as, const struct trapframe *frame))
{
	struct proc *held;
	struct aspace *as = space_named((xinim_endpoint_t)frame->x[0], &held);
	long err = as ? change(as, frame) : -ESRCH;
	space_put(held);
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

static long present(struct aspace *as, const struct trapframe *frame)
{
	uint8_t out[256];
	uint64_t pages = frame->x[2];
	if (pages > sizeof(out) || frame->x[1] & (PAGE_SIZE - 1) || frame->x[1] >= USER_LIMIT ||
	    pages > (USER_LIMIT - frame->x[1]) / PAGE_SIZE)
		return -EINVAL;
	aspace_present(as, frame->x[1], pages, out);
	return copy_to_user(frame->x[3], out, pages) ? -EFAULT : 0;
}

// Both spaces are held while their tables change.
long space_kcall_share(struct trapframe *frame)
{
	struct proc *from_held, *to_held;
	struct aspace *from = space_named((xinim_endpoint_t)frame->x[0], &from_held);
	struct aspace *to = space_named((xinim_endpoint_t)frame->x[1], &to_held);
	long err = from && to ? aspace_share(from, to, frame->x[2], frame->x[3], frame->x[4])
			      : -ESRCH;
	space_put(from_held);
	space_put(to_held);
	return err;
}

long space_kcall_present(struct trapframe *frame) { return on_space(frame, present); }
long space_kcall_map(struct trapframe *frame) { return on_space(frame, map); }
long space_kcall_fault(struct trapframe *frame) { return on_space(frame, fault); }
long space_kcall_unmap(struct trapframe *frame) { return on_space(frame, unmap); }
long space_kcall_protect(struct trapframe *frame) { return on_space(frame, protect); }
long space_kcall_write(struct trapframe *frame) { return on_space(frame, write); }
