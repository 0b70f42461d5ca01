// Mounts (docs/vfs.md, Mounts), run as PID 1 (tests/boot/mounts.sh): the boot's /proc
// and /tmp, mount and umount2 of a tmpfs with Linux's errors, a tmpfs of 1 MiB that
// fills (ENOSPC) while the root has room, /proc/mounts, and a user's EPERM. It prints
// each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_PREFIX "mounts: "
#include "check.h"

static int error_is(int result, int error) { return result == -1 && errno == error; }

static dev_t dev_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_dev : (dev_t)-1;
}

static void boot_mounts(void)
{
	check(dev_of("/tmp") != dev_of("/") && dev_of("/proc") != dev_of("/") &&
		      dev_of("/tmp") != dev_of("/proc"),
	      "/tmp and /proc: devices of their own");
	char text[1024] = { 0 };
	int fd = open("/proc/mounts", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	close(fd);
	check(n > 0 && strstr(text, "tmpfs / tmpfs rw,relatime 0 0\n") &&
		      strstr(text, "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n") &&
		      strstr(text, "tmpfs /tmp tmpfs rw,nosuid,nodev,relatime 0 0\n"),
	      "/proc/mounts lists /, /proc and /tmp");
}

static void errors(void)
{
	mkdir("/mnt", 0755);
	check(error_is(mount("x", "/mnt", "ext4", 0, NULL), ENODEV), "an unknown type: ENODEV");
	check(error_is(mount("x", "/nowhere", "tmpfs", 0, NULL), ENOENT), "no target: ENOENT");
	check(error_is(mount("x", "/proc/meminfo", "tmpfs", 0, NULL), ENOTDIR),
	      "a file as target: ENOTDIR");
	check(error_is(mount("x", "/mnt", "tmpfs", 0, "bogus=1"), EINVAL), "a bad option: EINVAL");
	check(error_is(umount2("/mnt", 0), EINVAL), "umount of no mount point: EINVAL");
	check(error_is(umount2("/tmp", 0x100), EINVAL), "umount2's unknown flag: EINVAL");
	check(chdir("/tmp") == 0 && error_is(umount2("/tmp", 0), EBUSY) && chdir("/") == 0,
	      "umount of a working directory's mount: EBUSY");
	pid_t child = fork();
	if (child == 0) {
		if (setuid(1000) != 0)
			_exit(2);
		_exit(error_is(mount("x", "/mnt", "tmpfs", 0, NULL), EPERM) &&
		      error_is(umount2("/tmp", 0), EPERM) ? 0 : 1);
	}
	int status = -1;
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a user's mount and umount: EPERM");
}

static void sized_tmpfs(void)
{
	check(mount("small", "/mnt", "tmpfs", MS_NOSUID, "size=1m") == 0, "mount a tmpfs of 1 MiB");
	struct statfs fs = { 0 }, root = { 0 };
	check(statfs("/mnt", &fs) == 0 && fs.f_blocks == 256 && fs.f_bsize == 4096,
	      "statfs: 256 blocks of 4 KiB");
	check(dev_of("/mnt") != dev_of("/") && dev_of("/mnt") != dev_of("/tmp"),
	      "its own device");
	static char block[65536];	// a slice of a transfer (docs/syscalls.md)
	int fd = open("/mnt/big", O_WRONLY | O_CREAT, 0644);
	ssize_t n;
	long total = 0;
	while ((n = write(fd, block, sizeof(block))) > 0)
		total += n;
	check(n == -1 && errno == ENOSPC && total >= 250 * 4096, "filled: ENOSPC");
	check(statfs("/", &root) == 0 && root.f_bfree > 0 && mkdir("/roomy", 0755) == 0,
	      "the root still has room");
	check(error_is(umount2("/mnt", 0), EBUSY), "umount while a file is open: EBUSY");
	close(fd);
	check(umount2("/mnt", 0) == 0 && dev_of("/mnt") == dev_of("/") &&
		      access("/mnt/big", F_OK) != 0,
	      "umount: the directory beneath again");
}

int main(void)
{
	boot_mounts();
	errors();
	sized_tmpfs();
	return check_summary();
}
