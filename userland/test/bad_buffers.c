// Runs as init (tests/boot/bad_buffers.sh): system calls given buffers the caller may not
// access as the call needs, fd numbers with upper bits set, and vectors whose lengths
// overflow must get Linux 6.1's answers. One line per check: "NAME: ok" or "NAME: ... FAILED".
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

void *sbrk(intptr_t increment);

#define PAGE 4096
#define KERNEL_ADDRESS 0xffff000000001000UL

static int failures;

// The raw call's result must be want (a count, or -errno).
static void check(const char *name, long got, long want)
{
	bool ok = got == want;
	printf("%s: %ld (want %ld): %s\n", name, got, want, ok ? "ok" : "FAILED");
	failures += !ok;
}

static long raw(long number, long a, long b, long c)
{
	long r = syscall(number, a, b, c);
	return r == -1 ? -errno : r;
}

int main(void)
{
	char *pages = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED)
		return printf("mmap: %s: FAILED\n", strerror(errno)), 1;
	memset(pages, 'x', 3 * PAGE);
	char *none = pages, *readonly = pages + PAGE, *gone = pages + 2 * PAGE;
	mprotect(none, PAGE, PROT_NONE);
	mprotect(readonly, PAGE, PROT_READ);
	munmap(gone, PAGE);
	int null = open("/dev/null", O_WRONLY), zero = open("/dev/zero", O_RDONLY);

	check("write from a PROT_NONE page", raw(SYS_write, 1, (long)none, 16), -EFAULT);
	char *fresh = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("write from a fresh PROT_NONE mapping", raw(SYS_write, 1, (long)fresh, 16), -EFAULT);
	char *later = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(later, PAGE, PROT_NONE);
	check("write from an untouched page made PROT_NONE", raw(SYS_write, 1, (long)later, 16),
	      -EFAULT);
	check("write from address 16", raw(SYS_write, 1, 16, 16), -EFAULT);
	check("write to the console from a kernel address", raw(SYS_write, 1, KERNEL_ADDRESS, 16),
	      -EFAULT);
	char *brk_end = sbrk(0);
	check("write from above the program break", raw(SYS_write, 1, (long)brk_end + 2 * PAGE, 16),
	      -EFAULT);
	check("write from below the stack region",
	      raw(SYS_write, 1, (long)&brk_end - (16L << 20), 16), -EFAULT);
	check("write from an unmapped page", raw(SYS_write, 1, (long)gone, 16), -EFAULT);
	check("write to /dev/null from a kernel address", raw(SYS_write, null, KERNEL_ADDRESS, 16),
	      -EFAULT);
	check("write to /dev/null from an unmapped page", raw(SYS_write, null, (long)gone, 16), 16);
	check("read of /dev/zero into a read-only page", raw(SYS_read, zero, (long)readonly, 16),
	      -EFAULT);
	check("read of /dev/zero into a PROT_NONE page", raw(SYS_read, zero, (long)none, 16),
	      -EFAULT);
	check("getrandom into a read-only page", raw(SYS_getrandom, (long)readonly, 16, 0), -EFAULT);
	check("readonly page unchanged", readonly[0] == 'x' && readonly[15] == 'x', 1);

	long fd_high = (1L << 32) + null;	// Linux takes the fd as an int
	check("write to the /dev/null fd plus 1 << 32", raw(SYS_write, fd_high, (long)readonly, 16),
	      16);
	static char buffer[16];
	check("read of the /dev/zero fd plus 1 << 32",
	      raw(SYS_read, (1L << 32) + zero, (long)buffer, 16), 16);
	// Linux 6.1 (import_iovec): a length that is no ssize_t is -EINVAL; lengths that sum
	// past SSIZE_MAX reach past the user limit first, -EFAULT.
	struct iovec negative[2] = { { readonly, 2 }, { readonly, (size_t)-2 } };
	check("writev with a negative length", raw(SYS_writev, null, (long)negative, 2), -EINVAL);
	struct iovec huge[2] = { { readonly, SSIZE_MAX }, { readonly, 2 } };
	check("writev whose lengths overflow ssize_t", raw(SYS_writev, null, (long)huge, 2), -EFAULT);

	printf("%d failures\n", failures);
	return failures != 0;
}
