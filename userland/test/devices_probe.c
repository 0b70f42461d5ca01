// A user-space driver's view of the machine (KCAP_DEVICE, docs/net.md, Device access):
// its boot-table row names "virtio,mmio"; it enumerates those DTB nodes, maps their
// registers, finds the network device, takes DMA memory and binds the interrupt, and
// every refusal gets its error. Started without KCAP_DEVICE (the devices_denied row) it
// checks that every device call is refused.
#include <errno.h>
#include <stdint.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>

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

static unsigned checks, wrong;

static void expect(const char *what, long got, long want)
{
	checks++;
	if (got == want)
		return;
	wrong++;
	print("devices_probe: %s: %ld, not %ld: WRONG\n", what, got, want);
}

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
	print("devices_probe: without KCAP_DEVICE: %u calls, %u not refused\n", checks, wrong);
	return wrong != 0;
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
static void dma(void)
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
}

static void interrupt(unsigned index, const struct xinim_device *net)
{
	expect("irq is an SPI", net->irq >= 32, 1);
	expect("irq bind", xinim_kcall(KCALL_DEVICE_IRQ_BIND, index, 1), 0);
	expect("irq bind again (new bits)", xinim_kcall(KCALL_DEVICE_IRQ_BIND, index, 3), 0);
	expect("irq ack", xinim_kcall(KCALL_DEVICE_IRQ_ACK, index, 0), 0);
	expect("irq unbind", xinim_kcall(KCALL_DEVICE_IRQ_BIND, index, 0), 0);
	expect("irq ack once unbound", xinim_kcall(KCALL_DEVICE_IRQ_ACK, index, 0), -EPERM);
	expect("irq bind to keep", xinim_kcall(KCALL_DEVICE_IRQ_BIND, index, 1), 0);
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
	dma();
	interrupt((unsigned)net, &devices[net]);
	print("devices_probe: %u checks, %u wrong\n", checks, wrong);
	return wrong != 0;
}
