// Copies between a server and a process with a thread blocked in a call to it, for as
// long as it is blocked (kernel/ipc.h; docs/architecture.md, Copies to and from a blocked
// caller).
//
// Locking (the rules common to IPC are in kernel/endpoint.h)
// - A copy runs under the server's own endpoint lock, taken and released in copy_once,
//   so that the caller stays blocked (and its space alive) meanwhile.
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

// Copies between the running server and `who`, a process blocked in a call to it.
// *done gets the bytes copied.
static long copy_once(struct proc *server, xinim_endpoint_t who, uint64_t there, uint64_t here,
		      size_t n, bool to_caller, size_t *done)
{
	struct endpoint *ep = own_endpoint(server);
	spin_lock(&ep->lock);
	struct ipc_wait *c = ep->callers;
	while (c && c->thread->proc->endpoint != who)
		c = c->next;
	long err = -ESRCH;
	if (c) {
		struct aspace *theirs = proc_aspace(c->thread->proc), *mine = proc_aspace(server);
		err = to_caller ? copy_between(theirs, there, mine, here, n, done)
				: copy_between(mine, here, theirs, there, n, done);
	}
	spin_unlock(&ep->lock);
	return err;
}

// A fault in the caller's memory is resolved by MM, then the copy goes on from there.
static long copy_with_caller(struct trapframe *frame, bool to_caller)
{
	struct proc *server = proc_current();
	xinim_endpoint_t who = (xinim_endpoint_t)frame->x[0];
	uint64_t there = frame->x[1], here = frame->x[2], n = frame->x[3];
	if (n > XINIM_COPY_MAX)
		return -EINVAL;
	for (uint64_t stuck_at = UINT64_MAX;;) {
		size_t done = 0;
		long err = copy_once(server, who, there, here, n, to_caller, &done);
		if (err != -EFAULT || there + done == stuck_at)
			return err;
		stuck_at = there + done;
		unsigned access = to_caller ? XINIM_MM_WRITE : XINIM_MM_READ;
		struct proc *caller = proc_get(who);
		if (!caller)
			return -ESRCH;	// ended since
		err = fault_resolve(caller, stuck_at, access);
		proc_put(caller);
		if (err)
			return -EFAULT;
		there += done, here += done, n -= done;
	}
}

long ipc_kcall_copy_to(struct trapframe *frame) { return copy_with_caller(frame, true); }

long ipc_kcall_copy_from(struct trapframe *frame) { return copy_with_caller(frame, false); }
