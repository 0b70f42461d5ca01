// The memory the fuzzer's calls may touch: the arena (mapped again before every health
// check, whatever the calls did to it) and a read-only page no call may change.
#include <string.h>
#include <sys/mman.h>
#include <xinim/ipc/syscalls.h>
#include "fuzz.h"

#define N(name) XINIM_SYSCALL_NUMBER_##name

uint64_t fuzz_initial_brk;

struct iovec_entry {
	uint64_t base, length;
};

static unsigned char readonly_byte(size_t i)
{
	return (unsigned char)(i * 31 + 7);
}

static bool map_fixed(uint64_t start, uint64_t length, uint64_t prot)
{
	long got = fuzz_syscall(N(mmap), start, length, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				(uint64_t)-1, 0);
	return (uint64_t)got == start;
}

// The read-only page, once at the start: its bytes are a pattern fuzz_memory_intact checks.
static bool readonly_setup(void)
{
	if (!map_fixed(FUZZ_READONLY, FUZZ_PAGE, PROT_READ | PROT_WRITE))
		return false;
	unsigned char *page = (unsigned char *)(uintptr_t)FUZZ_READONLY;
	for (size_t i = 0; i < FUZZ_PAGE; i++)
		page[i] = readonly_byte(i);
	return fuzz_syscall(N(mprotect), FUZZ_READONLY, FUZZ_PAGE, PROT_READ, 0, 0, 0) == 0;
}

bool fuzz_memory_intact(void)
{
	const unsigned char *page = (const unsigned char *)(uintptr_t)FUZZ_READONLY;
	for (size_t i = 0; i < FUZZ_PAGE; i++)
		if (page[i] != readonly_byte(i))
			return false;
	return true;
}

// The arena's strings, iovecs (into its data pages, some with bad bases or lengths) and
// random bytes; the data pages stay zero; the last page is a path without an end.
static void arena_fill(uint64_t seed)
{
	char *strings = (char *)(uintptr_t)FUZZ_ARENA;
	size_t at = 0;
	for (unsigned i = 0; i < fuzz_path_count; i++) {
		fuzz_path_offsets[i] = (unsigned)at;
		size_t n = strlen(fuzz_paths[i]) + 1;
		memcpy(strings + at, fuzz_paths[i], n);
		at += n;
	}
	struct iovec_entry *iov = (struct iovec_entry *)(uintptr_t)(FUZZ_ARENA + FUZZ_PAGE * FUZZ_PAGE_IOVECS);
	static const uint64_t lengths[] = { 0, 1, 8, 64, 4096, 8192, 65536, UINT64_C(1) << 32, ~UINT64_C(0) };
	static const uint64_t bad[] = { 0, 16, FUZZ_READONLY, UINT64_C(0xffff000000000000), FUZZ_USER_TOP };
	uint64_t rng = seed;
	for (unsigned i = 0; i < FUZZ_IOVECS; i++) {
		uint64_t r = fuzz_next(&rng);
		iov[i].base = r % 8 ? FUZZ_ARENA + FUZZ_PAGE * FUZZ_PAGE_DATA + (r >> 8) % (FUZZ_PAGE * 8)
				    : bad[(r >> 8) % (sizeof(bad) / sizeof(bad[0]))];
		iov[i].length = lengths[(r >> 32) % (sizeof(lengths) / sizeof(lengths[0]))];
	}
	uint64_t *random = (uint64_t *)(uintptr_t)(FUZZ_ARENA + FUZZ_PAGE * FUZZ_PAGE_RANDOM);
	for (size_t i = 0; i < FUZZ_PAGE / 8; i++)
		random[i] = fuzz_next(&rng);
	memset((void *)(uintptr_t)(FUZZ_ARENA_END - FUZZ_PAGE), 'a', FUZZ_PAGE);
}

// The arena mapped afresh (one region again, however the calls split it), the heap back
// at its first break; false if MM refused. The first call also maps the read-only page.
bool fuzz_memory_reset(uint64_t seed)
{
	static bool started;
	if (!started) {
		started = true;
		fuzz_initial_brk = (uint64_t)fuzz_syscall(N(brk), 0, 0, 0, 0, 0, 0);
		if (!readonly_setup())
			return false;
	}
	if (fuzz_syscall(N(munmap), FUZZ_ARENA, FUZZ_ARENA_END - FUZZ_ARENA, 0, 0, 0, 0) != 0)
		return false;
	if (!map_fixed(FUZZ_ARENA, FUZZ_ARENA_END - FUZZ_ARENA, PROT_READ | PROT_WRITE))
		return false;
	arena_fill(seed);
	return (uint64_t)fuzz_syscall(N(brk), fuzz_initial_brk, 0, 0, 0, 0, 0) == fuzz_initial_brk;
}
