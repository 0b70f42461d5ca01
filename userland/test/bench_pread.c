// Instructions per pread() of 4 KiB from a file VFS serves from memory (the boot
// archive's /service/pm), as an unmodified musl program run as PID 1 makes it, from
// CNTVCT under -icount shift=0 (16 instructions per tick). Linux's reference is the
// same call on tmpfs (docs/PLATFORM figures in tools/bench.sh).
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <xinim/runtime.h>

#define CALLS 2000
#define SIZE 4096

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	static char buffer[SIZE];
	int fd = open("/service/pm", O_RDONLY);
	if (fd < 0 || pread(fd, buffer, SIZE, 0) != SIZE) {	// the first: keys, faults
		perror("bench_pread: /service/pm");
		return 1;
	}
	long sum = 0;
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		sum += pread(fd, buffer, SIZE, (off_t)(i % 16) * SIZE);
	uint64_t ticks = counter_ticks() - start;
	if (sum != (long)CALLS * SIZE) {
		printf("bench_pread: %ld bytes read, not %ld\n", sum, (long)CALLS * SIZE);
		return 1;
	}
	printf("bench pread_4k %llu instructions (%d calls, %llu ticks)\n",
	       (unsigned long long)(ticks * 16 / CALLS), CALLS, (unsigned long long)ticks);
	return 0;
}
