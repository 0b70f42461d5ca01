#include <stdbool.h>
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

static size_t object_size(unsigned c) { return 1UL << (c + KALLOC_MIN_SHIFT); }

static struct kalloc_slab *slab_of(void *object)
{
	return (struct kalloc_slab *)((uintptr_t)object & ~(uintptr_t)(FRAME - 1));
}

static void partial_add(struct kalloc *heap, struct kalloc_slab *slab)
{
	slab->prev = NULL;
	slab->next = heap->partial[slab->class];
	if (slab->next)
		slab->next->prev = slab;
	heap->partial[slab->class] = slab;
}

static void partial_remove(struct kalloc *heap, struct kalloc_slab *slab)
{
	*(slab->prev ? &slab->prev->next : &heap->partial[slab->class]) = slab->next;
	if (slab->next)
		slab->next->prev = slab->prev;
}

// Cuts a fresh frame into objects of class c after its head; false without a frame.
static bool refill(struct kalloc *heap, unsigned c)
{
	struct kalloc_slab *slab = heap->source->frames(1);
	if (!slab)
		return false;
	*slab = (struct kalloc_slab){ .class = c };
	for (size_t at = FRAME - object_size(c); at >= object_size(c); at -= object_size(c)) {
		void **object = (void **)((char *)slab + at);
		*object = slab->free;
		slab->free = object;
	}
	partial_add(heap, slab);
	return true;
}

_Static_assert(sizeof(struct kalloc_slab) <= (1UL << KALLOC_MIN_SHIFT), "a head fits a slot");

void *kalloc(struct kalloc *heap, size_t size)
{
	if (size == 0)
		return NULL;
	if (size > (1UL << KALLOC_MAX_SHIFT))
		return heap->source->frames((size + FRAME - 1) / FRAME);
	unsigned c = size_class(size);
	spin_lock(&heap->lock);
	struct kalloc_slab *slab = heap->partial[c];
	if (!slab && refill(heap, c))
		slab = heap->partial[c];
	void *object = NULL;
	if (slab) {
		object = slab->free;
		slab->free = *(void **)object;
		slab->used++;
		if (!slab->free)
			partial_remove(heap, slab);
	}
	spin_unlock(&heap->lock);
	if (object)
		memset(object, 0, object_size(c));
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
	struct kalloc_slab *slab = slab_of(object);
	spin_lock(&heap->lock);
	if (!slab->free)
		partial_add(heap, slab);	// it was full
	*(void **)object = slab->free;
	slab->free = object;
	bool empty = --slab->used == 0;
	if (empty)
		partial_remove(heap, slab);
	spin_unlock(&heap->lock);
	if (empty)
		heap->source->free_frames(slab, 1);
}
