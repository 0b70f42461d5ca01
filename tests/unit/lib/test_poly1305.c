// The codec's Poly1305 (lib/poly1305.c) against libsodium's crypto_onetimeauth_poly1305:
// every whole-block length to 64 KiB under random keys and texts, and the extremes that
// make the longest carries (r and s all ones, texts all ones, all zeros), one call or
// block by block.
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>
#include <xinim/poly1305.h>

#define TEXT_MAX (64u << 10)

static uint64_t text[TEXT_MAX / 8];

static void tag_of(uint64_t tag[2], const uint8_t key[32], size_t length, bool block_by_block)
{
	uint64_t words[4];
	memcpy(words, key, sizeof(words));
	struct poly1305 mac;
	poly1305_init(&mac, words);
	if (block_by_block) {
		for (size_t block = 0; block < length / 16; block++)
			poly1305_blocks(&mac, text + 2 * block, 1);
	} else {
		poly1305_blocks(&mac, text, length / 16);
	}
	poly1305_finish(&mac, tag);
}

static void assert_libsodium_tag(const uint8_t key[32], size_t length, bool block_by_block)
{
	uint64_t tag[2];
	uint8_t expected[crypto_onetimeauth_poly1305_BYTES];
	tag_of(tag, key, length, block_by_block);
	crypto_onetimeauth_poly1305(expected, (const uint8_t *)text, length, key);
	assert_memory_equal(tag, expected, sizeof(expected));
}

static void test_every_whole_block_length_to_64k_random(void **state)
{
	(void)state;
	uint8_t key[32];
	for (size_t length = 0; length <= TEXT_MAX; length += 16) {
		randombytes_buf(key, sizeof(key));
		randombytes_buf(text, length);
		assert_libsodium_tag(key, length, false);
	}
}

static void test_extremes_carry_as_libsodium(void **state)
{
	(void)state;
	uint8_t key[32];
	for (size_t length = 0; length <= 4096; length += 16) {
		memset(key, 0xff, sizeof(key));
		memset(text, 0xff, length);
		assert_libsodium_tag(key, length, false);
		assert_libsodium_tag(key, length, true);
		memset(text, 0, length);
		assert_libsodium_tag(key, length, false);
		memset(key, 0, sizeof(key));
		memset(text, 0xff, length);
		assert_libsodium_tag(key, length, true);
	}
}

static void test_block_by_block_is_one_call(void **state)
{
	(void)state;
	uint8_t key[32];
	randombytes_buf(key, sizeof(key));
	randombytes_buf(text, 4096);
	for (size_t length = 0; length <= 4096; length += 16)
		assert_libsodium_tag(key, length, true);
}

static void test_a_changed_bit_changes_the_tag(void **state)
{
	(void)state;
	uint8_t key[32];
	uint64_t tag[2], changed[2];
	randombytes_buf(key, sizeof(key));
	randombytes_buf(text, 64);
	tag_of(tag, key, 64, false);
	for (unsigned bit = 0; bit < 64 * 8; bit++) {
		text[bit / 64] ^= 1ull << (bit % 64);
		tag_of(changed, key, 64, false);
		text[bit / 64] ^= 1ull << (bit % 64);
		assert_memory_not_equal(tag, changed, sizeof(tag));
	}
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_whole_block_length_to_64k_random),
		cmocka_unit_test(test_extremes_carry_as_libsodium),
		cmocka_unit_test(test_block_by_block_is_one_call),
		cmocka_unit_test(test_a_changed_bit_changes_the_tag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
