// Runs as init for tests/boot/mm_refused.sh: memory calls Linux refuses must fail with
// Linux's errno and change nothing. Above all a failed MAP_FIXED mmap must not have
// unmapped anything first: after each refusal this program still runs, and its data,
// heap and mappings still hold what it wrote. Also: 65,530 regions per process (Linux's
// vm.max_map_count) and brk cycles far past 4 GiB.
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL
#define WORDS (3 * PAGE / sizeof(unsigned long))

static unsigned long data[WORDS];	// three pages of .bss
static unsigned long *heap;
static unsigned long *mapping;	// four pages of anonymous memory
static int failures;

static void fill(unsigned long *p, size_t n, unsigned long seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = seed * 1000003 + i;
}

static bool holds(const unsigned long *p, size_t n, unsigned long seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != seed * 1000003 + i)
			return false;
	return true;
}

static void report(const char *what, bool ok)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

// Whether the memory this program wrote is all still there.
static void intact(const char *after)
{
	char what[128];
	snprintf(what, sizeof(what), "memory intact after %s", after);
	report(what, holds(data, WORDS, 1) && holds(heap, WORDS, 2) &&
			     holds(mapping, 4 * PAGE / sizeof(unsigned long), 3));
}

// The raw system call (musl's mmap wrapper refuses some arguments itself).
static long raw_mmap(uintptr_t addr, size_t length, long prot, long flags, long fd, long off)
{
	long r = syscall(SYS_mmap, addr, length, prot, flags, fd, off);
	return r == -1 ? -errno : r;
}

static void refused(const char *what, long result, int error)
{
	char line[160];
	snprintf(line, sizeof(line), "%s: %s (want %s)", what,
		 result < 0 && result > -4096 ? strerror((int)-result) : "it worked",
		 strerror(error));
	report(line, result == -error);
}

#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static void bad_mmaps(void)
{
	refused("mmap MAP_FIXED 64 MiB at 0", raw_mmap(0, 64 << 20, RW, ANON | MAP_FIXED, -1, 0),
		EPERM);
	intact("MAP_FIXED at 0");
	refused("mmap MAP_FIXED at 0x1000", raw_mmap(0x1000, PAGE, RW, ANON | MAP_FIXED, -1, 0),
		EPERM);
	long moved = raw_mmap(0x1000, PAGE, RW, ANON, -1, 0);
	report("mmap hint 0x1000 is moved above 64 KiB", moved >= 0x10000);
	if (moved > 0)
		munmap((void *)moved, PAGE);
	refused("mmap length 0", raw_mmap(0, 0, RW, ANON, -1, 0), EINVAL);
	refused("mmap length rounding up to 0", raw_mmap(0, -100UL, RW, ANON, -1, 0), ENOMEM);
	refused("mmap length 2^48", raw_mmap(0, 1UL << 48, RW, ANON, -1, 0), ENOMEM);
	refused("mmap MAP_FIXED at a kernel address",
		raw_mmap(0xffff000000000000UL, PAGE, RW, ANON | MAP_FIXED, -1, 0), ENOMEM);
	refused("mmap MAP_FIXED across the user limit",
		raw_mmap((1UL << 47) - PAGE, 2 * PAGE, RW, ANON | MAP_FIXED, -1, 0), ENOMEM);
	refused("mmap an unaligned offset", raw_mmap(0, PAGE, RW, ANON, -1, 100), EINVAL);
	refused("mmap a file mapping of fd -1", raw_mmap(0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0),
		EBADF);
	refused("mmap writable and executable (W^X, deliberate)",
		raw_mmap(0, PAGE, RW | PROT_EXEC, ANON, -1, 0), EACCES);
	intact("the refused mmaps");
	refused("madvise unknown advice", madvise(mapping, PAGE, 12345) ? -errno : 0, EINVAL);
}

// Alternate protections on one big mapping until the region table is full: Linux allows
// 65,530 regions. Then a MAP_FIXED mmap that would split a region must fail whole.
static void full_table(void)
{
	const size_t pages = 70000;
	char *big = mmap(NULL, pages * PAGE, RW, ANON, -1, 0);
	report("mmap of 70,000 pages", big != MAP_FAILED);
	if (big == MAP_FAILED)
		return;
	size_t calls = 0;
	int error = 0;
	for (size_t page = 1; page + 1 < pages; page += 2, calls++) {
		if (mprotect(big + page * PAGE, PAGE, PROT_READ) != 0) {
			error = errno;
			break;
		}
	}
	// The mappings before (text, data, heap, stack, ours) take some of the 65,530.
	printf("alternate mprotects before the table was full: %zu (%s)\n", calls,
	       error ? strerror(error) : "never full");
	report("more than 32,000 alternate mprotects succeed", calls > 32000);
	report("then mprotect fails with ENOMEM", error == ENOMEM);
	refused("mmap MAP_FIXED splitting a region with the table full",
		raw_mmap((uintptr_t)mapping + PAGE, PAGE, PROT_READ, ANON | MAP_FIXED, -1, 0),
		ENOMEM);
	intact("MAP_FIXED with the table full");
	report("munmap of the big mapping", munmap(big, pages * PAGE) == 0);
}

// 2,000 cycles of the break up by 8 MiB (its top page touched) and down by 4 MiB: as on
// Linux, the heap goes on past 4 GiB (to 7.8 GiB), then all the way back.
static void brk_cycles(void)
{
	const long step = 4 << 20;
	long base = syscall(SYS_brk, 0), brk = base;
	int done = 0;
	for (; done < 2000; done++) {
		if (syscall(SYS_brk, brk + 2 * step) != brk + 2 * step)
			break;
		((volatile char *)(brk + 2 * step))[-1] = 1;
		brk += step;
		if (syscall(SYS_brk, brk) != brk)
			break;
	}
	printf("brk grow and shrink cycles: %d of 2000\n", done);
	report("2000 brk cycles", done == 2000);
	report("brk back to its start", syscall(SYS_brk, base) == base);
}

int main(void)
{
	heap = malloc(3 * PAGE);
	mapping = mmap(NULL, 4 * PAGE, RW, ANON, -1, 0);
	if (!heap || mapping == MAP_FAILED) {
		printf("setup failed: FAILED\n");
		return 1;
	}
	fill(data, WORDS, 1);
	fill(heap, WORDS, 2);
	fill(mapping, 4 * PAGE / sizeof(unsigned long), 3);
	bad_mmaps();
	brk_cycles();
	full_table();
	intact("everything");
	printf("%d failures\n", failures);
	return failures != 0;
}
