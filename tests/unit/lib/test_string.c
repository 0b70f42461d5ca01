// The freestanding memcpy and memset (lib/freestanding/string.c, the kernel's and the freestanding
// programs'): every alignment of each side, every length up to a few words, the bytes
// around left alone. It replaces the C library's here, so everything in this test uses it.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static void test_memcpy_moves_every_alignment_and_length_exactly(void **state)
{
	(void)state;
	static uint8_t from[128] __attribute__((aligned(16))), to[128] __attribute__((aligned(16)));
	for (size_t i = 0; i < sizeof(from); i++)
		from[i] = (uint8_t)(i * 13 + 7);
	for (unsigned d = 0; d < 8; d++)
		for (unsigned s = 0; s < 8; s++)
			for (size_t n = 0; n <= 70; n++) {
				for (size_t i = 0; i < sizeof(to); i++)
					to[i] = 0xee;
				assert_ptr_equal(memcpy(to + 8 + d, from + s, n), to + 8 + d);
				for (size_t i = 0; i < sizeof(to); i++) {
					size_t at = i - 8 - d;
					uint8_t want = i >= 8 + d && at < n ? from[s + at] : 0xee;
					assert_int_equal(to[i], want);
				}
			}
}

static void test_memset_fills_every_alignment_and_length_exactly(void **state)
{
	(void)state;
	static uint8_t to[192] __attribute__((aligned(16)));
	for (unsigned d = 0; d < 8; d++)
		for (size_t n = 0; n <= 150; n++) {
			for (size_t i = 0; i < sizeof(to); i++)
				to[i] = 0xee;
			assert_ptr_equal(memset(to + 8 + d, 0x5a, n), to + 8 + d);
			for (size_t i = 0; i < sizeof(to); i++) {
				size_t at = i - 8 - d;
				assert_int_equal(to[i], i >= 8 + d && at < n ? 0x5a : 0xee);
			}
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_moves_every_alignment_and_length_exactly),
		cmocka_unit_test(test_memset_fills_every_alignment_and_length_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
