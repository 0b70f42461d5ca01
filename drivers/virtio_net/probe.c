// Finding the network device: QEMU's virt machine has 32 virtio-mmio slots in its DTB,
// most of them empty (device ID 0), and fills them from the last: the first -device
// sits in the last slot. So the driver probes from the last slot down and takes the
// first network device it meets. Each slot probed is mapped on a page of its own (slots
// share pages, and the kernel maps whole pages).
#include <xinim/runtime.h>
#include "mmio.h"
#include "virtio_net.h"

struct nic nic;

// The registers of slot index (device, as KCALL_DEVICE_INFO said), mapped; NULL if they
// cannot be.
static volatile uint32_t *slot_map(unsigned index, const struct xinim_device *device)
{
	uint64_t va = NIC_MMIO_VA + (uint64_t)index * 4096;
	long err = xinim_kcall(KCALL_DEVICE_MAP, index, (long)va);
	if (err) {
		klog(LOGLEVEL_WARNING, "virtio_net: slot %u at 0x%lx not mapped (%ld)\n", index,
		     (unsigned long)device->base, err);
		return NULL;
	}
	return (volatile uint32_t *)(uintptr_t)(va + (device->base & 4095));
}

static bool slot_exists(unsigned index, struct xinim_device *device)
{
	return xinim_kcall(KCALL_DEVICE_INFO, index, (long)device) == 0;
}

// How many slots the DTB has: the first index KCALL_DEVICE_INFO refuses, found by
// doubling, then halving (a call walks the DTB up to its node: asking each in turn
// costs the square of their number, 8 ms of a start under QEMU).
static unsigned slot_count(void)
{
	struct xinim_device device;
	unsigned known = 0, step = 1;	// slots [0, known) exist
	while (slot_exists(known + step - 1, &device)) {
		known += step;
		step *= 2;
	}
	while (step > 1) {	// slot known + step - 1 does not exist
		step /= 2;
		if (slot_exists(known + step - 1, &device))
			known += step;
	}
	return known;
}

bool probe_find(void)
{
	struct xinim_device device;
	unsigned legacy = 0;
	for (unsigned index = slot_count(); index-- > 0;) {
		if (!slot_exists(index, &device))
			continue;
		volatile uint32_t *regs = slot_map(index, &device);
		if (!regs || mmio_read(regs, MMIO_MAGIC) != MMIO_MAGIC_VALUE ||
		    mmio_read(regs, MMIO_DEVICE_ID) != VIRTIO_DEVICE_NET)
			continue;
		if (mmio_read(regs, MMIO_VERSION) != MMIO_VERSION_MODERN) {
			legacy++;
			continue;
		}
		nic = (struct nic){ .index = index, .regs = regs };
		klog(LOGLEVEL_INFO, "virtio_net: network device in slot %u at 0x%lx, interrupt %u\n",
		     index, (unsigned long)device.base, device.irq);
		return true;
	}
	if (legacy)
		klog(LOGLEVEL_WARNING, "virtio_net: %u network device(s) on legacy virtio-mmio only: "
		     "start QEMU with -global virtio-mmio.force-legacy=false\n", legacy);
	else
		klog(LOGLEVEL_WARNING, "virtio_net: no network device (virtio-net-device): "
		     "every call is answered -ENODEV\n");
	return false;
}
