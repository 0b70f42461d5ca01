// The writable tree (docs/vfs.md), run as PID 1 (tests/boot/files.sh): files made,
// written, renamed, linked and removed as Linux does it, with Linux's errors; attributes
// and permissions; and the bad input the issue names: deep trees, 255-byte names,
// ENAMETOOLONG at 4096, 10,000 files in a directory, and a file that fills the memory
// (ENOSPC; the system keeps running). It prints each check and exits 0 only if all
// went right.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE	// musl's <stdio.h> has them from 1.2.5 on
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#endif

#define CHECK_PREFIX "files: "
#include "check.h"

static int put(const char *path, const char *text, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

// The file's bytes as a string (at most size - 1), or "" when it cannot be read.
static const char *get(const char *path, char *here, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, here, size - 1);
	here[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return here;
}

static int error_is(int result, int error) { return result == -1 && errno == error; }

static void making_and_writing(void)
{
	char text[64];
	check(mkdir("/work", 0755) == 0 && chdir("/work") == 0, "mkdir and chdir");
	check(put("a", "hello\n", O_EXCL) == 0 && put("a", "world\n", O_APPEND) == 0 &&
	      strcmp(get("a", text, sizeof(text)), "hello\nworld\n") == 0,
	      "a new file, written and appended to");
	check(error_is(open("a", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST) &&
	      put("a", "new\n", O_TRUNC) == 0 && strcmp(get("a", text, sizeof(text)), "new\n") == 0,
	      "O_EXCL refuses, O_TRUNC empties");
	int fd = open("a", O_RDWR);
	check(fd >= 0 && pwrite(fd, "XY", 2, 10) == 2 && lseek(fd, 0, SEEK_END) == 12 &&
	      pread(fd, text, 12, 0) == 12 && memcmp(text, "new\n\0\0\0\0\0\0XY", 12) == 0,
	      "a write past the end leaves a hole of zeros");
	check(ftruncate(fd, 2) == 0 && ftruncate(fd, 6) == 0 && pread(fd, text, 8, 0) == 6 &&
	      memcmp(text, "ne\0\0\0\0", 6) == 0, "ftruncate down and up again: zeros, not old bytes");
	close(fd);
	umask(022);
	fd = open("modes", O_CREAT | O_WRONLY, 0777);
	struct stat st;
	check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0755 && st.st_uid == 0 &&
	      st.st_nlink == 1, "a new file's mode less the umask, owned by its maker");
	close(fd);
	time_t now = time(NULL);
	check(stat("modes", &st) == 0 && st.st_mtime >= now - 5 && st.st_mtime <= now + 5 &&
	      now > 1700000000, "times from the real clock");
	check(error_is(open("a/", O_CREAT | O_WRONLY, 0644), EISDIR) &&
	      error_is(open("a/", O_RDONLY), ENOTDIR) && error_is(open("no/b", O_CREAT | O_RDWR, 0644), ENOENT) &&
	      error_is(open("/work", O_WRONLY), EISDIR), "open's errors: EISDIR, ENOTDIR, ENOENT");
}

static void names(void)
{
	char text[64];
	struct stat st;
	check(rename("a", "b") == 0 && error_is(access("a", F_OK), ENOENT) &&
	      strcmp(get("b", text, sizeof(text)), "ne") == 0, "rename moves the name");
	put("c", "c\n", 0);
	check(rename("c", "b") == 0 && strcmp(get("b", text, sizeof(text)), "c\n") == 0,
	      "rename over a file replaces it");
	put("d", "d\n", 0);
	check(syscall(SYS_renameat2, AT_FDCWD, "d", AT_FDCWD, "b", RENAME_NOREPLACE) == -1 &&
	      errno == EEXIST && syscall(SYS_renameat2, AT_FDCWD, "d", AT_FDCWD, "b",
					 RENAME_EXCHANGE) == 0 &&
	      strcmp(get("b", text, sizeof(text)), "d\n") == 0 &&
	      strcmp(get("d", text, sizeof(text)), "c\n") == 0, "renameat2: NOREPLACE, EXCHANGE");
	check(mkdir("dir", 0755) == 0 && mkdir("dir/sub", 0755) == 0 &&
	      error_is(rename("dir", "dir/sub/x"), EINVAL) && error_is(rename("b", "dir"), EISDIR) &&
	      error_is(rename("dir", "b"), ENOTDIR) && put("dir/sub/f", "", 0) == 0 &&
	      mkdir("empty", 0755) == 0 && error_is(rename("empty", "dir"), ENOTEMPTY) &&
	      rename("empty", "dir/sub/f2") == 0, "rename's errors: EINVAL, EISDIR, ENOTDIR, ENOTEMPTY");
	check(stat("dir", &st) == 0 && st.st_nlink == 3 && rename("dir/sub", "sub") == 0 &&
	      stat("dir", &st) == 0 && st.st_nlink == 2, "a directory's links follow its subdirectories");
	check(error_is(rmdir("sub"), ENOTEMPTY) && error_is(rmdir("b"), ENOTDIR) &&
	      error_is(rmdir("."), EINVAL) && error_is(mkdir("dir", 0755), EEXIST) &&
	      error_is(unlink("dir"), EISDIR) && error_is(rmdir("/"), EBUSY),
	      "rmdir's and unlink's errors");
	check(link("b", "b2") == 0 && stat("b", &st) == 0 && st.st_nlink == 2 && unlink("b") == 0 &&
	      strcmp(get("b2", text, sizeof(text)), "d\n") == 0 && stat("b2", &st) == 0 &&
	      st.st_nlink == 1 && error_is(link("dir", "dir2"), EPERM), "hard links");
	check(symlink("b2", "s") == 0 && readlink("s", text, sizeof(text)) == 2 &&
	      strcmp(get("s", text, sizeof(text)), "d\n") == 0 && symlink("nowhere", "dangling") == 0 &&
	      put("dangling", "made\n", 0) == 0 && strcmp(get("nowhere", text, sizeof(text)), "made\n") == 0 &&
	      error_is(symlink("", "e"), ENOENT) && error_is(symlink("x", "s"), EEXIST),
	      "symbolic links, and O_CREAT through a dangling one");
	int fd = open("b2", O_RDONLY);
	check(fd >= 0 && unlink("b2") == 0 && read(fd, text, 2) == 2 && memcmp(text, "d\n", 2) == 0 &&
	      fstat(fd, &st) == 0 && st.st_nlink == 0, "a removed file stays while open");
	close(fd);
	fd = open(".", O_TMPFILE | O_RDWR, 0600);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	check(fd >= 0 && write(fd, "tmp", 3) == 3 &&
	      linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH) == 0 &&
	      strcmp(get("named", text, sizeof(text)), "tmp") == 0, "O_TMPFILE, named by linkat");
	close(fd);
	check(mknod("fifo", S_IFIFO | 0644, 0) == 0 && stat("fifo", &st) == 0 && S_ISFIFO(st.st_mode) &&
	      error_is(mknod("chr", S_IFDIR | 0644, 0), EPERM), "mknod: a FIFO; EPERM for a directory");
}

static void attributes(void)
{
	struct stat st;
	struct timespec times[2] = { { 1000000000, 5 }, { 1200000000, 7 } };
	check(chmod("modes", 04711) == 0 && stat("modes", &st) == 0 && (st.st_mode & 07777) == 04711 &&
	      chown("modes", 1000, 100) == 0 && stat("modes", &st) == 0 && st.st_uid == 1000 &&
	      st.st_gid == 100 && (st.st_mode & 07777) == 0711, "chmod; chown clears set-user-ID");
	check(utimensat(AT_FDCWD, "modes", times, 0) == 0 && stat("modes", &st) == 0 &&
	      st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 5 &&
	      st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 7,
	      "utimensat sets both times to the ns");
	times[0].tv_nsec = UTIME_OMIT;
	times[1].tv_nsec = UTIME_NOW;
	check(utimensat(AT_FDCWD, "modes", times, 0) == 0 && stat("modes", &st) == 0 &&
	      st.st_atim.tv_sec == 1000000000 && st.st_mtime > 1700000000,
	      "UTIME_OMIT keeps one, UTIME_NOW sets the other");
	check(truncate("modes", 5000) == 0 && stat("modes", &st) == 0 && st.st_size == 5000 &&
	      error_is(truncate("dir", 0), EISDIR) && error_is(truncate("modes", -1), EINVAL),
	      "truncate; its errors");
	// A user who is not root: the permission bits, and a sticky directory.
	mkdir("/work/sticky", 01777);
	chmod("/work/sticky", 01777);	// past the umask
	put("/work/sticky/roots", "r", 0);
	put("/work/private", "p", 0);
	chmod("/work/private", 0600);
	pid_t child = fork();
	if (child == 0) {
		// Each step says which one failed, and with which errno.
#define MUST(step) (void)(ok = ok && ((step) || (printf("files: the user's step failed: %s (errno %d)\n", #step, errno), 0)))
		int ok = 1;
		MUST(setgid(100) == 0 && setuid(1000) == 0);
		MUST(error_is(open("/work/private", O_RDONLY), EACCES));
		MUST(error_is(unlink("/work/sticky/roots"), EPERM));
		MUST(put("/work/sticky/mine", "m", 0) == 0 && unlink("/work/sticky/mine") == 0);
		MUST(error_is(chmod("/work/private", 0777), EPERM));
		MUST(error_is(mkdir("/work/nope", 0755), EACCES));
		MUST(error_is(chown("/work/modes", 0, 0), EPERM));
		MUST(chmod("/work/modes", 0644) == 0);
		_exit(ok ? 0 : 1);
	}
	int status = 1;
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a user's permissions: EACCES, a sticky directory's EPERM, an owner's chmod");
}

// Removes every entry of dir while listing it, as rm -r does: how many went.
static int remove_all(const char *dir)
{
	DIR *d = opendir(dir);
	int removed = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		removed += unlink(path) == 0;
	}
	if (d)
		closedir(d);
	return removed;
}

static void bad_input(void)
{
	char name[300], path[5000];
	memset(name, 'n', 255);
	name[255] = '\0';
	check(put(name, "long", 0) == 0 && access(name, F_OK) == 0, "a 255-byte name");
	strcpy(name + 255, "x");
	check(error_is(open(name, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG), "256 bytes: ENAMETOOLONG");
	memset(path, 'a', 4096);
	for (int i = 1; i < 4096; i += 2)
		path[i] = '/';
	path[4096] = '\0';
	check(error_is(open(path, O_RDONLY), ENAMETOOLONG), "a path of 4096 bytes: ENAMETOOLONG");
	int depth = 0;
	check(mkdir("/work/deep", 0755) == 0 && chdir("/work/deep") == 0, "a deep tree's start");
	while (depth < 500 && mkdir("d", 0755) == 0 && chdir("d") == 0)
		depth++;
	char here[PATH_MAX];
	check(depth == 500 && getcwd(here, sizeof(here)) && strlen(here) == 10 + 2 * 500,
	      "a tree 500 directories deep, and getcwd in it");
	chdir("/work");
	check(mkdir("many", 0755) == 0, "a directory for many files");
	int made = 0;
	for (int i = 0; i < 10000; i++) {
		snprintf(path, sizeof(path), "many/file%05d", i);
		int fd = open(path, O_CREAT | O_WRONLY, 0644);
		made += fd >= 0;
		close(fd);
	}
	struct stat st;
	check(made == 10000 && stat("many/file09999", &st) == 0, "10,000 files in a directory");
	check(remove_all("many") == 10000 && rmdir("many") == 0,
	      "all 10,000 removed while listed, then the directory");
	struct statfs before, full, after;
	statfs("/", &before);
	int fd = open("/work/filler", O_CREAT | O_WRONLY, 0644);
	static char block[1 << 16];
	memset(block, 'f', sizeof(block));
	long long written = 0;
	ssize_t n;
	while ((n = write(fd, block, sizeof(block))) > 0)
		written += n;
	int filled_with = errno;
	statfs("/", &full);
	close(fd);
	check(n == -1 && filled_with == ENOSPC && written > 8 << 20 && full.f_bfree < 16,
	      "a file that fills the memory: ENOSPC");
	check(put("/work/small", "still writable\n", 0) == -1 || unlink("/work/small") == 0,
	      "the tree still answers when full");
	unlink("/work/filler");
	statfs("/", &after);
	check(after.f_bfree >= before.f_bfree - 2 && put("/work/small", "x", 0) == 0,
	      "its blocks come back when it is removed");
	printf("files: filled %lld MiB; free blocks %llu before, %llu full, %llu after\n",
	       written >> 20, (unsigned long long)before.f_bfree, (unsigned long long)full.f_bfree,
	       (unsigned long long)after.f_bfree);
}

// A lock another process holds: F_SETLK says EAGAIN, F_SETLKW waits until it goes (the
// holder ends); flock's LOCK_NB says EWOULDBLOCK.
static void locks(void)
{
	int fd = open("/work/locked", O_CREAT | O_RDWR, 0644), ready[2];
	pipe(ready);
	pid_t child = fork();
	if (child == 0) {
		struct flock hold = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 0 };
		int ok = fcntl(fd, F_SETLK, &hold) == 0 && flock(fd, LOCK_EX) == 0;
		write(ready[1], ok ? "y" : "n", 1);
		sleep(1);
		_exit(0);
	}
	char said = 'n';
	read(ready[0], &said, 1);
	struct flock want = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1 };
	int refused = fcntl(fd, F_SETLK, &want) == -1 && errno == EAGAIN;
	int other = open("/work/locked", O_RDONLY);
	int nb = flock(other, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK;
	int waited = fcntl(fd, F_SETLKW, &want) == 0;
	int status = 1;
	waitpid(child, &status, 0);
	check(said == 'y' && refused && nb && waited && WIFEXITED(status),
	      "record locks: EAGAIN, then F_SETLKW waits for the holder's end; flock LOCK_NB");
	close(other);
	close(fd);
	close(ready[0]);
	close(ready[1]);
}

// Two processes, each holding a byte the other waits for: the second F_SETLKW would wait
// forever, EDEADLK; once the first lock goes, the other waiter gets its byte.
static void deadlock(void)
{
	int fd = open("/work/deadlock", O_CREAT | O_RDWR, 0644), ready[2];
	struct flock first = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	struct flock second = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 1, .l_len = 1 };
	int held = fcntl(fd, F_SETLK, &first) == 0;
	pipe(ready);
	pid_t child = fork();
	if (child == 0) {
		int ok = fcntl(fd, F_SETLK, &second) == 0;
		write(ready[1], ok ? "y" : "n", 1);
		_exit(fcntl(fd, F_SETLKW, &first) == 0 ? 0 : 1);	// waits for the parent
	}
	char said = 'n';
	read(ready[0], &said, 1);
	usleep(100000);	// the child waits by now
	int refused = fcntl(fd, F_SETLKW, &second) == -1 && errno == EDEADLK;
	first.l_type = F_UNLCK;
	fcntl(fd, F_SETLK, &first);
	int status = 1;
	waitpid(child, &status, 0);
	check(held && said == 'y' && refused && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "record locks: a wait that closes a cycle is EDEADLK; the other waiter goes on");
	close(fd);
	close(ready[0]);
	close(ready[1]);
}

int main(void)
{
	making_and_writing();
	names();
	attributes();
	locks();
	deadlock();
	bad_input();
	return check_summary();
}
