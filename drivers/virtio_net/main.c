// DEV, PID 6: the virtio-net driver. Takes its kept counters over, finds and starts the
// device (reset first: a restart finds it as the last instance left it), tells NET and
// PM that it serves, then answers NET's calls and the device's interrupts. Without a
// device it serves all the same, every call answered -ENODEV: exiting would only have
// RS start it again and again.
#include <xinim/runtime.h>
#include "virtio_net.h"

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	ipc_resident(16 * 1024);
	if (!keep_start_with("virtio_net", state_size(), NIC_UNDO_BYTES, NIC_STATE_VERSION,
			     state_take))
		return 1;
	if (probe_find() && device_start())
		klog(LOGLEVEL_INFO, "virtio_net: eth0 %02x:%02x:%02x:%02x:%02x:%02x, link %s, "
		     "queues of %u and %u, generation %u; since the first start %lu received, "
		     "%lu sent, %lu dropped\n", nic.mac[0], nic.mac[1], nic.mac[2], nic.mac[3],
		     nic.mac[4], nic.mac[5], nic.link_up ? "up" : "down", nic.queues[NIC_RX].size,
		     nic.queues[NIC_TX].size, xinim_endpoint_generation(ipc_self()),
		     (unsigned long)state_counter(NIC_RECEIVED), (unsigned long)state_counter(NIC_SENT),
		     (unsigned long)state_counter(NIC_DROPPED));
	ipc_announce(XINIM_PID_PM);
	ipc_announce(XINIM_PID_NET);
	ipc_serve(&nic_table);
}
