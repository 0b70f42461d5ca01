#pragma once
// The kernel log's ring of text (struct xinim_log_ring, include/xinim/klog.h): lines
// put in whole, read from a place given as a count of bytes ever written, so that a
// reader that fell behind is moved to the oldest whole line still held. Pure: no lock
// (kernel/klog.c holds one): the kernel writes the ring, the host console reads a copy.
#include <stddef.h>
#include <stdint.h>
#include <xinim/klog.h>

void logring_init(struct xinim_log_ring *ring);

// Appends n bytes (whole lines, n <= XINIM_LOG_SIZE), over the oldest when full.
void logring_put(struct xinim_log_ring *ring, const char *text, size_t n);

// Where a read of at most max bytes from the place floor starts: floor itself when all
// from there on is held and fits; otherwise the first line start from which what is held
// fits in max (the ring's end when no whole line does).
uint64_t logring_start(const struct xinim_log_ring *ring, uint64_t floor, size_t max);

// Copies up to n bytes from the place from on (held: from >= logring_start's lowest)
// into out; returns how many.
size_t logring_copy(const struct xinim_log_ring *ring, uint64_t from, char *out, size_t n);
