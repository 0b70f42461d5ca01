// A user-space driver's view of the machine (KCAP_DEVICE, docs/net.md, Device access):
// its boot-table row names "virtio,mmio"; it enumerates those DTB nodes, maps their
// registers, finds the network device, takes DMA memory and binds the interrupt, and
// every refusal gets its error. Then it drives the NIC as far as one sent frame, whose
// completion interrupt must arrive as a notification. Started without KCAP_DEVICE (the devices_denied row) it
// checks that every device call is refused.
#include <errno.h>
#include <stdint.h>
#include <libipc/ipc.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/runtime.h>
#define EXPECT_PREFIX "devices_probe: "
#include "expect.h"

#define VIRTIO_MMIO_NODES 32		// QEMU virt's transports
#define VIRTIO_MAGIC 0x74726976		// "virt"
#define VIRTIO_VERSION_MODERN 2
#define VIRTIO_ID_NET 1
#define REG_MAGIC 0x000
#define REG_VERSION 0x004
#define REG_DEVICE_ID 0x008

#define PAGE 4096UL
#define REGISTERS_VA 0x10000000UL	// device i's page at REGISTERS_VA + i * PAGE
#define DMA_VA 0x20000000UL
#define DMA_LENGTH (64 * 1024UL)

static uint32_t read32(uint64_t address) { return *(volatile uint32_t *)address; }

// Every device call of a process without KCAP_DEVICE is refused.
static int denied(void)
{
	struct xinim_device d;
	uint64_t phys;
	expect("info", xinim_kcall(KCALL_DEVICE_INFO, 0, (long)&d), -EPERM);
	expect("map", xinim_kcall(KCALL_DEVICE_MAP, 0, REGISTERS_VA), -EPERM);
	expect("irq bind", xinim_kcall(KCALL_DEVICE_IRQ_BIND, 0, 1), -EPERM);
	expect("irq ack", xinim_kcall(KCALL_DEVICE_IRQ_ACK, 0, 0), -EPERM);
	expect("dma", xinim_kcall3(KCALL_DMA_ALLOC, DMA_VA, DMA_LENGTH, (long)&phys), -EPERM);
	print("devices_probe: without KCAP_DEVICE: %u calls, %u not refused\n", expect_checks,
	      expect_wrong);
	return expect_wrong != 0;
}

// The devices in the DTB, in order; the index of the network device, or -1.
static long enumerate(struct xinim_device *devices, unsigned *count)
{
	long net = -1;
	*count = 0;
	while (*count <= VIRTIO_MMIO_NODES &&
	       xinim_kcall(KCALL_DEVICE_INFO, *count, (long)&devices[*count]) == 0)
		(*count)++;
	for (unsigned i = 0; i < *count; i++) {
		uint64_t va = REGISTERS_VA + i * PAGE;
		expect("map", xinim_kcall(KCALL_DEVICE_MAP, i, (long)va), 0);
		uint64_t regs = va + (devices[i].base & (PAGE - 1));
		if (read32(regs + REG_MAGIC) == VIRTIO_MAGIC &&
		    read32(regs + REG_VERSION) == VIRTIO_VERSION_MODERN &&
		    read32(regs + REG_DEVICE_ID) == VIRTIO_ID_NET && net < 0)
			net = i;
	}
	return net;
}

static void refusals(const struct xinim_device *net_device, unsigned count)
{
	struct xinim_device d;
	uint64_t phys;
	expect("info past the last", xinim_kcall(KCALL_DEVICE_INFO, count, (long)&d), -ENOENT);
	expect("info to a bad pointer", xinim_kcall(KCALL_DEVICE_INFO, 0, 16), -EFAULT);
	expect("map past the last", xinim_kcall(KCALL_DEVICE_MAP, count, REGISTERS_VA + 64 * PAGE),
	       -ENOENT);
	expect("map over a mapping", xinim_kcall(KCALL_DEVICE_MAP, 0, REGISTERS_VA), -EINVAL);
	expect("map over the stack", xinim_kcall(KCALL_DEVICE_MAP, 0, (long)&d & ~(PAGE - 1)),
	       -EINVAL);
	expect("map unaligned", xinim_kcall(KCALL_DEVICE_MAP, 0, REGISTERS_VA + 64 * PAGE + 8),
	       -EINVAL);
	expect("map into the kernel", xinim_kcall(KCALL_DEVICE_MAP, 0, (long)0xffff000040000000UL),
	       -EINVAL);
	expect("irq bind past the last", xinim_kcall(KCALL_DEVICE_IRQ_BIND, count, 1), -ENOENT);
	expect("irq ack not bound", xinim_kcall(KCALL_DEVICE_IRQ_ACK, 0, 0), -EPERM);
	expect("dma of 0 bytes", xinim_kcall3(KCALL_DMA_ALLOC, DMA_VA, 0, (long)&phys), -EINVAL);
	expect("dma of 100 bytes", xinim_kcall3(KCALL_DMA_ALLOC, DMA_VA, 100, (long)&phys), -EINVAL);
	expect("dma of 8 MiB", xinim_kcall3(KCALL_DMA_ALLOC, DMA_VA, 8L << 20, (long)&phys), -EINVAL);
	expect("dma, phys to NULL", xinim_kcall3(KCALL_DMA_ALLOC, DMA_VA, DMA_LENGTH, 0), -EFAULT);
	expect("dma over the registers",
	       xinim_kcall3(KCALL_DMA_ALLOC, REGISTERS_VA, DMA_LENGTH, (long)&phys), -EINVAL);
	// The kernel never reads device memory for a program: a write from the registers.
	expect("debug_write from the registers",
	       debug_write((const char *)(REGISTERS_VA + (net_device->base & (PAGE - 1))), 4),
	       -EFAULT);
}

// The DMA region: page-aligned physical address, zeroed, writable; one a process.
static uint64_t dma(void)
{
	uint64_t phys = 0, again;
	expect("dma", xinim_kcall3(KCALL_DMA_ALLOC, DMA_VA, DMA_LENGTH, (long)&phys), 0);
	expect("dma phys page-aligned and not 0", phys && !(phys & (PAGE - 1)), 1);
	volatile uint64_t *words = (volatile uint64_t *)DMA_VA;
	uint64_t nonzero = 0;
	for (unsigned i = 0; i < DMA_LENGTH / sizeof(uint64_t); i++) {
		nonzero |= words[i];
		words[i] = i * 0x9e3779b97f4a7c15ull;
	}
	unsigned kept = 0;
	for (unsigned i = 0; i < DMA_LENGTH / sizeof(uint64_t); i++)
		kept += words[i] == i * 0x9e3779b97f4a7c15ull;
	expect("dma zeroed", (long)nonzero, 0);
	expect("dma words written and read back", kept, DMA_LENGTH / sizeof(uint64_t));
	expect("a second dma", xinim_kcall3(KCALL_DMA_ALLOC, DMA_VA + DMA_LENGTH, DMA_LENGTH,
					      (long)&again), -EBUSY);
	print("devices_probe: dma %lu KiB at phys %lx, zeroed and writable\n",
	      (unsigned long)(DMA_LENGTH / 1024), (unsigned long)phys);
	for (unsigned i = 0; i < DMA_LENGTH / sizeof(uint64_t); i++)
		words[i] = 0;	// for the queues
	return phys;
}

static void interrupt(unsigned index, const struct xinim_device *net)
{
	expect("irq is an SPI", net->irq >= 32, 1);
	expect("irq bind", xinim_kcall(KCALL_DEVICE_IRQ_BIND, index, 1), 0);
	expect("irq bind again (new bits)", xinim_kcall(KCALL_DEVICE_IRQ_BIND, index, 3), 0);
	expect("irq ack", xinim_kcall(KCALL_DEVICE_IRQ_ACK, index, 0), 0);
	expect("irq unbind", xinim_kcall(KCALL_DEVICE_IRQ_BIND, index, 0), 0);
	expect("irq ack once unbound", xinim_kcall(KCALL_DEVICE_IRQ_ACK, index, 0), -EPERM);
}

// The modern virtio-mmio registers (virtio 1.2, 4.2.2) and the transmit queue.
enum {
	REG_DRIVER_FEATURES = 0x020, REG_DRIVER_FEATURES_SEL = 0x024, REG_QUEUE_SEL = 0x030,
	REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038, REG_QUEUE_READY = 0x044,
	REG_QUEUE_NOTIFY = 0x050, REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064,
	REG_STATUS = 0x070, REG_QUEUE_DESC = 0x080, REG_QUEUE_DRIVER = 0x090,
	REG_QUEUE_DEVICE = 0x0a0,
};
enum { STATUS_ACKNOWLEDGE = 1, STATUS_DRIVER = 2, STATUS_DRIVER_OK = 4, STATUS_FEATURES_OK = 8 };
#define FEATURE_VERSION_1_HIGH 1	// bit 32: VIRTIO_F_VERSION_1, in the high word
#define TX_QUEUE 1
#define QUEUE_SIZE 8
#define NET_HEADER 12			// struct virtio_net_hdr with num_buffers
#define USED_BUFFER 1			// InterruptStatus: a queue's used ring moved
#define IRQ_BITS XINIM_NOTE_IRQ(0)
#define NOTIFIED_WITHIN_US 10000000	// a backstop against a hang, far above the need

static void write32(uint64_t address, uint32_t value) { *(volatile uint32_t *)address = value; }
static void write64(uint64_t address, uint64_t value)
{
	write32(address, (uint32_t)value);
	write32(address + 4, (uint32_t)(value >> 32));
}
static void barrier(void) { __asm__ volatile("dmb sy" ::: "memory"); }

// The transmit queue in the DMA region: descriptors, then the driver's ring, then the
// device's, then the frame.
struct tx_layout {
	uint64_t desc, avail, used, frame;
};

static struct tx_layout tx_at(uint64_t base)
{
	return (struct tx_layout){ base, base + 0x100, base + 0x200, base + 0x1000 };
}

// Resets the device and brings it up with VIRTIO_F_VERSION_1 and the transmit queue.
static long nic_start(uint64_t regs, uint64_t phys)
{
	write32(regs + REG_STATUS, 0);
	write32(regs + REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	write32(regs + REG_DRIVER_FEATURES_SEL, 1);
	write32(regs + REG_DRIVER_FEATURES, FEATURE_VERSION_1_HIGH);
	write32(regs + REG_DRIVER_FEATURES_SEL, 0);
	write32(regs + REG_DRIVER_FEATURES, 0);
	write32(regs + REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
	if (!(read32(regs + REG_STATUS) & STATUS_FEATURES_OK))
		return -1;
	write32(regs + REG_QUEUE_SEL, TX_QUEUE);
	if (read32(regs + REG_QUEUE_NUM_MAX) < QUEUE_SIZE)
		return -2;
	struct tx_layout at = tx_at(phys);
	write32(regs + REG_QUEUE_NUM, QUEUE_SIZE);
	write64(regs + REG_QUEUE_DESC, at.desc);
	write64(regs + REG_QUEUE_DRIVER, at.avail);
	write64(regs + REG_QUEUE_DEVICE, at.used);
	write32(regs + REG_QUEUE_READY, 1);
	write32(regs + REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK |
				   STATUS_DRIVER_OK);
	return 0;
}

// An ARP request for QEMU's gateway (10.0.2.2) from 10.0.2.15, broadcast, after the
// virtio-net header (zeroes: no offloads); its length.
static uint32_t arp_request(uint8_t *at)
{
	static const uint8_t frame[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
		10, 0, 2, 15, 0, 0, 0, 0, 0, 0, 10, 0, 2, 2,
	};
	for (unsigned i = 0; i < NET_HEADER; i++)
		at[i] = 0;
	for (unsigned i = 0; i < sizeof(frame); i++)
		at[NET_HEADER + i] = frame[i];
	return NET_HEADER + sizeof(frame);
}

// The NIC sends one frame; its completion's interrupt must come as the bound bits.
static void interrupt_arrives(unsigned index, uint64_t regs, uint64_t phys)
{
	expect("nic start", nic_start(regs, phys), 0);
	struct tx_layout va = tx_at(DMA_VA), pa = tx_at(phys);
	uint32_t length = arp_request((uint8_t *)va.frame);
	volatile uint64_t *desc = (volatile uint64_t *)va.desc;
	desc[0] = pa.frame;
	desc[1] = length;	// len; flags 0, next 0
	volatile uint16_t *avail = (volatile uint16_t *)va.avail;
	avail[2] = 0;		// ring[0]: descriptor 0
	barrier();
	avail[1] = 1;		// idx
	barrier();
	expect("irq bind for the nic", xinim_kcall(KCALL_DEVICE_IRQ_BIND, index, (long)IRQ_BITS), 0);
	write32(regs + REG_QUEUE_NOTIFY, TX_QUEUE);
	struct ipc_request request;
	long got = ipc_receive(&request, NOTIFIED_WITHIN_US);
	struct xinim_notification note = { 0 };
	__builtin_memcpy(&note, request.msg.payload, sizeof(note));
	expect("a notification", got == 0 && request.msg.header.type == XINIM_MSG_NOTIFY, 1);
	expect("from the kernel", note.from, XINIM_ENDPOINT_KERNEL);
	expect("with the bound bits", (long)note.bits, (long)IRQ_BITS);
	barrier();
	expect("the frame sent", ((volatile uint16_t *)va.used)[1], 1);
	uint32_t cause = read32(regs + REG_INTERRUPT_STATUS);
	expect("the device's cause: a used buffer", cause & USED_BUFFER, USED_BUFFER);
	write32(regs + REG_INTERRUPT_ACK, cause);
	expect("irq ack", xinim_kcall(KCALL_DEVICE_IRQ_ACK, index, 0), 0);
	write32(regs + REG_STATUS, 0);	// reset: the device lets go of the DMA memory
	print("devices_probe: sent a %u-byte frame; its interrupt came as bits %lx from the kernel\n",
	      length - NET_HEADER, (unsigned long)note.bits);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct xinim_device probe;
	if (xinim_kcall(KCALL_DEVICE_INFO, 0, (long)&probe) == -EPERM)
		return denied();
	static struct xinim_device devices[VIRTIO_MMIO_NODES + 1];
	unsigned count;
	long net = enumerate(devices, &count);
	print("devices_probe: %u virtio,mmio devices, the first at %lx (%lu bytes, irq %u)\n", count,
	      (unsigned long)devices[0].base, (unsigned long)devices[0].size, devices[0].irq);
	expect("device count", count, VIRTIO_MMIO_NODES);
	expect("a network device with version 2", net >= 0, 1);
	if (net < 0)
		return 1;
	print("devices_probe: virtio-net (device id 1, version 2) is device %ld at %lx, irq %u\n", net,
	      (unsigned long)devices[net].base, devices[net].irq);
	refusals(&devices[net], count);
	uint64_t phys = dma();
	interrupt((unsigned)net, &devices[net]);
	interrupt_arrives((unsigned)net, REGISTERS_VA + net * PAGE + (devices[net].base & (PAGE - 1)),
			  phys);
	print("devices_probe: %u checks, %u wrong\n", expect_checks, expect_wrong);
	return expect_wrong != 0;
}
