#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <xinim/elf.h>

#define PAGE 4096UL

struct elf64_header {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf64_header) == 64, "ELF64 header");
_Static_assert(sizeof(struct elf64_phdr) == ELF_PHDR_BYTES, "ELF64 program header");

enum {
	ET_EXEC = 2,
	EM_AARCH64 = 183,
	PT_LOAD = 1,
	PT_INTERP = 3,
	PF_X = 1,
	PF_W = 2,
	PF_R = 4,
	MAX_PHNUM = 64,
};

static int check_header(const struct elf64_header *h, size_t size)
{
	static const uint8_t ident[7] = { 0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */, 1 };
	if (size < sizeof(*h) || memcmp(h->ident, ident, sizeof(ident)) != 0)
		return -ENOEXEC;
	if (h->type != ET_EXEC || h->machine != EM_AARCH64 || h->version != 1)
		return -ENOEXEC;
	if (h->phentsize != sizeof(struct elf64_phdr) || h->phnum == 0 || h->phnum > MAX_PHNUM)
		return -ENOEXEC;
	if (h->phoff > size || (size - h->phoff) / sizeof(struct elf64_phdr) < h->phnum)
		return -ENOEXEC;
	return 0;
}

static uint64_t page_down(uint64_t a) { return a & ~(PAGE - 1); }
static uint64_t page_up(uint64_t a) { return (a + PAGE - 1) & ~(PAGE - 1); }

static int check_segment(const struct elf64_phdr *p, uint64_t size, uint64_t user_limit)
{
	if (p->filesz > p->memsz || p->offset > size || p->filesz > size - p->offset)
		return -ENOEXEC;
	if (p->vaddr >= user_limit || p->memsz > user_limit - p->vaddr ||
	    page_up(p->vaddr + p->memsz) > user_limit)
		return -EINVAL;
	if ((p->flags & PF_W) && (p->flags & PF_X))
		return -EINVAL;	// W^X
	return 0;
}

static bool pages_overlap(const struct elf_segment *a, const struct elf_segment *b)
{
	return page_down(a->vaddr) < page_up(b->vaddr + b->memsz) &&
	       page_down(b->vaddr) < page_up(a->vaddr + a->memsz);
}

static int add_segment(struct elf_image *out, const struct elf64_phdr *p)
{
	if (out->count == ELF_MAX_SEGMENTS)
		return -ENOEXEC;
	struct elf_segment s = {
		.vaddr = p->vaddr, .memsz = p->memsz, .offset = p->offset, .filesz = p->filesz,
		.prot = (p->flags & PF_R ? SEG_READ : 0) | (p->flags & PF_W ? SEG_WRITE : 0) |
			(p->flags & PF_X ? SEG_EXEC : 0),
	};
	for (unsigned i = 0; i < out->count; i++)
		if (pages_overlap(&s, &out->segments[i]))
			return -EINVAL;
	out->segments[out->count++] = s;
	return 0;
}

static bool entry_is_code(const struct elf_image *image)
{
	for (unsigned i = 0; i < image->count; i++) {
		const struct elf_segment *s = &image->segments[i];
		if ((s->prot & SEG_EXEC) && image->entry >= s->vaddr &&
		    image->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

int elf_parse(const void *head, size_t head_size, uint64_t size, uint64_t user_limit,
	      struct elf_image *out)
{
	struct elf64_header h;
	memset(out, 0, sizeof(*out));
	if (head_size > size)
		head_size = (size_t)size;
	if (head_size < sizeof(h))
		return -ENOEXEC;
	memcpy(&h, head, sizeof(h));	// the file need not be aligned
	int err = check_header(&h, head_size);
	if (err)
		return err;
	out->entry = h.entry;
	out->phnum = h.phnum;
	for (unsigned i = 0; i < h.phnum; i++) {
		struct elf64_phdr p;
		memcpy(&p, (const uint8_t *)head + h.phoff + i * sizeof(p), sizeof(p));
		if (p.type == PT_INTERP)
			return -ENOEXEC;
		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		if ((err = check_segment(&p, size, user_limit)) || (err = add_segment(out, &p)))
			return err;
		if (h.phoff >= p.offset && h.phoff - p.offset < p.filesz)
			out->phdr_vaddr = p.vaddr + (h.phoff - p.offset);
	}
	if (out->count == 0 || !entry_is_code(out))
		return -ENOEXEC;
	return 0;
}
