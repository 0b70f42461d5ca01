// The receive queue: every buffer is lent to the device, which hands each back with a
// frame in it; XINIM_DEV_RECEIVE copies the frames waiting to NET as a batch and lends
// their buffers again. Descriptor i is always receive buffer i.
#include <errno.h>
#include <string.h>
#include <xinim/devframes.h>
#include "virtio_net.h"

void rx_fill(void)
{
	struct virtq *q = &nic.queues[NIC_RX];
	for (uint16_t id = 0; id < q->size; id++) {
		uint8_t *buffer = dma_buffer(NIC_RX, id);
		virtq_describe(q, id, dma_phys(buffer), NIC_BUFFER_BYTES, VIRTQ_DESC_F_WRITE);
		virtq_offer(q, id);
	}
	virtq_publish(q);
	nic.rx_told = false;
}

unsigned rx_waiting(void)
{
	return virtq_used_waiting(&nic.queues[NIC_RX]);
}

// After the interrupt or a receive: NET is told once of frames it has not fetched, and
// the device asked for no interrupt until NET has fetched them all; then interrupts are
// wanted again, and what came in before they were is looked at once more.
void rx_watch(void)
{
	struct virtq *q = &nic.queues[NIC_RX];
	for (;;) {
		if (rx_waiting()) {
			if (!nic.rx_told)
				net_tell();
			nic.rx_told = true;
			virtq_interrupts(q, false);
			return;
		}
		if (!nic.rx_told)
			return;
		nic.rx_told = false;
		virtq_interrupts(q, true);
	}
}

// The frame in used entry e, if it is one: its bytes (in the buffer) and length.
static bool frame_of(const struct virtq *q, struct virtq_used_elem e, const uint8_t **bytes,
		     uint16_t *length)
{
	if (e.id >= q->size || e.len < NIC_HEADER + DEVFRAME_MIN ||
	    e.len > NIC_HEADER + XINIM_DEV_FRAME_MAX)
		return false;
	*bytes = dma_buffer(NIC_RX, e.id) + NIC_HEADER;
	*length = (uint16_t)(e.len - NIC_HEADER);
	return true;
}

// The first taken used entries' buffers lent to the device again (an id past the
// queue, which a device should never give, is no buffer of ours).
static void rx_lend_again(unsigned taken)
{
	struct virtq *q = &nic.queues[NIC_RX];
	for (unsigned n = 0; n < taken; n++) {
		struct virtq_used_elem e = virtq_used_peek(q, n);
		if (e.id < q->size)
			virtq_offer(q, (uint16_t)e.id);
	}
	virtq_used_take(q, taken);
	virtq_publish(q);
	device_kick(NIC_RX);
}

long nic_receive(const struct ipc_request *request, struct xinim_msg *reply)
{
	long refused = net_refused(request);
	if (refused)
		return refused;
	struct xinim_dev_frames frames;
	memcpy(&frames, request->msg.payload, sizeof(frames));
	if (frames.length < XINIM_DEV_RECORD(XINIM_DEV_FRAME_MAX))
		return -EINVAL;	// room for any frame, so that a call can always take one
	size_t room = frames.length < NIC_STAGE_BYTES ? frames.length : NIC_STAGE_BYTES;
	struct virtq *q = &nic.queues[NIC_RX];
	unsigned waiting = rx_waiting(), taken = 0, records = 0, dropped = 0;
	size_t used = 0;
	for (; taken < waiting; taken++) {
		const uint8_t *bytes;
		uint16_t length;
		if (!frame_of(q, virtq_used_peek(q, taken), &bytes, &length))
			dropped++;
		else if (devframes_write(nic_stage, room, &used, bytes, length))
			records++;
		else
			break;
	}
	// Nothing is taken from the queue until NET has the batch: a copy that fails
	// leaves the frames for the next call.
	long err = used ? ipc_copy_to(request->msg.header.source, frames.at, nic_stage, used) : 0;
	if (err)
		return err;
	rx_lend_again(taken);
	state_count(NIC_RECEIVED, records);
	state_count(NIC_DROPPED, dropped);
	if (rx_waiting())
		nic.rx_told = false;	// told again of what this batch had no room for
	rx_watch();
	struct xinim_dev_frames answer = { .at = frames.at, .length = (uint32_t)used, .count = records };
	memcpy(reply->payload, &answer, sizeof(answer));
	reply->header.length = sizeof(answer);
	return records;
}
