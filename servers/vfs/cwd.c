// Each process's working directory and file mode creation mask, kept in its fd table
// (inherited at fork, kept at execve): chdir, fchdir, getcwd and umask as Linux's.
// Relative paths with AT_FDCWD start at the working directory (files.c).
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "vfs.h"

struct node *cwd_of(xinim_endpoint_t who)
{
	const struct fd_table *t = fd_table_of(who);
	return t && t->cwd ? ramfs_node_at(t->cwd - 1) : NULL;
}

bool cwd_sound(const struct fd_table *t)
{
	const struct node *dir = t->cwd ? ramfs_node_at(t->cwd - 1) : NULL;
	return t->umask <= 0777 && (!t->cwd || (dir && S_ISDIR(dir->mode)));
}

// who's working directory becomes dir: 0, -ENOTDIR, -EBADF (no table).
static long cwd_set(xinim_endpoint_t who_endpoint, const struct node *dir)
{
	struct fd_table *t = fd_table_of(who_endpoint);
	if (!t)
		return -EBADF;
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	struct creds who = caller_creds(who_endpoint, false);
	if (!may_access(dir, &who, X_OK))
		return -EACCES;
	struct node *old = cwd_of(who_endpoint);
	keep_change(&t->cwd, sizeof(t->cwd));
	t->cwd = ramfs_index(dir) + 1;
	if (old)
		node_release(old);	// a removed directory nothing else holds
	return 0;
}

long vfs_chdir(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct node *dir;
	int err = caller_lookup(call.caller, (uint64_t)(int64_t)AT_FDCWD, call.args[0],
				LOOKUP_FOLLOW, &dir);
	return err ? err : cwd_set(call.caller, dir);
}

long vfs_fchdir(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	return file ? cwd_set(call.caller, file_node(file)) : -EBADF;
}

long node_path(const struct node *n, char *path, size_t size)
{
	size_t at = size - 1;
	path[at] = '\0';
	while (n) {
		const struct entry *e = entry_at(n->own);
		if (!e) {	// a root: the tree's, or a mounted one, which goes on at its point
			n = mount_point_of(n);
			continue;
		}
		if ((size_t)e->length + 1 > at)
			return -ENAMETOOLONG;
		at -= e->length;
		memcpy(path + at, e->name, e->length);
		path[--at] = '/';
		n = node_parent(n);
	}
	if (at == size - 1)
		path[--at] = '/';	// the root
	return (long)at;
}

// getcwd(buf, size): the working directory's absolute path, built from its names up to
// the root; its length with the NUL, or -ERANGE (size too small), -ENOENT (the directory
// was removed), -EFAULT.
long vfs_getcwd(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	static char path[PATH_MAX_BYTES];
	const struct node *n = cwd_of(call.caller);
	if (n && !n->nlink)
		return -ENOENT;
	long at = node_path(n ? n : ramfs_root(), path, sizeof(path));
	if (at < 0)
		return at;
	size_t size = sizeof(path) - (size_t)at;	// with the NUL
	if (size > call.args[1])
		return -ERANGE;
	long err = ipc_copy_to(call.caller, call.args[0], path + at, size);
	return err ? err : (long)size;
}

// umask(mask): the old mask; the new one is mask & 0777.
long vfs_umask(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct fd_table *t = fd_table_of(call.caller);
	if (!t)
		return 022;	// a process VFS keeps no table of: Linux's default, unchanged
	uint32_t old = t->umask;
	keep_change(&t->umask, sizeof(t->umask));
	t->umask = (uint32_t)call.args[0] & 0777;
	return old;
}
