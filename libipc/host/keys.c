// The hosted backend's endpoint and channel-key calls (libipc/transport.h): self, lookup,
// channel keys and the report of a refused message, as kernel/endpoint.c and
// kernel/ipc_keys.c apply them. Lock: host_lock (kernel.h).
#include <errno.h>
#include <libipc/transport.h>
#include "kernel.h"

// A channel is handed only to its two ends, and only between a live peer and a
// process that may talk to it (a capability either way), or between a process and the
// kernel; each end takes each key once.
static long channel_locked(xinim_endpoint_t peer, enum xinim_direction direction,
			   struct xinim_channel *out)
{
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	if (direction != XINIM_TO_PEER && direction != XINIM_FROM_PEER)
		return -EINVAL;
	if (peer != XINIM_ENDPOINT_KERNEL) {
		unsigned mine = xinim_endpoint_pid(self), theirs = xinim_endpoint_pid(peer);
		if (theirs >= HOST_IPC_PIDS || peer == self)
			return -EINVAL;
		if (!host_live(peer))
			return -ESRCH;
		if (!host_cap(mine, theirs, NULL) && !host_cap(theirs, mine, NULL))
			return -EACCES;
	}
	return host_channel_take(self, peer, direction, out);
}

static long lookup_locked(unsigned pid)
{
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	if (pid >= HOST_IPC_PIDS)
		return -EINVAL;
	if (!host_cap(xinim_endpoint_pid(self), pid, NULL))
		return -EACCES;
	xinim_endpoint_t ep = host_instance(pid);
	return ep == XINIM_ENDPOINT_NONE ? -ESRCH : (long)ep;
}

// The public functions: each takes the lock around its _locked part.

long transport_self(void)
{
	host_enter();
	xinim_endpoint_t self = host_self();
	host_leave();
	return self == XINIM_ENDPOINT_NONE ? -EPERM : (long)self;
}

long transport_lookup(unsigned pid)
{
	host_enter();
	long result = lookup_locked(pid);
	host_leave();
	return result;
}

long transport_channel(xinim_endpoint_t peer, enum xinim_direction direction,
		       struct xinim_channel *out)
{
	host_enter();
	long result = channel_locked(peer, direction, out);
	host_leave();
	return result;
}

// Who refused the message is the one fact the kernel knows: it becomes the dest.
long transport_rejected(const struct xinim_msg_header *header, enum xinim_trace_verdict verdict)
{
	if (verdict == XINIM_TRACE_OK || verdict >= XINIM_TRACE_VERDICTS)
		return -EINVAL;
	struct xinim_msg_header h = *header;
	host_enter();
	h.dest = host_self();
	if (h.dest != XINIM_ENDPOINT_NONE)
		host_trace(XINIM_TRACE_REJECT, verdict, &h, 0);
	host_leave();
	return h.dest != XINIM_ENDPOINT_NONE ? 0 : -EPERM;
}
