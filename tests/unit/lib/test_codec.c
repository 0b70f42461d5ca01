// The codec (lib/codec.c) against libsodium's own XChaCha20-Poly1305: same bytes out,
// and every tampered, replayed, mis-keyed or malformed message refused without a trace
// left in the message or the channel.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>
#include <xinim/codec.h>

static const unsigned lengths[] = { 0, 1, 15, 16, 17, 63, 64 };
#define LENGTHS (sizeof(lengths) / sizeof(lengths[0]))

static struct xinim_channel new_key(uint32_t flags)
{
	struct xinim_channel key = { .flags = flags };
	randombytes_buf(key.key, sizeof(key.key));
	randombytes_buf(key.salt, sizeof(key.salt));
	return key;
}

// A message from PID 16 to PID 8 with a recognisable payload; bytes past length too.
static struct xinim_msg plain(unsigned length)
{
	struct xinim_msg msg = { .header = { .source = xinim_endpoint(16, 1),
		.dest = xinim_endpoint(8, 1), .type = XINIM_MSG_TEST_FIRST,
		.length = (uint16_t)length, .id = 42 } };
	for (unsigned i = 0; i < XINIM_PAYLOAD_MAX; i++)
		msg.payload[i] = (uint8_t)(i * 7 + 1);
	return msg;
}

// What libsodium's one-shot AEAD makes of plain's payload under sealed's header.
static void reference(const struct xinim_channel *key, const struct xinim_msg *sealed,
		      const struct xinim_msg *plaintext, uint8_t *out)
{
	uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	uint64_t seq = sealed->header.sequence;
	memcpy(nonce, key->salt, 16);
	for (unsigned i = 0; i < 8; i++)
		nonce[16 + i] = (uint8_t)(seq >> (8 * i));
	unsigned long long out_length = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(out, &out_length, plaintext->payload,
		sealed->header.length, (const uint8_t *)&sealed->header, XINIM_HEADER_SIZE,
		NULL, nonce, key->key);
	assert_int_equal(out_length, sealed->header.length + XINIM_TAG_SIZE);
}

static void test_seal_matches_libsodium_xchacha20poly1305(void **state)
{
	(void)state;
	struct xinim_channel key = new_key(0);
	struct codec_channel tx;
	codec_channel_init(&tx, &key);
	for (unsigned i = 0; i < LENGTHS; i++) {
		struct xinim_msg in = plain(lengths[i]), msg = in;
		codec_seal(&tx, &msg);
		assert_int_equal(msg.header.sequence, i + 1);
		assert_int_equal(msg.header.flags, 0);
		uint8_t expected[XINIM_PAYLOAD_MAX + XINIM_TAG_SIZE];
		reference(&key, &msg, &in, expected);
		assert_memory_equal(msg.payload, expected, lengths[i]);
		assert_memory_equal(msg.tag, expected + lengths[i], XINIM_TAG_SIZE);
		// Bytes past length are not the message's: left alone.
		assert_memory_equal(msg.payload + lengths[i], in.payload + lengths[i],
				    XINIM_PAYLOAD_MAX - lengths[i]);
	}
}

static void test_open_restores_the_payload_and_advances_the_counter(void **state)
{
	(void)state;
	struct xinim_channel key = new_key(0);
	struct codec_channel tx, rx;
	codec_channel_init(&tx, &key);
	codec_channel_init(&rx, &key);
	for (unsigned i = 0; i < LENGTHS; i++) {
		struct xinim_msg in = plain(lengths[i]), msg = in;
		codec_seal(&tx, &msg);
		// Ciphertext equal to the text is a 1 in 256 chance for one byte, 2^-64 from eight
		// (the exact ciphertext is checked against libsodium in the seal test above).
		if (lengths[i] >= 8)
			assert_memory_not_equal(msg.payload, in.payload, lengths[i]);
		assert_int_equal(codec_open(&rx, &msg), XINIM_TRACE_OK);
		assert_memory_equal(msg.payload, in.payload, XINIM_PAYLOAD_MAX);
		assert_int_equal(rx.counter, i + 1);
	}
}

// A header made malformed by the flip is refused as INVALID before the tag is checked.
static enum xinim_trace_verdict expected_for(const struct xinim_msg *msg)
{
	if (msg->header.length > XINIM_PAYLOAD_MAX || (msg->header.flags & ~XINIM_MSG_FLAGS))
		return XINIM_TRACE_INVALID;
	return XINIM_TRACE_BAD_TAG;
}

// Flips each bit of bytes [first, first + count) of a sealed message in turn.
static void flip_each_bit(struct codec_channel *rx, const struct xinim_msg *sealed,
			  size_t first, size_t count)
{
	for (size_t bit = 0; bit < count * 8; bit++) {
		struct xinim_msg msg = *sealed;
		((uint8_t *)&msg)[first + bit / 8] ^= (uint8_t)(1u << (bit % 8));
		struct xinim_msg before = msg;
		struct codec_channel rx_before = *rx;
		assert_int_equal(codec_open(rx, &msg), expected_for(&before));
		assert_memory_equal(&msg, &before, sizeof(msg));
		assert_memory_equal(rx, &rx_before, sizeof(*rx));
	}
}

static void test_open_refuses_every_flipped_bit_and_changes_nothing(void **state)
{
	(void)state;
	struct xinim_channel key = new_key(0);
	struct codec_channel tx, rx;
	codec_channel_init(&tx, &key);
	codec_channel_init(&rx, &key);
	for (unsigned i = 0; i < LENGTHS; i++) {
		struct xinim_msg sealed = plain(lengths[i]);
		codec_seal(&tx, &sealed);
		flip_each_bit(&rx, &sealed, 0, XINIM_HEADER_SIZE);
		flip_each_bit(&rx, &sealed, offsetof(struct xinim_msg, payload), lengths[i]);
		flip_each_bit(&rx, &sealed, offsetof(struct xinim_msg, tag), XINIM_TAG_SIZE);
		// The untouched message still opens: the refusals left the channel as it was.
		assert_int_equal(codec_open(&rx, &sealed), XINIM_TRACE_OK);
	}
}

static void test_open_refuses_replayed_and_reordered_counters(void **state)
{
	(void)state;
	struct xinim_channel key = new_key(0);
	struct codec_channel tx, rx, rx2;
	codec_channel_init(&tx, &key);
	codec_channel_init(&rx, &key);
	codec_channel_init(&rx2, &key);
	struct xinim_msg first = plain(16), second = plain(16);
	codec_seal(&tx, &first);
	codec_seal(&tx, &second);
	struct xinim_msg copy1 = first, copy2 = second;

	assert_int_equal(codec_open(&rx, &copy1), XINIM_TRACE_OK);
	struct xinim_msg replay = first;
	assert_int_equal(codec_open(&rx, &replay), XINIM_TRACE_REPLAY);
	assert_memory_equal(&replay, &first, sizeof(replay));
	assert_int_equal(rx.counter, 1);

	assert_int_equal(codec_open(&rx2, &copy2), XINIM_TRACE_OK);
	struct xinim_msg late = first;
	assert_int_equal(codec_open(&rx2, &late), XINIM_TRACE_REPLAY);
	assert_memory_equal(&late, &first, sizeof(late));
	assert_int_equal(rx2.counter, 2);
}

static void test_open_with_another_key_is_a_bad_tag(void **state)
{
	(void)state;
	struct xinim_channel key = new_key(0), other = new_key(0);
	struct codec_channel tx, rx;
	codec_channel_init(&tx, &key);
	codec_channel_init(&rx, &other);
	struct xinim_msg msg = plain(32);
	codec_seal(&tx, &msg);
	struct xinim_msg before = msg;
	assert_int_equal(codec_open(&rx, &msg), XINIM_TRACE_BAD_TAG);
	assert_memory_equal(&msg, &before, sizeof(msg));
	assert_int_equal(rx.counter, 0);

	other = key;	// the same key under another salt is another channel too
	other.salt[0] ^= 1;
	codec_channel_init(&rx, &other);
	assert_int_equal(codec_open(&rx, &msg), XINIM_TRACE_BAD_TAG);
}

static void test_clear_and_sealed_do_not_mix(void **state)
{
	(void)state;
	struct xinim_channel sealed_key = new_key(0), clear_key = sealed_key;
	clear_key.flags = XINIM_CHANNEL_CLEAR;
	struct codec_channel sealed_tx, sealed_rx, clear_tx, clear_rx;
	codec_channel_init(&sealed_tx, &sealed_key);
	codec_channel_init(&sealed_rx, &sealed_key);
	codec_channel_init(&clear_tx, &clear_key);
	codec_channel_init(&clear_rx, &clear_key);

	struct xinim_msg msg = plain(8);
	codec_seal(&clear_tx, &msg);
	assert_int_equal(codec_open(&sealed_rx, &msg), XINIM_TRACE_BAD_TAG);
	assert_int_equal(sealed_rx.counter, 0);

	msg = plain(8);
	codec_seal(&sealed_tx, &msg);
	assert_int_equal(codec_open(&clear_rx, &msg), XINIM_TRACE_BAD_TAG);
	assert_int_equal(clear_rx.counter, 0);
}

static void test_open_refuses_length_65_and_unknown_flags(void **state)
{
	(void)state;
	struct xinim_channel key = new_key(0);
	struct codec_channel tx, rx;
	codec_channel_init(&tx, &key);
	codec_channel_init(&rx, &key);
	struct xinim_msg msg = plain(64);
	codec_seal(&tx, &msg);

	struct xinim_msg bad = msg;
	bad.header.length = XINIM_PAYLOAD_MAX + 1;
	assert_int_equal(codec_open(&rx, &bad), XINIM_TRACE_INVALID);
	for (unsigned bit = 1; bit < 16; bit++) {
		bad = msg;
		bad.header.flags |= (uint16_t)(1u << bit);
		assert_int_equal(codec_open(&rx, &bad), XINIM_TRACE_INVALID);
	}
	assert_int_equal(rx.counter, 0);
	assert_int_equal(codec_open(&rx, &msg), XINIM_TRACE_OK);
}

static void test_clear_channel_round_trips_in_the_clear(void **state)
{
	(void)state;
	struct xinim_channel key = new_key(XINIM_CHANNEL_CLEAR);
	struct codec_channel tx, rx;
	codec_channel_init(&tx, &key);
	codec_channel_init(&rx, &key);
	static const uint8_t zero[XINIM_TAG_SIZE];
	for (unsigned i = 0; i < LENGTHS; i++) {
		struct xinim_msg in = plain(lengths[i]), msg = in;
		memset(msg.tag, 0xa5, sizeof(msg.tag));
		codec_seal(&tx, &msg);
		assert_int_equal(msg.header.flags, XINIM_MSG_CLEAR);
		assert_int_equal(msg.header.sequence, i + 1);
		assert_memory_equal(msg.payload, in.payload, XINIM_PAYLOAD_MAX);
		assert_memory_equal(msg.tag, zero, XINIM_TAG_SIZE);
		struct xinim_msg replay = msg;
		assert_int_equal(codec_open(&rx, &msg), XINIM_TRACE_OK);
		assert_memory_equal(msg.payload, in.payload, XINIM_PAYLOAD_MAX);
		assert_int_equal(codec_open(&rx, &replay), XINIM_TRACE_REPLAY);
	}
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_matches_libsodium_xchacha20poly1305),
		cmocka_unit_test(test_open_restores_the_payload_and_advances_the_counter),
		cmocka_unit_test(test_open_refuses_every_flipped_bit_and_changes_nothing),
		cmocka_unit_test(test_open_refuses_replayed_and_reordered_counters),
		cmocka_unit_test(test_open_with_another_key_is_a_bad_tag),
		cmocka_unit_test(test_clear_and_sealed_do_not_mix),
		cmocka_unit_test(test_open_refuses_length_65_and_unknown_flags),
		cmocka_unit_test(test_clear_channel_round_trips_in_the_clear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
