// Touches every page of a mapping larger than the machine's memory: the kernel runs out
// of frames for faults MM allows, and must end this program for want of memory (as
// Linux's OOM killer does, SIGKILL), saying so, with the rest of the system unharmed.
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define SIZE (UINT64_C(1) << 30)
#define PAGE 4096

int main(void)
{
	volatile char *memory = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (memory == MAP_FAILED) {
		printf("oom_touch: mmap of 1 GiB failed: FAILED\n");
		return 1;
	}
	printf("oom_touch: touching 1 GiB\n");
	fflush(stdout);
	for (uint64_t at = 0; at < SIZE; at += PAGE)
		memory[at] = 1;
	printf("oom_touch: every page was there: FAILED\n");
	return 1;
}
