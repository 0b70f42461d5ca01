#pragma once
// The virtio-mmio transport, version 2 ("modern", virtio 1.1, 4.2.2): the registers of
// one device slot, 32-bit little-endian, mapped as device memory.
#include <stdint.h>

enum mmio_register {
	MMIO_MAGIC = 0x000,		// MMIO_MAGIC_VALUE
	MMIO_VERSION = 0x004,		// 2; 1 is the legacy interface
	MMIO_DEVICE_ID = 0x008,		// enum virtio_device; 0: an empty slot
	MMIO_DEVICE_FEATURES = 0x010,	// 32 bits of them, as MMIO_DEVICE_FEATURES_SEL says
	MMIO_DEVICE_FEATURES_SEL = 0x014,
	MMIO_DRIVER_FEATURES = 0x020,
	MMIO_DRIVER_FEATURES_SEL = 0x024,
	MMIO_QUEUE_SEL = 0x030,		// the queue the QUEUE_* registers speak of
	MMIO_QUEUE_NUM_MAX = 0x034,	// 0: no such queue
	MMIO_QUEUE_NUM = 0x038,
	MMIO_QUEUE_READY = 0x044,
	MMIO_QUEUE_NOTIFY = 0x050,	// a queue's index: new buffers wait in it
	MMIO_INTERRUPT_STATUS = 0x060,	// enum mmio_interrupt
	MMIO_INTERRUPT_ACK = 0x064,
	MMIO_STATUS = 0x070,		// enum virtio_status; writing 0 resets the device
	MMIO_QUEUE_DESC = 0x080,	// 64-bit addresses as low, high word pairs
	MMIO_QUEUE_DRIVER = 0x090,
	MMIO_QUEUE_DEVICE = 0x0a0,
	MMIO_CONFIG_GENERATION = 0x0fc,
	MMIO_CONFIG = 0x100,		// the device type's configuration
};

#define MMIO_MAGIC_VALUE 0x74726976	// "virt"
#define MMIO_VERSION_MODERN 2

enum virtio_device {
	VIRTIO_DEVICE_NET = 1,
};

// The device status (virtio 1.1, 2.1), set bit by bit as initialisation goes on.
enum virtio_status {
	VIRTIO_STATUS_ACKNOWLEDGE = 1,	// a driver has seen the device
	VIRTIO_STATUS_DRIVER = 2,	// and knows how to drive it
	VIRTIO_STATUS_DRIVER_OK = 4,
	VIRTIO_STATUS_FEATURES_OK = 8,
	VIRTIO_STATUS_NEEDS_RESET = 64,
	VIRTIO_STATUS_FAILED = 128,
};

enum mmio_interrupt {
	MMIO_INTERRUPT_USED = 1,	// a queue has used buffers
	MMIO_INTERRUPT_CONFIG = 2,	// the configuration changed (the link)
};

uint32_t mmio_read(volatile uint32_t *regs, enum mmio_register reg);
// Writes are ordered after the driver's earlier stores to memory: the device may read
// that memory as soon as it sees the write (a queue's notification, its readiness).
void mmio_write(volatile uint32_t *regs, enum mmio_register reg, uint32_t value);
void mmio_write64(volatile uint32_t *regs, enum mmio_register low, uint64_t value);
// A byte, a 16-bit field (aligned) of the device's configuration, read at the width
// the field has (virtio 1.1, 4.2.2.2).
uint8_t mmio_config8(volatile uint32_t *regs, unsigned offset);
uint16_t mmio_config16(volatile uint32_t *regs, unsigned offset);
