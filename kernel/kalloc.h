#pragma once
// Kernel objects: power-of-two size classes from 32 bytes to 2 KiB carved from frames
// (the first slot of each frame is its head), and whole frames above that. Pure logic over a frame source, so that it builds on the
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

// The head of each frame cut into objects of one class, in the frame's first object
// slot: a frame goes back to the source as soon as none of its objects is in use, so
// that freed kernel memory is free memory again (KCALL_MEMORY counts it).
struct kalloc_slab {
	struct kalloc_slab *next, *prev;	// the class's frames with free objects
	void *free;				// this frame's free objects
	uint32_t used;				// its objects handed out
	uint32_t class;
};

struct kalloc {
	const struct kalloc_source *source;
	struct spinlock lock;
	struct kalloc_slab *partial[KALLOC_CLASSES];	// per class: frames with free objects
};

void kalloc_init(struct kalloc *heap, const struct kalloc_source *source);

// Zeroed memory of at least size bytes, aligned to its size class (up to 4 KiB), or NULL.
void *kalloc(struct kalloc *heap, size_t size);

// size must be the size given to kalloc.
void kfree(struct kalloc *heap, void *object, size_t size);

// The kernel's heap (kernel/boot.c sets it up over the kernel frame pool).
void *kmalloc(size_t size);
void kmfree(void *object, size_t size);
