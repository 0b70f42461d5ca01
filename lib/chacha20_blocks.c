// chacha20_blocks (<xinim/chacha20.h>) where no SIMD version exists: libsodium's ChaCha20
// over zeros, so the hosted tests run the codec as the target does.
#include <string.h>
#include <sodium/crypto_stream_chacha20.h>
#include <xinim/chacha20.h>

void chacha20_blocks(uint8_t *out, size_t blocks, const uint8_t key[32],
		     const uint8_t counter_nonce[16])
{
	uint32_t counter = (uint32_t)counter_nonce[0] | (uint32_t)counter_nonce[1] << 8 |
			   (uint32_t)counter_nonce[2] << 16 | (uint32_t)counter_nonce[3] << 24;
	memset(out, 0, blocks * CHACHA20_BLOCK);
	crypto_stream_chacha20_ietf_xor_ic(out, out, blocks * CHACHA20_BLOCK, counter_nonce + 4,
					   counter, key);
}
