// Seal and open (<xinim/codec.h>). The AEAD is the IETF ChaCha20-Poly1305
// construction under the cached HChaCha20 subkey: ChaCha20 block 0 keys Poly1305,
// blocks 1.. encrypt; Poly1305 runs over header || payload || zero pad || lengths.
#include <string.h>
#include <sodium/crypto_core_hchacha20.h>
#include <sodium/crypto_onetimeauth_poly1305.h>
#include <sodium/crypto_stream_chacha20.h>
#include <sodium/utils.h>
#include <xinim/codec.h>

#define BLOCK 64

_Static_assert(XINIM_HEADER_SIZE % 16 == 0, "the header needs no Poly1305 padding");

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

static void store_le64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

// Block 0 (the Poly1305 key) and as many blocks as the payload needs. The keystream is
// not wiped afterwards: it is good for this one nonce only, which is never used again.
static void keystream(uint8_t *out, const struct codec_channel *channel, uint64_t counter,
		      unsigned length)
{
	uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = { 0 };
	store_le64(nonce + 4, counter);
	crypto_stream_chacha20_ietf(out, BLOCK + (length + BLOCK - 1) / BLOCK * BLOCK, nonce,
				    channel->subkey);
}

static void xor_payload(struct xinim_msg *msg, const uint8_t *stream)
{
	uint64_t words[XINIM_PAYLOAD_MAX / 8], keys[XINIM_PAYLOAD_MAX / 8];
	unsigned count = (msg->header.length + 7) / 8;
	memcpy(words, msg->payload, count * 8);
	memcpy(keys, stream, count * 8);
	for (unsigned i = 0; i < count; i++)
		words[i] ^= keys[i];
	memcpy(msg->payload, words, msg->header.length);
}

static void authenticate(uint8_t tag[XINIM_TAG_SIZE], const struct xinim_msg *msg,
			 const uint8_t *poly_key)
{
	uint8_t text[XINIM_HEADER_SIZE + XINIM_PAYLOAD_MAX + 16] __attribute__((aligned(16)));
	unsigned length = msg->header.length, padded = (length + 15) / 16 * 16;
	memcpy(text, &msg->header, XINIM_HEADER_SIZE);
	memcpy(text + XINIM_HEADER_SIZE, msg->payload, length);
	memset(text + XINIM_HEADER_SIZE + length, 0, padded - length);
	store_le64(text + XINIM_HEADER_SIZE + padded, XINIM_HEADER_SIZE);
	store_le64(text + XINIM_HEADER_SIZE + padded + 8, length);
	crypto_onetimeauth_poly1305(tag, text, XINIM_HEADER_SIZE + padded + 16, poly_key);
}

// Constant time, like crypto_verify_16, but a few instructions instead of its ~200.
static bool tags_equal(const uint8_t *a, const uint8_t *b)
{
	uint64_t x[2], y[2];
	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
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
	uint8_t stream[BLOCK + XINIM_PAYLOAD_MAX] __attribute__((aligned(16)));
	keystream(stream, tx, msg->header.sequence, msg->header.length);
	xor_payload(msg, stream + BLOCK);
	authenticate(msg->tag, msg, stream);
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
		uint8_t stream[BLOCK + XINIM_PAYLOAD_MAX] __attribute__((aligned(16)));
		uint8_t tag[XINIM_TAG_SIZE];
		keystream(stream, rx, h->sequence, h->length);
		authenticate(tag, msg, stream);
		if (!tags_equal(tag, msg->tag))
			return XINIM_TRACE_BAD_TAG;
		if (h->sequence <= rx->counter)
			return XINIM_TRACE_REPLAY;
		xor_payload(msg, stream + BLOCK);
	} else if (h->sequence <= rx->counter) {
		return XINIM_TRACE_REPLAY;
	}
	rx->counter = h->sequence;
	return XINIM_TRACE_OK;
}
