#pragma once
// NET (PID 5) -> a network driver (DEV, PID 6; docs/net.md): Ethernet frames. NET calls,
// the driver answers at once and never waits; frames travel in NET's memory, which the
// driver copies while NET waits in its call (KCALL_COPY_FROM/TO), a batch of frames a
// call. The driver tells NET with XINIM_NOTE_DEV_READY that frames arrived or that room
// to send came free. Only NET may call: -EPERM for anyone else. A driver moves at most
// XINIM_COPY_MAX bytes of a batch a call (one copy), so a longer batch goes in parts.
#include <stdint.h>
#include <xinim/ipc/message.h>

enum xinim_dev_msg {
	XINIM_DEV_INFO = XINIM_MSG_DEV_FIRST,	// no payload -> 0; answer struct xinim_dev_info;
						// -ENODEV when the machine has no such device
	// Frames to send: count records (struct xinim_dev_frame) packed in length bytes at
	// `at` -> how many the device took, from the first (0: no room now, ask again at
	// XINIM_NOTE_DEV_READY). -EINVAL, with nothing sent, for a record read whose length
	// is outside [14, XINIM_DEV_FRAME_MAX] or that runs past length.
	XINIM_DEV_SEND,		// struct xinim_dev_frames
	// Frames received, as records packed into at most length bytes at `at` -> how many;
	// the answer's struct xinim_dev_frames says the bytes used. -EINVAL when length is
	// below XINIM_DEV_RECORD(XINIM_DEV_FRAME_MAX): room for any frame, so that a call
	// can always take one. A copy that fails (-EFAULT) takes no frame.
	XINIM_DEV_RECEIVE,	// struct xinim_dev_frames
	XINIM_DEV_MSG_END
};

struct xinim_dev_info {
	uint8_t mac[6];
	uint16_t mtu;		// the largest payload of a frame (1500)
	uint32_t link_up;
	uint64_t received, sent, dropped;	// frames since the driver's first start
};

struct xinim_dev_frames {
	uint64_t at;
	uint32_t length;
	uint32_t count;
};

// One frame in a batch: the next record begins at the next multiple of 4 past its bytes.
struct xinim_dev_frame {
	uint16_t length;	// the frame's bytes: destination MAC on, without the FCS
	uint16_t reserved;
	uint8_t bytes[];
};

#define XINIM_DEV_FRAME_MAX 1514
#define XINIM_DEV_RECORD(length) ((4 + (uint32_t)(length) + 3) & ~3u)
