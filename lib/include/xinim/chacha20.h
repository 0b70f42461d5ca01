#pragma once
// ChaCha20 (RFC 8439) keystream by whole 64-byte blocks, the codec's cipher
// (lib/codec.c). On AArch64 it is Advanced SIMD code (lib/arch/aarch64/chacha20_blocks.S;
// the kernel calls it only between fpsimd_kernel_begin and _end); elsewhere, for the
// hosted tests, libsodium's (lib/chacha20_blocks.c). Either is byte for byte
// crypto_stream_chacha20_ietf's output (tests/boot/codec.sh checks the SIMD code).
#include <stddef.h>
#include <stdint.h>

#define CHACHA20_BLOCK 64

// Writes blocks * 64 bytes of keystream to out: the blocks numbered counter,
// counter + 1, ... under key and the 12-byte nonce, where counter_nonce holds the
// little-endian 32-bit counter and then the nonce (the state's last row).
void chacha20_blocks(uint8_t *out, size_t blocks, const uint8_t key[32],
		     const uint8_t counter_nonce[16]);
