// The device's interrupt: the kernel masks it as it arrives and sends its notification
// bit; the driver clears the device's cause, unmasks it, and only then looks at the
// queues, so that whatever the device does after the look raises it again.
#include <xinim/runtime.h>
#include "mmio.h"
#include "virtio_net.h"

// The device says it needs a reset (virtio 1.1, 2.1.2): it is started again; frames in
// flight are lost, as at a restart of the driver.
static void restart_device(void)
{
	klog(LOGLEVEL_WARNING, "virtio_net: the device needs a reset: starting it again\n");
	nic.present = false;
	if (device_start())
		net_tell();
}

void irq_handle(void)
{
	if (!nic.present)
		return;
	uint32_t cause = mmio_read(nic.regs, MMIO_INTERRUPT_STATUS);
	mmio_write(nic.regs, MMIO_INTERRUPT_ACK, cause);
	xinim_kcall(KCALL_DEVICE_IRQ_ACK, nic.index, 0);
	if (cause & MMIO_INTERRUPT_CONFIG) {
		if (mmio_read(nic.regs, MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) {
			restart_device();
			return;
		}
		bool was_up = nic.link_up;
		device_read_link();
		if (nic.link_up != was_up)
			net_tell();	// NET reads the link's state with XINIM_DEV_INFO
	}
	tx_reclaim();
	rx_watch();
}
