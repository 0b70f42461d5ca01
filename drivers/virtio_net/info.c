// XINIM_DEV_INFO: the interface as NET configures it, and the kept counters.
#include <string.h>
#include "virtio_net.h"

long nic_info(const struct ipc_request *request, struct xinim_msg *reply)
{
	long refused = net_refused(request);
	if (refused)
		return refused;
	struct xinim_dev_info info = {
		.mtu = NIC_MTU,
		.link_up = nic.link_up,
		.received = state_counter(NIC_RECEIVED),
		.sent = state_counter(NIC_SENT),
		.dropped = state_counter(NIC_DROPPED),
	};
	memcpy(info.mac, nic.mac, sizeof(info.mac));
	memcpy(reply->payload, &info, sizeof(info));
	reply->header.length = sizeof(info);
	return 0;
}
