#pragma once
// Batches of frames between NET and a network driver (include/xinim/ipc/dev.h): records
// of a 4-byte head and a frame's bytes, each starting at a multiple of 4. Pure: NET and
// the driver (drivers/virtio_net) build and read batches in their own memory with these.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/dev.h>

#define DEVFRAME_MIN 14	// an Ethernet header: destination, source, type

// Where a batch held in memory has one frame.
struct devframe_at {
	uint32_t offset;	// of its bytes
	uint16_t length;
};

// The records of a batch of length bytes and count records, of which the first
// window_bytes are at `window`. Reads at most max records, and stops before one that is
// not whole within the window. How many were read (out[i] says where each frame is);
// -EINVAL if a record read has a length outside [DEVFRAME_MIN, XINIM_DEV_FRAME_MAX] or
// runs past the batch's length, or the batch ends before count records.
long devframes_read(const uint8_t *window, size_t window_bytes, size_t length, unsigned count,
		    unsigned max, struct devframe_at *out);

// Appends frame's record to the batch built at buffer (room bytes, *used of them in use):
// head, bytes, zeroed padding; false, with nothing written, if it does not fit.
bool devframes_write(uint8_t *buffer, size_t room, size_t *used, const void *frame,
		     uint16_t length);
