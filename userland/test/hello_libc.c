// An ordinary C program, built unchanged against musl (hello-musl) and dietlibc
// (hello-diet): every system call it makes is served by VFS, PM or MM. It checks what it
// gets and exits 0 only when all of it was right; tests/boot/first_light.sh reads it.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int failures;

// dietlibc has no syscall(): a number Linux does not have, made by hand.
static long raw_syscall(long number)
{
	register long x0 __asm__("x0") = 0;
	register long x8 __asm__("x8") = number;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8) : "memory");
	return x0;
}

static void check(int ok, const char *what)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

// Touches every page, so that each is a fault MM resolves with a fresh page; calloc's
// memory must read as zero (musl trusts fresh mappings to be zeroed, as MM's are).
static void allocate(size_t size)
{
	unsigned char *block = malloc(size), *zeros = calloc(1, size);
	int right = block && zeros;
	for (size_t i = 0; right && i < size; i += 4096)
		block[i] = (unsigned char)(i >> 12);
	for (size_t i = 0; right && i < size; i += 4096)
		right = block[i] == (unsigned char)(i >> 12) && zeros[i] == 0 && zeros[i + 4095] == 0;
	char what[48];
	snprintf(what, sizeof(what), "malloc and calloc %zu KiB", size / 1024);
	check(right, what);
	free(block);
	free(zeros);
}

static void read_file(const char *path)
{
	char text[256] = "";
	int fd = open(path, O_RDONLY);
	ssize_t got = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	struct stat st;
	int stated = stat(path, &st) == 0;
	printf("%s: %ld bytes: %.*s", path, (long)got, (int)strcspn(text, "\n") + 1, text);
	check(fd >= 0 && got > 0, "open and read");
	check(stated && S_ISREG(st.st_mode) && st.st_size == got, "stat");
	check(fd >= 0 && close(fd) == 0 && close(fd) == -1 && errno == EBADF, "close");
}

static void bad_pointers(void)
{
	int fd = open("/etc/issue", O_RDONLY);
	check(read(fd, (void *)16, 8) == -1 && errno == EFAULT, "read into a bad pointer: EFAULT");
	check(write(1, (void *)16, 8) == -1 && errno == EFAULT, "write from a bad pointer: EFAULT");
	check(open((const char *)16, O_RDONLY) == -1 && errno == EFAULT, "open a bad path: EFAULT");
	check(open("/no/such/file", O_RDONLY) == -1 && errno == ENOENT, "open a missing file: ENOENT");
	close(fd);
}

int main(int argc, char **argv)
{
	printf("hello from %s (%d arguments): pid %d\n", argv[0], argc, (int)getpid());
	check(getpid() == 1, "getpid is 1");
	allocate(1 << 20);
	allocate(8 << 20);
	read_file("/etc/issue");
	bad_pointers();
	check(raw_syscall(500) == -ENOSYS, "an unknown system call: ENOSYS");
	// QEMU's RTC starts at the host's time: the real time is today's, not 1970's.
	check(time(NULL) > 1577836800, "time is after 2020-01-01");
	printf("%s: %d failures\n", argv[0], failures);
	return failures ? 1 : 0;
}
