#pragma once
// Batches of frames as NET and the driver pass them (include/xinim/ipc/dev.h): records
// of a 4-byte head and a frame's bytes, each starting at a multiple of 4. Pure: the
// handlers move a batch between NET's memory and the staging buffer in one copy, and
// these read and write the records there.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/dev.h>
#include <xinim/ipc/kcall.h>

#define BATCH_FRAME_MIN 14	// an Ethernet header: destination, source, type
// A batch is moved in one copy (KCALL_COPY_*), so a call handles this much of it at most.
#define BATCH_STAGE_BYTES XINIM_COPY_MAX

// Where the staging buffer holds one frame of a batch being sent.
struct batch_frame {
	uint32_t offset;	// of its bytes
	uint16_t length;
};

// The records of a batch to send, of which the first window bytes are staged at
// `window` (the batch has length bytes, count records). Reads at most max records, and
// stops before one that is not whole within the window. How many may go (out[i] says
// where each frame is); -EINVAL if a record read has a length outside
// [BATCH_FRAME_MIN, XINIM_DEV_FRAME_MAX] or runs past the batch's length.
long batch_read(const uint8_t *window, size_t window_bytes, size_t length, unsigned count,
		unsigned max, struct batch_frame *out);

// Appends frame's record to the batch built at buffer (room bytes, *used of them in use):
// head, bytes, zeroed padding; false, with nothing written, if it does not fit.
bool batch_write(uint8_t *buffer, size_t room, size_t *used, const void *frame, uint16_t length);

// The staging buffer of the request being handled (one at a time).
extern uint8_t batch_stage[BATCH_STAGE_BYTES];
