// Poly1305 (<xinim/poly1305.h>) in radix 2^64: h = h0 + h1 2^64 + h2 2^128 times
// r = r0 + r1 2^64 is six 64x64 products, as OpenSSL's scalar AArch64 code computes it,
// about 30 instructions a block. r1's low two bits are clamped to zero, so the parts of
// the product at 2^128 and above fold back times 5/4: h1 r1 2^128 = h1 (r1 / 4) 2^130,
// which is h1 (5 r1 / 4) = h1 s1 modulo 2^130 - 5, and h2 r1 2^192 likewise at 2^64.
#include <xinim/poly1305.h>

typedef unsigned __int128 u128;

void poly1305_init(struct poly1305 *state, const poly1305_word key[4])
{
	uint64_t r1 = key[1] & 0x0ffffffc0ffffffcull;
	*state = (struct poly1305){ .r0 = key[0] & 0x0ffffffc0fffffffull, .r1 = r1,
		.s1 = r1 + (r1 >> 2), .pad0 = key[2], .pad1 = key[3] };
}

void poly1305_blocks(struct poly1305 *state, const poly1305_word *words, size_t blocks)
{
	uint64_t r0 = state->r0, r1 = state->r1, s1 = state->s1;
	uint64_t h0 = state->h0, h1 = state->h1, h2 = state->h2;
	for (; blocks; blocks--, words += 2) {
		// h += the block, with its 2^128 bit
		u128 sum = (u128)h0 + words[0];
		h0 = (uint64_t)sum;
		sum = (u128)h1 + words[1] + (uint64_t)(sum >> 64);
		h1 = (uint64_t)sum;
		h2 += (uint64_t)(sum >> 64) + 1;
		// h *= r, with the parts at 2^128 and above folded as the header says
		u128 d0 = (u128)h0 * r0 + (u128)h1 * s1;
		u128 d1 = (u128)h0 * r1 + (u128)h1 * r0 + (u128)(h2 * s1);
		uint64_t d2 = h2 * r0;
		h0 = (uint64_t)d0;
		d1 += (uint64_t)(d0 >> 64);
		h1 = (uint64_t)d1;
		d2 += (uint64_t)(d1 >> 64);
		// what lies at 2^130 and above comes back times 5 (d2 / 4 * 5)
		uint64_t carry = (d2 & ~3ull) + (d2 >> 2);
		h2 = d2 & 3;
		sum = (u128)h0 + carry;
		h0 = (uint64_t)sum;
		sum = (u128)h1 + (uint64_t)(sum >> 64);
		h1 = (uint64_t)sum;
		h2 += (uint64_t)(sum >> 64);
	}
	state->h0 = h0;
	state->h1 = h1;
	state->h2 = h2;
}

void poly1305_finish(const struct poly1305 *state, poly1305_word tag[2])
{
	// h mod 2^130 - 5: h + 5 reaches 2^130 exactly when h >= p (h < 2p here); then the
	// low 128 bits of h + 5 are h - p's. Chosen by mask, not by branch.
	u128 sum = (u128)state->h0 + 5;
	uint64_t g0 = (uint64_t)sum;
	sum = (u128)state->h1 + (uint64_t)(sum >> 64);
	uint64_t g1 = (uint64_t)sum;
	uint64_t g2 = state->h2 + (uint64_t)(sum >> 64);
	uint64_t take_g = 0 - (g2 >> 2);
	uint64_t h0 = (state->h0 & ~take_g) | (g0 & take_g);
	uint64_t h1 = (state->h1 & ~take_g) | (g1 & take_g);
	sum = (u128)h0 + state->pad0;
	tag[0] = (uint64_t)sum;
	tag[1] = h1 + state->pad1 + (uint64_t)(sum >> 64);
}
