#pragma once
// The kernel's symbol table, embedded at build time (tools/mksyms.sh) for backtraces.
#include <stddef.h>
#include <stdint.h>

struct ksym_table {
	size_t count;
	const uint64_t *addresses;	// ascending
	const uint32_t *name_offsets;	// into names
	const char *names;
	uint64_t end;			// first address past the last symbol's code
};

// The symbol containing addr and addr's offset in it, or NULL when addr is outside
// [first symbol, end).
const char *ksym_lookup(const struct ksym_table *table, uint64_t addr, uint64_t *offset);
