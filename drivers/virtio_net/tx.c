// The transmit queue: XINIM_DEV_SEND copies NET's batch in, puts each frame behind a
// zeroed virtio-net header in a free transmit buffer and lends it to the device, which
// hands it back once sent. Descriptor i is always transmit buffer i. The device is
// asked for interrupts only while NET waits for room; otherwise buffers come back at
// the next send.
#include <errno.h>
#include <string.h>
#include <xinim/devframes.h>
#include "virtio_net.h"

static bool lent[NIC_QUEUE_SIZE];	// the device has it; else it is in tx_free

void tx_init(void)
{
	struct virtq *q = &nic.queues[NIC_TX];
	nic.tx_free_count = 0;
	for (uint16_t id = 0; id < q->size; id++) {
		virtq_describe(q, id, dma_phys(dma_buffer(NIC_TX, id)), 0, 0);
		nic.tx_free[nic.tx_free_count++] = id;
		lent[id] = false;
	}
	nic.tx_room_wanted = false;
	virtq_interrupts(q, false);
}

void tx_reclaim(void)
{
	struct virtq *q = &nic.queues[NIC_TX];
	unsigned done = virtq_used_waiting(q);
	for (unsigned n = 0; n < done; n++) {
		uint32_t id = virtq_used_peek(q, n).id;
		if (id < q->size && lent[id]) {	// a device's repeat is not believed
			lent[id] = false;
			nic.tx_free[nic.tx_free_count++] = (uint16_t)id;
		}
	}
	virtq_used_take(q, done);
	if (nic.tx_room_wanted && nic.tx_free_count) {
		nic.tx_room_wanted = false;
		virtq_interrupts(q, false);
		net_tell();
	}
}

// NET asks again when told: the device interrupts once it has sent something, and
// whatever it sent before it was asked is looked at once more.
static void room_wanted(void)
{
	nic.tx_room_wanted = true;
	virtq_interrupts(&nic.queues[NIC_TX], true);
	tx_reclaim();
}

// Frames picked from the staged batch, each into a free buffer, lent to the device.
static void tx_lend(const struct devframe_at *picked, unsigned count)
{
	struct virtq *q = &nic.queues[NIC_TX];
	for (unsigned n = 0; n < count; n++) {
		uint16_t id = nic.tx_free[--nic.tx_free_count];
		uint8_t *buffer = dma_buffer(NIC_TX, id);
		memset(buffer, 0, NIC_HEADER);
		memcpy(buffer + NIC_HEADER, nic_stage + picked[n].offset, picked[n].length);
		q->desc[id].len = (uint32_t)(NIC_HEADER + picked[n].length);
		lent[id] = true;
		virtq_offer(q, id);
	}
	virtq_publish(q);
	device_kick(NIC_TX);
}

long nic_send(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	long refused = net_refused(request);
	if (refused)
		return refused;
	struct xinim_dev_frames frames;
	memcpy(&frames, request->msg.payload, sizeof(frames));
	tx_reclaim();
	unsigned room = nic.tx_free_count;
	if (!frames.count)
		return 0;
	if (!room) {
		room_wanted();
		return 0;
	}
	// Only as much of the batch as the free buffers can take is copied.
	size_t window = (size_t)room * XINIM_DEV_RECORD(XINIM_DEV_FRAME_MAX);
	window = window < NIC_STAGE_BYTES ? window : NIC_STAGE_BYTES;
	window = window < frames.length ? window : frames.length;
	long err = window ? ipc_copy_from(request->msg.header.source, nic_stage, frames.at, window) : 0;
	if (err)
		return err;
	static struct devframe_at picked[NIC_QUEUE_SIZE];
	long count = devframes_read(nic_stage, window, frames.length, frames.count, room, picked);
	if (count < 0)
		return count;	// nothing lent: a bad record refuses the batch whole
	tx_lend(picked, (unsigned)count);
	state_count(NIC_SENT, (uint64_t)count);
	if ((unsigned)count < frames.count)
		room_wanted();
	return count;
}
