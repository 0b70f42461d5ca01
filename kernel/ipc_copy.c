// Copies between a server and a process with a thread blocked in a call to it, for as
// long as it is blocked (kernel/ipc.h; docs/architecture.md, Copies to and from a blocked
// caller).
//
// Locking (the rules common to IPC are in kernel/endpoint.h)
// - A copy runs under the lock of the endpoint the caller waits on (the server's own, or
//   for a grant the granter's), taken and released in copy_once, so that the caller stays
//   blocked (and its space alive) meanwhile.
// - A fault in the caller's memory goes to MM with that lock dropped (fault_resolve calls
//   MM and waits for it), holding a reference to the caller (proc_get): the caller may be
//   ended meanwhile (KCALL_PROC_END withdraws its call), so it is looked up again under
//   the lock for the rest of the copy, and is then -ESRCH if gone.
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/mm.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/endpoint.h>
#include <kernel/fault.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/spinlock.h>

// Finds a thread blocked in a call to the server whose process is who (KCALL_COPY_*).
static long find_caller(struct endpoint *ep, const void *who, struct ipc_wait **out)
{
	struct ipc_wait *c = ep->callers;
	while (c && c->thread->proc->endpoint != *(const xinim_endpoint_t *)who)
		c = c->next;
	*out = c;
	return c ? 0 : -ESRCH;
}

// One try of copy c: *done gets the bytes copied.
static long copy_once(const struct caller_copy *c, uint64_t there, uint64_t here, size_t n,
		      size_t *done)
{
	struct ipc_wait *w;
	spin_lock(&c->ep->lock);
	long err = c->find(c->ep, c->key, &w);
	if (!err) {
		struct aspace *theirs = proc_aspace(w->thread->proc);
		struct aspace *mine = proc_aspace(proc_current());
		err = c->to_caller ? copy_between(theirs, there, mine, here, n, done)
				   : copy_between(mine, here, theirs, there, n, done);
	}
	spin_unlock(&c->ep->lock);
	return err;
}

// A fault in the caller's memory is resolved by MM, then the copy goes on from there.
long ipc_copy_caller(const struct caller_copy *c)
{
	uint64_t there = c->there, here = c->here, n = c->n;
	if (n > XINIM_COPY_MAX)
		return -EINVAL;
	for (uint64_t stuck_at = UINT64_MAX;;) {
		size_t done = 0;
		long err = copy_once(c, there, here, n, &done);
		if (err != -EFAULT || there + done == stuck_at)
			return err;
		stuck_at = there + done;
		unsigned access = c->to_caller ? XINIM_MM_WRITE : XINIM_MM_READ;
		struct proc *caller = proc_get(c->caller);
		if (!caller)
			return -ESRCH;	// ended since
		err = fault_resolve(caller, stuck_at, access);
		proc_put(caller);
		if (err)
			return -EFAULT;
		there += done, here += done, n -= done;
	}
}

static long copy_with_caller(struct trapframe *frame, bool to_caller)
{
	xinim_endpoint_t who = (xinim_endpoint_t)frame->x[0];
	struct caller_copy c = { .ep = own_endpoint(proc_current()), .find = find_caller,
		.key = &who, .caller = who, .there = frame->x[1], .here = frame->x[2],
		.n = frame->x[3], .to_caller = to_caller };
	return ipc_copy_caller(&c);
}

long ipc_kcall_copy_to(struct trapframe *frame) { return copy_with_caller(frame, true); }

long ipc_kcall_copy_from(struct trapframe *frame) { return copy_with_caller(frame, false); }
