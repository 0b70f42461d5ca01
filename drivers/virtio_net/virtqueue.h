#pragma once
// A split virtqueue (virtio 1.1, 2.6): the descriptor table, the driver's ring of
// buffers offered ("available") and the device's ring of buffers it is done with
// ("used"), in memory both sides see. Pure: no device registers, no kernel calls, so
// that hosted tests play the device on plain memory (tests/unit/virtio_net). Little
// endian on both sides (virtio 1.x is, and so is AArch64): no byte swapping.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum virtq_desc_flag {
	VIRTQ_DESC_F_NEXT = 1,		// the buffer goes on in desc[next]
	VIRTQ_DESC_F_WRITE = 2,		// the device writes it (received frames)
};
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1	// the driver does not want interrupts now (a hint)
#define VIRTQ_USED_F_NO_NOTIFY 1	// the device does not want QueueNotify now (a hint)

struct virtq_desc {
	uint64_t addr;		// physical
	uint32_t len;
	uint16_t flags;		// enum virtq_desc_flag
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;		// VIRTQ_AVAIL_F_NO_INTERRUPT
	uint16_t idx;		// where the driver puts the next entry (free-running)
	uint16_t ring[];	// descriptor heads
};

struct virtq_used_elem {
	uint32_t id;		// the head of the buffer the device is done with
	uint32_t len;		// bytes it wrote into it
};

struct virtq_used {
	uint16_t flags;		// VIRTQ_USED_F_NO_NOTIFY
	uint16_t idx;
	struct virtq_used_elem ring[];
};

_Static_assert(sizeof(struct virtq_desc) == 16, "virtio 1.1, 2.6.5");
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtio 1.1, 2.6.8");

// Where the three parts of a queue of size entries lie from its first byte, with the
// alignments the spec asks (16, 2, 4), and the bytes of all three.
struct virtq_layout {
	size_t desc, avail, used, bytes;
};
struct virtq_layout virtq_layout(unsigned size);
// At least virtq_layout(size).bytes, for sizing memory at compile time.
#define VIRTQ_BYTES_BOUND(size) (26 * (size_t)(size) + 16)

// The driver's view of one queue. avail_next and used_seen are the driver's own
// positions, never read from shared memory, so that the device cannot move them.
struct virtq {
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint16_t size;		// entries, a power of two
	uint16_t avail_next;	// the next avail->idx the driver publishes
	uint16_t used_seen;	// used entries before this one are taken
};

// A queue of size entries (a power of two) in memory laid out as virtq_layout(size)
// says; its rings are zeroed (nothing offered, nothing used).
void virtq_init(struct virtq *q, void *memory, unsigned size);

// Descriptor id describes one buffer (no chain).
void virtq_describe(struct virtq *q, uint16_t id, uint64_t phys, uint32_t len, uint16_t flags);

// Puts descriptor id in the available ring; the device sees it at virtq_publish.
void virtq_offer(struct virtq *q, uint16_t id);
// Makes what was offered since the last publish visible to the device (a release store
// of avail->idx: the ring entries and the buffers are written before it).
void virtq_publish(struct virtq *q);
// Whether the device asks to be told of new buffers (QueueNotify).
bool virtq_wants_notify(const struct virtq *q);

// How many used entries the device has written that the driver has not taken (an
// acquire load of used->idx: the entries and the buffers are read after it).
unsigned virtq_used_waiting(const struct virtq *q);
// The nth of them (n < virtq_used_waiting), as the device wrote it: unchecked.
struct virtq_used_elem virtq_used_peek(const struct virtq *q, unsigned n);
// The first n of them are taken.
void virtq_used_take(struct virtq *q, unsigned n);

// Asks the device for interrupts when it uses buffers, or not (a hint it may ignore).
void virtq_interrupts(struct virtq *q, bool wanted);
