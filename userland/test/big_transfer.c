// Runs as init for tests/boot/served_meanwhile.sh: one huge getrandom (PM) and one huge
// read of /dev/zero (VFS), each timed in guest time (CNTVCT: the boots run under
// qemu -icount), while /bin/served_meanwhile, a program the kernel starts, times its own
// small calls to both servers. Prints what each call returned and when it ran.
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#define READ_BYTES (192UL << 20)
#define RANDOM_BYTES (16UL << 20)

static uint64_t ticks(void)
{
	uint64_t value;
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(value));
	return value;
}

static uint64_t hz(void)
{
	uint64_t value;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(value));
	return value;
}

static int zero_fd;

static long read_zero(char *buffer, size_t n)
{
	ssize_t got = read(zero_fd, buffer, n);
	return got < 0 ? -errno : got;
}

static long random_bytes(char *buffer, size_t n)
{
	ssize_t got = getrandom(buffer, n, 0);
	return got < 0 ? -errno : got;
}

// One timed call: "NAME: returned R (want W) from T0 to T1 ticks (MS ms)".
static void timed(const char *name, long (*call)(char *, size_t), char *buffer, size_t n)
{
	uint64_t start = ticks();
	long got = call(buffer, n);
	uint64_t end = ticks();
	printf("big_transfer: %s: returned %ld (want %ld) from %llu to %llu ticks (%llu ms)\n",
	       name, got, (long)n, (unsigned long long)start, (unsigned long long)end,
	       (unsigned long long)((end - start) * 1000 / hz()));
	fflush(stdout);
}

int main(void)
{
	char *buffer = mmap(NULL, READ_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
	zero_fd = open("/dev/zero", O_RDONLY);
	if (buffer == MAP_FAILED || zero_fd < 0)
		return printf("big_transfer: setup: %s: FAILED\n", strerror(errno)), 1;
	// Every page of the buffer is new: the read's copies fault each one in through MM.
	timed("read of /dev/zero", read_zero, buffer, READ_BYTES);
	bool zeros = buffer[0] == 0 && buffer[READ_BYTES / 2] == 0 && buffer[READ_BYTES - 1] == 0;
	printf("big_transfer: the buffer is zeros: %s\n", zeros ? "ok" : "FAILED");
	timed("getrandom", random_bytes, buffer, RANDOM_BYTES);
	return 0;
}
