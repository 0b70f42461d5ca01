// Readiness told to VFS (docs/net.md): after each message NET compares every socket's
// readiness with what VFS last heard (in an answer or an event); on a change it notifies
// VFS once (XINIM_NOTE_NET_EVENTS), and VFS fetches the changes (XINIM_NET_EVENTS),
// as often as it likes. A restarted NET has told VFS nothing: it tells it all at once;
// a restarted VFS (a new endpoint) is told again, as its predecessor's note is lost.
#include <errno.h>
#include <libipc/ipc.h>
#include "net.h"

// The VFS notified that has not fetched since.
static xinim_endpoint_t told = XINIM_ENDPOINT_NONE;

static bool pending(unsigned index)
{
	const struct net_socket *s = &net_kept->sockets[index];
	return s->state != NET_FREE && !s->parent &&
	       net_readiness(index) != net_live[index].reported;
}

void net_events_flush(void)
{
	unsigned i = 0;
	while (i < NET_SOCKETS && !pending(i))
		i++;
	long vfs = i < NET_SOCKETS ? ipc_lookup(XINIM_PID_VFS) : -ESRCH;
	if (vfs >= 0 && (xinim_endpoint_t)vfs != told &&
	    ipc_notify((xinim_endpoint_t)vfs, XINIM_NOTE_NET_EVENTS) == 0)
		told = (xinim_endpoint_t)vfs;
}

long net_events(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_net_buffer call;
	__builtin_memcpy(&call, request->msg.payload, sizeof(call));
	if (!net_from_vfs(request))
		return -EPERM;
	struct xinim_net_event events[NET_SOCKETS];
	unsigned max = call.max < NET_SOCKETS ? call.max : NET_SOCKETS, count = 0;
	for (unsigned i = 0; i < NET_SOCKETS && count < max; i++)
		if (pending(i))
			events[count++] = (struct xinim_net_event){ net_id(i), net_readiness(i) };
	long err = count ? ipc_copy_to(request->msg.header.source, call.at, events,
				       count * sizeof(events[0])) : 0;
	if (err)
		return err;
	for (unsigned n = 0; n < count; n++)
		net_live[net_index(events[n].sock)].reported = events[n].ready;
	told = XINIM_ENDPOINT_NONE;
	return count;
}
