// The DMA region (virtio_net.h): rings and buffers the device reads and writes by
// physical address. The virt machine has no IOMMU, so what the driver writes in a
// descriptor is where the device goes: the region is the only memory it is given.
#include <xinim/runtime.h>
#include "virtio_net.h"

#define RING_BYTES 4096
_Static_assert(VIRTQ_BYTES_BOUND(NIC_QUEUE_SIZE) <= RING_BYTES, "a queue's rings fit a page");

enum {
	BUFFERS_AT = NIC_QUEUES * RING_BYTES,
	BUFFERS_BYTES = NIC_QUEUE_SIZE * NIC_BUFFER_BYTES,	// per queue
	DMA_BYTES = BUFFERS_AT + NIC_QUEUES * BUFFERS_BYTES,
};

static uint8_t *region;
static uint64_t region_phys;

bool dma_open(void)
{
	if (region)
		return true;	// a device started again by this instance
	// 1: an earlier instance's frames, which the device may have written into until
	// the reset that came before this; every ring is built again from zero.
	long got = xinim_kcall3(KCALL_DMA_ALLOC, (long)NIC_DMA_VA, DMA_BYTES, (long)&region_phys);
	if (got < 0) {
		klog(LOGLEVEL_ERR, "virtio_net: no DMA memory (%ld)\n", got);
		return false;
	}
	region = (uint8_t *)(uintptr_t)NIC_DMA_VA;
	return true;
}

void *dma_ring(enum nic_queue q)
{
	return region + q * RING_BYTES;
}

uint8_t *dma_buffer(enum nic_queue q, unsigned id)
{
	return region + BUFFERS_AT + q * BUFFERS_BYTES + id * NIC_BUFFER_BYTES;
}

uint64_t dma_phys(const void *va)
{
	return region_phys + (uint64_t)((const uint8_t *)va - region);
}
