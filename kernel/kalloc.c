#include <string.h>
#include <kernel/kalloc.h>

#define FRAME 4096

static unsigned size_class(size_t size)
{
	unsigned shift = KALLOC_MIN_SHIFT;
	while ((1UL << shift) < size)
		shift++;
	return shift - KALLOC_MIN_SHIFT;
}

void kalloc_init(struct kalloc *heap, const struct kalloc_source *source)
{
	*heap = (struct kalloc){ .source = source };
}

// Cuts a fresh frame into objects of class c and puts them on its free list.
static int refill(struct kalloc *heap, unsigned c)
{
	char *frame = heap->source->frames(1);
	size_t object = 1UL << (c + KALLOC_MIN_SHIFT);
	if (!frame)
		return -1;
	for (size_t at = 0; at < FRAME; at += object) {
		*(void **)(frame + at) = heap->free[c];
		heap->free[c] = frame + at;
	}
	return 0;
}

void *kalloc(struct kalloc *heap, size_t size)
{
	if (size == 0)
		return NULL;
	if (size > (1UL << KALLOC_MAX_SHIFT))
		return heap->source->frames((size + FRAME - 1) / FRAME);
	unsigned c = size_class(size);
	spin_lock(&heap->lock);
	void *object = heap->free[c];
	if (!object && refill(heap, c) == 0)
		object = heap->free[c];
	if (object)
		heap->free[c] = *(void **)object;
	spin_unlock(&heap->lock);
	if (object)
		memset(object, 0, 1UL << (c + KALLOC_MIN_SHIFT));
	return object;
}

void kfree(struct kalloc *heap, void *object, size_t size)
{
	if (!object)
		return;
	if (size > (1UL << KALLOC_MAX_SHIFT)) {
		heap->source->free_frames(object, (size + FRAME - 1) / FRAME);
		return;
	}
	unsigned c = size_class(size);
	spin_lock(&heap->lock);
	*(void **)object = heap->free[c];
	heap->free[c] = object;
	spin_unlock(&heap->lock);
}
