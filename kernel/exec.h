#pragma once
// Loading a static ELF program into a new address space, with its initial stack.
#include <stddef.h>
#include <stdint.h>
#include <kernel/arch/aarch64/uvm.h>

struct exec_image {
	uint64_t entry;
	uint64_t sp;
};

// Validates file (elf_parse), then fills as, which must be empty: every loadable
// segment in fresh pages with its own permissions (never writable and executable),
// .bss zeroed, and a stack of USER_STACK_SIZE below USER_STACK_TOP with argv.
// 0 or a negative errno; on error as may hold pages (the caller destroys it).
int exec_load(struct aspace *as, const void *file, size_t size, int argc,
	      const char *const argv[], struct exec_image *out);
