// The writable tree (docs/vfs.md) through VFS's system calls: files made, written,
// renamed, linked and removed, the blocks they take and give back, directory listings
// that survive removals, path resolution from a working directory, and permissions from
// the credentials PM tells VFS. The test is PM and, through the hosted kernel, each
// process making its calls.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <xinim/ipc/syscalls.h>
#include <vfs/vfs.h>
#include "archive.h"
#include "calls.h"
#include "harness.h"

#define CWD ((uint64_t)(int64_t)AT_FDCWD)
#define CALL(name, ...) SYSCALL(vfs.endpoint, who, name, __VA_ARGS__)

static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "etc", .mode = S_IFDIR | 0755 },
	{ .path = "etc/motd", .mode = S_IFREG | 0644, .data = "hello, world\n" },
	{ .path = "tmp", .mode = S_IFDIR | 01777 },
};
static struct proc vfs;
static xinim_endpoint_t who;
static unsigned serial;	// a fresh directory for each test
static char dir[32];

static long proc_message(int32_t type, xinim_endpoint_t process, xinim_endpoint_t parent)
{
	struct xinim_vfs_proc proc = { .who = process, .parent = parent };
	struct xinim_msg msg = { .header = { .type = type, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
}

// PM tells VFS process's ids.
static long creds_message(xinim_endpoint_t process, uint32_t uid, uint32_t gid)
{
	return vfs_creds_message(vfs.endpoint, process, uid, gid);
}

static long make(const char *path, const char *text, uint64_t flags)
{
	return vfs_file_write(vfs.endpoint, who, path, text, flags);
}

static const char *contents(const char *path)
{
	return vfs_file_text(vfs.endpoint, who, path);
}

static struct stat stat_of(const char *path, long *result)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	*result = CALL(newfstatat, CWD, ADDR(path), ADDR(&st), AT_SYMLINK_NOFOLLOW);
	return st;
}

static uint64_t blocks_free_now(void)
{
	struct statfs fs;
	assert_int_equal(CALL(statfs, ADDR("/"), ADDR(&fs)), 0);
	return fs.f_bfree;
}

static int group_setup(void **state)
{
	return archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0]));
}

// Each test: a new process, root, in a directory of its own.
static int fresh_process(void **state)
{
	(void)state;
	who = fresh_endpoint();
	snprintf(dir, sizeof(dir), "/t%u", ++serial);
	if (proc_message(XINIM_VFS_PROC_START, who, XINIM_ENDPOINT_NONE) ||
	    CALL(mkdirat, CWD, ADDR(dir), 0755) || CALL(chdir, ADDR(dir)))
		return -1;
	return 0;
}

static void test_a_file_is_made_written_appended_and_read(void **state)
{
	(void)state;
	assert_int_equal(make("f", "hello", O_EXCL), 5);
	assert_int_equal(make("f", " world", O_APPEND), 6);
	assert_string_equal(contents("f"), "hello world");
	assert_int_equal(make("f", "x", O_EXCL), -EEXIST);
	assert_int_equal(make("f", "new", O_TRUNC), 3);
	assert_string_equal(contents("f"), "new");
	long result;
	struct stat st = stat_of("f", &result);
	assert_int_equal(result, 0);
	assert_int_equal(st.st_size, 3);
	assert_int_equal(st.st_mode, S_IFREG | 0644);	// 0644 less the umask 022
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(st.st_blocks, 8);	// one 4 KiB block
	assert_true(st.st_mtim.tv_sec > 0 && st.st_ctim.tv_sec >= st.st_mtim.tv_sec);
}

static void test_a_hole_reads_as_zeros_and_a_shrunk_tail_does_not_come_back(void **state)
{
	(void)state;
	long fd = CALL(openat, CWD, ADDR("sparse"), O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(CALL(pwrite64, (uint64_t)fd, ADDR("end"), 3, 3 * 4096 + 10), 3);
	char bytes[4];
	assert_int_equal(CALL(pread64, (uint64_t)fd, ADDR(bytes), 4, 4096), 4);
	assert_memory_equal(bytes, "\0\0\0\0", 4);
	long result;
	assert_int_equal(stat_of("sparse", &result).st_blocks, 8 * 2);	// a map and a data block
	assert_int_equal(CALL(pwrite64, (uint64_t)fd, ADDR("abcd"), 4, 0), 4);
	assert_int_equal(CALL(ftruncate, (uint64_t)fd, 2), 0);
	assert_int_equal(CALL(ftruncate, (uint64_t)fd, 4), 0);
	assert_int_equal(CALL(pread64, (uint64_t)fd, ADDR(bytes), 4, 0), 4);
	assert_memory_equal(bytes, "ab\0\0", 4);
	assert_int_equal(CALL(ftruncate, (uint64_t)fd, -1), -EINVAL);
}

static void test_renames_as_linux(void **state)
{
	(void)state;
	make("a", "A", 0);
	make("b", "B", 0);
	assert_int_equal(CALL(renameat, CWD, ADDR("a"), CWD, ADDR("b")), 0);
	assert_string_equal(contents("b"), "A");
	long result;
	stat_of("a", &result);
	assert_int_equal(result, -ENOENT);
	make("c", "C", 0);
	assert_int_equal(CALL(renameat2, CWD, ADDR("c"), CWD, ADDR("b"), 1), -EEXIST);	// NOREPLACE
	assert_int_equal(CALL(renameat2, CWD, ADDR("c"), CWD, ADDR("b"), 2), 0);	// EXCHANGE
	assert_string_equal(contents("b"), "C");
	assert_string_equal(contents("c"), "A");
	assert_int_equal(CALL(renameat2, CWD, ADDR("c"), CWD, ADDR("b"), 3), -EINVAL);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("d"), 0755), 0);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("d/e"), 0755), 0);
	assert_int_equal(CALL(renameat, CWD, ADDR("d"), CWD, ADDR("d/e/f")), -EINVAL);
	assert_int_equal(CALL(renameat, CWD, ADDR("b"), CWD, ADDR("d")), -EISDIR);
	assert_int_equal(CALL(renameat, CWD, ADDR("d"), CWD, ADDR("b")), -ENOTDIR);
	assert_int_equal(CALL(renameat, CWD, ADDR("d/e"), CWD, ADDR("d")), -ENOTEMPTY);
	assert_int_equal(CALL(renameat, CWD, ADDR("."), CWD, ADDR("x")), -EBUSY);
	assert_int_equal(CALL(renameat, CWD, ADDR("b"), CWD, ADDR("b")), 0);
	assert_int_equal(stat_of("d", &result).st_nlink, 3);
	assert_int_equal(CALL(renameat, CWD, ADDR("d/e"), CWD, ADDR("e")), 0);
	assert_int_equal(stat_of("d", &result).st_nlink, 2);
	assert_int_equal(stat_of(".", &result).st_nlink, 4);	// ".", its name, d/.., e/..
}

static void test_links_and_a_removed_open_file(void **state)
{
	(void)state;
	uint64_t before = blocks_free_now();
	make("f", "data", 0);
	assert_int_equal(blocks_free_now(), before - 1);
	assert_int_equal(CALL(linkat, CWD, ADDR("f"), CWD, ADDR("g"), 0), 0);
	long result;
	assert_int_equal(stat_of("f", &result).st_nlink, 2);
	assert_int_equal(stat_of("f", &result).st_ino, stat_of("g", &result).st_ino);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("f"), 0), 0);
	long fd = CALL(openat, CWD, ADDR("g"), O_RDONLY, 0);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("g"), 0), 0);
	assert_int_equal(blocks_free_now(), before - 1);	// still open
	char bytes[4];
	assert_int_equal(CALL(read, (uint64_t)fd, ADDR(bytes), 4), 4);
	assert_memory_equal(bytes, "data", 4);
	assert_int_equal(CALL(close, (uint64_t)fd), 0);
	assert_int_equal(blocks_free_now(), before);	// the last user went
	assert_int_equal(CALL(symlinkat, ADDR("target"), CWD, ADDR("l")), 0);
	assert_int_equal(CALL(readlinkat, CWD, ADDR("l"), ADDR(bytes), 4), 4);
	assert_memory_equal(bytes, "targ", 4);
	assert_int_equal(make("l", "made", 0), 4);	// O_CREAT through the dangling link
	assert_string_equal(contents("target"), "made");
	assert_int_equal(CALL(unlinkat, CWD, ADDR("."), AT_REMOVEDIR), -EINVAL);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("target/"), 0), -ENOTDIR);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("l"), 5), -EINVAL);
}

// A listing that removes what it lists sees each entry once (rm -r).
static void test_a_listing_survives_the_removal_of_what_it_listed(void **state)
{
	(void)state;
	char name[16];
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "n%02d", i);
		make(name, "", 0);
	}
	long fd = CALL(openat, CWD, ADDR("."), O_RDONLY | O_DIRECTORY, 0);
	uint8_t records[256] __attribute__((aligned(8)));
	int seen = 0;
	long used;
	while ((used = CALL(getdents64, (uint64_t)fd, ADDR(records), sizeof(records))) > 0) {
		for (long at = 0; at < used;) {
			struct dirent64 *d = (struct dirent64 *)(records + at);
			if (d->d_name[0] == 'n') {
				assert_int_equal(CALL(unlinkat, CWD, ADDR(d->d_name), 0), 0);
				seen++;
			}
			at += d->d_reclen;
		}
	}
	assert_int_equal(used, 0);
	assert_int_equal(seen, 50);
	assert_int_equal(CALL(chdir, ADDR("/")), 0);
	assert_int_equal(CALL(unlinkat, CWD, ADDR(dir), AT_REMOVEDIR), 0);
}

static void test_paths_from_the_working_directory(void **state)
{
	(void)state;
	assert_int_equal(CALL(mkdirat, CWD, ADDR("a"), 0755), 0);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("a/b"), 0755), 0);
	assert_int_equal(CALL(chdir, ADDR("a/b")), 0);
	assert_int_equal(make("../../top", "t", 0), 1);
	char path[64];
	assert_int_equal(CALL(getcwd, ADDR(path), sizeof(path)), (long)strlen(dir) + 5);
	assert_true(strcmp(path + strlen(dir), "/a/b") == 0);
	assert_int_equal(CALL(symlinkat, ADDR("loop"), CWD, ADDR("loop")), 0);
	long result;
	assert_int_equal(CALL(openat, CWD, ADDR("loop"), O_RDONLY, 0), -ELOOP);
	stat_of("loop/x", &result);
	assert_int_equal(result, -ELOOP);
	assert_int_equal(CALL(symlinkat, ADDR("/etc"), CWD, ADDR("etc")), 0);
	assert_string_equal(contents("etc/motd"), "hello, world\n");
	// The working directory removed: getcwd says so; new names there are refused.
	assert_int_equal(CALL(unlinkat, CWD, ADDR("../b"), AT_REMOVEDIR), -ENOTEMPTY);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("loop"), 0), 0);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("etc"), 0), 0);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("../b"), AT_REMOVEDIR), 0);
	assert_int_equal(CALL(getcwd, ADDR(path), sizeof(path)), -ENOENT);
	assert_int_equal(make("x", "", 0), -ENOENT);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("y"), 0755), -ENOENT);
}

static void test_permissions_follow_the_credentials_pm_told(void **state)
{
	(void)state;
	make("private", "p", 0);
	assert_int_equal(CALL(fchmodat, CWD, ADDR("private"), 0600), 0);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("shared"), 01777), 0);
	assert_int_equal(CALL(fchmodat, CWD, ADDR("shared"), 01777), 0);	// past the umask
	make("shared/roots", "r", 0);
	xinim_endpoint_t root = who;
	who = fresh_endpoint();
	assert_int_equal(proc_message(XINIM_VFS_PROC_START, who, root), 0);	// its cwd too
	assert_int_equal(creds_message(who, 1000, 100), 0);
	assert_int_equal(CALL(openat, CWD, ADDR("private"), O_RDONLY, 0), -EACCES);
	assert_int_equal(CALL(fchmodat, CWD, ADDR("private"), 0777), -EPERM);
	assert_int_equal(CALL(fchownat, CWD, ADDR("private"), 1000, 100, 0), -EPERM);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("shared/roots"), 0), -EPERM);	// sticky
	assert_int_equal(make("shared/mine", "m", 0), 1);
	long result;
	struct stat st = stat_of("shared/mine", &result);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(st.st_gid, 100);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("shared/mine"), 0), 0);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("mine"), 0755), -EACCES);
	assert_int_equal(CALL(utimensat, CWD, ADDR("private"), 0, 0), -EACCES);
}

static long setlk(xinim_endpoint_t process, long fd, unsigned cmd, short type, off_t start,
		  off_t len, struct flock *out)
{
	struct flock f = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	long r = SYSCALL(vfs.endpoint, process, fcntl, (uint64_t)fd, cmd, ADDR(&f));
	if (out)
		*out = f;
	return r;
}

// The record-lock table: POSIX locks by process, conflicts only between owners and with
// a write lock, F_GETLK's report, a lock split by an unlock, any close releasing the
// process's locks; OFD locks by open file; flock apart from both.
static void test_record_locks_and_flock_as_linux(void **state)
{
	(void)state;
	make("locked", "0123456789", 0);
	long fd = CALL(openat, CWD, ADDR("locked"), O_RDWR, 0);
	xinim_endpoint_t other = fresh_endpoint();
	assert_int_equal(proc_message(XINIM_VFS_PROC_START, other, XINIM_ENDPOINT_NONE), 0);
	long ofd = SYSCALL(vfs.endpoint, other, openat, CWD, ADDR(dir), O_RDONLY, 0);
	assert_true(ofd >= 0);
	char path[48];
	snprintf(path, sizeof(path), "%s/locked", dir);
	long other_fd = SYSCALL(vfs.endpoint, other, openat, CWD, ADDR(path), O_RDWR, 0);
	struct flock got;
	assert_int_equal(setlk(who, fd, F_SETLK, F_WRLCK, 2, 4, NULL), 0);	// [2, 5]
	assert_int_equal(setlk(who, fd, F_SETLK, F_RDLCK, 0, 2, NULL), 0);	// [0, 1], its own
	assert_int_equal(setlk(other, other_fd, F_SETLK, F_RDLCK, 5, 1, NULL), -EAGAIN);
	assert_int_equal(setlk(other, other_fd, F_SETLK, F_RDLCK, 0, 2, NULL), 0);	// reads share
	assert_int_equal(setlk(other, other_fd, F_GETLK, F_WRLCK, 4, 0, &got), 0);
	assert_int_equal(got.l_type, F_WRLCK);
	assert_int_equal(got.l_start, 2);
	assert_int_equal(got.l_len, 4);
	assert_int_equal(got.l_pid, (pid_t)xinim_endpoint_pid(who));
	assert_int_equal(setlk(who, fd, F_SETLK, F_UNLCK, 3, 2, NULL), 0);	// [2], [5] left
	assert_int_equal(setlk(other, other_fd, F_SETLK, F_WRLCK, 3, 2, NULL), 0);
	assert_int_equal(setlk(other, other_fd, F_SETLK, F_WRLCK, 5, 1, NULL), -EAGAIN);
	assert_int_equal(setlk(other, other_fd, F_GETLK, F_WRLCK, 6, 0, &got), 0);
	assert_int_equal(got.l_type, F_UNLCK);
	assert_int_equal(setlk(who, fd, F_SETLK, 7, 0, 1, NULL), -EINVAL);
	assert_int_equal(setlk(who, fd, F_SETLK, F_WRLCK, -1, 1, NULL), -EINVAL);
	// Any close of the file by who lets every lock of who's on it go.
	long again = CALL(openat, CWD, ADDR("locked"), O_RDONLY, 0);
	assert_int_equal(CALL(close, (uint64_t)again), 0);
	assert_int_equal(setlk(other, other_fd, F_SETLK, F_WRLCK, 5, 1, NULL), 0);
	// OFD locks belong to the open file: another of who's own conflicts with it.
	long second = CALL(openat, CWD, ADDR("locked"), O_RDWR, 0);
	assert_int_equal(setlk(who, fd, F_OFD_SETLK, F_WRLCK, 8, 1, NULL), 0);
	assert_int_equal(setlk(who, second, F_OFD_SETLK, F_WRLCK, 8, 1, NULL), -EAGAIN);
	// flock: whole files, apart from the record locks; LOCK_NB says EWOULDBLOCK.
	assert_int_equal(CALL(flock, (uint64_t)fd, LOCK_EX), 0);
	assert_int_equal(CALL(flock, (uint64_t)second, LOCK_SH | LOCK_NB), -EWOULDBLOCK);
	assert_int_equal(CALL(flock, (uint64_t)fd, LOCK_UN), 0);
	assert_int_equal(CALL(flock, (uint64_t)second, LOCK_SH | LOCK_NB), 0);
	assert_int_equal(CALL(flock, (uint64_t)fd, 0), -EINVAL);
	(void)ofd;
}

// A pipe's ring (pipe.c), without waiting (O_NONBLOCK): bytes in order across the ring's
// end, 64 KiB and no more, PIPE_BUF writes whole or not at all, FIONREAD, the end of file,
// EPIPE without a reader, and the blocks given back with the last end.
static void test_a_pipes_ring_keeps_order_room_and_ends(void **state)
{
	(void)state;
	uint64_t before = blocks_free_now();
	int ends[2];
	assert_int_equal(CALL(pipe2, ADDR(ends), O_NONBLOCK), 0);
	static uint8_t out[70000], in[70000];
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 31 + 1);
	assert_int_equal(CALL(write, (uint64_t)ends[1], ADDR(out), 62000), 62000);
	assert_int_equal(CALL(write, (uint64_t)ends[1], ADDR(out), 4096), -EAGAIN);	// 3536 free
	assert_int_equal(CALL(write, (uint64_t)ends[1], ADDR(out + 62000), 10000), 3536);
	assert_int_equal(CALL(write, (uint64_t)ends[1], ADDR(out), 1), -EAGAIN);	// full
	assert_int_equal(CALL(read, (uint64_t)ends[0], ADDR(in), 50000), 50000);
	assert_memory_equal(in, out, 50000);
	// The next bytes go on past the ring's end, at its start.
	assert_int_equal(CALL(write, (uint64_t)ends[1], ADDR(out + 65536), 4000), 4000);
	int available = 0;
	assert_int_equal(CALL(ioctl, (uint64_t)ends[0], FIONREAD, ADDR(&available)), 0);
	assert_int_equal(available, 65536 - 50000 + 4000);
	assert_int_equal(CALL(read, (uint64_t)ends[0], ADDR(in), sizeof(in)), 65536 - 50000 + 4000);
	assert_memory_equal(in, out + 50000, 65536 - 50000);
	assert_memory_equal(in + 65536 - 50000, out + 65536, 4000);
	assert_int_equal(CALL(read, (uint64_t)ends[0], ADDR(in), 1), -EAGAIN);	// empty, a writer
	assert_int_equal(CALL(close, (uint64_t)ends[1]), 0);
	assert_int_equal(CALL(read, (uint64_t)ends[0], ADDR(in), 1), 0);	// the end
	assert_int_equal(CALL(close, (uint64_t)ends[0]), 0);
	assert_int_equal(blocks_free_now(), before);	// the ring's blocks came back
	assert_int_equal(CALL(pipe2, ADDR(ends), 0), 0);
	assert_int_equal(CALL(close, (uint64_t)ends[0]), 0);
	assert_int_equal(CALL(write, (uint64_t)ends[1], ADDR(out), 1), -EPIPE);
	assert_int_equal(CALL(pipe2, ADDR(ends), O_DIRECT), -EINVAL);
	assert_int_equal(CALL(pipe2, 0x10, 0), -EFAULT);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup(name, fresh_process)
	const struct CMUnitTest tests[] = {
		TEST(test_a_file_is_made_written_appended_and_read),
		TEST(test_a_hole_reads_as_zeros_and_a_shrunk_tail_does_not_come_back),
		TEST(test_renames_as_linux),
		TEST(test_links_and_a_removed_open_file),
		TEST(test_a_listing_survives_the_removal_of_what_it_listed),
		TEST(test_paths_from_the_working_directory),
		TEST(test_permissions_follow_the_credentials_pm_told),
		TEST(test_record_locks_and_flock_as_linux),
		TEST(test_a_pipes_ring_keeps_order_room_and_ends),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
