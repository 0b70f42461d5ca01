#pragma once
// Kernel objects: power-of-two size classes from 32 bytes to 2 KiB carved from frames,
// and whole frames above that. Pure logic over a frame source, so that it builds on the
// host for unit tests; the kernel's allocator (kmalloc) draws on the kernel frame pool.
#include <stddef.h>
#include <stdint.h>
#include <kernel/spinlock.h>

#define KALLOC_MIN_SHIFT 5
#define KALLOC_MAX_SHIFT 11
#define KALLOC_CLASSES (KALLOC_MAX_SHIFT - KALLOC_MIN_SHIFT + 1)

struct kalloc_source {
	void *(*frames)(size_t count);		// count contiguous zeroed 4 KiB frames, or NULL
	void (*free_frames)(void *first, size_t count);
};

struct kalloc {
	const struct kalloc_source *source;
	struct spinlock lock;
	void *free[KALLOC_CLASSES];		// a free list per size class
};

void kalloc_init(struct kalloc *heap, const struct kalloc_source *source);

// Zeroed memory of at least size bytes, aligned to its size class (up to 4 KiB), or NULL.
void *kalloc(struct kalloc *heap, size_t size);

// size must be the size given to kalloc.
void kfree(struct kalloc *heap, void *object, size_t size);

// The kernel's heap (kernel/boot.c sets it up over the kernel frame pool).
void *kmalloc(size_t size);
void kmfree(void *object, size_t size);
