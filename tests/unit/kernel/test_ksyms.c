// Symbol lookup for backtraces.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <kernel/ksyms.h>

static const uint64_t addresses[] = { 0x1000, 0x1040, 0x1040, 0x1100 };
static const uint32_t offsets[] = { 0, 6, 12, 18 };
static const char names[] = "alpha\0betaa\0gamma\0delta";
static const struct ksym_table table = {
	.count = 4, .addresses = addresses, .name_offsets = offsets, .names = names, .end = 0x1200,
};

static void test_exact_address_names_symbol_with_zero_offset(void **state)
{
	(void)state;
	uint64_t offset = 99;
	assert_string_equal(ksym_lookup(&table, 0x1000, &offset), "alpha");
	assert_int_equal(offset, 0);
}

static void test_inner_address_names_containing_symbol(void **state)
{
	(void)state;
	uint64_t offset;
	assert_string_equal(ksym_lookup(&table, 0x103c, &offset), "alpha");
	assert_int_equal(offset, 0x3c);
	assert_string_equal(ksym_lookup(&table, 0x11ff, &offset), "delta");
	assert_int_equal(offset, 0xff);
}

static void test_alias_resolves_to_last_of_equal_addresses(void **state)
{
	(void)state;
	uint64_t offset;
	assert_string_equal(ksym_lookup(&table, 0x1044, &offset), "gamma");
	assert_int_equal(offset, 4);
}

static void test_outside_addresses_have_no_name(void **state)
{
	(void)state;
	uint64_t offset;
	assert_null(ksym_lookup(&table, 0xfff, &offset));
	assert_null(ksym_lookup(&table, 0x1200, &offset));
	assert_null(ksym_lookup(&table, 0, &offset));
	struct ksym_table empty = { .count = 0, .end = 0x1200 };
	assert_null(ksym_lookup(&empty, 0x1000, &offset));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_address_names_symbol_with_zero_offset),
		cmocka_unit_test(test_inner_address_names_containing_symbol),
		cmocka_unit_test(test_alias_resolves_to_last_of_equal_addresses),
		cmocka_unit_test(test_outside_addresses_have_no_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
