// Instructions per mmap of anonymous private memory, a write to each of its pages (each a
// fault that brings a fresh zeroed page) and its munmap, as an unmodified musl program
// makes them (bench.h): mmap_touch_1page for one page, mmap_touch_1mib for 256.
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <sys/mman.h>
#include "bench.h"

#define PAGE 4096

static bool map_touch_unmap(size_t size)
{
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return false;
	for (size_t at = 0; at < size; at += PAGE)
		m[at] = 1;
	return munmap(m, size) == 0;
}

static bool measure(const char *name, size_t size, int rounds)
{
	bool right = map_touch_unmap(size);	// the first: MM's keys, the tables' pages
	uint64_t start = counter_ticks();
	for (int i = 0; i < rounds && right; i++)
		right = map_touch_unmap(size);
	uint64_t ticks = counter_ticks() - start;
	if (!right) {
		perror(name);
		return false;
	}
	bench_report(name, ticks, rounds);
	return true;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	return measure("mmap_touch_1page", PAGE, 1000) && measure("mmap_touch_1mib", 1 << 20, 20)
		       ? 0 : 1;
}
