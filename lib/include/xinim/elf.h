#pragma once
// Validation of static AArch64 ELF executables, before anything is mapped.
// Used by the kernel's boot loader (kernel/exec.c) and PM's execve (servers/pm/exec.c).
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16
#define ELF_PHDR_BYTES 56	// an ELF64 program header (AT_PHENT)

enum { SEG_READ = 1, SEG_WRITE = 2, SEG_EXEC = 4 };

struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	unsigned prot;		// SEG_* bits
};

struct elf_image {
	uint64_t entry;
	uint64_t phdr_vaddr;	// where the program headers are once loaded (AT_PHDR), or 0
	unsigned phnum;
	unsigned count;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

// Checks a file of size bytes, whose first head_size bytes are at head (all of it, or at
// least its headers: PM reads the first page), and lists its loadable segments.
// 0, -ENOEXEC for a file that is not a static AArch64 executable (bad magic, class,
// machine or type, truncated headers or segments, program headers past head, an
// interpreter), -EINVAL for one that is but cannot be loaded (segments that overlap,
// that are writable and executable, or that reach past user_limit).
int elf_parse(const void *head, size_t head_size, uint64_t size, uint64_t user_limit,
	      struct elf_image *out);
