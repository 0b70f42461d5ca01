// The kernel's heap: kalloc over the kernel frame pool.
#include <string.h>
#include <kernel/arch/aarch64/memory.h>
#include <kernel/frame.h>
#include <kernel/kalloc.h>

static void *heap_frames(size_t count)
{
	uint64_t first = frame_alloc_contig(&kernel_frames, count, 1);
	if (first == FRAME_NONE)
		return NULL;
	void *memory = phys_to_virt(first);
	memset(memory, 0, count * PAGE_SIZE);
	return memory;
}

static void heap_free_frames(void *first, size_t count)
{
	frame_free_range(&kernel_frames, virt_to_phys(first), count);
}

static const struct kalloc_source heap_source = { heap_frames, heap_free_frames };
static struct kalloc heap = { .source = &heap_source };

void *kmalloc(size_t size) { return kalloc(&heap, size); }
void kmfree(void *object, size_t size) { kfree(&heap, object, size); }
