// A split virtqueue's rings (virtqueue.h). The device reads what the driver publishes
// and writes the used ring; the index stores and loads order the rings' contents and the
// buffers against them (release and acquire, a dmb on AArch64), since the device runs on
// another CPU of the host.
#include <string.h>
#include "virtqueue.h"

static size_t align_up(size_t value, size_t alignment)
{
	return (value + alignment - 1) & ~(alignment - 1);
}

struct virtq_layout virtq_layout(unsigned size)
{
	struct virtq_layout at = { .desc = 0 };
	at.avail = size * sizeof(struct virtq_desc);
	// flags, idx, ring[size], used_event
	size_t avail_end = at.avail + 2 * sizeof(uint16_t) + size * sizeof(uint16_t) + sizeof(uint16_t);
	at.used = align_up(avail_end, 4);
	// flags, idx, ring[size], avail_event
	at.bytes = at.used + 2 * sizeof(uint16_t) + size * sizeof(struct virtq_used_elem) +
		   sizeof(uint16_t);
	return at;
}

void virtq_init(struct virtq *q, void *memory, unsigned size)
{
	struct virtq_layout at = virtq_layout(size);
	memset(memory, 0, at.bytes);
	*q = (struct virtq){
		.desc = (struct virtq_desc *)memory,
		.avail = (struct virtq_avail *)((char *)memory + at.avail),
		.used = (struct virtq_used *)((char *)memory + at.used),
		.size = (uint16_t)size,
	};
}

void virtq_describe(struct virtq *q, uint16_t id, uint64_t phys, uint32_t len, uint16_t flags)
{
	q->desc[id] = (struct virtq_desc){ .addr = phys, .len = len, .flags = flags };
}

void virtq_offer(struct virtq *q, uint16_t id)
{
	q->avail->ring[q->avail_next & (q->size - 1)] = id;
	q->avail_next++;
}

void virtq_publish(struct virtq *q)
{
	__atomic_store_n(&q->avail->idx, q->avail_next, __ATOMIC_RELEASE);
}

bool virtq_wants_notify(const struct virtq *q)
{
	// The device's flag is read after our index is out (virtio 1.1, 2.6.10.1): a full
	// barrier, so that a device clearing it meanwhile is seen or sees our index.
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !(__atomic_load_n(&q->used->flags, __ATOMIC_RELAXED) & VIRTQ_USED_F_NO_NOTIFY);
}

unsigned virtq_used_waiting(const struct virtq *q)
{
	uint16_t written = __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE);
	uint16_t waiting = (uint16_t)(written - q->used_seen);
	// A device that claims more than the ring holds is believed up to the ring.
	return waiting <= q->size ? waiting : q->size;
}

struct virtq_used_elem virtq_used_peek(const struct virtq *q, unsigned n)
{
	const struct virtq_used_elem *e = &q->used->ring[(uint16_t)(q->used_seen + n) & (q->size - 1)];
	return (struct virtq_used_elem){ .id = __atomic_load_n(&e->id, __ATOMIC_RELAXED),
					 .len = __atomic_load_n(&e->len, __ATOMIC_RELAXED) };
}

void virtq_used_take(struct virtq *q, unsigned n)
{
	q->used_seen = (uint16_t)(q->used_seen + n);
}

void virtq_interrupts(struct virtq *q, bool wanted)
{
	uint16_t flags = wanted ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;
	__atomic_store_n(&q->avail->flags, flags, __ATOMIC_RELAXED);
	// Asked again after this, the used index must be read anew: a full barrier.
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
