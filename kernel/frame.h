#pragma once
// The physical frame allocator: one bitmap over the span of RAM, a bit per 4 KiB frame,
// set when the frame is in use or is not RAM. Pure logic with its own lock; the kernel's
// one pool is set up from the DTB by frames_init (boot.c).
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/dtb.h>
#include <kernel/spinlock.h>

#define FRAME_SIZE 4096UL
#define FRAME_NONE UINT64_MAX

struct frame_pool {
	struct spinlock lock;
	uint64_t base;		// physical address of frame 0
	size_t frames;
	size_t free;
	size_t usable;		// frames given to the allocator: RAM less what was reserved
	size_t hint;		// bitmap word where the next search starts
	size_t low;		// every frame below it is in use (frame_alloc_contig starts there)
	uint64_t *bitmap;
	// Per frame, how many address spaces hold it beyond the first (copy-on-write
	// sharing); NULL until frame_pool_shares gives the table: nothing is shared.
	uint16_t *shares;
};

// Bytes of bitmap that a pool of `frames` frames needs.
size_t frame_bitmap_size(size_t frames);

// Starts a pool over [base, base + frames * FRAME_SIZE) with every frame in use.
void frame_pool_init(struct frame_pool *pool, uint64_t base, size_t frames, uint64_t *bitmap);

// Frees the whole frames inside [start, end): RAM that may be handed out.
void frame_pool_add(struct frame_pool *pool, uint64_t start, uint64_t end);

// Marks every frame touching [start, end) in use; returns how many were free.
size_t frame_pool_reserve(struct frame_pool *pool, uint64_t start, uint64_t end);

// A consistent snapshot of the pool's usable and free frame counts.
void frame_pool_counts(struct frame_pool *pool, size_t *usable, size_t *free);

// One frame, or FRAME_NONE.
uint64_t frame_alloc(struct frame_pool *pool);

// `count` contiguous frames whose first is aligned to `align` frames (a power of two),
// or FRAME_NONE.
uint64_t frame_alloc_contig(struct frame_pool *pool, size_t count, size_t align);

// 0, -EINVAL for an address that is not a frame of the pool, -EALREADY for a frame
// that is already free (a double free: the caller has a bug).
int frame_free(struct frame_pool *pool, uint64_t frame);

// The kernel's pool of all RAM (set up in boot.c).
extern struct frame_pool kernel_frames;

// Sharing (copy-on-write, kernel/arch/aarch64/uvm.c): shares is a table of `frames`
// counts, zeroed, that the pool uses from now on (frame_shares_size bytes).
size_t frame_shares_size(size_t frames);
void frame_pool_shares(struct frame_pool *pool, uint16_t *shares);
// One more holder of frame, an allocated frame of the pool: 0, -EINVAL, or -EOVERFLOW
// (65,536 holders already).
int frame_share(struct frame_pool *pool, uint64_t frame);
// Whether frame has more than one holder.
bool frame_shared(const struct frame_pool *pool, uint64_t frame);
// One holder fewer: the frame is freed when the last lets go (frame_free's result then).
int frame_put(struct frame_pool *pool, uint64_t frame);

// Frees count frames from first on; stops at the first error and returns it.
int frame_free_range(struct frame_pool *pool, uint64_t first, size_t count);

// Finds `size` bytes, aligned to `align`, inside one of the ranges in `ram` and
// overlapping none in `used`. Returns the address or FRAME_NONE.
uint64_t range_find_free(const struct mem_range *ram, unsigned ram_count,
			 const struct mem_range *used, unsigned used_count,
			 uint64_t size, uint64_t align);
