#include <stdbool.h>
#include <string.h>
#include <xinim/logring.h>

void logring_init(struct xinim_log_ring *ring)
{
	ring->version = XINIM_LOG_VERSION;
	ring->size = XINIM_LOG_SIZE;
	// Last: a reader outside the guest trusts the block once it sees the magic.
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(ring->magic, XINIM_LOG_MAGIC, sizeof(ring->magic));
}

void logring_put(struct xinim_log_ring *ring, const char *text, size_t n)
{
	for (size_t done = 0; done < n;) {
		size_t at = ring->written % XINIM_LOG_SIZE;
		size_t chunk = XINIM_LOG_SIZE - at < n - done ? XINIM_LOG_SIZE - at : n - done;
		memcpy(ring->text + at, text + done, chunk);
		done += chunk;
		__atomic_store_n(&ring->written, ring->written + chunk, __ATOMIC_RELEASE);
	}
}

static uint64_t oldest(const struct xinim_log_ring *ring)
{
	return ring->written > XINIM_LOG_SIZE ? ring->written - XINIM_LOG_SIZE : 0;
}

// Whether a line starts at place at: the byte before it, still held, ends a line.
static bool line_starts_at(const struct xinim_log_ring *ring, uint64_t at)
{
	return at == 0 || (ring->written - at < XINIM_LOG_SIZE &&
			   ring->text[(at - 1) % XINIM_LOG_SIZE] == '\n');
}

uint64_t logring_start(const struct xinim_log_ring *ring, uint64_t floor, size_t max)
{
	uint64_t start = floor > oldest(ring) ? floor : oldest(ring);
	if (ring->written - start > max)
		start = ring->written - max;
	if (start == floor)
		return start;	// the reader's own place: it may be inside a line it took part of
	while (start < ring->written && !line_starts_at(ring, start))
		start++;
	return start;
}

size_t logring_copy(const struct xinim_log_ring *ring, uint64_t from, char *out, size_t n)
{
	if (from < oldest(ring) || from > ring->written)
		return 0;
	if (n > ring->written - from)
		n = ring->written - from;
	for (size_t done = 0; done < n;) {
		size_t at = (from + done) % XINIM_LOG_SIZE;
		size_t chunk = XINIM_LOG_SIZE - at < n - done ? XINIM_LOG_SIZE - at : n - done;
		memcpy(out + done, ring->text + at, chunk);
		done += chunk;
	}
	return n;
}
