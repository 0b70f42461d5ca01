#pragma once
// The one message codec (docs/architecture.md, Sealing and keys), used by the kernel
// (kernel/ipc.c), by libipc in programs and by the hosted tests: XChaCha20-Poly1305 with
// the header as associated data and the payload's `length` bytes encrypted; nonce = the
// channel's salt || the message's 64-bit counter. The HChaCha20 subkey of (key, salt) is
// computed once per channel, so each message costs one ChaCha20 pass and one Poly1305
// pass; the result is byte for byte what crypto_aead_xchacha20poly1305_ietf_encrypt
// gives.
#include <stdbool.h>
#include <stdint.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>

// One direction of a channel, as one end keeps it.
struct codec_channel {
	uint8_t subkey[32];	// HChaCha20(key, salt[0..16))
	uint64_t counter;	// sending: the last counter used; receiving: the last accepted
	bool clear;		// sealing is off for this channel (measurement only)
};

// Prepares a channel from the key and salt the kernel handed out.
void codec_channel_init(struct codec_channel *channel, const struct xinim_channel *key);

// Wipes the channel's key material.
void codec_channel_wipe(struct codec_channel *channel);

// Seals msg in place: takes the next counter as its sequence, encrypts the payload and
// writes the tag. The header must be complete (source, dest, type, length <= 64).
void codec_seal(struct codec_channel *tx, struct xinim_msg *msg);

// Opens msg in place. XINIM_TRACE_OK, or why it was refused: XINIM_TRACE_INVALID (length
// or flags), XINIM_TRACE_BAD_TAG (tag, key or clear message on a sealed channel),
// XINIM_TRACE_REPLAY (a counter not above the last accepted). A refused message
// changes neither msg's payload nor the channel.
enum xinim_trace_verdict codec_open(struct codec_channel *rx, struct xinim_msg *msg);
