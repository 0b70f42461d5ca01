// The health check between rounds of random calls: each server must still answer a
// plain call correctly, and the fuzzer's own memory must be as it was. Raw system calls
// throughout, so that no libc state hides a wrong answer.
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <xinim/ipc/syscalls.h>
#include "fuzz.h"

#define N(name) XINIM_SYSCALL_NUMBER_##name
#define FDS_CLOSED 64	// fds 3 and up to this are closed before each check

static int failures;

static void check(bool ok, const char *server, const char *what, long got)
{
	if (ok)
		return;
	failures++;
	fuzz_say("fuzz: health: %s: %s: FAILED (got %ld)\n", server, what, got);
}

#define SYS(name, ...) fuzz_syscall(N(name), __VA_ARGS__)

// VFS: the fds the calls opened close (or were not open); fd 1 is the console; a file
// of the boot archive opens and reads as it should.
static void check_vfs(void)
{
	for (uint64_t fd = 3; fd < FDS_CLOSED; fd++) {
		long got = SYS(close, fd, 0, 0, 0, 0, 0);
		check(got == 0 || got == -EBADF, "vfs", "close of an fd the calls opened", got);
	}
	struct stat st;
	long got = SYS(fstat, 1, (uint64_t)(uintptr_t)&st, 0, 0, 0, 0);
	check(got == 0 && S_ISCHR(st.st_mode), "vfs", "fstat(1) is a character device", got);
	long fd = SYS(openat, (uint64_t)-100, (uint64_t)(uintptr_t)"/etc/issue", 0, 0, 0, 0);
	check(fd == 3, "vfs", "open /etc/issue gives the lowest free fd, 3", fd);
	char text[16] = "";
	got = fd >= 0 ? SYS(read, (uint64_t)fd, (uint64_t)(uintptr_t)text, sizeof(text), 0, 0, 0) : fd;
	check(got == 6 && memcmp(text, "XINIM\n", 6) == 0, "vfs", "read /etc/issue: XINIM", got);
	got = fd >= 0 ? SYS(close, (uint64_t)fd, 0, 0, 0, 0, 0) : fd;
	check(got == 0, "vfs", "close /etc/issue", got);
}

// PM: the fuzzer is PID 1 with no parent, the system is XINIM, time goes forward.
static void check_pm(void)
{
	long got = SYS(getpid, 0, 0, 0, 0, 0, 0);
	check(got == 1, "pm", "getpid is 1", got);
	got = SYS(getppid, 0, 0, 0, 0, 0, 0);
	check(got == 0, "pm", "getppid is 0", got);
	struct utsname u;
	got = SYS(uname, (uint64_t)(uintptr_t)&u, 0, 0, 0, 0, 0);
	check(got == 0 && strcmp(u.sysname, "XINIM") == 0, "pm", "uname: XINIM", got);
	static struct timespec last;
	struct timespec now;
	got = SYS(clock_gettime, CLOCK_MONOTONIC, (uint64_t)(uintptr_t)&now, 0, 0, 0, 0);
	bool forward = now.tv_sec > last.tv_sec || (now.tv_sec == last.tv_sec && now.tv_nsec > last.tv_nsec);
	check(got == 0 && forward, "pm", "CLOCK_MONOTONIC goes forward", got);
	last = now;
}

// MM: the arena maps again; a fresh page reads zero, takes a write and unmaps; the
// read-only page is unchanged.
static void check_mm(uint64_t seed)
{
	check(fuzz_memory_reset(seed), "mm", "the arena unmapped, mapped again, brk reset", 0);
	long got = SYS(mmap, 0, FUZZ_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       (uint64_t)-1, 0);
	bool mapped = got > 0 && (got & (FUZZ_PAGE - 1)) == 0 && (uint64_t)got < FUZZ_USER_TOP;
	check(mapped, "mm", "mmap of a page", got);
	if (mapped) {
		volatile unsigned char *page = (volatile unsigned char *)(uintptr_t)got;
		bool zero = page[0] == 0 && page[FUZZ_PAGE - 1] == 0;
		page[0] = 1;
		check(zero && page[0] == 1, "mm", "a fresh page reads zero and takes a write", 0);
		long unmapped = SYS(munmap, (uint64_t)got, FUZZ_PAGE, 0, 0, 0, 0);
		check(unmapped == 0, "mm", "munmap of the page", unmapped);
	}
	check(fuzz_memory_intact(), "kernel", "the read-only page is unchanged", 0);
}

// Files for the calls to work on, as fds 3 and up: a file, the devices, a directory.
static void open_fds(void)
{
	static const char *const paths[] = { "/etc/issue", "/dev/null", "/dev/zero", "/bin", "/" };
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		long fd = SYS(openat, (uint64_t)-100, (uint64_t)(uintptr_t)paths[i], 02 * (i == 1 || i == 2),
			      0, 0, 0);
		check(fd == 3 + i, "vfs", "open of a file for the calls", fd);
	}
}

// The check; it leaves fds 3 to 7 open for the next calls.
int fuzz_health(uint64_t seed)
{
	failures = 0;
	check_mm(seed);
	check_vfs();
	check_pm();
	open_fds();
	return failures;
}
