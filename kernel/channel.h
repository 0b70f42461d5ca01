#pragma once
// Channel keys (docs/architecture.md, Sealing and keys): every directed channel between
// two endpoints has its own key and salt from the kernel's CSPRNG. A user-to-user
// channel's key is kept here only until both of its ends have taken it; the kernel's own
// channels live in struct proc.
#include <stdbool.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/kcall.h>

// Whether channels are sealed (the boot argument ipc.seal=off turns it off, to measure).
void channel_init(bool sealing);

// A fresh key and salt (flagged clear when sealing is off).
void channel_new_key(struct xinim_channel *out);

// The key of the channel me -> peer (XINIM_TO_PEER) or peer -> me, made on first
// request. Each end may take it once. 0, -EALREADY (taken before), -ENOSPC (table full).
// The caller has checked that the two may talk.
int channel_take(xinim_endpoint_t me, xinim_endpoint_t peer, enum xinim_direction direction,
		 struct xinim_channel *out);

// Wipes the channels with an end at endpoint, whose instance is gone.
void channel_forget(xinim_endpoint_t endpoint);
