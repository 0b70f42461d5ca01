// The formatter (<xinim/format.h>) and the freestanding strtoul.
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include <xinim/format.h>

static void test_format_numbers_and_padding(void **state)
{
	(void)state;
	char buf[80];
	ksnprintf(buf, sizeof(buf), "[%5lu.%06lu] %d %i %u", 3UL, 4512UL, -42, 7, 0u);
	assert_string_equal(buf, "[    3.004512] -42 7 0");
	ksnprintf(buf, sizeof(buf), "%x %X %016lx %-4s| %c %zu", 0xbeefu, 0xbeefu, 0x1234UL, "ab",
		  'z', (size_t)9);
	assert_string_equal(buf, "beef BEEF 0000000000001234 ab  | z 9");
	ksnprintf(buf, sizeof(buf), "%p %s %05d %%", (void *)0x10, (char *)0, -7);
	assert_string_equal(buf, "0x0000000000000010 (null) -0007 %");
}

static void test_format_truncates_and_terminates(void **state)
{
	(void)state;
	char buf[6];
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%s", "abcdefgh"), 5);
	assert_string_equal(buf, "abcde");
	assert_int_equal(ksnprintf(buf, 0, "x"), 0);
}

// strtoul (lib/freestanding, which the kernel and libfdt use): its definition replaces
// the C library's in this test program.
static void check_strtoul(const char *s, int base, unsigned long value, long consumed)
{
	char *end;
	assert_int_equal(strtoul(s, &end, base), value);
	assert_int_equal(end - s, consumed);
}

static void test_strtoul_follows_c(void **state)
{
	(void)state;
	check_strtoul("0x10", 0, 16, 4);
	check_strtoul("010", 0, 8, 3);
	check_strtoul(" \v\f\r-1", 10, ULONG_MAX, 6);
	check_strtoul("99999999999999999999999", 10, ULONG_MAX, 23);
	check_strtoul("+7z", 10, 7, 2);
	check_strtoul("zz", 10, 0, 0);
	check_strtoul("0xg", 16, 0, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_numbers_and_padding),
		cmocka_unit_test(test_format_truncates_and_terminates),
		cmocka_unit_test(test_strtoul_follows_c),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
