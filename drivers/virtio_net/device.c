// Starting the device (virtio 1.1, 3.1.1): reset, ACKNOWLEDGE, DRIVER, features,
// FEATURES_OK, the queues, the receive buffers, the interrupt, DRIVER_OK. Every instance
// does all of it, so a restarted driver finds the device as the first one did.
#include <xinim/runtime.h>
#include "mmio.h"
#include "virtio_net.h"

// Reads of the status after a reset: QEMU resets at the write, hardware may take a while.
#define RESET_POLLS 1000000

static const uint64_t features_needed = VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC;
static const uint64_t features_wanted = VIRTIO_NET_F_STATUS;

static void status_add(uint32_t bits)
{
	mmio_write(nic.regs, MMIO_STATUS, mmio_read(nic.regs, MMIO_STATUS) | bits);
}

void device_reset(void)
{
	mmio_write(nic.regs, MMIO_STATUS, 0);
	for (unsigned i = 0; i < RESET_POLLS && mmio_read(nic.regs, MMIO_STATUS); i++)
		;
}

static uint64_t features_offered(void)
{
	mmio_write(nic.regs, MMIO_DEVICE_FEATURES_SEL, 0);
	uint64_t low = mmio_read(nic.regs, MMIO_DEVICE_FEATURES);
	mmio_write(nic.regs, MMIO_DEVICE_FEATURES_SEL, 1);
	return (uint64_t)mmio_read(nic.regs, MMIO_DEVICE_FEATURES) << 32 | low;
}

static bool features_agree(void)
{
	uint64_t offered = features_offered();
	if ((offered & features_needed) != features_needed) {
		klog(LOGLEVEL_ERR, "virtio_net: the device offers features 0x%lx, without VERSION_1 "
		     "or MAC\n", (unsigned long)offered);
		return false;
	}
	nic.features = offered & (features_needed | features_wanted);
	mmio_write(nic.regs, MMIO_DRIVER_FEATURES_SEL, 0);
	mmio_write(nic.regs, MMIO_DRIVER_FEATURES, (uint32_t)nic.features);
	mmio_write(nic.regs, MMIO_DRIVER_FEATURES_SEL, 1);
	mmio_write(nic.regs, MMIO_DRIVER_FEATURES, (uint32_t)(nic.features >> 32));
	status_add(VIRTIO_STATUS_FEATURES_OK);
	if (!(mmio_read(nic.regs, MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		klog(LOGLEVEL_ERR, "virtio_net: the device refused features 0x%lx\n",
		     (unsigned long)nic.features);
		return false;
	}
	return true;
}

// Queue q, as large as the device and NIC_QUEUE_SIZE allow (a power of two), in its
// page of the DMA region, ready.
static bool queue_start(enum nic_queue q)
{
	mmio_write(nic.regs, MMIO_QUEUE_SEL, q);
	uint32_t most = mmio_read(nic.regs, MMIO_QUEUE_NUM_MAX);
	if (!most || mmio_read(nic.regs, MMIO_QUEUE_READY)) {
		klog(LOGLEVEL_ERR, "virtio_net: queue %u unusable (size at most %u)\n", q, most);
		return false;
	}
	unsigned size = NIC_QUEUE_SIZE;
	while (size > most)
		size /= 2;
	struct virtq *vq = &nic.queues[q];
	virtq_init(vq, dma_ring(q), size);
	mmio_write(nic.regs, MMIO_QUEUE_NUM, size);
	mmio_write64(nic.regs, MMIO_QUEUE_DESC, dma_phys(vq->desc));
	mmio_write64(nic.regs, MMIO_QUEUE_DRIVER, dma_phys(vq->avail));
	mmio_write64(nic.regs, MMIO_QUEUE_DEVICE, dma_phys(vq->used));
	mmio_write(nic.regs, MMIO_QUEUE_READY, 1);
	return true;
}

void device_read_link(void)
{
	if (!(nic.features & VIRTIO_NET_F_STATUS)) {
		nic.link_up = true;
		return;
	}
	nic.link_up = mmio_config16(nic.regs, VIRTIO_NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP;
}

// The MAC address, read until the configuration's generation is the same before and
// after (virtio 1.1, 4.2.2.2: the device may change it meanwhile).
static void mac_read(void)
{
	uint32_t generation;
	do {
		generation = mmio_read(nic.regs, MMIO_CONFIG_GENERATION);
		for (unsigned i = 0; i < sizeof(nic.mac); i++)
			nic.mac[i] = mmio_config8(nic.regs, VIRTIO_NET_CONFIG_MAC + i);
		device_read_link();
	} while (generation != mmio_read(nic.regs, MMIO_CONFIG_GENERATION));
}

static bool device_failed(void)
{
	status_add(VIRTIO_STATUS_FAILED);
	return false;
}

bool device_start(void)
{
	device_reset();	// first: an earlier instance's device may still be writing
	if (mmio_read(nic.regs, MMIO_STATUS)) {
		klog(LOGLEVEL_ERR, "virtio_net: the device does not reset\n");
		return false;
	}
	status_add(VIRTIO_STATUS_ACKNOWLEDGE);
	status_add(VIRTIO_STATUS_DRIVER);
	if (!features_agree() || !dma_open() || !queue_start(NIC_RX) || !queue_start(NIC_TX))
		return device_failed();
	mac_read();
	rx_fill();
	tx_init();
	long err = xinim_kcall(KCALL_DEVICE_IRQ_BIND, nic.index, (long)NIC_IRQ_NOTE);
	if (err) {
		klog(LOGLEVEL_ERR, "virtio_net: interrupt not bound (%ld)\n", err);
		return device_failed();
	}
	status_add(VIRTIO_STATUS_DRIVER_OK);
	device_kick(NIC_RX);	// only now may the device be told of the buffers
	nic.present = true;
	return true;
}

void device_kick(enum nic_queue q)
{
	if (virtq_wants_notify(&nic.queues[q]))
		mmio_write(nic.regs, MMIO_QUEUE_NOTIFY, q);
}
