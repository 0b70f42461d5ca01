#pragma once
// Poly1305 (RFC 8439), the codec's authenticator (lib/codec.c), over whole 16-byte
// blocks, as the AEAD construction feeds it (every part padded to 16 bytes). Words are
// little-endian 64-bit halves of blocks, key and tag, read and written in place (both
// targets, AArch64 and the hosts the tests run on, are little-endian). Constant time:
// no branch and no address depends on the key or the message. Byte for byte
// crypto_onetimeauth_poly1305's tag (tests/unit/lib/test_poly1305.c).
#include <stddef.h>
#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "Poly1305 words are read in place");

// A word of a block, read in place from a message: 8-byte aligned, of any type.
typedef uint64_t poly1305_word __attribute__((may_alias, aligned(8)));

struct poly1305 {
	uint64_t r0, r1, s1;	// the clamped key r; s1 = r1 + r1 / 4 folds 2^130 = 5
	uint64_t h0, h1, h2;	// the accumulator, h2 a few bits above 2^128
	uint64_t pad0, pad1;	// s, added at the end
};

// Starts a tag under the one-time key (r || s).
void poly1305_init(struct poly1305 *state, const poly1305_word key[4]);

// Takes blocks 16-byte blocks (two words each).
void poly1305_blocks(struct poly1305 *state, const poly1305_word *words, size_t blocks);

// The tag of everything taken.
void poly1305_finish(const struct poly1305 *state, poly1305_word tag[2]);
