// NET (PID 5), the driver's one client (docs/net.md: NET -> DEV is the only call down to
// a driver).
#include <errno.h>
#include "virtio_net.h"

uint8_t nic_stage[NIC_STAGE_BYTES] __attribute__((aligned(16)));

static xinim_endpoint_t net_endpoint = XINIM_ENDPOINT_NONE;

long net_refused(const struct ipc_request *request)
{
	if (xinim_endpoint_pid(request->msg.header.source) != XINIM_PID_NET)
		return -EPERM;
	return nic.present ? 0 : -ENODEV;
}

// A notification to NET's live instance; a restarted NET is looked up again (a note to
// the dead one fails).
void net_tell(void)
{
	if (net_endpoint != XINIM_ENDPOINT_NONE &&
	    ipc_notify(net_endpoint, XINIM_NOTE_DEV_READY) == 0)
		return;
	long live = ipc_lookup(XINIM_PID_NET);
	if (live < 0)
		return;	// no NET yet: it asks when it starts
	net_endpoint = (xinim_endpoint_t)live;
	ipc_notify(net_endpoint, XINIM_NOTE_DEV_READY);
}
