// The split virtqueue (drivers/virtio_net/virtqueue.c) against a device played by the
// test on the same memory: what the driver offers is what the device finds, in order,
// only once published; what the device uses comes back in order, whatever the indices'
// wrap-around; hints go both ways.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "virtqueue.h"

static _Alignas(4096) uint8_t memory[2 * 4096];

// The device's side: where it has read the available ring to, and written the used one.
struct device {
	struct virtq *q;
	uint16_t avail_seen, used_next;
};

// The next descriptor the device finds offered, or -1 when none is published.
static int device_next(struct device *d)
{
	if (d->q->avail->idx == d->avail_seen)
		return -1;
	return d->q->avail->ring[d->avail_seen++ % d->q->size];
}

static void device_use(struct device *d, uint32_t id, uint32_t len)
{
	d->q->used->ring[d->used_next % d->q->size] = (struct virtq_used_elem){ id, len };
	d->used_next++;
	d->q->used->idx = d->used_next;
}

static void test_layout_keeps_alignments_within_bound(void **state)
{
	(void)state;
	for (unsigned size = 1; size <= 1024; size *= 2) {
		struct virtq_layout at = virtq_layout(size);
		assert_int_equal(at.desc, 0);
		assert_int_equal(at.avail, 16 * size);
		assert_int_equal(at.used % 4, 0);
		assert_true(at.used >= at.avail + 6 + 2 * size);
		assert_int_equal(at.bytes, at.used + 6 + 8 * size);
		assert_true(at.bytes <= VIRTQ_BYTES_BOUND(size));
	}
}

static void test_init_zeroes_rings_and_places_them(void **state)
{
	(void)state;
	memset(memory, 0xaa, sizeof(memory));
	struct virtq q;
	virtq_init(&q, memory, 128);
	struct virtq_layout at = virtq_layout(128);
	assert_ptr_equal(q.desc, memory);
	assert_ptr_equal(q.avail, memory + at.avail);
	assert_ptr_equal(q.used, memory + at.used);
	assert_int_equal(q.avail->idx, 0);
	assert_int_equal(q.used->idx, 0);
	assert_int_equal(q.desc[127].addr, 0);
	assert_int_equal(memory[at.bytes], 0xaa);	// nothing past the rings
	assert_int_equal(virtq_used_waiting(&q), 0);
}

static void test_offers_reach_device_only_when_published(void **state)
{
	(void)state;
	struct virtq q;
	virtq_init(&q, memory, 8);
	struct device d = { .q = &q };
	virtq_describe(&q, 3, 0x40001000, 2048, VIRTQ_DESC_F_WRITE);
	virtq_offer(&q, 3);
	virtq_offer(&q, 5);
	assert_int_equal(device_next(&d), -1);
	virtq_publish(&q);
	assert_int_equal(device_next(&d), 3);
	assert_int_equal(q.desc[3].addr, 0x40001000);
	assert_int_equal(q.desc[3].len, 2048);
	assert_int_equal(q.desc[3].flags, VIRTQ_DESC_F_WRITE);
	assert_int_equal(device_next(&d), 5);
	assert_int_equal(device_next(&d), -1);
}

static void test_used_entries_come_back_in_order_and_once(void **state)
{
	(void)state;
	struct virtq q;
	virtq_init(&q, memory, 8);
	struct device d = { .q = &q };
	device_use(&d, 4, 100);
	device_use(&d, 1, 60);
	assert_int_equal(virtq_used_waiting(&q), 2);
	assert_int_equal(virtq_used_peek(&q, 0).id, 4);
	assert_int_equal(virtq_used_peek(&q, 0).len, 100);
	assert_int_equal(virtq_used_peek(&q, 1).id, 1);
	virtq_used_take(&q, 1);
	assert_int_equal(virtq_used_waiting(&q), 1);
	assert_int_equal(virtq_used_peek(&q, 0).id, 1);
	virtq_used_take(&q, 1);
	assert_int_equal(virtq_used_waiting(&q), 0);
}

// The indices are free-running 16-bit counters: 70,000 buffers through a queue of 8
// cross their wrap, and the ring positions theirs.
static void test_indices_wrap_without_loss(void **state)
{
	(void)state;
	struct virtq q;
	virtq_init(&q, memory, 8);
	struct device d = { .q = &q };
	for (uint16_t id = 0; id < 8; id++)
		virtq_offer(&q, id);
	virtq_publish(&q);
	unsigned lost = 0, wrong = 0;
	for (uint32_t n = 0; n < 70000; n++) {
		int id = device_next(&d);
		if (id < 0) {
			lost++;
			break;
		}
		device_use(&d, (uint32_t)id, n);
		if (virtq_used_waiting(&q) != 1 || virtq_used_peek(&q, 0).len != n ||
		    virtq_used_peek(&q, 0).id != (uint32_t)id)
			wrong++;
		virtq_used_take(&q, 1);
		virtq_offer(&q, (uint16_t)id);
		virtq_publish(&q);
	}
	assert_int_equal(lost, 0);
	assert_int_equal(wrong, 0);
	assert_int_equal(q.avail->idx, (uint16_t)(8 + 70000));
}

static void test_device_claiming_more_than_ring_is_capped(void **state)
{
	(void)state;
	struct virtq q;
	virtq_init(&q, memory, 8);
	q.used->idx = 500;
	assert_int_equal(virtq_used_waiting(&q), 8);
}

static void test_hints_both_ways(void **state)
{
	(void)state;
	struct virtq q;
	virtq_init(&q, memory, 8);
	assert_true(virtq_wants_notify(&q));
	q.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	assert_false(virtq_wants_notify(&q));
	virtq_interrupts(&q, false);
	assert_int_equal(q.avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
	virtq_interrupts(&q, true);
	assert_int_equal(q.avail->flags, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_keeps_alignments_within_bound),
		cmocka_unit_test(test_init_zeroes_rings_and_places_them),
		cmocka_unit_test(test_offers_reach_device_only_when_published),
		cmocka_unit_test(test_used_entries_come_back_in_order_and_once),
		cmocka_unit_test(test_indices_wrap_without_loss),
		cmocka_unit_test(test_device_claiming_more_than_ring_is_capped),
		cmocka_unit_test(test_hints_both_ways),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
