// Channel keys for processes: a process takes each end of its channels once, and reports
// the messages its codec refused, for the trace (kernel/ipc.h; docs/architecture.md,
// Sealing and keys).
//
// Locking (the rules common to IPC are in kernel/endpoint.h)
// - A channel with a peer is taken under the peer's endpoint lock (then the channel
//   lock), after checking under it that the peer's instance still lives: the peer cannot
//   die and have its channels forgotten (endpoint.c) in between.
// - The keys of the kernel's channels are the process's own (proc_take_kernel_key) and
//   taken without an endpoint lock.
#include <errno.h>
#include <sodium/utils.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cap.h>
#include <kernel/channel.h>
#include <kernel/endpoint.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

// The key of a channel between proc and the live instance at peer, if they may talk (a
// send right either way). 0, -EACCES, -ESRCH (peer's instance is gone), -EINVAL, or
// channel_take's errors.
static long peer_channel(struct proc *proc, xinim_endpoint_t peer, enum xinim_direction direction,
			 struct xinim_channel *out)
{
	unsigned pid = xinim_endpoint_pid(peer);
	uint64_t badge;
	if (pid >= XINIM_PROCS_MAX || peer == proc->endpoint)
		return -EINVAL;
	bool mine = cap_lookup_send(&proc->caps, pid, &badge);
	struct endpoint *ep = &endpoints[pid];
	spin_lock(&ep->lock);
	long err = 0;
	if (!endpoint_live(ep, peer))
		err = -ESRCH;
	else if (!mine && !cap_lookup_send(&ep->proc->caps, proc->pid, &badge))
		err = -EACCES;
	else
		err = channel_take(proc->endpoint, peer, direction, out);
	spin_unlock(&ep->lock);
	return err;
}

long ipc_kcall_channel(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	xinim_endpoint_t peer = (xinim_endpoint_t)frame->x[0];
	uint64_t direction = frame->x[1], out = frame->x[2];
	struct xinim_channel key;
	if (direction > XINIM_FROM_PEER)
		return -EINVAL;
	if (!user_writable(out, sizeof(key)))
		return -EFAULT;
	long err;
	if (peer == XINIM_ENDPOINT_KERNEL) {
		err = proc_take_kernel_key(proc, direction, &key);
	} else {
		err = peer_channel(proc, peer, direction, &key);
	}
	if (!err && copy_to_user(out, &key, sizeof(key)))
		err = -EFAULT;
	sodium_memzero(&key, sizeof(key));
	return err;
}

long ipc_kcall_rejected(struct trapframe *frame)
{
	struct xinim_msg_header h;
	uint64_t verdict = frame->x[1];
	if (copy_from_user(&h, frame->x[0], sizeof(h)))
		return -EFAULT;
	if (verdict == XINIM_TRACE_OK || verdict >= XINIM_TRACE_VERDICTS)
		return -EINVAL;
	h.dest = proc_current()->endpoint;	// who refused it is the one fact we know
	trace_event(XINIM_TRACE_REJECT, (enum xinim_trace_verdict)verdict, &h, 0);
	return 0;
}
