// sysinfo's free memory follows what a program maps: touching 8 MiB of anonymous memory
// takes at least 8 MiB from it, and unmapping gives all of it back, to the page (the
// kernel frees each frame and every page table the mapping needed). And /proc tells a
// terabyte mapped without a slow scan of it.
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>

#define SIZE (8UL << 20)

static unsigned long free_bytes(void)
{
	struct sysinfo info;
	if (sysinfo(&info) != 0)
		return 0;
	return info.freeram * info.mem_unit;
}

// A terabyte mapped and never touched: /proc/self/status tells its size, and its
// resident pages are not sought page by page (MM looks at 4 GiB a report at most).
static int proc_of_a_huge_mapping(void)
{
	const size_t huge = (size_t)1 << 40;
	char *p = mmap(NULL, huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		printf("a terabyte's mmap failed: WRONG\n");
		return 1;
	}
	unsigned long size_kb = 0;
	char line[128];
	FILE *status = fopen("/proc/self/status", "r");
	while (status && fgets(line, sizeof(line), status))
		sscanf(line, "VmSize: %lu kB", &size_kb);
	if (status)
		fclose(status);
	munmap(p, huge);
	printf("/proc/self/status with a terabyte mapped: VmSize %lu kB\n", size_kb);
	if (size_kb < huge >> 10) {
		printf("VmSize short of the terabyte: WRONG\n");
		return 1;
	}
	return 0;
}

int main(void)
{
	struct sysinfo info;
	int failures = 0;
	if (sysinfo(&info) != 0 || info.mem_unit == 0 || info.totalram == 0 ||
	    info.freeram > info.totalram) {
		printf("sysinfo: bad answer\n");
		return 1;
	}
	printf("sysinfo: %lu MiB of RAM, uptime %ld s\n",
	       info.totalram * info.mem_unit >> 20, info.uptime);
	unsigned long before = free_bytes();
	char *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	memset(p, 1, SIZE);
	unsigned long during = free_bytes();
	munmap(p, SIZE);
	unsigned long after = free_bytes();
	if (before - during < SIZE) {
		printf("touching 8 MiB took only %lu KiB: WRONG\n", (before - during) >> 10);
		failures++;
	}
	if (after != before) {
		printf("after munmap free memory is %ld bytes off: WRONG\n", (long)(after - before));
		failures++;
	}
	failures += proc_of_a_huge_mapping();
	printf("memory_balance: %d failures\n", failures);
	return failures != 0;
}
