#include <errno.h>
#include <string.h>
#include <kernel/arch/aarch64/hwcap.h>
#include <xinim/elf.h>
#include <kernel/exec.h>
#include <xinim/initstack.h>
#include <kernel/random.h>

static int load_segment(struct aspace *as, const uint8_t *file, const struct elf_segment *s)
{
	uint64_t first = s->vaddr & ~(PAGE_SIZE - 1);
	uint64_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t file_end = s->vaddr + s->filesz;
	for (uint64_t va = first; va < end; va += PAGE_SIZE) {
		void *page;
		int err = aspace_map_new(as, va, s->prot | PROT_READ, &page);
		if (err)
			return err;
		uint64_t from = va > s->vaddr ? va : s->vaddr;
		uint64_t to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
		if (from < to)
			memcpy((uint8_t *)page + (from - va), file + s->offset + (from - s->vaddr),
			       to - from);
	}
	return 0;
}

static int load_stack(struct aspace *as, const struct elf_image *image, int argc,
		      const char *const argv[], uint64_t *sp)
{
	void *page = NULL;
	for (uint64_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP; va += PAGE_SIZE) {
		int err = aspace_map_new(as, va, PROT_READ | PROT_WRITE, &page);
		if (err)
			return err;
	}
	uint8_t random[16];	// AT_RANDOM: musl seeds its stack protector with it
	random_bytes(random, sizeof(random));
	struct initstack stack = { .argc = argc, .argv = argv, .execfn = argv[0], .random = random };
	initstack_auxv(&stack, image, &(struct initstack_facts){ .hwcap = arch_hwcap() });
	// The arguments go in the top page, the last one mapped.
	*sp = initstack_build(page, PAGE_SIZE, USER_STACK_TOP, &stack);
	return *sp ? 0 : -E2BIG;
}

int exec_load(struct aspace *as, const void *file, size_t size, int argc,
	      const char *const argv[], struct exec_image *out)
{
	struct elf_image image;
	int err = elf_parse(file, size, size, USER_STACK_TOP - USER_STACK_SIZE, &image);
	for (unsigned i = 0; !err && i < image.count; i++)
		err = load_segment(as, file, &image.segments[i]);
	if (!err)
		err = load_stack(as, &image, argc, argv, &out->sp);
	out->entry = image.entry;
	return err;
}
