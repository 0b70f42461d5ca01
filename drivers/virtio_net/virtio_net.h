#pragma once
// DEV, PID 6: the virtio-net driver (docs/net.md, The driver), a process of its own. It
// drives QEMU's virtio-net-device over modern virtio-mmio, a receive and a transmit
// queue, and serves NET's batches of frames (include/xinim/ipc/dev.h); only NET may
// call it. NET is told when frames arrive or room to send comes free.
#include <stdbool.h>
#include <stdint.h>
#include <libipc/keep.h>
#include <libipc/server.h>
#include <xinim/ipc/dev.h>
#include "virtqueue.h"

#define NIC_QUEUE_SIZE 128	// entries of each queue at most (the device may offer fewer)
// One frame's buffer: the virtio-net header and the largest frame QEMU hands over (1514
// bytes, 1518 with a VLAN tag), with room for a record's padding (rx.c).
#define NIC_BUFFER_BYTES 2048
#define NIC_MTU 1500
// Where the device's registers (a page per slot probed) and the DMA region are mapped.
#define NIC_MMIO_VA UINT64_C(0x6000000000)
#define NIC_DMA_VA UINT64_C(0x5000000000)

enum nic_queue { NIC_RX = 0, NIC_TX = 1, NIC_QUEUES };	// virtio-net's queue numbers

// virtio-net's features the driver takes (virtio 1.1, 5.1.3, 6): no offloads, no
// merged receive buffers, so that a frame is one buffer whole.
#define VIRTIO_NET_F_MAC (UINT64_C(1) << 5)
#define VIRTIO_NET_F_STATUS (UINT64_C(1) << 16)
#define VIRTIO_F_VERSION_1 (UINT64_C(1) << 32)
#define VIRTIO_NET_CONFIG_MAC 0		// its configuration: u8 mac[6]
#define VIRTIO_NET_CONFIG_STATUS 6	// u16, VIRTIO_NET_S_LINK_UP
#define VIRTIO_NET_S_LINK_UP 1

// In front of every frame, both ways (virtio 1.1, 5.1.6): all zero on the way out, as
// the driver asks for no offload.
struct virtio_net_hdr {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset, num_buffers;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio 1.1, 5.1.6: with VERSION_1");
#define NIC_HEADER sizeof(struct virtio_net_hdr)

// The one device the driver drives, rebuilt by every instance (nothing of it is kept:
// a new instance resets the device and starts it afresh).
struct nic {
	bool present;			// found and started; else every call is -ENODEV
	unsigned index;			// its number for KCALL_DEVICE_*
	volatile uint32_t *regs;	// its virtio-mmio registers
	uint8_t mac[6];
	bool link_up;
	uint64_t features;		// as agreed with the device
	struct virtq queues[NIC_QUEUES];
	uint16_t tx_free[NIC_QUEUE_SIZE];	// transmit descriptors not lent to the device
	unsigned tx_free_count;
	bool tx_room_wanted;		// a send found no room: NET is told when some comes
	bool rx_told;			// NET was told of frames it has not fetched yet
};
extern struct nic nic;

// probe.c: finds the first virtio-net slot among the DTB's virtio,mmio devices and maps
// its registers: false (said in the log) if there is none.
bool probe_find(void);

// device.c: resets the device, then starts it: features, queues, buffers, interrupt.
// False (said in the log, the device marked failed) if it cannot be.
bool device_start(void);
void device_reset(void);
// The link's state, from the configuration (up when the device cannot tell).
void device_read_link(void);
// Tells the device that queue q has new buffers, unless it said it needs no telling.
void device_kick(enum nic_queue q);

// dma.c: the one DMA region (KCALL_DMA_ALLOC): each queue's rings on a page, then the
// receive buffers, then the transmit buffers. dma_open: false (logged) if not given.
bool dma_open(void);
void *dma_ring(enum nic_queue q);
uint8_t *dma_buffer(enum nic_queue q, unsigned id);
uint64_t dma_phys(const void *va);

// rx.c, tx.c: the queues' buffers, and NET's calls.
void rx_fill(void);
unsigned rx_waiting(void);
void rx_watch(void);
void tx_init(void);
void tx_reclaim(void);
ipc_handler nic_receive, nic_send;

// irq.c: the device's interrupt (its notification bits).
#define NIC_IRQ_NOTE XINIM_NOTE_IRQ(0)
void irq_handle(void);

// info.c: XINIM_DEV_INFO.
ipc_handler nic_info;

// net.c: the staging buffer of NET's batch being handled (one request at a time): a
// batch moves between NET and the driver in one copy (KCALL_COPY_*), so a call handles
// this much of it at most.
#define NIC_STAGE_BYTES XINIM_COPY_MAX
extern uint8_t nic_stage[NIC_STAGE_BYTES];

// net.c: NET, the one client: whether a request may be served (-EPERM from anyone
// else, -ENODEV with no device), and telling it (XINIM_NOTE_DEV_READY).
long net_refused(const struct ipc_request *request);
void net_tell(void);

// state.c: the kept counters (docs/resurrection.md), since the driver's first start.
enum nic_counter { NIC_RECEIVED, NIC_SENT, NIC_DROPPED, NIC_COUNTERS };
#define NIC_STATE_VERSION 1
#define NIC_UNDO_BYTES 512
size_t state_size(void);
void state_take(void *state, enum keep_start start);
void state_count(enum nic_counter counter, uint64_t n);
uint64_t state_counter(enum nic_counter counter);

extern const struct ipc_table nic_table;
