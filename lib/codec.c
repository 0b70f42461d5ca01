// Seal and open (<xinim/codec.h>). The AEAD is the IETF ChaCha20-Poly1305
// construction under the cached HChaCha20 subkey: ChaCha20 block 0 keys Poly1305,
// blocks 1.. encrypt; Poly1305 runs over header || payload || zero pad || lengths.
// libsodium gives the subkey; the per-message ChaCha20 and Poly1305 are ours
// (<xinim/chacha20.h>, <xinim/poly1305.h>: SIMD blocks and radix-2^64 arithmetic, about
// a third of libsodium's generic code's instructions), checked against libsodium.
#include <string.h>
#include <sodium/crypto_core_hchacha20.h>
#include <sodium/utils.h>
#include <xinim/chacha20.h>
#include <xinim/codec.h>
#include <xinim/poly1305.h>

#define BLOCK CHACHA20_BLOCK
#define POLY_BLOCK 16

_Static_assert(XINIM_HEADER_SIZE % POLY_BLOCK == 0, "the header needs no Poly1305 padding");
_Static_assert(__builtin_offsetof(struct xinim_msg, payload) % 8 == 0 &&
	       __builtin_offsetof(struct xinim_msg, tag) % 8 == 0, "Poly1305 reads words in place");

void codec_channel_init(struct codec_channel *channel, const struct xinim_channel *key)
{
	crypto_core_hchacha20(channel->subkey, key->salt, key->key, NULL);
	channel->counter = 0;
	channel->clear = key->flags & XINIM_CHANNEL_CLEAR;
}

void codec_channel_wipe(struct codec_channel *channel)
{
	sodium_memzero(channel, sizeof(*channel));
}

// Block 0 (the Poly1305 key) and as many blocks as the payload needs, under the IETF
// nonce 0 || counter (the XChaCha20 nonce's last 8 bytes). The keystream is not wiped
// afterwards: it is good for this one nonce only, which is never used again.
static void keystream(uint64_t *out, const struct codec_channel *channel, uint64_t counter,
		      unsigned length)
{
	uint64_t counter_nonce[2] = { 0, counter };
	chacha20_blocks((uint8_t *)out, 1 + (length + BLOCK - 1) / BLOCK, channel->subkey,
			(const uint8_t *)counter_nonce);
}

static void xor_payload(struct xinim_msg *msg, const uint64_t *stream)
{
	uint64_t words[XINIM_PAYLOAD_MAX / 8];
	unsigned count = (msg->header.length + 7) / 8;
	memcpy(words, msg->payload, count * 8);
	for (unsigned i = 0; i < count; i++)
		words[i] ^= stream[i];
	memcpy(msg->payload, words, msg->header.length);
}

// Poly1305 over header || payload || zero pad || the two lengths, read in place but for
// the payload's last, padded block.
static void authenticate(poly1305_word tag[2], const struct xinim_msg *msg,
			 const uint64_t *poly_key)
{
	unsigned length = msg->header.length, whole = length / POLY_BLOCK;
	uint64_t last[2] = { 0, 0 }, lengths[2] = { XINIM_HEADER_SIZE, length };
	struct poly1305 mac;
	poly1305_init(&mac, poly_key);
	poly1305_blocks(&mac, (const poly1305_word *)&msg->header, XINIM_HEADER_SIZE / POLY_BLOCK);
	poly1305_blocks(&mac, (const poly1305_word *)msg->payload, whole);
	if (length % POLY_BLOCK) {
		memcpy(last, msg->payload + whole * POLY_BLOCK, length % POLY_BLOCK);
		poly1305_blocks(&mac, last, 1);
	}
	poly1305_blocks(&mac, lengths, 1);
	poly1305_finish(&mac, tag);
}

// Constant time, like crypto_verify_16, but a few instructions instead of its ~200.
static bool tags_equal(const poly1305_word *a, const poly1305_word *b)
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
}

void codec_seal(struct codec_channel *tx, struct xinim_msg *msg)
{
	msg->header.sequence = ++tx->counter;
	if (tx->clear) {
		msg->header.flags |= XINIM_MSG_CLEAR;
		memset(msg->tag, 0, sizeof(msg->tag));
		return;
	}
	msg->header.flags &= ~XINIM_MSG_CLEAR;
	uint64_t stream[(BLOCK + XINIM_PAYLOAD_MAX) / 8];
	keystream(stream, tx, msg->header.sequence, msg->header.length);
	xor_payload(msg, stream + BLOCK / 8);
	authenticate((poly1305_word *)msg->tag, msg, stream);
}

enum xinim_trace_verdict codec_open(struct codec_channel *rx, struct xinim_msg *msg)
{
	const struct xinim_msg_header *h = &msg->header;
	if (h->length > XINIM_PAYLOAD_MAX || (h->flags & ~XINIM_MSG_FLAGS))
		return XINIM_TRACE_INVALID;
	bool sent_clear = h->flags & XINIM_MSG_CLEAR;
	if (sent_clear != rx->clear)
		return XINIM_TRACE_BAD_TAG;	// a clear message on a sealed channel, or the reverse
	if (!rx->clear) {
		uint64_t stream[(BLOCK + XINIM_PAYLOAD_MAX) / 8], tag[2];
		keystream(stream, rx, h->sequence, h->length);
		authenticate(tag, msg, stream);
		if (!tags_equal(tag, (const poly1305_word *)msg->tag))
			return XINIM_TRACE_BAD_TAG;
		if (h->sequence <= rx->counter)
			return XINIM_TRACE_REPLAY;
		xor_payload(msg, stream + BLOCK / 8);
	} else if (h->sequence <= rx->counter) {
		return XINIM_TRACE_REPLAY;
	}
	rx->counter = h->sequence;
	return XINIM_TRACE_OK;
}
