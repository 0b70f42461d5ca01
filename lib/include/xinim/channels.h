#pragma once
// The table of user-to-user channel keys (docs/architecture.md, Sealing and keys) waiting
// to be taken: a key is kept only until both ends of its channel have taken it. Used by
// the kernel (kernel/channel.c, under its lock) and by the hosted kernel of the unit
// tests (libipc/host/kernel.c); the caller holds whatever lock guards the table.
#include <stdbool.h>
#include <stddef.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/kcall.h>

#define CHANNELS_MAX 512

// Fills out with n random bytes (the kernel's CSPRNG).
typedef void channels_random_fn(void *out, size_t n);

struct channel_slot {
	xinim_endpoint_t from, to;	// from == XINIM_ENDPOINT_NONE: a free slot
	bool taken_by_from, taken_by_to;
	struct xinim_channel key;
};

struct channel_table {
	channels_random_fn *random;
	bool sealing;			// false: keys are flagged clear (ipc.seal=off)
	struct channel_slot slots[CHANNELS_MAX];
};

// Empties the table; keys will come from random.
void channels_init(struct channel_table *t, channels_random_fn *random, bool sealing);

// A fresh key and salt (flagged clear when sealing is off).
void channels_new_key(const struct channel_table *t, struct xinim_channel *out);

// The key of the channel me -> peer (XINIM_TO_PEER) or peer -> me, made on first
// request. Each end may take it once. 0, -EALREADY (taken before), -ENOSPC (table full).
// The caller has checked that the two may talk.
int channels_take(struct channel_table *t, xinim_endpoint_t me, xinim_endpoint_t peer,
		  enum xinim_direction direction, struct xinim_channel *out);

// Wipes the channels with an end at endpoint, whose instance is gone.
void channels_forget(struct channel_table *t, xinim_endpoint_t endpoint);
