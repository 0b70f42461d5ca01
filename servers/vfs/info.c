// What files are: fstat, newfstatat, getdents64.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include "vfs.h"

static long stat_out(xinim_endpoint_t caller, const struct node *node, uint64_t to)
{
	struct stat st = {
		.st_dev = 1, .st_ino = node->ino, .st_mode = node->mode, .st_nlink = node->nlink,
		.st_uid = node->uid, .st_gid = node->gid, .st_rdev = node->rdev,
		.st_size = (off_t)node->size, .st_blksize = 4096,
		.st_blocks = (blkcnt_t)((node->size + 511) / 512),
	};
	st.st_atim.tv_sec = st.st_mtim.tv_sec = st.st_ctim.tv_sec = (time_t)node->mtime;
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

// The directory entry at position index: ".", "..", then the children in order.
static const struct node *entry_at(const struct node *dir, uint64_t index, const char **name)
{
	if (index < 2) {
		*name = index == 0 ? "." : "..";
		return index == 0 ? dir : dir->parent;
	}
	const struct node *c = dir->children;
	for (uint64_t i = 2; c && i < index; i++)
		c = c->next;
	*name = c ? c->name : NULL;
	return c;
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
	size_t used = 0;
	keep_change(&file->offset, sizeof(file->offset));
	uint64_t first = file->offset;
	const char *name;
	for (const struct node *n; (n = entry_at(file_node(file), file->offset, &name));) {
		size_t length = (sizeof(struct dirent_head) + strlen(name) + 1 + 7) & ~(size_t)7;
		if (used + length > room) {
			if (used == 0)
				return -EINVAL;	// not even one entry fits
			break;
		}
		struct dirent_head head = { n->ino, (int64_t)file->offset + 1, (uint16_t)length,
					    (uint8_t)IFTODT(n->mode) };
		memset(records + used, 0, length);
		memcpy(records + used, &head, sizeof(head));
		memcpy(records + used + sizeof(head), name, strlen(name));
		used += length;
		file->offset++;
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
	if (!S_ISLNK(node->mode) || !node->target)
		return -EINVAL;
	size_t length = strlen(node->target);
	length = length < (size_t)size ? length : (size_t)size;
	long copied = ipc_copy_to(call.caller, call.args[2], node->target, length);
	return copied ? copied : (long)length;
}

// statfs and fstatfs: the one file system there is, the boot archive's tree, read-only
// and full (Linux's ramfs magic, 4 KiB blocks, every node a file in use).
static long statfs_out(xinim_endpoint_t caller, uint64_t at)
{
	uint64_t bytes;
	unsigned files;
	ramfs_usage(&bytes, &files);
	struct statfs out = { .f_type = 0x858458f6, .f_bsize = 4096,
			      .f_blocks = (bytes + 4095) / 4096, .f_files = files,
			      .f_namelen = 255, .f_frsize = 4096, .f_flags = ST_RDONLY };
	return ipc_copy_to(caller, at, &out, sizeof(out));
}

long vfs_statfs(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct node *node;
	int err = caller_lookup(call.caller, (uint64_t)(int64_t)AT_FDCWD, call.args[0],
				LOOKUP_FOLLOW, &node);
	return err ? err : statfs_out(call.caller, call.args[1]);
}

long vfs_fstatfs(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return fd_get(call.caller, call.args[0]) ? statfs_out(call.caller, call.args[1]) : -EBADF;
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
