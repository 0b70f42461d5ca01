// VFS as a server: its ramfs is loaded from an archive built here, its thread serves
// vfs_table, and the test is PM (process start and end) and, through
// host_ipc_kernel_call, the kernel delivering each process's system calls.
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <libipc/ipc.h>
#include <xinim/ipc/syscalls.h>
#include <vfs/vfs.h>
#include "archive.h"
#include "harness.h"

#define FDS 128		// VFS's fd table (fd.c)
// <signal.h>'s and <termios.h>'s (which clash with harness.h's) as Linux numbers them.
enum { SIGTTIN_NUMBER = 21, SIGTTOU_NUMBER = 22, TOSTOP_BIT = 0x100 };
#define CWD ((uint64_t)(int64_t)AT_FDCWD)

static const char motd[] = "hello, world\n";
static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "etc", .mode = S_IFDIR | 0755 },
	{ .path = "etc/motd", .mode = S_IFREG | 0644, .data = motd },
	{ .path = "etc/motd.link", .mode = S_IFLNK | 0777, .data = "motd" },
	{ .path = "etc/empty", .mode = S_IFREG | 0644 },
	{ .path = "bin/tool", .mode = S_IFREG | 0755, .data = "#!tool\n" },	// no "bin" before
	{ .path = "home/user", .mode = S_IFDIR | 0750, .uid = 1000, .gid = 100 },
	{ .path = "home/user/notes", .mode = S_IFREG | 0640, .uid = 1000, .gid = 100,
	  .data = "private" },
	{ .path = "loop/a", .mode = S_IFLNK | 0777, .data = "b" },
	{ .path = "loop/b", .mode = S_IFLNK | 0777, .data = "a" },
	{ .path = "motd.absolute", .mode = S_IFLNK | 0777, .data = "/etc/motd" },
};
static struct proc vfs;
static xinim_endpoint_t who;	// the test's process, a fresh one for each test

// PM's message about a process: VFS's result.
static long proc_message(int32_t type, xinim_endpoint_t process, xinim_endpoint_t parent)
{
	struct xinim_vfs_proc proc = { .who = process, .parent = parent };
	struct xinim_msg msg = { .header = { .type = type, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
}

static long open_as(xinim_endpoint_t process, const char *path, uint64_t flags)
{
	return SYSCALL(vfs.endpoint, process, openat, CWD, ADDR(path), flags, 0);
}

static long open_path(const char *path, uint64_t flags) { return open_as(who, path, flags); }

static long close_fd(long fd) { return SYSCALL(vfs.endpoint, who, close, (uint64_t)fd); }

static long read_fd(long fd, void *buffer, size_t n)
{
	return SYSCALL(vfs.endpoint, who, read, (uint64_t)fd, ADDR(buffer), n);
}

static long seek(xinim_endpoint_t process, long fd, int64_t offset, uint64_t whence)
{
	return SYSCALL(vfs.endpoint, process, lseek, (uint64_t)fd, (uint64_t)offset, whence);
}

static struct stat stat_path(const char *path, int flags, long *result)
{
	struct stat st;
	memset(&st, 0xa5, sizeof(st));
	*result = SYSCALL(vfs.endpoint, who, newfstatat, CWD, ADDR(path), ADDR(&st),
			  (uint64_t)flags);
	return st;
}

static int group_setup(void **state)
{
	return archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0]));
}

// Each test runs in a new process that PM started without a parent: 0, 1 and 2 are on
// the console.
static int fresh_process(void **state)
{
	(void)state;
	who = fresh_endpoint();
	return (int)proc_message(XINIM_VFS_PROC_START, who, XINIM_ENDPOINT_NONE);
}

static void test_a_process_without_parent_starts_with_the_console_on_0_1_2(void **state)
{
	(void)state;
	struct stat st;
	for (long fd = 0; fd < 3; fd++) {
		assert_int_equal(SYSCALL(vfs.endpoint, who, fstat, (uint64_t)fd, ADDR(&st)), 0);
		assert_int_equal(st.st_mode, S_IFCHR | 0600);
		assert_int_equal(st.st_rdev, makedev(5, 1));
	}
	assert_int_equal(SYSCALL(vfs.endpoint, who, fstat, 3, ADDR(&st)), -EBADF);
}

static void test_open_takes_the_lowest_free_fd(void **state)
{
	(void)state;
	assert_int_equal(open_path("/etc/motd", O_RDONLY), 3);
	assert_int_equal(open_path("/etc/motd", O_RDONLY), 4);
	assert_int_equal(open_path("/etc/empty", O_RDONLY), 5);
	assert_int_equal(close_fd(4), 0);
	assert_int_equal(close_fd(1), 0);
	assert_int_equal(open_path("/etc", O_RDONLY | O_DIRECTORY), 1);
	assert_int_equal(open_path("etc/../etc/./motd", O_RDONLY), 4);	// relative to the root
}

static void test_closed_and_out_of_range_fds_are_ebadf(void **state)
{
	(void)state;
	char byte;
	assert_int_equal(close_fd(3), -EBADF);
	assert_int_equal(open_path("/etc/motd", O_RDONLY), 3);
	assert_int_equal(close_fd(3), 0);
	assert_int_equal(close_fd(3), -EBADF);
	assert_int_equal(close_fd(-1), -EBADF);
	assert_int_equal(close_fd(FDS), -EBADF);
	assert_int_equal(read_fd(3, &byte, 1), -EBADF);
	assert_int_equal(read_fd(FDS + 1, &byte, 1), -EBADF);
	assert_int_equal(seek(who, 3, 0, SEEK_SET), -EBADF);
}

static void test_a_full_fd_table_is_emfile(void **state)
{
	(void)state;
	for (long fd = 3; fd < FDS; fd++)
		assert_int_equal(open_path("/etc/motd", O_RDONLY), fd);
	assert_int_equal(open_path("/etc/motd", O_RDONLY), -EMFILE);
	assert_int_equal(close_fd(64), 0);
	assert_int_equal(open_path("/etc/motd", O_RDONLY), 64);
}

static void test_lookup_errors_of_openat(void **state)
{
	(void)state;
	char long_name[NAME_MAX_BYTES + 3], long_path[PATH_MAX_BYTES + 1];
	long_name[0] = '/';	// then one character more than a name may have
	memset(long_name + 1, 'n', NAME_MAX_BYTES + 1);
	long_name[NAME_MAX_BYTES + 2] = '\0';
	memset(long_path, '/', PATH_MAX_BYTES);
	long_path[PATH_MAX_BYTES] = '\0';
	static const struct {
		const char *path;
		int flags;
		long expected;
	} cases[] = {
		{ "/etc/missing", O_RDONLY, -ENOENT },
		{ "/nowhere/motd", O_RDONLY, -ENOENT },
		{ "", O_RDONLY, -ENOENT },
		{ "/etc/motd/inside", O_RDONLY, -ENOTDIR },
		{ "/etc/motd/", O_RDONLY, -ENOTDIR },
		{ "/loop/a", O_RDONLY, -ELOOP },
		{ "/etc/motd.link", O_RDONLY | O_NOFOLLOW, -ELOOP },
		{ "/etc/motd", O_RDONLY | O_DIRECTORY, -ENOTDIR },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(open_path(cases[i].path, cases[i].flags), cases[i].expected);
	assert_int_equal(open_path(long_name, O_RDONLY), -ENAMETOOLONG);
	assert_int_equal(open_path(long_path, O_RDONLY), -ENAMETOOLONG);
	assert_int_equal(open_path(NULL, O_RDONLY), -EFAULT);
	assert_int_equal(open_path("/etc/motd", O_RDONLY), 3);	// none of them took an fd
}

static void test_openat_resolves_relative_paths_from_dirfd(void **state)
{
	(void)state;
	long etc = open_path("/etc", O_RDONLY | O_DIRECTORY), file = open_path("/etc/motd", O_RDONLY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, openat, (uint64_t)etc, ADDR("motd"), O_RDONLY, 0),
			 5);
	assert_int_equal(SYSCALL(vfs.endpoint, who, openat, (uint64_t)file, ADDR("motd"), O_RDONLY, 0),
			 -ENOTDIR);
	assert_int_equal(SYSCALL(vfs.endpoint, who, openat, 99, ADDR("motd"), O_RDONLY, 0), -EBADF);
	// An absolute path ignores dirfd.
	assert_int_equal(SYSCALL(vfs.endpoint, who, openat, 99, ADDR("/etc/motd"), O_RDONLY, 0), 6);
}

static void test_symbolic_links_are_followed_relative_to_their_directory(void **state)
{
	(void)state;
	struct stat st;
	long result;
	assert_int_equal(open_path("/etc/motd.link", O_RDONLY), 3);
	assert_int_equal(open_path("/motd.absolute", O_RDONLY), 4);
	for (long fd = 3; fd <= 4; fd++) {
		assert_int_equal(SYSCALL(vfs.endpoint, who, fstat, (uint64_t)fd, ADDR(&st)), 0);
		assert_int_equal(st.st_mode, S_IFREG | 0644);
		assert_int_equal(st.st_size, sizeof(motd) - 1);
	}
	st = stat_path("/etc/motd.link", AT_SYMLINK_NOFOLLOW, &result);
	assert_int_equal(result, 0);
	assert_int_equal(st.st_mode, S_IFLNK | 0777);
	assert_int_equal(st.st_size, 4);	// "motd"
}

// What an fd was not opened for is refused, whatever the file allows (test_vfs_tmpfs.c
// writes files).
static void test_an_fd_moves_bytes_only_the_way_it_was_opened(void **state)
{
	(void)state;
	assert_int_equal(open_path("/etc/motd", O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	assert_int_equal(open_path("/etc", O_RDWR), -EISDIR);
	assert_int_equal(open_path("/etc", O_RDONLY | O_CREAT), -EISDIR);
	long fd = open_path("/etc/motd", O_RDONLY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)fd, ADDR("x"), 1), -EBADF);
	assert_int_equal(SYSCALL(vfs.endpoint, who, pwrite64, (uint64_t)fd, ADDR("x"), 1, 0), -EBADF);
}

// openat as Linux's build_open_how and build_open_flags: unknown and high bits are
// ignored, O_PATH keeps only O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC, O_TMPFILE needs
// O_DIRECTORY, no O_CREAT and write access, and names a directory; access mode 3 reads
// and writes nothing.
static void test_open_flags_as_linux(void **state)
{
	(void)state;
	long fd = open_path("/etc/motd", O_RDONLY | UINT64_C(1) << 32 | 0x40000000);
	assert_true(fd >= 0);
	char byte;
	assert_int_equal(read_fd(fd, &byte, 1), 1);
	long unnamed = open_path("/etc", O_TMPFILE | O_RDWR);
	assert_true(unnamed >= 0);
	assert_int_equal(close_fd(unnamed), 0);
	assert_int_equal(open_path("/etc/motd", O_TMPFILE | O_WRONLY), -ENOTDIR);
	assert_int_equal(open_path("/etc", O_TMPFILE | O_RDWR | O_CREAT), -EINVAL);
	assert_int_equal(open_path("/etc", O_TMPFILE | O_RDONLY), -EINVAL);
	assert_int_equal(open_path("/etc", (O_TMPFILE & ~O_DIRECTORY) | O_RDWR), -EINVAL);
	assert_int_equal(open_path("/etc/motd", ~(uint64_t)O_PATH), -EINVAL);	// O_TMPFILE, O_CREAT
	assert_int_equal(open_path("/etc/motd", ~UINT64_C(0)), -ENOTDIR);	// O_PATH keeps O_DIRECTORY
	fd = open_path("/dev/null", 3);
	assert_true(fd >= 0);
	assert_int_equal(read_fd(fd, &byte, 1), -EBADF);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)fd, ADDR("x"), 1), -EBADF);
}

static void test_read_moves_the_offset_and_pread_does_not(void **state)
{
	(void)state;
	char buffer[32] = { 0 };
	long fd = open_path("/etc/motd", O_RDONLY);
	assert_int_equal(read_fd(fd, buffer, 5), 5);
	assert_memory_equal(buffer, "hello", 5);
	assert_int_equal(SYSCALL(vfs.endpoint, who, pread64, (uint64_t)fd, ADDR(buffer), 5, 7), 5);
	assert_memory_equal(buffer, "world", 5);
	assert_int_equal(seek(who, fd, 0, SEEK_CUR), 5);
	assert_int_equal(read_fd(fd, buffer, sizeof(buffer)), sizeof(motd) - 1 - 5);
	assert_memory_equal(buffer, ", world\n", 8);
	assert_int_equal(read_fd(fd, buffer, sizeof(buffer)), 0);	// the end
	assert_int_equal(SYSCALL(vfs.endpoint, who, pread64, (uint64_t)fd, ADDR(buffer), 1,
				 (uint64_t)-1), -EINVAL);
	assert_int_equal(read_fd(fd, NULL, 1), 0);	// nothing left to copy to NULL
	assert_int_equal(seek(who, fd, 0, SEEK_SET), 0);
	assert_int_equal(read_fd(fd, NULL, 1), -EFAULT);
}

static void test_readv_fills_its_buffers_in_order(void **state)
{
	(void)state;
	char first[3], second[20];
	struct iovec iov[2] = { { first, sizeof(first) }, { second, sizeof(second) } };
	long fd = open_path("/etc/motd", O_RDONLY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, readv, (uint64_t)fd, ADDR(iov), 2),
			 sizeof(motd) - 1);
	assert_memory_equal(first, "hel", 3);
	assert_memory_equal(second, "lo, world\n", 10);
}

static void test_lseek_from_each_base_and_refusals(void **state)
{
	(void)state;
	long fd = open_path("/etc/motd", O_RDONLY);
	const int64_t size = sizeof(motd) - 1;
	assert_int_equal(seek(who, fd, 4, SEEK_SET), 4);
	assert_int_equal(seek(who, fd, 3, SEEK_CUR), 7);
	assert_int_equal(seek(who, fd, -3, SEEK_CUR), 4);
	assert_int_equal(seek(who, fd, -1, SEEK_END), size - 1);
	assert_int_equal(seek(who, fd, 100, SEEK_END), size + 100);	// past the end is allowed
	assert_int_equal(seek(who, fd, -1, SEEK_SET), -EINVAL);
	assert_int_equal(seek(who, fd, -size - 1, SEEK_END), -EINVAL);
	assert_int_equal(seek(who, fd, 0, 7), -EINVAL);
	assert_int_equal(seek(who, fd, 2, UINT64_C(1) << 32 | SEEK_SET), 2);	// an unsigned int
	assert_int_equal(seek(who, fd, 100, SEEK_END), size + 100);
	assert_int_equal(seek(who, fd, 0, SEEK_CUR), size + 100);	// unchanged by refusals
	assert_int_equal(seek(who, 0, 0, SEEK_SET), -ESPIPE);		// the console
}

static void test_stat_reports_the_archives_modes_owners_and_sizes(void **state)
{
	(void)state;
	long result;
	struct stat st = stat_path("/home/user/notes", 0, &result);
	assert_int_equal(result, 0);
	assert_int_equal(st.st_mode, S_IFREG | 0640);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(st.st_gid, 100);
	assert_int_equal(st.st_size, 7);
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(st.st_mtime, 0x5f5e1000);
	st = stat_path("/etc", 0, &result);
	assert_int_equal(st.st_mode, S_IFDIR | 0755);
	assert_int_equal(st.st_nlink, 2);
	st = stat_path("/home", 0, &result);	// made for home/user: it has one subdirectory
	assert_int_equal(st.st_nlink, 3);
	st = stat_path("/", 0, &result);	// etc, bin, home, loop, dev, proc, tmp
	assert_int_equal(st.st_nlink, 9);
	stat_path("/etc/missing", 0, &result);
	assert_int_equal(result, -ENOENT);
	stat_path("/etc/motd", 0x10000000, &result);
	assert_int_equal(result, -EINVAL);
}

static void test_fstatat_with_an_empty_path_names_the_fd(void **state)
{
	(void)state;
	struct stat st;
	long fd = open_path("/bin/tool", O_RDONLY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, newfstatat, (uint64_t)fd, ADDR(""), ADDR(&st),
				 AT_EMPTY_PATH), 0);
	assert_int_equal(st.st_mode, S_IFREG | 0755);
	assert_int_equal(st.st_size, 7);
	assert_int_equal(SYSCALL(vfs.endpoint, who, newfstatat, 77, ADDR(""), ADDR(&st),
				 AT_EMPTY_PATH), -EBADF);
	assert_int_equal(SYSCALL(vfs.endpoint, who, fstat, (uint64_t)fd, 0), -EFAULT);
}

// The names getdents64 put in records (used bytes), joined by spaces, in order.
static void dirent_names(const uint8_t *records, long used, char *names, size_t size)
{
	names[0] = '\0';
	for (long at = 0; at < used;) {
		uint16_t length;
		memcpy(&length, records + at + 16, sizeof(length));
		strncat(names, (const char *)records + at + 19, size - strlen(names) - 2);
		strcat(names, " ");
		at += length;
	}
}

static void test_getdents64_lists_dot_dotdot_and_the_children(void **state)
{
	(void)state;
	uint8_t records[512] __attribute__((aligned(8)));
	char names[256];
	long fd = open_path("/etc", O_RDONLY | O_DIRECTORY);
	long used = SYSCALL(vfs.endpoint, who, getdents64, (uint64_t)fd, ADDR(records), sizeof(records));
	assert_true(used > 0 && used % 8 == 0);
	dirent_names(records, used, names, sizeof(names));
	// Children in the order they were made (the archive's).
	assert_string_equal(names, ". .. motd motd.link empty ");
	assert_int_equal(records[18], DT_DIR);
	assert_int_equal(SYSCALL(vfs.endpoint, who, getdents64, (uint64_t)fd, ADDR(records),
				 sizeof(records)), 0);	// the end
	assert_int_equal(seek(who, fd, 0, SEEK_SET), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, who, getdents64, (uint64_t)fd, ADDR(records), 16),
			 -EINVAL);	// not even one record fits
	long file = open_path("/etc/motd", O_RDONLY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, getdents64, (uint64_t)file, ADDR(records),
				 sizeof(records)), -ENOTDIR);
	assert_int_equal(read_fd(fd, records, 1), -EISDIR);
}

static void test_dev_null_swallows_and_dev_zero_reads_zeros(void **state)
{
	(void)state;
	uint8_t buffer[100];
	memset(buffer, 0xff, sizeof(buffer));
	long null = open_path("/dev/null", O_RDWR), zero = open_path("/dev/zero", O_RDONLY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)null, ADDR(buffer), 100), 100);
	assert_int_equal(read_fd(null, buffer, sizeof(buffer)), 0);
	assert_int_equal(read_fd(zero, buffer, 60), 60);
	assert_int_equal(buffer[0], 0);
	assert_int_equal(buffer[59], 0);
	assert_int_equal(buffer[60], 0xff);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)zero, ADDR(buffer), 1), -EBADF);
}

// Each device as Linux numbers and modes it; /dev/tty is the console for now.
static const struct {
	const char *path;
	mode_t mode;
	unsigned major, minor;
} devices[] = {
	{ "/dev/null", 0666, 1, 3 },	{ "/dev/zero", 0666, 1, 5 },
	{ "/dev/full", 0666, 1, 7 },	{ "/dev/random", 0666, 1, 8 },
	{ "/dev/urandom", 0666, 1, 9 }, { "/dev/tty", 0666, 5, 0 },
	{ "/dev/console", 0600, 5, 1 },
};

static void test_devices_stat_as_linux_character_devices(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		long result;
		struct stat st = stat_path(devices[i].path, 0, &result);
		assert_int_equal(result, 0);
		assert_int_equal(st.st_mode, S_IFCHR | devices[i].mode);
		assert_int_equal(st.st_rdev, makedev(devices[i].major, devices[i].minor));
		long fd = open_path(devices[i].path, O_RDONLY);
		assert_true(fd >= 0);
		memset(&st, 0, sizeof(st));
		assert_int_equal(SYSCALL(vfs.endpoint, who, fstat, (uint64_t)fd, ADDR(&st)), 0);
		assert_true(S_ISCHR(st.st_mode));
		assert_int_equal(st.st_rdev, makedev(devices[i].major, devices[i].minor));
		assert_int_equal(close_fd(fd), 0);
	}
}

static void test_dev_full_reads_zeros_and_refuses_writes_with_enospc(void **state)
{
	(void)state;
	uint8_t buffer[32];
	memset(buffer, 0xff, sizeof(buffer));
	long full = open_path("/dev/full", O_RDWR);
	assert_int_equal(read_fd(full, buffer, 16), 16);
	assert_int_equal(buffer[15], 0);
	assert_int_equal(buffer[16], 0xff);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)full, ADDR(buffer), 1), -ENOSPC);
	uint32_t termios[15];
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, (uint64_t)full, TCGETS, ADDR(termios)),
			 -ENOTTY);
}

#define MIB (1024 * 1024)

static void test_random_devices_read_the_csprng_and_swallow_writes(void **state)
{
	(void)state;
	static uint8_t big[MIB + 1];
	long urandom = open_path("/dev/urandom", O_RDWR), random = open_path("/dev/random", O_RDWR);
	memset(big, 0, sizeof(big));
	assert_int_equal(read_fd(urandom, big, MIB), MIB);	// many slices, each many kernel calls
	size_t same = 0;
	for (size_t i = 1; i < MIB; i++)
		same += big[i] == big[0];
	assert_true(same < MIB / 128);	// about 1/256 of them by chance
	assert_int_equal(big[MIB], 0);
	uint8_t a[300] = { 0 }, b[300] = { 0 };
	assert_int_equal(read_fd(random, a, sizeof(a)), sizeof(a));	// more than a kernel call
	assert_int_equal(read_fd(random, b, sizeof(b)), sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)random, ADDR(a), sizeof(a)),
			 sizeof(a));
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)urandom, ADDR(a), 1), 1);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, (uint64_t)urandom, TCGETS, ADDR(a)),
			 -ENOTTY);
}

static void test_dev_tty_is_the_console(void **state)
{
	(void)state;
	static const char line[] = "through /dev/tty\n";
	size_t before = strlen(host_console_text());
	long tty = open_path("/dev/tty", O_RDWR);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)tty, ADDR(line),
				 sizeof(line) - 1), sizeof(line) - 1);
	assert_string_equal(host_console_text() + before, "through /dev/tty\r\n");	// ONLCR
	struct winsize size = { 0 };
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, (uint64_t)tty, TIOCGWINSZ, ADDR(&size)),
			 0);
	assert_int_equal(size.ws_col, 80);
}

#define KERNEL_ADDRESS UINT64_C(0xffff000000001000)
#define HIGH_BITS (UINT64_C(1) << 32)	// above an int: Linux ignores them in an fd

static void test_a_buffer_beyond_the_user_limit_is_efault_even_where_nothing_is_read(void **state)
{
	(void)state;
	uint8_t buffer[16];
	long null = open_path("/dev/null", O_RDWR);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)null, KERNEL_ADDRESS, 16),
			 -EFAULT);
	assert_int_equal(SYSCALL(vfs.endpoint, who, read, (uint64_t)null, KERNEL_ADDRESS, 16),
			 -EFAULT);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)null, ADDR(buffer), SIZE_MAX),
			 -EFAULT);	// the buffer's end is past the limit
	// A user address /dev/null never reads is no fault, as on Linux.
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, (uint64_t)null, 16, 16), 16);
	assert_int_equal(SYSCALL(vfs.endpoint, who, pwrite64, (uint64_t)null, KERNEL_ADDRESS, 16, 0),
			 -EFAULT);
}

static void test_copies_need_read_permission_from_and_write_permission_to_the_caller(void **state)
{
	(void)state;
	long zero = open_path("/dev/zero", O_RDONLY);
	char *pages = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	assert_true(pages != MAP_FAILED);
	memset(pages, 'x', 2 * 4096);
	assert_int_equal(mprotect(pages, 4096, PROT_NONE), 0);
	assert_int_equal(mprotect(pages + 4096, 4096, PROT_READ), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, 1, ADDR(pages), 16), -EFAULT);
	assert_int_equal(read_fd(zero, pages + 4096, 16), -EFAULT);
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, 1, ADDR(pages + 4096), 1), 1);
	assert_int_equal(pages[4096], 'x');
	munmap(pages, 2 * 4096);
}

static void test_fd_arguments_ignore_the_upper_32_bits(void **state)
{
	(void)state;
	char buffer[5];
	long fd = open_path("/etc/motd", O_RDONLY);
	struct stat st;
	assert_int_equal(SYSCALL(vfs.endpoint, who, read, HIGH_BITS + (uint64_t)fd, ADDR(buffer), 5),
			 5);
	assert_memory_equal(buffer, "hello", 5);
	assert_int_equal(seek(who, (long)(HIGH_BITS + (uint64_t)fd), 0, SEEK_CUR), 5);
	assert_int_equal(SYSCALL(vfs.endpoint, who, fstat, HIGH_BITS + (uint64_t)fd, ADDR(&st)), 0);
	assert_int_equal(st.st_size, sizeof(motd) - 1);
	assert_int_equal(SYSCALL(vfs.endpoint, who, openat, HIGH_BITS + (uint64_t)(uint32_t)AT_FDCWD,
				 ADDR("etc/motd"), O_RDONLY, 0), fd + 1);
	assert_int_equal(SYSCALL(vfs.endpoint, who, close, HIGH_BITS + (uint64_t)fd), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, who, read, (uint64_t)fd, ADDR(buffer), 5), -EBADF);
	assert_int_equal(SYSCALL(vfs.endpoint, who, read, UINT64_MAX, ADDR(buffer), 5), -EBADF);
}

static void test_vectors_are_checked_as_linux_before_anything_moves(void **state)
{
	(void)state;
	char a[4] = "abc", b[4] = "def";
	long null = open_path("/dev/null", O_WRONLY), zero = open_path("/dev/zero", O_RDONLY);
	struct iovec negative[2] = { { a, 3 }, { b, (size_t)-1 } };
	assert_int_equal(SYSCALL(vfs.endpoint, who, writev, (uint64_t)null, ADDR(negative), 2),
			 -EINVAL);
	struct iovec overflow[2] = { { a, 3 }, { b, SSIZE_MAX } };	// within an ssize_t each
	assert_int_equal(SYSCALL(vfs.endpoint, who, writev, (uint64_t)null, ADDR(overflow), 2),
			 -EFAULT);	// but past the user limit
	struct iovec kernel[2] = { { a, 1 }, { (void *)KERNEL_ADDRESS, 1 } };
	assert_int_equal(SYSCALL(vfs.endpoint, who, readv, (uint64_t)zero, ADDR(kernel), 2),
			 -EFAULT);
	assert_int_equal(a[0], 'a');	// nothing was read into the first buffer
	assert_int_equal(SYSCALL(vfs.endpoint, who, writev, (uint64_t)null, ADDR(negative),
				 IOV_MAX + 1), -EINVAL);
	assert_int_equal(SYSCALL(vfs.endpoint, who, writev, (uint64_t)null, ADDR(negative),
				 HIGH_BITS + 1), 3);	// the count is an unsigned int too
	assert_int_equal(SYSCALL(vfs.endpoint, who, writev, (uint64_t)null, 0, 0), 0);
}

static void test_a_negative_pread_offset_is_einval_before_the_fd_is_looked_at(void **state)
{
	(void)state;
	char buffer[4];
	assert_int_equal(SYSCALL(vfs.endpoint, who, pread64, 99, ADDR(buffer), 1, (uint64_t)-1),
			 -EINVAL);
	assert_int_equal(SYSCALL(vfs.endpoint, who, pread64, 99, ADDR(buffer), 1, 0), -EBADF);
	long zero = open_path("/dev/zero", O_RDONLY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, pread64, (uint64_t)zero, ADDR(buffer), 4,
				 INT64_MAX - 2), -EINVAL);	// its end would not fit an loff_t
}

#define BIG (3 * 64 * 1024 + 100)	// more than three of VFS's slices (parked.c)

static void test_transfers_longer_than_a_slice_move_everything(void **state)
{
	(void)state;
	static uint8_t big[BIG], second[BIG];
	long zero = open_path("/dev/zero", O_RDONLY), null = open_path("/dev/null", O_WRONLY);
	memset(big, 0xff, sizeof(big));
	assert_int_equal(read_fd(zero, big, sizeof(big)), sizeof(big));
	for (size_t i = 0; i < sizeof(big); i++)
		if (big[i])
			fail_msg("byte %zu of /dev/zero is %d", i, big[i]);
	memset(big, 0xff, sizeof(big));
	memset(second, 0xff, sizeof(second));
	struct iovec iov[3] = { { big, sizeof(big) }, { second, 0 }, { second, sizeof(second) } };
	assert_int_equal(SYSCALL(vfs.endpoint, who, readv, (uint64_t)zero, ADDR(iov), 3),
			 2 * BIG);
	assert_int_equal(big[BIG - 1], 0);
	assert_int_equal(second[BIG - 1], 0);
	assert_int_equal(SYSCALL(vfs.endpoint, who, pwrite64, (uint64_t)null, ADDR(big), BIG, 7),
			 BIG);
	assert_int_equal(SYSCALL(vfs.endpoint, who, writev, (uint64_t)null, ADDR(iov), 3), 2 * BIG);
}

static void test_console_writes_reach_the_kernel_console(void **state)
{
	(void)state;
	static const char line[] = "to the console\n";
	size_t before = strlen(host_console_text());
	assert_int_equal(SYSCALL(vfs.endpoint, who, write, 1, ADDR(line), sizeof(line) - 1),
			 sizeof(line) - 1);
	assert_string_equal(host_console_text() + before, "to the console\r\n");	// ONLCR
	struct iovec iov[2] = { { (void *)"a", 1 }, { (void *)"b\n", 2 } };
	assert_int_equal(SYSCALL(vfs.endpoint, who, writev, 2, ADDR(iov), 2), 3);
	assert_string_equal(host_console_text() + before + sizeof(line), "ab\r\n");
}

// A read of the console made by another thread (it waits): its result and bytes.
struct console_reader {
	pthread_t thread;
	xinim_endpoint_t process;
	long fd, result;
	char bytes[64];
};

static void *console_read_body(void *arg)
{
	struct console_reader *r = arg;
	r->result = SYSCALL(vfs.endpoint, r->process, read, (uint64_t)r->fd, ADDR(r->bytes),
			    sizeof(r->bytes));
	return NULL;
}

static void console_reader_start(struct console_reader *r, long fd)
{
	*r = (struct console_reader){ .process = who, .fd = fd, .result = 1 };
	assert_int_equal(pthread_create(&r->thread, NULL, console_read_body, r), 0);
}

// Keys typed at the console, as the kernel's interrupt tells VFS of them.
static void console_type(const char *keys)
{
	host_console_type(keys);
	assert_int_equal(host_ipc_kernel_notify(XINIM_PID_VFS, XINIM_NOTE_CONSOLE_INPUT), 0);
}

static void test_a_console_read_waits_for_a_line_and_echoes_it(void **state)
{
	(void)state;
	size_t before = strlen(host_console_text());
	struct console_reader r;
	console_reader_start(&r, 0);
	console_type("hx\x7fi\r");
	pthread_join(r.thread, NULL);
	assert_int_equal(r.result, 3);
	assert_memory_equal(r.bytes, "hi\n", 3);
	assert_string_equal(host_console_text() + before, "hx\b \bi\r\n");
	console_type("\x04");
	assert_int_equal(read_fd(0, r.bytes, sizeof(r.bytes)), 0);	// ^D: the end of input
}

static void test_a_nonblocking_console_read_without_a_line_is_eagain(void **state)
{
	(void)state;
	char byte;
	assert_int_equal(SYSCALL(vfs.endpoint, who, fcntl, 0, F_SETFL, O_NONBLOCK), 0);
	console_type("partial");
	assert_int_equal(read_fd(0, &byte, 1), -EAGAIN);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TCFLSH, 0), 0);	// TCIFLUSH (<termios.h> clashes)
	assert_int_equal(SYSCALL(vfs.endpoint, who, fcntl, 0, F_SETFL, 0), 0);
}

static void *console_poll_body(void *arg)
{
	struct console_reader *r = arg;
	struct { int fd; short events, revents; } fds[2] = { { 0, 1 /* POLLIN */, 0 },
							     { -1, 1, 0 } };
	r->result = SYSCALL(vfs.endpoint, r->process, ppoll, ADDR(fds), 2, 0, 0, 8);
	memcpy(r->bytes, fds, sizeof(fds));
	return NULL;
}

static void test_ppoll_waits_for_a_console_line(void **state)
{
	(void)state;
	struct { int fd; short events, revents; } fds[1] = { { 0, 1 | 4 /* POLLOUT */, 0 } };
	struct timespec zero = { 0, 0 };
	assert_int_equal(SYSCALL(vfs.endpoint, who, ppoll, ADDR(fds), 1, ADDR(&zero), 0, 8), 1);
	assert_int_equal(fds[0].revents, 4);	// writable, nothing to read
	struct console_reader r = { .process = who, .result = 99 };
	assert_int_equal(pthread_create(&r.thread, NULL, console_poll_body, &r), 0);
	console_type("x\r");
	pthread_join(r.thread, NULL);
	assert_int_equal(r.result, 1);
	memcpy(fds, r.bytes, sizeof(fds));
	assert_int_equal(fds[0].revents, 1);	// POLLIN
	assert_int_equal(read_fd(0, r.bytes, sizeof(r.bytes)), 2);
}

// PM's word that process is in group pgid of session sid (XINIM_VFS_PROC_CREDS).
static long tell_group(xinim_endpoint_t process, uint32_t pgid, uint32_t sid)
{
	struct xinim_vfs_creds told = { .who = process, .fd_limit = FDS, .pgid = pgid, .sid = sid };
	struct xinim_msg msg = { .header = { .type = XINIM_VFS_PROC_CREDS, .length = sizeof(told) } };
	memcpy(msg.payload, &told, sizeof(told));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
}

// A write of the console by process made again after the SIGTTOU it raised was
// refused (the kernel's XINIM_SYSCALL_AGAIN).
static long write_let_through(xinim_endpoint_t process, const char *text, size_t n)
{
	const uint64_t args[6] = { 1, ADDR(text), n };
	struct xinim_msg msg = syscall_message(process, XINIM_SYSCALL_NUMBER_write, args);
	struct xinim_syscall call;
	memcpy(&call, msg.payload, sizeof(call));
	call.number |= XINIM_SYSCALL_AGAIN;
	memcpy(msg.payload, &call, sizeof(call));
	long err = host_ipc_kernel_call(vfs.endpoint, process, &msg, CALL_TIMEOUT_US);
	struct xinim_syscall_reply answer;
	memcpy(&answer, msg.payload, sizeof(answer));
	return err ? err : answer.value;
}

// Job control: the session leader takes the console, a background group's read raises
// SIGTTIN and its write with TOSTOP SIGTTOU (through the answer), ^C waits for PM.
static void test_job_control_of_the_console(void **state)
{
	(void)state;
	uint32_t self = xinim_endpoint_pid(who);
	int32_t value = 0;
	char byte;
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TIOCGPGRP, ADDR(&value)), -ENOTTY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TIOCSCTTY, 0), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TIOCGSID, ADDR(&value)), 0);
	assert_int_equal(value, self);
	xinim_endpoint_t child = fresh_endpoint();
	assert_int_equal(proc_message(XINIM_VFS_PROC_START, child, who), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, child, ioctl, 0, TIOCSCTTY, 0), -EPERM);	// no leader
	assert_int_equal(tell_group(child, xinim_endpoint_pid(child), self), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, child, read, 0, ADDR(&byte), 1), -XINIM_ERESTARTSYS);
	assert_int_equal(syscall_raised.signal, SIGTTIN_NUMBER);
	assert_int_equal(syscall_raised.flags, XINIM_RAISE_JOB_CONTROL);
	assert_int_equal(SYSCALL(vfs.endpoint, child, write, 1, ADDR("bg"), 2), 2);	// no TOSTOP
	uint32_t termios[15];
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TCGETS, ADDR(termios)), 0);
	termios[3] |= TOSTOP_BIT;
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TCSETS, ADDR(termios)), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, child, write, 1, ADDR("bg"), 2), -XINIM_ERESTARTSYS);
	assert_int_equal(syscall_raised.signal, SIGTTOU_NUMBER);
	assert_int_equal(write_let_through(child, "bg", 2), 2);	// SIGTTOU ignored
	termios[3] &= ~TOSTOP_BIT;
	assert_int_equal(SYSCALL(vfs.endpoint, child, ioctl, 0, TCSETS, ADDR(termios)), -XINIM_ERESTARTSYS);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TCSETS, ADDR(termios)), 0);
	value = (int32_t)xinim_endpoint_pid(child);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TIOCSPGRP, ADDR(&value)), 0);
	value = 99999;
	assert_int_equal(SYSCALL(vfs.endpoint, child, ioctl, 0, TIOCSPGRP, ADDR(&value)), -ESRCH);
	assert_int_equal(SYSCALL(vfs.endpoint, child, ioctl, 0, TIOCGPGRP, ADDR(&value)), 0);
	assert_int_equal(value, xinim_endpoint_pid(child));	// the child's group in front
	console_type("\x03");
	struct winsize size = { .ws_row = 50, .ws_col = 132 };
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TIOCSWINSZ, ADDR(&size)), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TIOCSWINSZ, ADDR(&size)), 0);
	struct xinim_msg msg = { .header.type = XINIM_VFS_TTY_SIGNALS };
	assert_int_equal(ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US), 1);
	struct xinim_vfs_tty_signals got;
	memcpy(&got, msg.payload, sizeof(got));
	assert_int_equal(got.pending[0].pgrp, xinim_endpoint_pid(child));
	assert_int_equal(got.pending[0].signals, 1u << 2 | 1u << 28);	// SIGINT, SIGWINCH once
	size = (struct winsize){ .ws_row = 24, .ws_col = 80 };
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TIOCSWINSZ, ADDR(&size)), 0);
	msg = (struct xinim_msg){ .header.type = XINIM_VFS_TTY_SIGNALS };
	assert_int_equal(ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US), 1);	// the resize's
	msg = (struct xinim_msg){ .header.type = XINIM_VFS_TTY_SIGNALS };
	assert_int_equal(ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US), 0);	// taken once
	assert_int_equal(proc_message(XINIM_VFS_PROC_END, who, XINIM_ENDPOINT_NONE), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, child, ioctl, 0, TIOCGSID, ADDR(&value)), -ENOTTY);
	who = child;	// the leader's end let the terminal go; the test's process is the child
}

static void test_a_signal_cuts_a_waiting_console_read_short(void **state)
{
	(void)state;
	struct console_reader r;
	console_reader_start(&r, 0);
	struct xinim_vfs_interrupt which = { .who = who, .tid = 0 };
	// Until the read has been parked: an interrupt before finds nothing to cut short.
	for (int tries = 0; tries < 1000 && r.result == 1; tries++) {
		struct xinim_msg msg = { .header = { .type = XINIM_VFS_INTERRUPT,
						     .length = sizeof(which) } };
		memcpy(msg.payload, &which, sizeof(which));
		assert_int_equal(ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US), 0);
		usleep(1000);
	}
	pthread_join(r.thread, NULL);
	assert_int_equal(r.result, -XINIM_ERESTARTSYS);	// -EINTR, or made again (SA_RESTART)
}

static void test_console_ioctls_describe_a_cooked_80x24_terminal(void **state)
{
	(void)state;
	enum { ICANON_BIT = 0x2, ECHO_BIT = 0x8 };	// of c_lflag (<termios.h> clashes with harness.h)
	uint32_t termios[15];	// Linux's struct termios: four flag words, line, cc[19]
	struct winsize size = { 0 };
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 0, TCGETS, ADDR(termios)), 0);
	assert_int_equal(termios[3] & (ICANON_BIT | ECHO_BIT), ICANON_BIT | ECHO_BIT);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 1, TIOCGWINSZ, ADDR(&size)), 0);
	assert_int_equal(size.ws_row, 24);
	assert_int_equal(size.ws_col, 80);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 1, 0x54ff, 0), -ENOTTY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 1, UINT64_C(1) << 32 | TIOCGWINSZ,
				 ADDR(&size)), 0);	// the request is an unsigned int
	long file = open_path("/etc/motd", O_RDONLY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, (uint64_t)file, TCGETS, ADDR(termios)),
			 -ENOTTY);
	assert_int_equal(SYSCALL(vfs.endpoint, who, ioctl, 50, TCGETS, ADDR(termios)), -EBADF);
}

static void test_a_child_gets_a_copy_of_its_parents_table_sharing_the_open_files(void **state)
{
	(void)state;
	char buffer[5];
	long fd = open_path("/etc/motd", O_RDONLY);
	assert_int_equal(seek(who, fd, 7, SEEK_SET), 7);
	xinim_endpoint_t child = fresh_endpoint();
	assert_int_equal(proc_message(XINIM_VFS_PROC_START, child, who), 0);
	// As after fork: the same open file, so the same offset.
	assert_int_equal(seek(child, fd, 0, SEEK_CUR), 7);
	assert_int_equal(SYSCALL(vfs.endpoint, child, read, (uint64_t)fd, ADDR(buffer), 5), 5);
	assert_memory_equal(buffer, "world", 5);
	assert_int_equal(seek(who, fd, 0, SEEK_CUR), 12);
	// Its own table from then on.
	assert_int_equal(SYSCALL(vfs.endpoint, child, close, (uint64_t)fd), 0);
	assert_int_equal(seek(who, fd, 0, SEEK_CUR), 12);
	assert_int_equal(open_as(child, "/etc/empty", O_RDONLY), fd);
	assert_int_equal(open_path("/etc/empty", O_RDONLY), fd + 1);
}

static void test_process_end_drops_its_table(void **state)
{
	(void)state;
	xinim_endpoint_t child = fresh_endpoint();
	assert_int_equal(proc_message(XINIM_VFS_PROC_START, child, who), 0);
	assert_int_equal(open_as(child, "/etc/motd", O_RDONLY), 3);
	assert_int_equal(proc_message(XINIM_VFS_PROC_END, child, XINIM_ENDPOINT_NONE), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, child, close, 0), -EBADF);
	assert_int_equal(open_as(child, "/etc/motd", O_RDONLY), -EBADF);	// VFS never met it
	assert_int_equal(close_fd(0), 0);	// the parent keeps its own
	assert_int_equal(proc_message(XINIM_VFS_PROC_START, 0, XINIM_ENDPOINT_NONE), -EINVAL);
}

static void test_process_messages_come_from_pm_only(void **state)
{
	(void)state;
	struct proc impostor;
	struct call c = { .dest = vfs.endpoint, .type = XINIM_VFS_PROC_END,
			  .length = sizeof(struct xinim_vfs_proc), .value = who };
	proc_start(&impostor, CLIENT, caller, &c);
	proc_join(&impostor);
	assert_int_equal(c.result, -EPERM);
	assert_int_equal(close_fd(0), 0);	// the table is still there
}

// Permissions, checked directly: every caller of VFS runs as root until PM hands VFS
// credentials (files.c), so a non-root owner shows only in path_lookup and may_access.
static void test_permissions_of_a_non_root_user(void **state)
{
	(void)state;
	const struct creds owner = { .uid = 1000, .gid = 100 }, group = { .uid = 2000, .gid = 100 }, other = { .uid = 2000, .gid = 200 };
	const struct creds root = { .uid = 0 };
	struct node *notes, *tool;
	assert_int_equal(path_lookup(NULL, "/home/user/notes", LOOKUP_FOLLOW, &owner, &notes), 0);
	assert_int_equal(path_lookup(NULL, "/home/user/notes", LOOKUP_FOLLOW, &group, &notes), 0);
	assert_int_equal(path_lookup(NULL, "/home/user/notes", LOOKUP_FOLLOW, &other, &notes),
			 -EACCES);	// no search permission on /home/user
	assert_true(may_access(notes, &owner, R_OK | W_OK));
	assert_false(may_access(notes, &owner, X_OK));
	assert_true(may_access(notes, &group, R_OK));
	assert_false(may_access(notes, &group, W_OK));
	assert_false(may_access(notes, &other, R_OK));
	assert_true(may_access(notes, &root, R_OK | W_OK));
	assert_false(may_access(notes, &root, X_OK));	// root runs only what someone may run
	assert_int_equal(path_lookup(NULL, "/bin/tool", LOOKUP_FOLLOW, &root, &tool), 0);
	assert_true(may_access(tool, &root, X_OK));
	assert_true(may_access(tool, &other, R_OK | X_OK));
	// Through the system calls, everyone is root.
	assert_int_equal(open_path("/home/user/notes", O_RDONLY), 3);
}

#define CALL(name, ...) SYSCALL(vfs.endpoint, who, name, __VA_ARGS__)

// dup and dup3: another fd of the same open file (the offset shared), close-on-exec the
// fd's own; dup3's refusals.
static void test_dup_shares_the_open_file_and_dup3_replaces(void **state)
{
	(void)state;
	long fd = open_path("/etc/motd", O_RDONLY);
	assert_int_equal(fd, 3);
	assert_int_equal(CALL(dup, (uint64_t)fd), 4);		// the lowest free
	char c;
	assert_int_equal(read_fd(fd, &c, 1), 1);
	assert_int_equal(read_fd(4, &c, 1), 1);
	assert_int_equal(c, motd[1]);				// one offset for both
	assert_int_equal(CALL(dup3, (uint64_t)fd, 10, O_CLOEXEC), 10);
	assert_int_equal(CALL(fcntl, 10, F_GETFD), FD_CLOEXEC);
	assert_int_equal(CALL(fcntl, 4, F_GETFD), 0);
	assert_int_equal(CALL(dup3, 4, 0, 0), 0);		// stdin replaced, silently
	assert_int_equal(read_fd(0, &c, 1), 1);
	assert_int_equal(c, motd[2]);
	assert_int_equal(CALL(dup3, (uint64_t)fd, (uint64_t)fd, 0), -EINVAL);
	assert_int_equal(CALL(dup3, (uint64_t)fd, 11, O_NONBLOCK), -EINVAL);
	assert_int_equal(CALL(dup3, (uint64_t)fd, FDS, 0), -EBADF);
	assert_int_equal(CALL(dup3, 99, 11, 0), -EBADF);
	assert_int_equal(CALL(dup, 99), -EBADF);
	assert_int_equal(close_fd(fd), 0);
	assert_int_equal(read_fd(10, &c, 1), 1);		// the file lives on in the others
}

static void test_fcntl_commands_as_linux(void **state)
{
	(void)state;
	long fd = open_path("/etc/motd", O_RDONLY | O_NONBLOCK);
	assert_int_equal(CALL(fcntl, (uint64_t)fd, F_DUPFD, 20), 20);
	assert_int_equal(CALL(fcntl, (uint64_t)fd, F_DUPFD_CLOEXEC, 20), 21);
	assert_int_equal(CALL(fcntl, 21, F_GETFD), FD_CLOEXEC);
	assert_int_equal(CALL(fcntl, 21, F_SETFD, 0), 0);
	assert_int_equal(CALL(fcntl, 21, F_GETFD), 0);
	assert_int_equal(CALL(fcntl, (uint64_t)fd, F_DUPFD, FDS), -EINVAL);
	assert_int_equal(CALL(fcntl, (uint64_t)fd, F_GETFL), O_RDONLY | O_NONBLOCK | 0400000);
	assert_int_equal(CALL(fcntl, (uint64_t)fd, F_SETFL, O_APPEND | O_RDWR), 0);
	assert_int_equal(CALL(fcntl, 20, F_GETFL), O_RDONLY | O_APPEND | 0400000);	// shared,
							// the access mode unchanged
	long path = open_path("/etc/motd", O_PATH);
	assert_int_equal(CALL(fcntl, (uint64_t)path, F_GETFL), O_PATH);
	assert_int_equal(CALL(fcntl, (uint64_t)path, F_SETFL, 0), -EBADF);
	assert_int_equal(CALL(fcntl, (uint64_t)fd, F_SETLK, 0), -EFAULT);	// no struct flock
	assert_int_equal(CALL(fcntl, (uint64_t)fd, F_SETOWN, 1), -ENOSYS);	// a gap
	assert_int_equal(CALL(fcntl, (uint64_t)fd, 12345), -EINVAL);
	assert_int_equal(CALL(fcntl, 99, F_GETFD), -EBADF);
	long last = 0;
	for (int i = 0; i < FDS && last >= 0; i++)
		last = CALL(fcntl, (uint64_t)fd, F_DUPFD, 0);
	assert_int_equal(last, -EMFILE);	// once every fd is taken
}

#define TEST(name) cmocka_unit_test_setup(name, fresh_process)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_dup_shares_the_open_file_and_dup3_replaces),
		TEST(test_fcntl_commands_as_linux),
		TEST(test_a_process_without_parent_starts_with_the_console_on_0_1_2),
		TEST(test_open_takes_the_lowest_free_fd),
		TEST(test_closed_and_out_of_range_fds_are_ebadf),
		TEST(test_a_full_fd_table_is_emfile),
		TEST(test_lookup_errors_of_openat),
		TEST(test_openat_resolves_relative_paths_from_dirfd),
		TEST(test_symbolic_links_are_followed_relative_to_their_directory),
		TEST(test_an_fd_moves_bytes_only_the_way_it_was_opened),
		TEST(test_read_moves_the_offset_and_pread_does_not),
		TEST(test_readv_fills_its_buffers_in_order),
		TEST(test_lseek_from_each_base_and_refusals),
		TEST(test_open_flags_as_linux),
		TEST(test_stat_reports_the_archives_modes_owners_and_sizes),
		TEST(test_fstatat_with_an_empty_path_names_the_fd),
		TEST(test_getdents64_lists_dot_dotdot_and_the_children),
		TEST(test_dev_null_swallows_and_dev_zero_reads_zeros),
		TEST(test_devices_stat_as_linux_character_devices),
		TEST(test_dev_full_reads_zeros_and_refuses_writes_with_enospc),
		TEST(test_random_devices_read_the_csprng_and_swallow_writes),
		TEST(test_dev_tty_is_the_console),
		TEST(test_a_buffer_beyond_the_user_limit_is_efault_even_where_nothing_is_read),
		TEST(test_copies_need_read_permission_from_and_write_permission_to_the_caller),
		TEST(test_fd_arguments_ignore_the_upper_32_bits),
		TEST(test_vectors_are_checked_as_linux_before_anything_moves),
		TEST(test_a_negative_pread_offset_is_einval_before_the_fd_is_looked_at),
		TEST(test_transfers_longer_than_a_slice_move_everything),
		TEST(test_console_writes_reach_the_kernel_console),
		TEST(test_console_ioctls_describe_a_cooked_80x24_terminal),
		TEST(test_a_console_read_waits_for_a_line_and_echoes_it),
		TEST(test_a_nonblocking_console_read_without_a_line_is_eagain),
		TEST(test_a_signal_cuts_a_waiting_console_read_short),
		TEST(test_ppoll_waits_for_a_console_line),
		TEST(test_job_control_of_the_console),
		TEST(test_a_child_gets_a_copy_of_its_parents_table_sharing_the_open_files),
		TEST(test_process_end_drops_its_table),
		TEST(test_process_messages_come_from_pm_only),
		TEST(test_permissions_of_a_non_root_user),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
