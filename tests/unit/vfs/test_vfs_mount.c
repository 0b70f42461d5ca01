// Mounts (docs/vfs.md, Mounts) through VFS's system calls: the boot's /proc and /tmp,
// mount and umount2 of tmpfs, proc and binds with Linux's errors, path resolution
// across mount points from a working directory ("..", links, getcwd), EXDEV, each
// file system's statfs and bounds, /proc/mounts, and the table kept by a take-over.
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
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
#define MOUNT(source, target, type, flags, data) \
	CALL(mount, ADDR(source), ADDR(target), ADDR(type), (uint64_t)(flags), ADDR(data))

static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "etc", .mode = S_IFDIR | 0755 },
	{ .path = "etc/motd", .mode = S_IFREG | 0644, .data = "hello\n" },
	{ .path = "mnt", .mode = S_IFDIR | 0755 },
	{ .path = "tmp", .mode = S_IFDIR | 01777 },
};
static struct proc vfs;
static xinim_endpoint_t who;
static uint8_t kept_region[VFS_STATE_HEAD + VFS_HOSTED_BLOCKS * BLOCK_BYTES]
	__attribute__((aligned(4096)));
#define kept (*(struct vfs_state *)kept_region)

static long process_start(xinim_endpoint_t process)
{
	struct xinim_vfs_proc proc = { .who = process, .parent = XINIM_ENDPOINT_NONE };
	struct xinim_msg msg = { .header = { .type = XINIM_VFS_PROC_START, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
}


static struct stat stat_of(const char *path)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	assert_int_equal(CALL(newfstatat, CWD, ADDR(path), ADDR(&st), 0), 0);
	return st;
}

static struct statfs statfs_of(const char *path)
{
	struct statfs fs;
	assert_int_equal(CALL(statfs, ADDR(path), ADDR(&fs)), 0);
	return fs;
}

static const char *text_of(const char *path)
{
	return vfs_file_text(vfs.endpoint, who, path);
}

static long write_new(const char *path, const char *text)
{
	return vfs_file_write(vfs.endpoint, who, path, text, O_TRUNC);
}

static const char *cwd_now(void)
{
	static char path[256];
	long n = CALL(getcwd, ADDR(path), sizeof(path));
	return n > 0 ? path : "(error)";
}

static int group_setup(void **state)
{
	return archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0]));
}

// Each test: a fresh state (the boot's mounts), a new process as root.
static int fresh_state(void **state)
{
	(void)state;
	memset(kept_region, 0, sizeof(kept_region));
	vfs_state_take(&kept, KEEP_FRESH);
	who = fresh_endpoint();
	return process_start(who) ? -1 : 0;
}

static void test_proc_and_tmp_are_mounted_at_boot_each_its_own_device(void **state)
{
	(void)state;
	dev_t root = stat_of("/").st_dev, proc = stat_of("/proc").st_dev, tmp = stat_of("/tmp").st_dev;
	assert_true(root != proc && root != tmp && proc != tmp);
	assert_int_equal(stat_of("/proc/meminfo").st_dev, proc);
	assert_int_equal(stat_of("/tmp").st_mode, S_IFDIR | 01777);
	assert_int_equal(stat_of("/tmp/..").st_ino, stat_of("/").st_ino);
	assert_int_equal(statfs_of("/proc").f_type, 0x9fa0);
	assert_int_equal(statfs_of("/tmp").f_type, 0x01021994);
	assert_int_equal(statfs_of("/tmp").f_flags, 0x20 | ST_NOSUID | ST_NODEV | ST_RELATIME);
	assert_int_equal(statfs_of("/proc").f_flags,
			 0x20 | ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME);
	assert_string_equal(text_of("/proc/mounts"),
			    "tmpfs / tmpfs rw,relatime 0 0\n"
			    "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
			    "tmpfs /tmp tmpfs rw,nosuid,nodev,relatime 0 0\n");
}

static void test_new_nodes_take_the_device_of_their_directory(void **state)
{
	(void)state;
	assert_int_equal(CALL(mkdirat, CWD, ADDR("/tmp/d"), 0755), 0);
	assert_int_equal(write_new("/tmp/d/f", "x"), 1);
	assert_int_equal(stat_of("/tmp/d/f").st_dev, stat_of("/tmp").st_dev);
	assert_int_equal(write_new("/etc/f", "x"), 1);
	assert_int_equal(stat_of("/etc/f").st_dev, stat_of("/").st_dev);
}

static void test_dotdot_links_and_getcwd_cross_mounts(void **state)
{
	(void)state;
	assert_int_equal(MOUNT("scratch", "/mnt", "tmpfs", 0, ""), 0);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("/mnt/a"), 0755), 0);
	assert_int_equal(CALL(chdir, ADDR("/mnt/a")), 0);
	assert_string_equal(cwd_now(), "/mnt/a");
	assert_int_equal(stat_of("../..").st_ino, stat_of("/").st_ino);
	assert_int_equal(stat_of("../../etc/motd").st_size, 6);
	assert_int_equal(CALL(symlinkat, ADDR("/mnt/a"), CWD, ADDR("/etc/to_a")), 0);
	assert_int_equal(CALL(symlinkat, ADDR("../../etc"), CWD, ADDR("up")), 0);
	assert_string_equal(text_of("up/motd"), "hello\n");
	assert_int_equal(CALL(chdir, ADDR("/etc/to_a/..")), 0);
	assert_string_equal(cwd_now(), "/mnt");
	assert_int_equal(CALL(chdir, ADDR("..")), 0);
	assert_string_equal(cwd_now(), "/");
	assert_int_equal(CALL(chdir, ADDR("/tmp")), 0);
	assert_string_equal(cwd_now(), "/tmp");
}

static void test_rename_and_link_across_mounts_are_exdev(void **state)
{
	(void)state;
	assert_int_equal(write_new("/tmp/f", "x"), 1);
	assert_int_equal(CALL(renameat, CWD, ADDR("/tmp/f"), CWD, ADDR("/etc/f")), -EXDEV);
	assert_int_equal(CALL(linkat, CWD, ADDR("/tmp/f"), CWD, ADDR("/etc/f"), 0), -EXDEV);
	assert_int_equal(CALL(renameat, CWD, ADDR("/etc/motd"), CWD, ADDR("/tmp/motd")), -EXDEV);
	assert_int_equal(CALL(renameat, CWD, ADDR("/tmp/f"), CWD, ADDR("/tmp/g")), 0);
	// a mount point stays where it is
	assert_int_equal(CALL(renameat, CWD, ADDR("/tmp"), CWD, ADDR("/tmp2")), -EBUSY);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("/tmp"), AT_REMOVEDIR), -EBUSY);
}

static void test_a_sized_tmpfs_fills_while_the_root_has_room(void **state)
{
	(void)state;
	assert_int_equal(MOUNT("small", "/mnt", "tmpfs", 0, "size=1m,nr_inodes=8,mode=700"), 0);
	struct statfs fs = statfs_of("/mnt");
	assert_int_equal(fs.f_blocks, 256);
	assert_int_equal(fs.f_bfree, 256);
	assert_int_equal(fs.f_files, 8);
	assert_int_equal(fs.f_ffree, 7);	// its root
	assert_int_equal(stat_of("/mnt").st_mode, S_IFDIR | 0700);
	long fd = CALL(openat, CWD, ADDR("/mnt/big"), O_WRONLY | O_CREAT, 0644);
	static char block[BLOCK_BYTES];
	long n, total = 0;
	while ((n = CALL(write, (uint64_t)fd, ADDR(block), sizeof(block))) > 0)
		total += n;
	assert_int_equal(n, -ENOSPC);
	assert_true(total >= 250 * BLOCK_BYTES && total < 256 * BLOCK_BYTES);
	assert_int_equal(statfs_of("/mnt").f_bfree, 0);
	assert_true(statfs_of("/").f_bfree > 0);
	assert_int_equal(write_new("/etc/still", "room"), 4);
	for (int i = 0; i < 6; i++) {
		char name[16];
		snprintf(name, sizeof(name), "/mnt/n%d", i);
		assert_int_equal(CALL(mkdirat, CWD, ADDR(name), 0755), 0);
	}
	assert_int_equal(CALL(mkdirat, CWD, ADDR("/mnt/last"), 0755), -ENOSPC);	// 8 nodes
	assert_int_equal(CALL(umount2, ADDR("/mnt"), 0), -EBUSY);	// big is open
	CALL(close, (uint64_t)fd);
	unsigned before = blocks_free();
	assert_int_equal(CALL(umount2, ADDR("/mnt"), 0), 0);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/mnt/big"), F_OK), -ENOENT);
	assert_true(blocks_free() >= before + 250);	// back to the pool after the answer
}

static void test_mount_and_umount_errors_as_linux(void **state)
{
	(void)state;
	assert_int_equal(MOUNT("x", "/mnt", "ext4", 0, ""), -ENODEV);
	assert_int_equal(MOUNT("x", "/etc/motd", "tmpfs", 0, ""), -ENOTDIR);
	assert_int_equal(MOUNT("x", "/nowhere", "tmpfs", 0, ""), -ENOENT);
	assert_int_equal(MOUNT("x", "/mnt", "tmpfs", 0, "colour=blue"), -EINVAL);
	assert_int_equal(MOUNT("x", "/mnt", "tmpfs", MS_MOVE, ""), -EINVAL);
	assert_int_equal(CALL(mount, ADDR("x"), ADDR("/mnt"), 0, 0, 0), -EINVAL);	// no type
	assert_int_equal(CALL(mount, ADDR("x"), 1, ADDR("tmpfs"), 0, 0), -EFAULT);
	static char long_source[80];
	memset(long_source, 's', sizeof(long_source) - 1);
	assert_int_equal(MOUNT(long_source, "/mnt", "tmpfs", 0, ""), -ENAMETOOLONG);
	assert_int_equal(CALL(umount2, ADDR("/etc"), 0), -EINVAL);	// no mount point
	assert_int_equal(CALL(umount2, ADDR("/tmp"), 0x100), -EINVAL);	// unknown flag
	assert_int_equal(CALL(umount2, ADDR("/nowhere"), 0), -ENOENT);
	assert_int_equal(CALL(chdir, ADDR("/tmp")), 0);
	assert_int_equal(CALL(umount2, ADDR("/tmp"), 0), -EBUSY);	// a working directory
	assert_int_equal(CALL(umount2, ADDR("/tmp"), MNT_EXPIRE | MNT_DETACH), -EINVAL);
	assert_int_equal(CALL(chdir, ADDR("/")), 0);
	assert_int_equal(CALL(umount2, ADDR("/tmp"), MNT_EXPIRE), -EAGAIN);
	assert_int_equal(CALL(umount2, ADDR("/tmp"), MNT_EXPIRE), 0);
	assert_int_equal(stat_of("/tmp").st_dev, stat_of("/").st_dev);	// the directory beneath
	xinim_endpoint_t user = fresh_endpoint();
	assert_int_equal(process_start(user), 0);
	assert_int_equal(vfs_creds_message(vfs.endpoint, user, 1000, 1000), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, user, mount, ADDR("x"), ADDR("/mnt"), ADDR("tmpfs"),
				 0, 0), -EPERM);
	assert_int_equal(SYSCALL(vfs.endpoint, user, umount2, ADDR("/proc"), 0), -EPERM);
}

static void test_lazy_unmount_frees_once_unused(void **state)
{
	(void)state;
	assert_int_equal(MOUNT("lazy", "/mnt", "tmpfs", 0, ""), 0);
	assert_int_equal(write_new("/mnt/f", "kept while open"), 15);
	long fd = CALL(openat, CWD, ADDR("/mnt/f"), O_RDONLY, 0);
	assert_true(fd >= 0);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("/mnt/d"), 0755), 0);
	long dir = CALL(openat, CWD, ADDR("/mnt/d"), O_RDONLY | O_DIRECTORY, 0);
	assert_int_equal(CALL(umount2, ADDR("/mnt"), MNT_DETACH), 0);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/mnt/f"), F_OK), -ENOENT);
	assert_int_equal(CALL(fchdir, (uint64_t)dir), 0);	// in the detached tree
	assert_int_equal(MOUNT("x", ".", "tmpfs", 0, ""), -EINVAL);	// no mount on it
	assert_int_equal(MOUNT("/etc", ".", NULL, MS_BIND, NULL), -EINVAL);
	assert_int_equal(CALL(chdir, ADDR("/")), 0);
	assert_int_equal(CALL(close, (uint64_t)dir), 0);
	char text[32] = { 0 };
	assert_int_equal(CALL(read, (uint64_t)fd, ADDR(text), sizeof(text)), 15);
	assert_int_equal(CALL(close, (uint64_t)fd), 0);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/"), F_OK), 0);
	assert_false(fs_reap_due());	// reaped between requests, once unused
}

static void test_remount_read_only_gives_erofs(void **state)
{
	(void)state;
	assert_int_equal(write_new("/tmp/f", "x"), 1);
	assert_int_equal(MOUNT("tmpfs", "/tmp", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID, ""), 0);
	assert_int_equal(write_new("/tmp/g", "x"), -EROFS);
	assert_int_equal(CALL(openat, CWD, ADDR("/tmp/f"), O_WRONLY, 0), -EROFS);
	assert_true(CALL(openat, CWD, ADDR("/tmp/f"), O_RDONLY, 0) >= 0);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("/tmp/f"), 0), -EROFS);
	assert_int_equal(CALL(fchmodat, CWD, ADDR("/tmp/f"), 0600), -EROFS);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/tmp/f"), W_OK), -EROFS);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/tmp/f"), R_OK), 0);
	assert_true(strstr(text_of("/proc/mounts"), "tmpfs /tmp tmpfs ro,nosuid,relatime 0 0\n"));
	assert_int_equal(MOUNT("tmpfs", "/tmp", NULL, MS_REMOUNT, "size=64k"), 0);
	assert_int_equal(write_new("/tmp/g", "x"), 1);
	assert_int_equal(statfs_of("/tmp").f_blocks, 16);
	assert_int_equal(MOUNT("tmpfs", "/etc", NULL, MS_REMOUNT, ""), -EINVAL);	// no mount root
}

static void test_umount_of_the_root_makes_it_read_only(void **state)
{
	(void)state;
	long fd = CALL(openat, CWD, ADDR("/etc/motd"), O_WRONLY, 0);
	assert_true(fd >= 0);
	assert_int_equal(CALL(umount2, ADDR("/"), 0), -EBUSY);	// open for writing
	assert_int_equal(CALL(close, (uint64_t)fd), 0);
	assert_int_equal(CALL(umount2, ADDR("/"), MNT_DETACH), -EBUSY);
	assert_int_equal(CALL(umount2, ADDR("/"), 0), 0);
	assert_int_equal(write_new("/etc/new", "x"), -EROFS);
	assert_int_equal(write_new("/tmp/new", "x"), 1);	// another file system
	assert_int_equal(stat_of("/").st_ino, 1);	// still there
	assert_true(strstr(text_of("/proc/mounts"), "tmpfs / tmpfs ro,relatime 0 0\n"));
	assert_int_equal(MOUNT("tmpfs", "/", NULL, MS_REMOUNT, NULL), 0);
	assert_int_equal(write_new("/etc/new", "x"), 1);
}

static void test_proc_and_binds_mount_again_elsewhere(void **state)
{
	(void)state;
	assert_int_equal(MOUNT("proc", "/mnt", "proc", MS_NOSUID, ""), 0);
	assert_int_equal(stat_of("/mnt/meminfo").st_dev, stat_of("/proc").st_dev);
	assert_int_equal(CALL(umount2, ADDR("/mnt"), 0), 0);
	assert_int_equal(CALL(umount2, ADDR("/proc"), 0), 0);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/proc/meminfo"), F_OK), -ENOENT);
	assert_int_equal(MOUNT("proc", "/proc", "proc", 0, ""), 0);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/proc/meminfo"), F_OK), 0);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("/etc/sub"), 0755), 0);
	assert_int_equal(write_new("/etc/sub/f", "bound"), 5);
	assert_int_equal(MOUNT("/etc/sub", "/mnt", NULL, MS_BIND, NULL), 0);
	assert_string_equal(text_of("/mnt/f"), "bound");
	assert_int_equal(stat_of("/mnt").st_ino, stat_of("/etc/sub").st_ino);
	assert_int_equal(MOUNT("/etc/motd", "/mnt", NULL, MS_BIND, NULL), -ENOTDIR);
	assert_int_equal(MOUNT(NULL, "/mnt", NULL, MS_PRIVATE, NULL), 0);
	assert_int_equal(MOUNT(NULL, "/mnt", NULL, MS_SHARED, NULL), -EINVAL);
	assert_int_equal(CALL(umount2, ADDR("/mnt"), 0), 0);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/mnt/f"), F_OK), -ENOENT);
	assert_string_equal(text_of("/etc/sub/f"), "bound");
	// a bound directory removed from its place stays while the mount shows it
	assert_int_equal(CALL(mkdirat, CWD, ADDR("/etc/gone"), 0755), 0);
	assert_int_equal(MOUNT("/etc/gone", "/mnt", NULL, MS_BIND, NULL), 0);
	unsigned nodes = 0, blocks = 0, after = 0;
	ramfs_usage(&nodes, &blocks);
	assert_int_equal(CALL(unlinkat, CWD, ADDR("/etc/gone"), AT_REMOVEDIR), 0);
	assert_int_equal(stat_of("/mnt").st_mode, S_IFDIR | 0755);
	assert_int_equal(stat_of("/mnt").st_nlink, 0);
	assert_int_equal(CALL(umount2, ADDR("/mnt"), 0), 0);
	ramfs_usage(&after, &blocks);
	assert_int_equal(after, nodes - 1);	// then it goes
}

static void test_a_take_over_keeps_the_mount_table(void **state)
{
	(void)state;
	assert_int_equal(MOUNT("kept", "/mnt", "tmpfs", 0, "size=2m"), 0);
	assert_int_equal(write_new("/mnt/f", "still here"), 10);
	dev_t dev = stat_of("/mnt").st_dev;
	char mounts[1024];
	strcpy(mounts, text_of("/proc/mounts"));
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_string_equal(text_of("/mnt/f"), "still here");
	assert_int_equal(stat_of("/mnt/f").st_dev, dev);
	assert_int_equal(statfs_of("/mnt").f_blocks, 512);
	assert_string_equal(text_of("/proc/mounts"), mounts);
	assert_int_equal(stat_of("/mnt/..").st_ino, stat_of("/").st_ino);
}

static void test_a_mount_that_does_not_check_out_is_dropped_with_its_nodes(void **state)
{
	(void)state;
	assert_int_equal(MOUNT("bad", "/mnt", "tmpfs", 0, ""), 0);
	assert_int_equal(write_new("/mnt/f", "lost"), 4);
	dev_t dev = stat_of("/mnt").st_dev;
	for (unsigned i = 0; i < MOUNTS_MAX; i++)
		if (kept.mounts.mounts[i].dev == dev)
			kept.mounts.mounts[i].point = NODES_MAX + 5;	// no node
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(CALL(faccessat, CWD, ADDR("/mnt/f"), F_OK), -ENOENT);
	assert_int_equal(stat_of("/mnt").st_dev, stat_of("/").st_dev);
	assert_false(fs_reap_due());	// nothing held it: gone at the take-over's first resume
	assert_int_equal(MOUNT("again", "/mnt", "tmpfs", 0, ""), 0);
	assert_string_equal(text_of("/tmp/../etc/motd"), "hello\n");
}

// A file system whose root is no root directory of its own goes at take-over, with its
// nodes and the mounts that showed it.
static void test_a_file_system_that_does_not_check_out_goes_with_its_nodes(void **state)
{
	(void)state;
	assert_int_equal(MOUNT("broken", "/mnt", "tmpfs", 0, ""), 0);
	assert_int_equal(write_new("/mnt/f", "lost"), 4);
	uint32_t dev = (uint32_t)stat_of("/mnt").st_dev;
	unsigned nodes = 0, after = 0, blocks;
	ramfs_usage(&nodes, &blocks);
	kept.mounts.fs[dev].root = 0;	// the tree's root, not its own
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_null(fs_of(dev));
	assert_int_equal(stat_of("/mnt").st_dev, stat_of("/").st_dev);
	ramfs_usage(&after, &blocks);
	assert_int_equal(after, nodes - 2);	// its root and f
	assert_false(strstr(text_of("/proc/mounts"), "broken"));
}

// A VFS that died while it reaped an unmounted tmpfs (fs_reap: marked, then wiped
// unlogged) left some of its entries gone: the next one wipes the rest before it checks
// the tree, which is kept whole.
static void test_a_reaping_cut_short_is_finished_by_the_take_over(void **state)
{
	(void)state;
	assert_int_equal(write_new("/etc/mine", "kept"), 4);
	assert_int_equal(MOUNT("doomed", "/mnt", "tmpfs", 0, ""), 0);
	assert_int_equal(CALL(mkdirat, CWD, ADDR("/mnt/d"), 0755), 0);
	assert_int_equal(write_new("/mnt/d/f", "gone"), 4);
	uint32_t dev = (uint32_t)stat_of("/mnt").st_dev;
	unsigned free_before = blocks_free();
	struct node *d = ramfs_child(ramfs_node_at(kept.mounts.fs[dev].root), "d", 1);
	for (unsigned i = 0; i < MOUNTS_MAX; i++)
		if (kept.mounts.mounts[i].dev == dev)
			kept.mounts.mounts[i] = (struct mount){ 0 };
	kept.mounts.fs[dev].released = 2;	// reaping
	*entry_at(d->first) = (struct entry){ 0 };	// f's name wiped, d's list not yet
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_string_equal(text_of("/etc/mine"), "kept");	// the tree was not rebuilt
	assert_int_equal(stat_of("/mnt").st_dev, stat_of("/").st_dev);
	assert_null(fs_of(dev));
	assert_true(blocks_free() > free_before);	// f's block is free again
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define TEST(t) cmocka_unit_test_setup(t, fresh_state)
		TEST(test_proc_and_tmp_are_mounted_at_boot_each_its_own_device),
		TEST(test_new_nodes_take_the_device_of_their_directory),
		TEST(test_dotdot_links_and_getcwd_cross_mounts),
		TEST(test_rename_and_link_across_mounts_are_exdev),
		TEST(test_a_sized_tmpfs_fills_while_the_root_has_room),
		TEST(test_mount_and_umount_errors_as_linux),
		TEST(test_lazy_unmount_frees_once_unused),
		TEST(test_remount_read_only_gives_erofs),
		TEST(test_umount_of_the_root_makes_it_read_only),
		TEST(test_proc_and_binds_mount_again_elsewhere),
		TEST(test_a_take_over_keeps_the_mount_table),
		TEST(test_a_mount_that_does_not_check_out_is_dropped_with_its_nodes),
		TEST(test_a_file_system_that_does_not_check_out_goes_with_its_nodes),
		TEST(test_a_reaping_cut_short_is_finished_by_the_take_over),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
