// Attributes and sizes: chmod, chown, utimensat, truncate, ftruncate and fallocate, with
// Linux's permission rules (fs/attr.c, fs/open.c, fs/utimes.c).
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "vfs.h"

#define NS 1000000000ll
#define SIZE_MAX_FILE (UINT64_C(1) << 42)	// what a file's map reaches (blocks.c)

// The node of an fd that may change attributes (not O_PATH): NULL and -EBADF.
static struct node *fd_node(xinim_endpoint_t caller, uint64_t fd)
{
	struct open_file *file = fd_get(caller, fd);
	return file && !(file->flags & O_PATH) ? file_node(file) : NULL;
}

static long mode_set(xinim_endpoint_t caller, struct node *node, uint32_t mode)
{
	struct creds who = caller_creds(caller, false);
	if (fs_writable(node))
		return -EROFS;
	if (!owns(node, &who))
		return -EPERM;
	mode &= 07777;
	if (who.uid != 0 && !in_group(&who, node->gid) && !S_ISDIR(node->mode))
		mode &= ~(uint32_t)S_ISGID;	// as Linux: not for a group one is not in
	keep_change(&node->mode, sizeof(node->mode));
	node->mode = (node->mode & S_IFMT) | mode;
	node_touch(node, TIME_C);
	return 0;
}

long vfs_fchmod(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct node *node = fd_node(call.caller, call.args[0]);
	return node ? mode_set(call.caller, node, (uint32_t)call.args[1]) : -EBADF;
}

long vfs_fchmodat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct node *node;
	int err = caller_lookup(call.caller, call.args[0], call.args[1], LOOKUP_FOLLOW, &node);
	return err ? err : mode_set(call.caller, node, (uint32_t)call.args[2]);
}

// chown's rule: root may give anything; an owner may give the file to a group of its
// own, and its own uid again. -1 leaves an id as it is. A plain file loses set-user-ID
// and (if group-executable) set-group-ID.
static long owner_set(xinim_endpoint_t caller, struct node *node, uint32_t uid, uint32_t gid)
{
	struct creds who = caller_creds(caller, false);
	bool uid_same = uid == (uint32_t)-1 || uid == node->uid;
	bool gid_allowed = gid == (uint32_t)-1 || gid == node->gid || in_group(&who, gid);
	if (fs_writable(node))
		return -EROFS;
	if (who.uid != 0 && (!uid_same || !gid_allowed || who.uid != node->uid))
		return -EPERM;
	keep_change(node, sizeof(*node));
	if (uid != (uint32_t)-1)
		node->uid = uid;
	if (gid != (uint32_t)-1)
		node->gid = gid;
	if (!S_ISDIR(node->mode) && (uid != (uint32_t)-1 || gid != (uint32_t)-1)) {
		node->mode &= ~(uint32_t)S_ISUID;
		if (node->mode & S_IXGRP)
			node->mode &= ~(uint32_t)S_ISGID;
	}
	node_touch(node, TIME_C);
	return 0;
}

long vfs_fchown(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct node *node = fd_node(call.caller, call.args[0]);
	return node ? owner_set(call.caller, node, (uint32_t)call.args[1], (uint32_t)call.args[2])
		    : -EBADF;
}

long vfs_fchownat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags = (int)call.args[4];
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct node *node;
	int err = caller_node_at(call.caller, call.args[0], call.args[1], flags, &node);
	return err ? err : owner_set(call.caller, node, (uint32_t)call.args[2],
				     (uint32_t)call.args[3]);
}

// One of utimensat's times: its ns, or -1 to leave it (UTIME_OMIT); -EINVAL (as a
// negative number below -1) for a tv_nsec out of range.
static int64_t time_of(const struct timespec *t, int64_t now)
{
	if (t->tv_nsec == UTIME_NOW)
		return now;
	if (t->tv_nsec == UTIME_OMIT)
		return -1;
	if (t->tv_nsec < 0 || t->tv_nsec >= NS)
		return -2;
	return (int64_t)t->tv_sec * NS + t->tv_nsec;
}

// utimensat(dirfd, path, times, flags); path NULL: dirfd's own file (futimens). To set
// both times to now, an owner or a writer; to set given times, an owner.
long vfs_utimensat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags = (int)call.args[3];
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct timespec times[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	long err = call.args[2] ? ipc_copy_from(call.caller, times, call.args[2], sizeof(times)) : 0;
	if (err)
		return err;
	int64_t now = vfs_now(), at[2] = { time_of(&times[0], now), time_of(&times[1], now) };
	if (at[0] < -1 || at[1] < -1)
		return -EINVAL;
	struct node *node;
	if (call.args[1]) {
		err = caller_node_at(call.caller, call.args[0], call.args[1], flags, &node);
	} else {
		struct open_file *file = fd_get(call.caller, call.args[0]);
		err = file ? 0 : -EBADF;
		node = file ? file_node(file) : NULL;
	}
	if (err)
		return err;
	if (at[0] == -1 && at[1] == -1)
		return 0;
	if (fs_writable(node))
		return -EROFS;
	struct creds who = caller_creds(call.caller, false);
	bool to_now = times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW;
	if (!owns(node, &who))
		return to_now ? (may_access(node, &who, W_OK) ? 0 : -EACCES) : -EPERM;
	keep_change(&node->atime, 3 * sizeof(node->atime));
	if (at[0] != -1)
		node->atime = at[0];
	if (at[1] != -1)
		node->mtime = at[1];
	node->ctime = now;
	return 0;
}

// A regular file's new size; -EINVAL (negative, or no regular file), -EFBIG.
static long resize(struct node *node, int64_t length)
{
	if (length < 0)
		return -EINVAL;
	if ((uint64_t)length > SIZE_MAX_FILE)
		return -EFBIG;
	if (S_ISDIR(node->mode))
		return -EISDIR;
	if (!S_ISREG(node->mode))
		return -EINVAL;
	if (node->flags & NODE_MQUEUE) {	// a queue's size is a number only (simple_setattr)
		keep_change(&node->size, sizeof(node->size));
		node->size = (uint64_t)length;
		return 0;
	}
	return file_resize(node, (uint64_t)length);
}

long vfs_truncate(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	if ((int64_t)call.args[1] < 0)
		return -EINVAL;
	struct node *node;
	int err = caller_lookup(call.caller, (uint64_t)(int64_t)AT_FDCWD, call.args[0],
				LOOKUP_FOLLOW, &node);
	if (err)
		return err;
	if (S_ISDIR(node->mode))
		return -EISDIR;
	if (S_ISREG(node->mode) && fs_writable(node))
		return -EROFS;
	struct creds who = caller_creds(call.caller, false);
	if (!may_access(node, &who, W_OK))
		return -EACCES;
	return resize(node, (int64_t)call.args[1]);
}

long vfs_ftruncate(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	if ((int64_t)call.args[1] < 0)
		return -EINVAL;
	struct open_file *file = fd_get(call.caller, call.args[0]);
	if (!file || (file->flags & O_PATH))
		return -EBADF;
	if ((file->flags & OPEN_ACCESS) == O_RDONLY || (file->flags & OPEN_ACCESS) == OPEN_ACCESS ||
	    !S_ISREG(file_node(file)->mode))
		return -EINVAL;
	return resize(file_node(file), (int64_t)call.args[1]);
}

// fallocate(fd, mode, offset, len): mode 0 makes the file at least offset + len long
// (its bytes zeros where there were none); the other modes (KEEP_SIZE, PUNCH_HOLE,
// ZERO_RANGE, ...) are not served: -EOPNOTSUPP, as for a file system without them.
long vfs_fallocate(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int64_t offset = (int64_t)call.args[2], length = (int64_t)call.args[3];
	struct open_file *file = fd_get(call.caller, call.args[0]);
	if (offset < 0 || length <= 0)
		return -EINVAL;
	if (!file || (file->flags & O_PATH) || (file->flags & OPEN_ACCESS) == O_RDONLY)
		return -EBADF;
	if (call.args[1])
		return -EOPNOTSUPP;
	struct node *node = file_node(file);
	if (S_ISDIR(node->mode))
		return -EISDIR;
	if (!S_ISREG(node->mode))
		return -ENODEV;
	if (node_ops(node) != &regular_ops)
		return -EOPNOTSUPP;	// a /proc file's, a queue's: no f_op->fallocate in Linux
	if (offset > INT64_MAX - length)
		return -EFBIG;
	uint64_t end = (uint64_t)(offset + length);
	return end > node->size ? resize(node, (int64_t)end) : 0;
}
