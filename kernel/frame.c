#include <errno.h>
#include <kernel/frame.h>

#define BITS 64

static bool frame_used(const struct frame_pool *pool, size_t i)
{
	return pool->bitmap[i / BITS] >> (i % BITS) & 1;
}

static void frame_set(struct frame_pool *pool, size_t i, bool used)
{
	uint64_t bit = 1UL << (i % BITS);
	if (used)
		pool->bitmap[i / BITS] |= bit;
	else
		pool->bitmap[i / BITS] &= ~bit;
}

// Marks frames [first, last) used or free a word at a time; returns how many changed.
static size_t frame_set_span(struct frame_pool *pool, size_t first, size_t last, bool used)
{
	size_t changed = 0;
	while (first < last) {
		size_t bit = first % BITS;
		size_t n = last - first < BITS - bit ? last - first : BITS - bit;
		uint64_t mask = n == BITS ? ~0UL : ((1UL << n) - 1) << bit;
		uint64_t *word = &pool->bitmap[first / BITS];
		uint64_t old = *word;
		*word = used ? old | mask : old & ~mask;
		changed += (size_t)__builtin_popcountl(old ^ *word);
		first += n;
	}
	return changed;
}

size_t frame_bitmap_size(size_t frames)
{
	return (frames + BITS - 1) / BITS * sizeof(uint64_t);
}

void frame_pool_init(struct frame_pool *pool, uint64_t base, size_t frames, uint64_t *bitmap)
{
	*pool = (struct frame_pool){ .base = base, .frames = frames, .bitmap = bitmap };
	for (size_t w = 0; w < frame_bitmap_size(frames) / sizeof(uint64_t); w++)
		bitmap[w] = ~0UL;
}

// Clamps [start, end) to the pool and converts it to frame indices [*first, *last).
static bool frame_span(const struct frame_pool *pool, uint64_t start, uint64_t end,
		       bool inward, size_t *first, size_t *last)
{
	uint64_t limit = pool->base + pool->frames * FRAME_SIZE;
	start = start < pool->base ? pool->base : start;
	end = end > limit ? limit : end;
	if (start >= end)
		return false;
	uint64_t up = (start - pool->base + FRAME_SIZE - 1) / FRAME_SIZE;
	uint64_t down = (start - pool->base) / FRAME_SIZE;
	*first = inward ? up : down;
	*last = inward ? (end - pool->base) / FRAME_SIZE
		       : (end - pool->base + FRAME_SIZE - 1) / FRAME_SIZE;
	return *first < *last;
}

void frame_pool_add(struct frame_pool *pool, uint64_t start, uint64_t end)
{
	size_t first, last;
	spin_lock(&pool->lock);
	if (frame_span(pool, start, end, true, &first, &last)) {
		size_t freed = frame_set_span(pool, first, last, false);
		pool->low = first < pool->low ? first : pool->low;
		pool->free += freed;
		pool->usable += freed;
	}
	spin_unlock(&pool->lock);
}

size_t frame_pool_reserve(struct frame_pool *pool, uint64_t start, uint64_t end)
{
	size_t first, last, taken = 0;
	spin_lock(&pool->lock);
	if (frame_span(pool, start, end, false, &first, &last))
		taken = frame_set_span(pool, first, last, true);
	pool->free -= taken;
	pool->usable -= taken;
	spin_unlock(&pool->lock);
	return taken;
}

void frame_pool_counts(struct frame_pool *pool, size_t *usable, size_t *free)
{
	spin_lock(&pool->lock);
	*usable = pool->usable;
	*free = pool->free;
	spin_unlock(&pool->lock);
}

// Index of the first free frame in word w, which must have one.
static size_t first_free_in(const struct frame_pool *pool, size_t w)
{
	return w * BITS + (size_t)__builtin_ctzl(~pool->bitmap[w]);
}

uint64_t frame_alloc(struct frame_pool *pool)
{
	size_t words = frame_bitmap_size(pool->frames) / sizeof(uint64_t);
	uint64_t frame = FRAME_NONE;
	spin_lock(&pool->lock);
	for (size_t n = 0; pool->free && n < words; n++) {
		size_t w = (pool->hint + n) % words;
		if (pool->bitmap[w] == ~0UL)
			continue;
		size_t i = first_free_in(pool, w);
		if (i >= pool->frames)
			continue;
		frame_set(pool, i, true);
		pool->free--;
		pool->hint = w;
		frame = pool->base + i * FRAME_SIZE;
		break;
	}
	spin_unlock(&pool->lock);
	return frame;
}

// The first free frame at or after i (pool->frames or more: none), a bitmap word at a
// time: the run of used frames below the free ones is tens of thousands long.
static size_t next_free(const struct frame_pool *pool, size_t i)
{
	while (i < pool->frames) {
		uint64_t free_bits = ~pool->bitmap[i / BITS] & (~0UL << (i % BITS));
		if (free_bits)
			return i / BITS * BITS + (size_t)__builtin_ctzl(free_bits);
		i = (i / BITS + 1) * BITS;
	}
	return pool->frames;
}

uint64_t frame_alloc_contig(struct frame_pool *pool, size_t count, size_t align)
{
	uint64_t frame = FRAME_NONE;
	if (count == 0 || align == 0 || (align & (align - 1)))
		return FRAME_NONE;
	spin_lock(&pool->lock);
	// Alignment is of the physical address, not of the index.
	size_t skew = (size_t)(pool->base / FRAME_SIZE % align);
	pool->low = next_free(pool, pool->low);
	size_t start = pool->low;
	while (count <= pool->free) {
		start = (next_free(pool, start) + skew + align - 1) / align * align - skew;
		if (start >= pool->frames || count > pool->frames - start)
			break;
		size_t run = 0;
		while (run < count && !frame_used(pool, start + run))
			run++;
		if (run == count) {
			pool->free -= frame_set_span(pool, start, start + count, true);
			frame = pool->base + start * FRAME_SIZE;
			break;
		}
		start += run + 1;
	}
	spin_unlock(&pool->lock);
	return frame;
}

// The index of frame, an address of the pool's frames; false for any other.
static bool frame_index(const struct frame_pool *pool, uint64_t frame, size_t *i)
{
	if (frame < pool->base || (frame - pool->base) % FRAME_SIZE ||
	    (frame - pool->base) / FRAME_SIZE >= pool->frames)
		return false;
	*i = (frame - pool->base) / FRAME_SIZE;
	return true;
}

int frame_free(struct frame_pool *pool, uint64_t frame)
{
	size_t i;
	if (!frame_index(pool, frame, &i))
		return -EINVAL;
	int err = 0;
	spin_lock(&pool->lock);
	if (!frame_used(pool, i)) {
		err = -EALREADY;
	} else {
		frame_set(pool, i, false);
		pool->free++;
		pool->low = i < pool->low ? i : pool->low;
	}
	spin_unlock(&pool->lock);
	return err;
}

size_t frame_shares_size(size_t frames)
{
	return frames * sizeof(uint16_t);
}

void frame_pool_shares(struct frame_pool *pool, uint16_t *shares)
{
	pool->shares = shares;
}

int frame_share(struct frame_pool *pool, uint64_t frame)
{
	size_t i;
	if (!pool->shares || !frame_index(pool, frame, &i))
		return -EINVAL;
	uint16_t now = __atomic_load_n(&pool->shares[i], __ATOMIC_RELAXED);
	do {
		if (now == UINT16_MAX)
			return -EOVERFLOW;
	} while (!__atomic_compare_exchange_n(&pool->shares[i], &now, (uint16_t)(now + 1), true,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

bool frame_shared(const struct frame_pool *pool, uint64_t frame)
{
	size_t i;
	return pool->shares && frame_index(pool, frame, &i) &&
	       __atomic_load_n(&pool->shares[i], __ATOMIC_ACQUIRE) != 0;
}

// A holder that finds no other (the count 0) is the last: it frees the frame. Two that
// let go at once both see a count above 0 for one of them only.
int frame_put(struct frame_pool *pool, uint64_t frame)
{
	size_t i;
	if (pool->shares && frame_index(pool, frame, &i)) {
		uint16_t now = __atomic_load_n(&pool->shares[i], __ATOMIC_ACQUIRE);
		while (now)
			if (__atomic_compare_exchange_n(&pool->shares[i], &now, (uint16_t)(now - 1),
							true, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				return 0;
	}
	return frame_free(pool, frame);
}

int frame_free_range(struct frame_pool *pool, uint64_t first, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		int err = frame_free(pool, first + i * FRAME_SIZE);
		if (err)
			return err;
	}
	return 0;
}

static bool overlaps(uint64_t start, uint64_t size, const struct mem_range *range)
{
	return start < range->base + range->size && range->base < start + size;
}

uint64_t range_find_free(const struct mem_range *ram, unsigned ram_count,
			 const struct mem_range *used, unsigned used_count,
			 uint64_t size, uint64_t align)
{
	for (unsigned r = 0; r < ram_count; r++) {
		uint64_t end = ram[r].base + ram[r].size;
		uint64_t at = (ram[r].base + align - 1) / align * align;
		for (unsigned u = 0; u < used_count && at + size <= end; u++) {
			if (overlaps(at, size, &used[u])) {
				at = (used[u].base + used[u].size + align - 1) / align * align;
				u = -1u;	// moved: check every range again
			}
		}
		if (at >= ram[r].base && at + size <= end)
			return at;
	}
	return FRAME_NONE;
}
