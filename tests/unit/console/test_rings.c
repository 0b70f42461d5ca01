// The directory search and the ring cursors on a synthetic RAM file: records in time
// order across CPUs, overruns and torn records counted lost and never shown, a late
// attach, a reboot, and names from the guest's table.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xinim/ipc/message.h>
#include "live.h"
#include "synthetic.h"

#define RING_RECORDS 8
#define VFS xinim_endpoint(XINIM_PID_VFS, 1)
#define SHELL xinim_endpoint(17, 3)

static struct xinim_trace_record message_at(uint64_t us)
{
	return synthetic_message(XINIM_TRACE_SEND, us, SHELL, VFS, XINIM_MSG_SYSCALL_FIRST + 63, us);
}

struct attached {
	struct synthetic_ram synthetic;
	struct guest_ram ram;
	struct ring_reader reader;
	struct xinim_trace_record out[2 * RING_RECORDS];
	uint64_t lost[XINIM_TRACE_CPUS_MAX];
};

static void attach(struct attached *a, bool from_now)
{
	assert_int_equal(ram_open(&a->ram, a->synthetic.path), 0);
	assert_true(ram_find_directory(&a->ram));
	memset(a->lost, 0, sizeof(a->lost));
	rings_attach(&a->reader, &a->ram, from_now, a->lost);
}

static void detach(struct attached *a)
{
	ram_close(&a->ram);
	synthetic_destroy(&a->synthetic);
}

static void test_directory_found_after_a_decoy_page(void **state)
{
	(void)state;
	struct attached a;
	synthetic_create(&a.synthetic, 2, RING_RECORDS, 1);
	attach(&a, false);
	assert_int_equal(a.ram.directory_offset, 5 * 4096);
	assert_int_equal(a.ram.base_pa, SYNTHETIC_BASE_PA);
	assert_int_equal(a.ram.directory.cpus, 2);
	assert_true(ram_directory_unchanged(&a.ram));
	detach(&a);
}

static void test_directory_with_wrong_record_size_is_refused(void **state)
{
	(void)state;
	struct synthetic_ram s;
	struct guest_ram ram;
	synthetic_create(&s, 1, RING_RECORDS, 1);
	s.directory->record_size = 32;
	assert_int_equal(ram_open(&ram, s.path), 0);
	assert_false(ram_find_directory(&ram));
	ram_close(&ram);
	synthetic_destroy(&s);
}

static void test_records_come_in_time_order_across_cpus(void **state)
{
	(void)state;
	struct attached a;
	synthetic_create(&a.synthetic, 2, RING_RECORDS, 1);
	attach(&a, false);
	synthetic_write(&a.synthetic, 0, message_at(10));
	synthetic_write(&a.synthetic, 1, message_at(20));
	synthetic_write(&a.synthetic, 0, message_at(30));
	assert_int_equal(rings_take(&a.reader, &a.ram, a.out, a.lost), 3);
	assert_int_equal(a.out[0].message_id, 10);
	assert_int_equal(a.out[1].message_id, 20);
	assert_int_equal(a.out[1].cpu, 1);
	assert_int_equal(a.out[2].message_id, 30);
	assert_int_equal(rings_take(&a.reader, &a.ram, a.out, a.lost), 0);
	assert_int_equal(a.lost[0] + a.lost[1], 0);
	detach(&a);
}

static void test_overrun_counts_overwritten_records_lost(void **state)
{
	(void)state;
	struct attached a;
	synthetic_create(&a.synthetic, 1, RING_RECORDS, 1);
	attach(&a, false);
	for (uint64_t us = 1; us <= 13; us++)
		synthetic_write(&a.synthetic, 0, message_at(us));
	assert_int_equal(rings_take(&a.reader, &a.ram, a.out, a.lost), RING_RECORDS);
	assert_int_equal(a.lost[0], 13 - RING_RECORDS);
	assert_int_equal(a.out[0].cpu_sequence, 6);
	assert_int_equal(a.out[RING_RECORDS - 1].message_id, 13);
	detach(&a);
}

static void test_torn_records_are_lost_not_shown(void **state)
{
	(void)state;
	struct attached a;
	synthetic_create(&a.synthetic, 1, RING_RECORDS, 1);
	attach(&a, false);
	for (uint64_t us = 1; us <= 4; us++)
		synthetic_write(&a.synthetic, 0, message_at(us));
	synthetic_record(&a.synthetic, 0, 2)->cpu_sequence = 0;	// being rewritten
	synthetic_record(&a.synthetic, 0, 3)->cpu_sequence = 3 + RING_RECORDS;	// overwritten
	assert_int_equal(rings_take(&a.reader, &a.ram, a.out, a.lost), 2);
	assert_int_equal(a.out[0].message_id, 1);
	assert_int_equal(a.out[1].message_id, 4);
	assert_int_equal(a.lost[0], 2);
	detach(&a);
}

static void test_late_attach_counts_what_it_missed(void **state)
{
	(void)state;
	struct attached a;
	synthetic_create(&a.synthetic, 1, RING_RECORDS, 1);
	for (uint64_t us = 1; us <= 20; us++)
		synthetic_write(&a.synthetic, 0, message_at(us));
	attach(&a, false);
	assert_int_equal(a.lost[0], 20 - RING_RECORDS);
	assert_int_equal(rings_take(&a.reader, &a.ram, a.out, a.lost), RING_RECORDS);
	assert_int_equal(a.out[0].message_id, 20 - RING_RECORDS + 1);
	ram_close(&a.ram);

	attach(&a, true);	// --from-now: only what comes next, nothing lost
	assert_int_equal(a.lost[0], 0);
	assert_int_equal(rings_take(&a.reader, &a.ram, a.out, a.lost), 0);
	synthetic_write(&a.synthetic, 0, message_at(21));
	assert_int_equal(rings_take(&a.reader, &a.ram, a.out, a.lost), 1);
	assert_int_equal(a.out[0].message_id, 21);
	detach(&a);
}

// Collects what a live source hands on.
struct collected {
	struct stream_event events[64];
	size_t count;
};

static void collect(void *context, const struct stream_event *event)
{
	struct collected *c = context;
	assert_true(c->count < 64);
	c->events[c->count++] = *event;
}

// A live source on a synthetic guest of one CPU that has written five records, read
// once; f->c holds what came.
struct followed {
	struct synthetic_ram s;
	struct live_source live;
	struct collected c;
};

static void follow_five(struct followed *f)
{
	f->c.count = 0;
	synthetic_create(&f->s, 1, RING_RECORDS, 1);
	assert_int_equal(live_open(&f->live, f->s.path, false), 0);
	for (uint64_t us = 1; us <= 5; us++)
		synthetic_write(&f->s, 0, message_at(us));
	live_poll(&f->live, collect, &f->c);
}

// The guest boots again (boot_id) and writes one record: the boot and it come next.
static void reboot_and_follow(struct followed *f, uint64_t boot_id)
{
	synthetic_reboot(&f->s, boot_id);
	synthetic_write(&f->s, 0, message_at(7));
	f->c.count = 0;
	live_poll(&f->live, collect, &f->c);
	assert_int_equal(f->c.count, 2);
	assert_int_equal(f->c.events[0].kind, STREAM_BOOT);
	assert_int_equal(f->c.events[0].boot.boot_id, boot_id);
	assert_int_equal(f->c.events[1].kind, STREAM_RECORD);
	assert_int_equal(f->c.events[1].record.message_id, 7);
	live_close(&f->live);
	synthetic_destroy(&f->s);
}

static void test_reboot_restarts_the_cursors(void **state)
{
	(void)state;
	struct followed f;
	follow_five(&f);
	assert_int_equal(f.c.count, 6);
	assert_int_equal(f.c.events[0].kind, STREAM_BOOT);
	assert_int_equal(f.c.events[0].boot.boot_id, 1);
	assert_int_equal(f.c.events[0].boot.counter_hz, SYNTHETIC_HZ);
	reboot_and_follow(&f, 2);
}

static void test_a_reboot_seen_only_by_its_counts_going_back_restarts_too(void **state)
{
	(void)state;
	struct followed f;
	follow_five(&f);
	reboot_and_follow(&f, 1);	// the same boot id
}

static void test_names_of_processes_named_before_attach_come_from_the_table(void **state)
{
	(void)state;
	struct synthetic_ram s;
	struct live_source live;
	struct collected c = { 0 };
	synthetic_create(&s, 1, RING_RECORDS, 1);
	synthetic_table_name(&s, 17, SHELL, "sh");
	synthetic_table_name(&s, 18, xinim_endpoint(18, 2), "stale");	// another instance
	synthetic_write(&s, 0, message_at(1));
	synthetic_write(&s, 0, message_at(2));
	synthetic_write(&s, 0, synthetic_message(XINIM_TRACE_SEND, 3, xinim_endpoint(18, 1), VFS,
						 XINIM_MSG_SYSCALL_FIRST + 63, 3));
	assert_int_equal(live_open(&live, s.path, false), 0);
	live_poll(&live, collect, &c);
	assert_int_equal(c.count, 5);	// boot, name, records; no name for 18's old instance
	assert_int_equal(c.events[1].kind, STREAM_NAME);
	assert_int_equal(c.events[1].name.endpoint, SHELL);
	assert_string_equal(c.events[1].name.name, "sh");
	assert_int_equal(c.events[2].kind, STREAM_RECORD);
	assert_int_equal(c.events[3].kind, STREAM_RECORD);
	assert_int_equal(c.events[4].kind, STREAM_RECORD);
	live_close(&live);
	synthetic_destroy(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_directory_found_after_a_decoy_page),
		cmocka_unit_test(test_directory_with_wrong_record_size_is_refused),
		cmocka_unit_test(test_records_come_in_time_order_across_cpus),
		cmocka_unit_test(test_overrun_counts_overwritten_records_lost),
		cmocka_unit_test(test_torn_records_are_lost_not_shown),
		cmocka_unit_test(test_late_attach_counts_what_it_missed),
		cmocka_unit_test(test_reboot_restarts_the_cursors),
		cmocka_unit_test(test_a_reboot_seen_only_by_its_counts_going_back_restarts_too),
		cmocka_unit_test(test_names_of_processes_named_before_attach_come_from_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
