// The codec's own ChaCha20 and Poly1305 as the target runs them (the Advanced SIMD
// blocks of lib/arch/aarch64, which the hosted tests cannot run) against Debian's arm64
// libsodium, byte for byte: the keystream for every block count to 64 KiB, the tag for
// every whole-block length to 4 KiB (the hosted test goes to 64 KiB), and sealed
// messages of every payload length against crypto_aead_xchacha20poly1305_ietf_*,
// with every tampered byte and every replay refused. Run as init (tests/boot/codec.sh).
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sodium/crypto_aead_xchacha20poly1305.h>
#include <sodium/crypto_onetimeauth_poly1305.h>
#include <sodium/crypto_stream_chacha20.h>
#include <xinim/chacha20.h>
#include <xinim/codec.h>
#include <xinim/poly1305.h>

#define CHECK_PREFIX "codec_check: "
#include "check.h"

#define STREAM_MAX (64u << 10)
#define POLY_MAX (4u << 10)
#define GUARD 64

static uint8_t reference[STREAM_MAX], out[STREAM_MAX + GUARD];
static uint64_t text[POLY_MAX / 8];

// Deterministic filler: xorshift64, so a failure repeats.
static uint64_t seed = 0x9e3779b97f4a7c15ull;

static void fill(void *buffer, size_t length)
{
	uint8_t *p = buffer;
	for (size_t i = 0; i < length; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		p[i] = (uint8_t)seed;
	}
}

// Every count of blocks from 0 to 64 KiB: the prefix of libsodium's keystream, and not a
// byte written past it. The counter starts high, but never wraps (the codec uses 0, 1).
static void keystream_every_length(void)
{
	uint8_t key[32], counter_nonce[16];
	fill(key, sizeof(key));
	fill(counter_nonce, sizeof(counter_nonce));
	counter_nonce[3] = 0x7f;
	uint32_t counter;
	memcpy(&counter, counter_nonce, 4);
	memset(reference, 0, sizeof(reference));
	crypto_stream_chacha20_ietf_xor_ic(reference, reference, sizeof(reference),
					   counter_nonce + 4, counter, key);
	int right = 0, blocks_max = STREAM_MAX / CHACHA20_BLOCK;
	for (int blocks = 0; blocks <= blocks_max; blocks++) {
		size_t length = (size_t)blocks * CHACHA20_BLOCK;
		memset(out, 0xa5, length + GUARD);
		chacha20_blocks(out, (size_t)blocks, key, counter_nonce);
		bool guard_kept = true;
		for (size_t i = length; i < length + GUARD; i++)
			guard_kept = guard_kept && out[i] == 0xa5;
		right += memcmp(out, reference, length) == 0 && guard_kept;
	}
	printf("codec_check: %d of %d keystream lengths as libsodium's\n", right, blocks_max + 1);
	check(right == blocks_max + 1,
	      "ChaCha20 keystream of 0..1024 blocks (0..64 KiB) is libsodium's, nothing past it");
}

static bool poly1305_right(size_t length, const uint8_t key[32])
{
	uint64_t words[4], tag[2];
	uint8_t expected[crypto_onetimeauth_poly1305_BYTES];
	memcpy(words, key, sizeof(words));
	struct poly1305 mac;
	poly1305_init(&mac, words);
	poly1305_blocks(&mac, text, length / 16);
	poly1305_finish(&mac, tag);
	crypto_onetimeauth_poly1305(expected, (const uint8_t *)text, length, key);
	return memcmp(tag, expected, sizeof(expected)) == 0;
}

// Random keys and texts, and the extremes: r and s all ones, texts of all ones (the
// longest carries), all zeros.
static void tag_every_length(void)
{
	uint8_t key[32];
	int right = 0, count = 0;
	for (size_t length = 0; length <= POLY_MAX; length += 16, count += 3) {
		fill(key, sizeof(key));
		fill(text, length);
		right += poly1305_right(length, key);
		memset(key, 0xff, sizeof(key));
		memset(text, 0xff, length);
		right += poly1305_right(length, key);
		memset(text, 0, length);
		right += poly1305_right(length, key);
	}
	printf("codec_check: %d of %d tags as libsodium's\n", right, count);
	check(right == count, "Poly1305 of every whole-block length 0..4 KiB is libsodium's");
}

static struct xinim_channel channel_key(void)
{
	struct xinim_channel key = { .flags = 0 };
	fill(key.key, sizeof(key.key));
	fill(key.salt, sizeof(key.salt));
	return key;
}

static struct xinim_msg message(unsigned length)
{
	struct xinim_msg msg = { .header = { .source = xinim_endpoint(16, 1),
		.dest = xinim_endpoint(3, 1), .type = XINIM_MSG_TEST_FIRST,
		.length = (uint16_t)length, .id = length } };
	fill(msg.payload, sizeof(msg.payload));
	return msg;
}

// libsodium's AEAD of plain's payload under sealed's header and nonce.
static bool sealed_as_libsodium(const struct xinim_channel *key, const struct xinim_msg *sealed,
				const struct xinim_msg *plain)
{
	uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	uint8_t expected[XINIM_PAYLOAD_MAX + XINIM_TAG_SIZE];
	unsigned long long expected_length = 0;
	unsigned length = sealed->header.length;
	memcpy(nonce, key->salt, 16);
	memcpy(nonce + 16, &sealed->header.sequence, 8);
	crypto_aead_xchacha20poly1305_ietf_encrypt(expected, &expected_length, plain->payload,
		length, (const uint8_t *)&sealed->header, XINIM_HEADER_SIZE, NULL, nonce, key->key);
	return expected_length == length + XINIM_TAG_SIZE &&
	       memcmp(sealed->payload, expected, length) == 0 &&
	       memcmp(sealed->tag, expected + length, XINIM_TAG_SIZE) == 0 &&
	       memcmp(sealed->payload + length, plain->payload + length,
		      XINIM_PAYLOAD_MAX - length) == 0;
}

// Every byte of header, payload and tag changed in turn: refused, nothing changed.
static bool every_tamper_refused(struct codec_channel *rx, const struct xinim_msg *sealed)
{
	uint8_t *bytes_end = (uint8_t *)sealed->tag + XINIM_TAG_SIZE;
	size_t size = (size_t)(bytes_end - (const uint8_t *)sealed);
	struct codec_channel before = *rx;
	for (size_t i = 0; i < size; i++) {
		struct xinim_msg bad = *sealed, copy;
		((uint8_t *)&bad)[i] ^= 0x01;
		if (i >= XINIM_HEADER_SIZE && i < XINIM_HEADER_SIZE + XINIM_PAYLOAD_MAX &&
		    i - XINIM_HEADER_SIZE >= sealed->header.length)
			continue;	// past the payload's length: not the message's
		copy = bad;
		enum xinim_trace_verdict verdict = codec_open(rx, &bad);
		if (verdict == XINIM_TRACE_OK || memcmp(&bad, &copy, sizeof(bad)) != 0 ||
		    memcmp(rx, &before, sizeof(before)) != 0)
			return false;
	}
	return true;
}

static void messages_every_length(void)
{
	struct xinim_channel key = channel_key();
	struct codec_channel tx, rx;
	codec_channel_init(&tx, &key);
	codec_channel_init(&rx, &key);
	int sealed_right = 0, opened_right = 0, tampers_refused = 0, replays_refused = 0;
	for (unsigned length = 0; length <= XINIM_PAYLOAD_MAX; length++) {
		struct xinim_msg plain = message(length), msg = plain;
		codec_seal(&tx, &msg);
		sealed_right += sealed_as_libsodium(&key, &msg, &plain);
		tampers_refused += every_tamper_refused(&rx, &msg);
		struct xinim_msg replay = msg;
		opened_right += codec_open(&rx, &msg) == XINIM_TRACE_OK &&
				memcmp(msg.payload, plain.payload, length) == 0;
		replays_refused += codec_open(&rx, &replay) == XINIM_TRACE_REPLAY;
	}
	int lengths = XINIM_PAYLOAD_MAX + 1;
	check(sealed_right == lengths,
	      "a sealed message of every length 0..64 is libsodium's XChaCha20-Poly1305");
	check(opened_right == lengths, "each opens to its payload");
	check(tampers_refused == lengths,
	      "every byte of header, payload or tag changed: refused, message and channel unchanged");
	check(replays_refused == lengths, "each replayed: refused");
}

int main(void)
{
	keystream_every_length();
	tag_every_length();
	messages_every_length();
	return check_summary();
}
