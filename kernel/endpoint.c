// Endpoints: each PID's, with the generation of its live instance, opened as an instance
// starts and closed as it ends (kernel/ipc.h; docs/architecture.md, Endpoints and PIDs).
//
// Locking (the rules common to IPC are in kernel/endpoint.h)
// - The instance (proc, generation) changes only here, under the endpoint's lock: whoever
//   checked it under that lock (endpoint_live) may rely on it until unlocking.
// - Close fails every waiter and forgets the instance's channels under that same lock
//   (then the channel lock): whoever checks the instance under the lock finds it whole
//   or gone.
#include <errno.h>
#include <string.h>
#include <xinim/format.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/cap.h>
#include <kernel/channel.h>
#include <kernel/endpoint.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

struct endpoint endpoints[XINIM_PROCS_MAX];

xinim_endpoint_t ipc_endpoint_open(struct proc *proc)
{
	struct endpoint *ep = own_endpoint(proc);
	spin_lock(&ep->lock);
	ep->generation = ep->generation % XINIM_PID_MASK + 1;	// 1 .. 65535
	ep->proc = proc;
	ep->keeps_calls = proc->supervised;
	xinim_endpoint_t endpoint = xinim_endpoint(proc->pid, ep->generation);
	for (struct ipc_wait *w = ep->senders; w; w = w->next)
		w->msg.header.dest = endpoint;	// calls kept from the last instance
	trace_name(proc->pid, endpoint, proc->name);
	spin_unlock(&ep->lock);
	return endpoint;
}

// Appends w to the calls kept for the next instance (kept, *tail) if the kernel made it
// for a thread and ep keeps such calls: it will be delivered again; else it fails.
static void keep_or_fail(struct endpoint *ep, struct ipc_wait *w, struct ipc_wait **kept,
			 struct ipc_wait **tail)
{
	if (!ep->keeps_calls || !w->from_kernel) {
		complete(w, -EIO);
		return;
	}
	w->phase = IPC_SENDING;
	w->delivered = false;
	w->next = NULL;
	*(*tail ? &(*tail)->next : kept) = w;
	*tail = w;
}

void ipc_endpoint_close(struct proc *proc)
{
	struct endpoint *ep = own_endpoint(proc);
	spin_lock(&ep->lock);
	ep->proc = NULL;
	ep->receiver = NULL;
	trace_name(proc->pid, 0, "");
	// The calls it had taken go first, in the order it took them (callers is newest
	// first), then those still queued.
	struct ipc_wait *taken = NULL, *kept = NULL, *tail = NULL;
	for (struct ipc_wait *w = ep->callers, *next; w; w = next) {
		next = w->next;
		w->next = taken;
		taken = w;
	}
	for (struct ipc_wait *w = taken, *next; w; w = next) {
		next = w->next;
		keep_or_fail(ep, w, &kept, &tail);
	}
	for (struct ipc_wait *w = ep->senders, *next; w; w = next) {
		next = w->next;
		keep_or_fail(ep, w, &kept, &tail);
	}
	ep->senders = kept;
	ep->senders_tail = tail;
	ep->callers = NULL;
	memset(ep->notes, 0, sizeof(ep->notes));
	ep->notes_pending = 0;
	channel_forget(proc->endpoint);
	spin_unlock(&ep->lock);
}

void ipc_endpoint_rename(struct proc *proc, const char *name)
{
	struct endpoint *ep = own_endpoint(proc);
	spin_lock(&ep->lock);
	ksnprintf(proc->name, sizeof(proc->name), "%s", name);
	if (ep->proc == proc)
		trace_name(proc->pid, proc->endpoint, proc->name);
	spin_unlock(&ep->lock);
}

xinim_endpoint_t ipc_endpoint_of(unsigned pid)
{
	struct endpoint *ep = &endpoints[pid];
	spin_lock(&ep->lock);
	xinim_endpoint_t endpoint = ep->proc ? ep->proc->endpoint : XINIM_ENDPOINT_NONE;
	spin_unlock(&ep->lock);
	return endpoint;
}

long ipc_kcall_self(struct trapframe *frame)
{
	(void)frame;
	return proc_current()->endpoint;
}

long ipc_kcall_lookup(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	uint64_t pid = frame->x[0], badge;
	if (pid >= XINIM_PROCS_MAX)
		return -EINVAL;
	if (!cap_lookup_send(&proc->caps, (unsigned)pid, &badge))
		return -EACCES;
	struct endpoint *ep = &endpoints[pid];
	spin_lock(&ep->lock);
	long result = ep->proc ? (long)ep->proc->endpoint : -ESRCH;
	spin_unlock(&ep->lock);
	return result;
}
