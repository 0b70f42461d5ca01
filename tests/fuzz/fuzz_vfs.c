// libFuzzer on VFS's handlers (driver.h): its ramfs loaded from a small archive of files,
// directories and symlinks, as tests/unit/vfs does; the fuzz process is started by a
// message from PM for each input and ended after it.
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/ipc/vfs.h>
#include <vfs/vfs.h>
#include "archive.h"
#include "driver.h"

#define N(name) XINIM_SYSCALL_NUMBER_##name
#define CWD ((uint64_t)-100)	// AT_FDCWD

static const char motd[] = "hello, world\n";
static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "etc", .mode = S_IFDIR | 0755 },
	{ .path = "etc/motd", .mode = S_IFREG | 0644, .data = motd },
	{ .path = "etc/motd.link", .mode = S_IFLNK | 0777, .data = "motd" },
	{ .path = "etc/empty", .mode = S_IFREG | 0644 },
	{ .path = "bin/tool", .mode = S_IFREG | 0755, .data = "#!tool\n" },
	{ .path = "home/user", .mode = S_IFDIR | 0750, .uid = 1000, .gid = 100 },
	{ .path = "home/user/notes", .mode = S_IFREG | 0640, .uid = 1000, .gid = 100, .data = "private" },
	{ .path = "loop/a", .mode = S_IFLNK | 0777, .data = "b" },
	{ .path = "loop/b", .mode = S_IFLNK | 0777, .data = "a" },
	{ .path = "motd.absolute", .mode = S_IFLNK | 0777, .data = "/etc/motd" },
	// The health check's, named by no string of the driver's (an input may truncate
	// /etc/motd, as any process with write permission may).
	{ .path = "health", .mode = S_IFDIR | 0755 },
	{ .path = "health/motd", .mode = S_IFREG | 0444, .data = motd },
};
static const uint16_t served[] = {
	N(openat), N(close), N(read), N(write), N(readv), N(writev), N(pread64), N(pwrite64),
	N(lseek), N(fstat), N(newfstatat), N(getdents64), N(ioctl),
};

static long proc_message(xinim_endpoint_t server, int32_t type, xinim_endpoint_t who)
{
	struct xinim_vfs_proc proc = { .who = who, .parent = XINIM_ENDPOINT_NONE };
	return fuzz_message(server, type, &proc, sizeof(proc));
}

static const xinim_endpoint_t health = (FUZZ_HEALTH_PID | 1u << XINIM_PID_BITS);

static int setup(xinim_endpoint_t server)
{
	if (archive_vfs_load(members, sizeof(members) / sizeof(members[0])))
		return -1;
	return (int)proc_message(server, XINIM_VFS_PROC_START, health);
}

static void fresh(xinim_endpoint_t server, xinim_endpoint_t who, xinim_endpoint_t last)
{
	if (last)
		proc_message(server, XINIM_VFS_PROC_END, last);
	proc_message(server, XINIM_VFS_PROC_START, who);
}

static long call(xinim_endpoint_t server, uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2)
{
	bool delivered;
	return fuzz_kernel_syscall(server, health, number, (const uint64_t[6]){ a0, a1, a2 }, &delivered);
}

// The health process opens, reads and closes /health/motd, and fd 1 is its console.
static bool healthy(xinim_endpoint_t server)
{
	char text[32] = "";
	struct stat st;
	long fd = call(server, N(openat), CWD, (uintptr_t)"/health/motd", 0);
	long got = call(server, N(read), (uint64_t)fd, (uintptr_t)text, sizeof(text));
	long closed = call(server, N(close), (uint64_t)fd, 0, 0);
	long stated = call(server, N(fstat), 1, (uintptr_t)&st, 0);
	return fd == 3 && got == sizeof(motd) - 1 && memcmp(text, motd, sizeof(motd) - 1) == 0 &&
	       closed == 0 && stated == 0 && S_ISCHR(st.st_mode);
}

const struct fuzz_server fuzz_target = {
	.name = "vfs", .pid = XINIM_PID_VFS, .table = &vfs_table, .served = served,
	.served_count = sizeof(served) / sizeof(served[0]), .first_type = XINIM_MSG_VFS_FIRST,
	.copies = true, .setup = setup, .fresh = fresh, .healthy = healthy,
};
