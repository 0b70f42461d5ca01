// What files are: fstat, newfstatat, getdents64.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include "vfs.h"

#define NS 1000000000ll

static struct timespec timespec_of(int64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / NS), .tv_nsec = (long)(ns % NS) };
}

static long stat_out(xinim_endpoint_t caller, const struct node *node, uint64_t to)
{
	struct stat st = {
		.st_dev = node->dev, .st_ino = node_ino(node), .st_mode = node->mode,
		.st_nlink = node->nlink, .st_uid = node->uid, .st_gid = node->gid,
		.st_rdev = node->rdev, .st_size = (off_t)node->size, .st_blksize = BLOCK_BYTES,
		.st_blocks = (blkcnt_t)(file_blocks(node) * (BLOCK_BYTES / 512)),
		.st_atim = timespec_of(node->atime), .st_mtim = timespec_of(node->mtime),
		.st_ctim = timespec_of(node->ctime),
	};
	return ipc_copy_to(caller, to, &st, sizeof(st));
}

long vfs_fstat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	return file ? stat_out(call.caller, file_node(file), call.args[1]) : -EBADF;
}

long vfs_newfstatat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t flags = call.args[3];
	if (flags & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	struct node *node;
	int err = caller_node_at(call.caller, call.args[0], call.args[1], (int)flags, &node);
	return err ? err : stat_out(call.caller, node, call.args[2]);
}

// The directory entry at position `at` or after: ".", "..", then the entries from the
// first whose cookie is at least `at` (a cookie stays while others come and go, so a
// listing that removes what it lists misses nothing). *next: the position after it.
static const struct node *entry_from(const struct node *dir, uint64_t at, const char **name,
				     uint64_t *next)
{
	if (at < 2) {
		*name = at == 0 ? "." : "..";
		*next = at + 1;
		return at == 0 ? dir : node_parent(dir);
	}
	const struct entry *e = entry_at(dir->first);
	while (e && e->cookie < at)
		e = entry_at(e->next);
	if (!e)
		return NULL;
	*name = e->name;
	*next = e->cookie + 1;
	return ramfs_node_at(e->node - 1);
}

// The getdents64 record (struct linux_dirent64), 8-byte aligned.
struct dirent_head {
	uint64_t ino;
	int64_t next;
	uint16_t length;
	uint8_t type;
} __attribute__((packed));

long vfs_getdents64(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	static char records[8192];
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	uint64_t room = call.args[2] < sizeof(records) ? call.args[2] : sizeof(records);
	if (!file)
		return -EBADF;
	if (!S_ISDIR(file_node(file)->mode))
		return -ENOTDIR;
	if (file_node(file)->flags & NODE_PROC)
		procfs_refresh(file_node(file));	// its names follow the processes and fds
	size_t used = 0;
	keep_change(&file->offset, sizeof(file->offset));
	uint64_t first = file->offset;
	const char *name;
	uint64_t next;
	for (const struct node *n; (n = entry_from(file_node(file), file->offset, &name, &next));) {
		size_t length = (sizeof(struct dirent_head) + strlen(name) + 1 + 7) & ~(size_t)7;
		if (used + length > room) {
			if (used == 0)
				return -EINVAL;	// not even one entry fits
			break;
		}
		struct dirent_head head = { node_ino(n), (int64_t)next, (uint16_t)length,
					    (uint8_t)IFTODT(n->mode) };
		memset(records + used, 0, length);
		memcpy(records + used, &head, sizeof(head));
		memcpy(records + used + sizeof(head), name, strlen(name));
		used += length;
		file->offset = next;
	}
	long err = used ? ipc_copy_to(call.caller, call.args[1], records, used) : 0;
	if (err)
		file->offset = first;	// nothing was read
	return err ? err : (long)used;
}

// readlinkat(dirfd, path, buf, size): the link's target, without a NUL, cut to size;
// -EINVAL for no link or size 0, -ENOENT, -EFAULT.
long vfs_readlinkat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int size = (int)call.args[3];
	if (size <= 0)
		return -EINVAL;
	struct node *node;
	int err = caller_node_at(call.caller, call.args[0], call.args[1],
				 AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &node);
	if (err)
		return err;
	if (!S_ISLNK(node->mode))
		return -EINVAL;
	static char target[PATH_MAX_BYTES];
	struct creds who = caller_creds(call.caller, false);
	long length = link_target(node, &who, target, min_u64((size_t)size, sizeof(target)));
	if (length < 0)
		return length;
	long copied = ipc_copy_to(call.caller, call.args[2], target, (size_t)length);
	return copied ? copied : length;
}

// statfs and fstatfs: the true figures of node's file system (fs_statfs).
static long statfs_out(xinim_endpoint_t caller, const struct node *node, uint64_t at)
{
	struct statfs out;
	fs_statfs(node, &out);
	return ipc_copy_to(caller, at, &out, sizeof(out));
}

long vfs_statfs(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct node *node;
	int err = caller_lookup(call.caller, (uint64_t)(int64_t)AT_FDCWD, call.args[0],
				LOOKUP_FOLLOW, &node);
	return err ? err : statfs_out(call.caller, node, call.args[1]);
}

long vfs_fstatfs(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	return file ? statfs_out(call.caller, file_node(file), call.args[1]) : -EBADF;
}

// sync, syncfs, fsync, fdatasync: nothing is ever unwritten (the tree is in memory), so
// they succeed, as Linux's for the same; fsync of a device: -EINVAL, as Linux's.
long vfs_sync(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request, (void)reply;
	return 0;
}

long vfs_syncfs(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return fd_get(call.caller, call.args[0]) ? 0 : -EBADF;
}

long vfs_fsync(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	if (!file)
		return -EBADF;
	mode_t mode = file_node(file)->mode;
	return S_ISREG(mode) || S_ISDIR(mode) ? 0 : -EINVAL;
}
