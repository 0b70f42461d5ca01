// The kernel's command-line lookup.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <kernel/cmdline.h>

static void test_cmdline_finds_value_of_key(void **state)
{
	(void)state;
	char value[16];
	assert_true(cmdline_get("quiet test=ticks init=/bin/sh", "test", value, sizeof(value)));
	assert_string_equal(value, "ticks");
	assert_true(cmdline_get("  init=/bin/sh  ", "init", value, sizeof(value)));
	assert_string_equal(value, "/bin/sh");
}

static void test_cmdline_ignores_longer_keys_and_bare_words(void **state)
{
	(void)state;
	char value[16] = "untouched";
	assert_false(cmdline_get("tests=1 test xtest=2", "test", value, sizeof(value)));
	assert_string_equal(value, "untouched");
	assert_false(cmdline_get("", "test", value, sizeof(value)));
}

static void test_cmdline_cuts_long_values(void **state)
{
	(void)state;
	char value[4];
	assert_true(cmdline_get("test=abcdef", "test", value, sizeof(value)));
	assert_string_equal(value, "abc");
	assert_true(cmdline_get("test= next", "test", value, sizeof(value)));
	assert_string_equal(value, "");
}

static void test_cmdline_has_flag_only_as_whole_word(void **state)
{
	(void)state;
	assert_true(cmdline_has("init=/bin/sh quiet", "quiet"));
	assert_true(cmdline_has("  quiet  ", "quiet"));
	assert_false(cmdline_has("quieter loglevel=3 quiet=1 unquiet", "quiet"));
	assert_false(cmdline_has("", "quiet"));
}

static void test_cmdline_is_compares_the_whole_value(void **state)
{
	(void)state;
	assert_true(cmdline_is("quiet trace=off", "trace", "off"));
	assert_false(cmdline_is("trace=offline", "trace", "off"));
	assert_false(cmdline_is("trace=of", "trace", "off"));
	assert_false(cmdline_is("xtrace=off trace", "trace", "off"));
	assert_false(cmdline_is("trace=on trace=off", "trace", "off"));	// the first word counts
	assert_false(cmdline_is("trace=0123456789abcdef", "trace", "0123456789abcde"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdline_finds_value_of_key),
		cmocka_unit_test(test_cmdline_ignores_longer_keys_and_bare_words),
		cmocka_unit_test(test_cmdline_cuts_long_values),
		cmocka_unit_test(test_cmdline_has_flag_only_as_whole_word),
		cmocka_unit_test(test_cmdline_is_compares_the_whole_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
