// Instructions per transfer of 4 KiB, as an unmodified musl program makes it (bench.h):
//   pread_4k          pread of 4 KiB from a file served from memory: the boot archive's
//                     /service/pm (on Linux, a copy on its tmpfs rootfs);
//   lseek_read_4k     lseek, then read of the same 4 KiB;
//   write_devnull_4k  write of 4 KiB to /dev/null.
// Reads walk the first 16 blocks (64 KiB) of the file, which is larger.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "bench.h"

#define CALLS 2000
#define SIZE 4096
#define BLOCKS 16

static char buffer[SIZE];

static off_t block(int i) { return (off_t)(i % BLOCKS) * SIZE; }

static ssize_t pread_block(int fd, int i) { return pread(fd, buffer, SIZE, block(i)); }

static ssize_t lseek_read_block(int fd, int i)
{
	return lseek(fd, block(i), SEEK_SET) == block(i) ? read(fd, buffer, SIZE) : -1;
}

static ssize_t write_block(int fd, int i)
{
	(void)i;
	return write(fd, buffer, SIZE);
}

static const struct transfer {
	const char *name, *path;
	int flags;
	ssize_t (*once)(int fd, int i);	// the bytes moved: SIZE when right
} transfers[] = {
	{ "pread_4k", "/service/pm", O_RDONLY, pread_block },
	{ "lseek_read_4k", "/service/pm", O_RDONLY, lseek_read_block },
	{ "write_devnull_4k", "/dev/null", O_WRONLY, write_block },
};

static int measure(const struct transfer *t)
{
	int fd = open(t->path, t->flags);
	if (fd < 0 || t->once(fd, 0) != SIZE) {	// the first: keys, faults
		perror(t->path);
		return 0;
	}
	long moved = 0;
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS; i++)
		moved += t->once(fd, i);
	uint64_t ticks = counter_ticks() - start;
	close(fd);
	if (moved != (long)CALLS * SIZE) {
		printf("bench_pread: %s moved %ld bytes, not %ld\n", t->name, moved, (long)CALLS * SIZE);
		return 0;
	}
	bench_report(t->name, ticks, CALLS);
	return 1;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (size_t i = 0; i < sizeof(transfers) / sizeof(transfers[0]); i++)
		if (!measure(&transfers[i]))
			return 1;
	return 0;
}
