#include <string.h>
#include <xinim/logring.h>
#include "kmsg.h"

// ram_find_page's accept: a ring of this layout, copied while the guest may write it.
static bool ring_accept(struct guest_ram *ram, size_t offset, void *context)
{
	struct kmsg_copy *copy = context;
	const struct xinim_log_ring *live = (const void *)(ram->bytes + offset);
	if (offset + sizeof(*live) > ram->size || live->version != XINIM_LOG_VERSION ||
	    live->size != XINIM_LOG_SIZE)
		return false;
	uint64_t written = __atomic_load_n(&live->written, __ATOMIC_ACQUIRE);
	memcpy(copy->ring.text, live->text, sizeof(copy->ring.text));
	uint64_t later = __atomic_load_n(&live->written, __ATOMIC_ACQUIRE);
	memcpy(copy->ring.magic, live->magic, sizeof(copy->ring.magic));
	copy->ring.version = live->version;
	copy->ring.size = live->size;
	copy->ring.written = written;
	// Bytes written meanwhile went over the oldest ones: those are no longer the log's.
	copy->intact_from = later > XINIM_LOG_SIZE ? later - XINIM_LOG_SIZE : 0;
	return true;
}

bool kmsg_find(const struct guest_ram *ram, struct kmsg_copy *copy)
{
	return ram_find_page(ram, XINIM_LOG_MAGIC, sizeof(copy->ring.magic), ring_accept, copy);
}

unsigned kmsg_print(const struct kmsg_copy *copy, FILE *out, bool levels)
{
	static char text[XINIM_LOG_SIZE];
	uint64_t start = logring_start(&copy->ring, 0, XINIM_LOG_SIZE);
	size_t n = logring_copy(&copy->ring, start, text, copy->ring.written - start);
	size_t at = 0;
	if (start < copy->intact_from) {	// torn: from the first whole line after it
		at = copy->intact_from - start;
		while (at < n && text[at - 1] != '\n')
			at++;
	}
	unsigned lines = 0;
	while (at < n) {
		const char *line = text + at, *end = memchr(line, '\n', n - at);
		size_t length = end ? (size_t)(end - line) + 1 : n - at;
		size_t skip = !levels && length >= 3 && line[0] == '<' && line[2] == '>' ? 3 : 0;
		fwrite(line + skip, 1, length - skip, out);
		at += length;
		lines++;
	}
	return lines;
}
