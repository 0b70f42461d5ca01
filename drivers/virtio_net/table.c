// DEV's routes: NET's three calls, and the kernel's notes of the device's interrupt.
#include "virtio_net.h"

#define CALL(type, handler, payload) [type - XINIM_MSG_DEV_FIRST] = { handler, payload }

static const struct ipc_route calls[XINIM_DEV_MSG_END - XINIM_MSG_DEV_FIRST] = {
	CALL(XINIM_DEV_INFO, nic_info, 0),
	CALL(XINIM_DEV_SEND, nic_send, sizeof(struct xinim_dev_frames)),
	CALL(XINIM_DEV_RECEIVE, nic_receive, sizeof(struct xinim_dev_frames)),
};

// A new NET (its XINIM_NOTE_SERVING) knows nothing of what the last one was told: it is
// told now, and fetches what waits (rx_watch then goes on as before).
static void net_serves(void)
{
	if (nic.present)
		net_tell();
}

static void notified(const struct xinim_notification *note)
{
	if (note->from == XINIM_ENDPOINT_KERNEL && (note->bits & NIC_IRQ_NOTE))
		irq_handle();
	else if (xinim_endpoint_pid(note->from) == XINIM_PID_NET && (note->bits & XINIM_NOTE_SERVING))
		net_serves();
}

const struct ipc_table nic_table = {
	.first = XINIM_MSG_DEV_FIRST,
	.count = XINIM_DEV_MSG_END - XINIM_MSG_DEV_FIRST,
	.routes = calls,
	.notified = notified,
};
