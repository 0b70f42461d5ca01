// Opening and closing: openat and close.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vfs.h"

struct creds caller_creds(xinim_endpoint_t caller, bool real)
{
	const struct process_creds *c = fd_creds(caller);
	if (!c)
		return (struct creds){ 0 };	// a process PM never introduced: the servers' own
	uint32_t pid = xinim_endpoint_pid(caller);
	return real ? (struct creds){ c->uid, c->gid, c->groups_count, c->groups, pid }
		    : (struct creds){ c->fsuid, c->fsgid, c->groups_count, c->groups, pid };
}

static int start_of(xinim_endpoint_t caller, uint64_t dirfd, const char *path, struct node **start)
{
	*start = NULL;	// the root
	if (path[0] == '/')
		return 0;
	if ((int)dirfd == AT_FDCWD) {
		*start = cwd_of(caller);
		return 0;
	}
	struct open_file *dir = fd_get(caller, dirfd);
	if (!dir)
		return -EBADF;
	if (!S_ISDIR(file_node(dir)->mode))
		return -ENOTDIR;
	*start = file_node(dir);
	return 0;
}

int caller_last(xinim_endpoint_t caller, uint64_t dirfd, uint64_t path_at, unsigned flags,
		struct last *out)
{
	char path[PATH_MAX_BYTES];
	long length = ipc_caller_string(caller, path, path_at, sizeof(path));
	struct node *start;
	if (length < 0)
		return (int)length;
	struct creds who = caller_creds(caller, false);
	int err = start_of(caller, dirfd, path, &start);
	return err ? err : path_last(start, path, flags, &who, out);
}

// Resolves (dirfd, path) for caller; path is copied in from the caller.
int caller_lookup(xinim_endpoint_t caller, uint64_t dirfd, uint64_t path_at, unsigned flags,
		  struct node **out)
{
	static struct last at;
	int err = caller_last(caller, dirfd, path_at, flags, &at);
	return err ? err : last_found(&at, out);
}

int caller_node_at(xinim_endpoint_t caller, uint64_t dirfd, uint64_t path_at, int flags,
		   struct node **out)
{
	if (flags & AT_EMPTY_PATH) {
		char first;
		long err = ipc_copy_from(caller, &first, path_at, 1);
		if (err)
			return (int)err;
		if (first == '\0') {
			struct open_file *file = (int)dirfd == AT_FDCWD ? NULL : fd_get(caller, dirfd);
			struct node *cwd = cwd_of(caller);
			if ((int)dirfd != AT_FDCWD && !file)
				return -EBADF;
			*out = file ? file_node(file) : cwd ? cwd : ramfs_root();
			return 0;
		}
	}
	unsigned follow = flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW;
	return caller_lookup(caller, dirfd, path_at, follow, out);
}

// faccessat and faccessat2: whether the caller's real ids (its effective ones with
// AT_EACCESS) may access the file as mode asks.
static long access_check(const struct ipc_request *request, int flags)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	int mode = (int)call.args[2];
	if ((mode & ~(R_OK | W_OK | X_OK)) ||
	    (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		return -EINVAL;
	struct node *node;
	int err = caller_node_at(call.caller, call.args[0], call.args[1], flags, &node);
	if (err || mode == F_OK)
		return err;
	if ((mode & W_OK) && !S_ISCHR(node->mode) && !S_ISBLK(node->mode) &&
	    !S_ISFIFO(node->mode) && !S_ISSOCK(node->mode) && fs_writable(node))
		return -EROFS;	// a read-only file system's, but for special files
	const struct process_creds *c = fd_creds(call.caller);
	struct creds who = caller_creds(call.caller, true);
	if (c && (flags & AT_EACCESS)) {
		who.uid = c->euid;
		who.gid = c->egid;
	}
	return may_access(node, &who, mode) ? 0 : -EACCES;
}

long vfs_faccessat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return access_check(request, 0);
}

long vfs_faccessat2(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return access_check(request, (int)ipc_syscall_of(request).args[3]);
}

// The flags Linux's openat takes (build_open_how, VALID_OPEN_FLAGS); others are
// ignored. O_PATH keeps only O_PATH_FLAGS. O_TMPFILE holds O_DIRECTORY.
#define OPEN_VALID (OPEN_ACCESS | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
		    O_NONBLOCK | O_SYNC | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE | \
		    O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH | O_TMPFILE)
#define OPEN_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define OPEN_TMPFILE_BIT (O_TMPFILE & ~O_DIRECTORY)

// The flags as Linux keeps them: *flags cut to OPEN_VALID (and to OPEN_PATH_FLAGS with
// O_PATH); 0, or -EINVAL for an O_TMPFILE without O_DIRECTORY, with O_CREAT, or not
// for writing (build_open_flags).
static int open_flags(uint64_t requested, int *flags)
{
	*flags = (int)requested & OPEN_VALID;
	if (*flags & O_PATH)
		*flags &= OPEN_PATH_FLAGS;
	if (!(*flags & OPEN_TMPFILE_BIT))
		return 0;
	if ((*flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE || (*flags & OPEN_ACCESS) == O_RDONLY)
		return -EINVAL;
	return 0;
}

static int access_mask(int flags)
{
	int mode = flags & OPEN_ACCESS;
	return mode == O_RDONLY ? R_OK : mode == O_WRONLY ? W_OK : R_OK | W_OK;
}

// The new node open makes: a regular file (or, for O_TMPFILE, one without a name) of
// mode less the umask, owned by the caller's file system ids (the group of a set-group-ID
// directory). NULL and *err: -EACCES, -ENOENT, -ENOSPC.
static struct node *open_new(xinim_endpoint_t caller, const struct last *at, uint32_t mode,
			     bool named, int *err)
{
	struct creds who = caller_creds(caller, false);
	*err = fs_writable(at->dir) ? -EROFS
	       : !may_access(at->dir, &who, W_OK | X_OK) ? -EACCES
	       : named && !at->dir->nlink		? -ENOENT	// a removed directory
							: 0;
	if (*err)
		return NULL;
	struct node *node = node_made(caller, at->dir, S_IFREG | (mode & 07777), 0);
	*err = node ? 0 : -ENOSPC;
	if (node && named && (*err = entry_add(at->dir, at->name, at->length, node)))
		node_release(node);
	return *err ? NULL : node;
}

// What an existing node allows open: Linux's may_open checks, then O_TRUNC.
static int open_existing(xinim_endpoint_t caller, struct node *node, int flags)
{
	if (S_ISLNK(node->mode))
		return flags & O_PATH ? 0 : -ELOOP;	// O_NOFOLLOW on a link
	if ((flags & O_DIRECTORY) && !S_ISDIR(node->mode))
		return -ENOTDIR;
	if (flags & O_PATH)
		return 0;
	int mask = access_mask(flags) | (flags & O_TRUNC ? W_OK : 0);
	if (S_ISDIR(node->mode) && (access_mask(flags) & W_OK || flags & O_CREAT))
		return -EISDIR;
	if ((mask & W_OK) && (S_ISREG(node->mode) || S_ISDIR(node->mode)) && fs_writable(node))
		return -EROFS;
	struct creds who = caller_creds(caller, false);
	if (!may_access(node, &who, mask))
		return -EACCES;
	if (S_ISREG(node->mode) && (flags & O_TRUNC) && !(node->flags & NODE_PROC) &&
	    (node->size || node->flags & NODE_ARCHIVE))
		return file_resize(node, 0);
	return 0;
}

long vfs_openat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags;
	int err = open_flags(call.args[2], &flags);
	if (!err)
		err = fd_room(call.caller);	// as Linux, the fd first: no file made for nothing
	if (err)
		return err;
	bool create = (flags & O_CREAT) && !(flags & OPEN_TMPFILE_BIT);
	unsigned follow = flags & (O_NOFOLLOW | (create ? O_EXCL : 0)) ? 0 : LOOKUP_FOLLOW;
	static struct last at;
	if ((err = caller_last(call.caller, call.args[0], call.args[1], follow, &at)))
		return err;
	struct node *node = at.node;
	if (flags & OPEN_TMPFILE_BIT) {	// an unnamed file in the directory found
		if (!node)
			return -ENOENT;
		if (!S_ISDIR(node->mode))
			return -ENOTDIR;
		at.dir = node;
		node = open_new(call.caller, &at, (uint32_t)call.args[3], false, &err);
		if (node && !(flags & O_EXCL))
			node->flags |= NODE_LINKABLE;	// a fresh node, logged whole
	} else if (create && (!at.length || at.slash)) {
		return -EISDIR;	// "/", ".", "..", or a path ending in "/"
	} else if (create && node && (flags & O_EXCL)) {
		return -EEXIST;
	} else if (create && !node) {
		node = open_new(call.caller, &at, (uint32_t)call.args[3], true, &err);
	} else if (!node) {
		return -ENOENT;
	} else if (at.slash && !S_ISDIR(node->mode)) {
		return -ENOTDIR;
	} else {
		err = open_existing(call.caller, node, flags);
	}
	if (!err && S_ISFIFO(node->mode))
		err = (int)fifo_open(request, vfs_openat, node, flags);
	if (err)
		return err;
	return fd_open(call.caller, node, flags & OPEN_FILE_FLAGS, flags & O_CLOEXEC);
}

long vfs_close(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return fd_close(call.caller, call.args[0]);
}
