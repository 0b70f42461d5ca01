// Capability tables: a lookup finds exactly what was granted.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <kernel/cap.h>

static void test_empty_table_grants_nothing(void **state)
{
	(void)state;
	struct cap_table caps = { 0 };
	uint64_t badge = 77;
	for (unsigned pid = 0; pid < 2048; pid++)
		assert_false(cap_lookup_send(&caps, pid, &badge));
	assert_int_equal(badge, 77);
	assert_false(cap_allows_kcall(&caps, 1));
	assert_true(cap_allows_kcall(&caps, 0));
}

static void test_lookup_finds_granted_pids_with_their_badges(void **state)
{
	(void)state;
	struct cap_table caps = { 0 };
	assert_int_equal(cap_grant_send(&caps, 2, 0x22), 0);
	assert_int_equal(cap_grant_send(&caps, 8, 0x88), 0);
	uint64_t badge = 0;
	assert_true(cap_lookup_send(&caps, 2, &badge));
	assert_int_equal(badge, 0x22);
	assert_true(cap_lookup_send(&caps, 8, &badge));
	assert_int_equal(badge, 0x88);
	for (unsigned pid = 0; pid < 64; pid++)
		if (pid != 2 && pid != 8)
			assert_false(cap_lookup_send(&caps, pid, &badge));
}

static void test_regrant_replaces_the_badge_without_a_second_slot(void **state)
{
	(void)state;
	struct cap_table caps = { 0 };
	assert_int_equal(cap_grant_send(&caps, 5, 1), 0);
	assert_int_equal(cap_grant_send(&caps, 5, 2), 0);
	uint64_t badge = 0;
	assert_true(cap_lookup_send(&caps, 5, &badge));
	assert_int_equal(badge, 2);
	for (unsigned pid = 100; pid < 100 + CAP_SEND_SLOTS - 1; pid++)
		assert_int_equal(cap_grant_send(&caps, pid, pid), 0);
}

static void test_full_table_and_pid_0_are_refused(void **state)
{
	(void)state;
	struct cap_table caps = { 0 };
	for (unsigned pid = 1; pid <= CAP_SEND_SLOTS; pid++)
		assert_int_equal(cap_grant_send(&caps, pid, 0), 0);
	assert_int_equal(cap_grant_send(&caps, 999, 0), -ENOSPC);
	uint64_t badge;
	assert_false(cap_lookup_send(&caps, 999, &badge));
	assert_int_equal(cap_grant_send(&caps, 0, 0), -EINVAL);
	assert_false(cap_lookup_send(&caps, 0, &badge));
}

static void test_kcall_classes_need_every_bit(void **state)
{
	(void)state;
	struct cap_table caps = { .kcalls = KCAP_DEBUG };
	assert_true(cap_allows_kcall(&caps, KCAP_DEBUG));
	assert_false(cap_allows_kcall(&caps, KCAP_TRACE));
	assert_false(cap_allows_kcall(&caps, KCAP_DEBUG | KCAP_TRACE));
}

static void test_kcall_classes_are_named_one_at_a_time(void **state)
{
	(void)state;
	assert_string_equal(cap_kcall_name(KCAP_DEBUG), "debug");
	assert_string_equal(cap_kcall_name(KCAP_PROC), "proc");
	assert_string_equal(cap_kcall_name(KCAP_POWER), "power");
	assert_string_equal(cap_kcall_name(KCAP_RANDOM), "random");
	assert_string_equal(cap_kcall_name(KCAP_DEVICE), "device");
	assert_string_equal(cap_kcall_name(KCAP_GRANT), "grant");
	assert_string_equal(cap_kcall_name(0), "?");
	assert_string_equal(cap_kcall_name(KCAP_DEBUG | KCAP_TRACE), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_table_grants_nothing),
		cmocka_unit_test(test_lookup_finds_granted_pids_with_their_badges),
		cmocka_unit_test(test_regrant_replaces_the_badge_without_a_second_slot),
		cmocka_unit_test(test_full_table_and_pid_0_are_refused),
		cmocka_unit_test(test_kcall_classes_need_every_bit),
		cmocka_unit_test(test_kcall_classes_are_named_one_at_a_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
