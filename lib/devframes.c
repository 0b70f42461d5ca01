// Batches of frame records (xinim/devframes.h).
#include <errno.h>
#include <string.h>
#include <xinim/devframes.h>

static uint16_t head_length(const uint8_t *record)
{
	struct xinim_dev_frame head;
	memcpy(&head, record, sizeof(head));
	return head.length;
}

long devframes_read(const uint8_t *window, size_t window_bytes, size_t length, unsigned count,
		    unsigned max, struct devframe_at *out)
{
	const size_t head = sizeof(struct xinim_dev_frame);
	size_t at = 0;
	unsigned n = 0;
	for (; n < count && n < max; n++) {
		if (at + head > length)
			return -EINVAL;
		if (at + head > window_bytes)
			break;
		uint16_t bytes = head_length(window + at);
		if (bytes < DEVFRAME_MIN || bytes > XINIM_DEV_FRAME_MAX || at + head + bytes > length)
			return -EINVAL;
		if (at + head + bytes > window_bytes)
			break;
		out[n] = (struct devframe_at){ .offset = (uint32_t)(at + head), .length = bytes };
		at += XINIM_DEV_RECORD(bytes);
	}
	return n;
}

bool devframes_write(uint8_t *buffer, size_t room, size_t *used, const void *frame,
		     uint16_t length)
{
	size_t record = XINIM_DEV_RECORD(length);
	if (*used + record > room)
		return false;
	struct xinim_dev_frame head = { .length = length };
	uint8_t *at = buffer + *used;
	memcpy(at, &head, sizeof(head));
	memcpy(at + sizeof(head), frame, length);
	memset(at + sizeof(head) + length, 0, record - sizeof(head) - length);
	*used += record;
	return true;
}
