// Names: mkdirat, mknodat, symlinkat, linkat, unlinkat, renameat and renameat2, with
// Linux's checks in Linux's order (fs/namei.c).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "vfs.h"

#ifndef RENAME_NOREPLACE	// <stdio.h> has them with _GNU_SOURCE, musl's only since 1.2.5
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define RENAME_WHITEOUT (1 << 2)
#endif

struct node *node_made(xinim_endpoint_t caller, struct node *dir, uint32_t mode, uint64_t rdev)
{
	struct creds who = caller_creds(caller, false);
	const struct fd_table *t = fd_table_of(caller);
	uint32_t gid = dir->mode & S_ISGID ? dir->gid : who.gid;	// BSD groups in a setgid dir
	if (!S_ISLNK(mode))
		mode &= ~(t ? t->umask : 022);
	if (S_ISDIR(mode) && (dir->mode & S_ISGID))
		mode |= S_ISGID;
	struct node *node = node_new(dir->dev, mode, who.uid, gid);
	if (node)
		node->rdev = rdev;
	return node;
}

// The last component of (dirfd, path) where a new name is to go, as Linux's
// filename_create: 0 and *at, or -EEXIST ("/", ".", "..", or a name in use), -ENOENT (a
// trailing "/" for what is no directory, or a directory already removed), -EACCES.
static int new_name(const struct xinim_syscall *call, unsigned dirfd_arg, bool directory,
		    struct last *at)
{
	int err = caller_last(call->caller, call->args[dirfd_arg], call->args[dirfd_arg + 1], 0, at);
	if (err)
		return err;
	if (!at->length || at->node)
		return -EEXIST;
	if (at->slash && !directory)
		return -ENOENT;
	if (!at->dir->nlink)
		return -ENOENT;
	if ((err = fs_writable(at->dir)))
		return err;
	struct creds who = caller_creds(call->caller, false);
	return may_access(at->dir, &who, W_OK | X_OK) ? 0 : -EACCES;
}

// Makes node under its new name, or lets it go: 0 or -ENOSPC.
static long named(struct node *node, const struct last *at)
{
	if (!node)
		return -ENOSPC;
	int err = entry_add(at->dir, at->name, at->length, node);
	if (err)
		node_release(node);
	return err;
}

long vfs_mkdirat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	static struct last at;
	int err = new_name(&call, 0, true, &at);
	if (err)
		return err;
	uint32_t mode = S_IFDIR | ((uint32_t)call.args[2] & (0777 | S_ISVTX));
	return named(node_made(call.caller, at.dir, mode, 0), &at);
}

long vfs_mknodat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint32_t mode = (uint32_t)call.args[2];
	uint64_t dev = call.args[3];
	switch (mode & S_IFMT) {
	case 0: mode |= S_IFREG; break;
	case S_IFREG: case S_IFIFO: case S_IFSOCK: break;
	case S_IFCHR: case S_IFBLK: break;
	case S_IFDIR: return -EPERM;
	default: return -EINVAL;
	}
	static struct last at;
	int err = new_name(&call, 0, false, &at);
	if (err)
		return err;
	struct creds who = caller_creds(call.caller, false);
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && who.uid != 0)
		return -EPERM;	// CAP_MKNOD
	uint64_t rdev = S_ISCHR(mode) || S_ISBLK(mode) ? makedev(major(dev), minor(dev)) : 0;
	return named(node_made(call.caller, at.dir, mode & (S_IFMT | 07777), rdev), &at);
}

long vfs_symlinkat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	static char target[PATH_MAX_BYTES];
	long length = ipc_caller_string(call.caller, target, call.args[0], sizeof(target));
	if (length < 0)
		return length;
	if (length == 0)
		return -ENOENT;
	static struct last at;
	int err = new_name(&call, 1, false, &at);
	if (err)
		return err;
	struct node *link = node_made(call.caller, at.dir, S_IFLNK | 0777, 0);
	if (link && file_put(link, target, (size_t)length)) {
		node_release(link);
		return -ENOSPC;
	}
	return named(link, &at);
}

long vfs_linkat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags = (int)call.args[4];
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct node *old;
	int err = caller_node_at(call.caller, call.args[0], call.args[1],
				 (flags & AT_EMPTY_PATH) | (flags & AT_SYMLINK_FOLLOW ? 0
										: AT_SYMLINK_NOFOLLOW),
				 &old);
	if (err)
		return err;
	static struct last at;
	if ((err = new_name(&call, 2, false, &at)))
		return err;
	if (at.dir->dev != old->dev)
		return -EXDEV;
	if (S_ISDIR(old->mode))
		return -EPERM;
	struct creds who = caller_creds(call.caller, false);
	// fs.protected_hardlinks, on in Debian: only an owner, or someone who may read and
	// write a plain file, links to it.
	if (!owns(old, &who) && (!S_ISREG(old->mode) || (old->mode & S_ISUID) ||
				 !may_access(old, &who, R_OK | W_OK)))
		return -EPERM;
	if (!old->nlink && !(old->flags & NODE_LINKABLE))
		return -ENOENT;	// removed; only an O_TMPFILE file gets a first name
	err = entry_add(at.dir, at.name, at.length, old);
	if (!err && (old->flags & NODE_LINKABLE)) {
		keep_change(&old->flags, sizeof(old->flags));
		old->flags &= ~(uint32_t)NODE_LINKABLE;
	}
	return err;
}

// What a component that is no name is ("/", ".", ".."): 0 for a name.
enum dots { NAME, ROOT, DOT, DOTDOT };
static enum dots dots_of(const struct last *at)
{
	if (at->length)
		return NAME;
	return at->name[0] != '.' ? ROOT : at->name[1] == '.' ? DOTDOT : DOT;
}

// A root or a mount point stays where it is.
static bool busy(const struct node *node)
{
	return S_ISDIR(node->mode) && (!node->own || (node->flags & NODE_MOUNTED));
}

static long remove_dir(const struct xinim_syscall *call, struct last *at)
{
	static const int refusal[] = { [ROOT] = -EBUSY, [DOT] = -EINVAL, [DOTDOT] = -ENOTEMPTY };
	enum dots d = dots_of(at);
	if (d != NAME)
		return refusal[d];
	int err = fs_writable(at->dir);
	if (err)
		return err;
	if (!at->node)
		return -ENOENT;
	if (!S_ISDIR(at->node->mode))
		return -ENOTDIR;
	struct creds who = caller_creds(call->caller, false);
	if ((err = may_unname(at->dir, at->node, &who)))
		return err;
	if (at->point || busy(at->node))
		return -EBUSY;
	if (at->node->entries)
		return -ENOTEMPTY;
	entry_remove(at->entry);
	return 0;
}

static long remove_file(const struct xinim_syscall *call, struct last *at)
{
	if (dots_of(at) != NAME)
		return -EISDIR;
	int err = fs_writable(at->dir);
	if (err)
		return err;
	if (!at->node)
		return -ENOENT;
	if (at->slash)
		return S_ISDIR(at->node->mode) ? -EISDIR : -ENOTDIR;
	struct creds who = caller_creds(call->caller, false);
	if ((err = may_unname(at->dir, at->node, &who)))
		return err;
	if (S_ISDIR(at->node->mode))
		return -EISDIR;
	entry_remove(at->entry);
	return 0;
}

long vfs_unlinkat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags = (int)call.args[2];
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	static struct last at;
	int err = caller_last(call.caller, call.args[0], call.args[1], 0, &at);
	if (err)
		return err;
	return flags & AT_REMOVEDIR ? remove_dir(&call, &at) : remove_file(&call, &at);
}

// Whether dir is node or below it (a directory cannot move into itself).
static bool within(const struct node *dir, const struct node *node)
{
	for (;; dir = node_parent(dir)) {
		if (dir == node)
			return true;
		if (dir == node_parent(dir))
			return false;
	}
}

// The checks of one side of a rename: who may take the name away, and a directory that
// changes parent needs write permission on itself (its ".." changes).
static int may_move(const struct creds *who, const struct last *from, const struct node *to_dir)
{
	int err = may_unname(from->dir, from->node, who);
	if (!err && S_ISDIR(from->node->mode) && from->dir != to_dir &&
	    !may_access(from->node, who, W_OK))
		err = -EACCES;
	return err;
}

// The two names trade their nodes (RENAME_EXCHANGE).
static void exchange(struct last *a, struct last *b)
{
	struct node *na = a->node, *nb = b->node;
	keep_change(a->entry, sizeof(*a->entry));
	keep_change(b->entry, sizeof(*b->entry));
	a->entry->node = ramfs_index(nb) + 1;
	b->entry->node = ramfs_index(na) + 1;
	keep_change(na, sizeof(*na));
	keep_change(nb, sizeof(*nb));
	keep_change(a->dir, sizeof(*a->dir));
	keep_change(b->dir, sizeof(*b->dir));
	if (S_ISDIR(na->mode)) {
		na->own = entry_number(b->entry);
		a->dir->nlink--;
		b->dir->nlink++;
	}
	if (S_ISDIR(nb->mode)) {
		nb->own = entry_number(a->entry);
		b->dir->nlink--;
		a->dir->nlink++;
	}
	node_touch(a->dir, TIME_M | TIME_C);
	node_touch(b->dir, TIME_M | TIME_C);
	node_touch(na, TIME_C);
	node_touch(nb, TIME_C);
}

// A rename's checks once both names are resolved (Linux's do_renameat2 and
// vfs_rename, in their order): 0 to go on, 1 when there is nothing to do, or -errno.
static int rename_check(const struct creds *who, struct last *from, struct last *to,
			unsigned flags)
{
	if (dots_of(from) != NAME)
		return -EBUSY;
	if (dots_of(to) != NAME)
		return flags & RENAME_NOREPLACE ? -EEXIST : -EBUSY;
	if (!from->node)
		return -ENOENT;
	if (from->dir->dev != to->dir->dev)
		return -EXDEV;
	int err = fs_writable(from->dir);
	if (err)
		return err;
	if (!S_ISDIR(from->node->mode) && (from->slash || (to->slash && !(flags & RENAME_EXCHANGE))))
		return -ENOTDIR;
	if ((flags & RENAME_EXCHANGE) && !to->node)
		return -ENOENT;
	if ((flags & RENAME_NOREPLACE) && to->node)
		return -EEXIST;
	if (S_ISDIR(from->node->mode) && within(to->dir, from->node))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && S_ISDIR(to->node->mode) && within(from->dir, to->node))
		return -EINVAL;
	if (to->node && within(from->dir, to->node) && !(flags & RENAME_EXCHANGE))
		return -ENOTEMPTY;	// to is an ancestor of from
	if (from->node == to->node)
		return 1;	// two names of one node: Linux does nothing, successfully
	if (!may_access(to->dir, who, W_OK | X_OK))
		return -EACCES;
	err = may_move(who, from, to->dir);
	if (!err && to->node)
		err = (flags & RENAME_EXCHANGE) ? may_move(who, to, from->dir)
						: may_unname(to->dir, to->node, who);
	if (err)
		return err;
	if (to->node && !(flags & RENAME_EXCHANGE)) {
		if (S_ISDIR(from->node->mode) && !S_ISDIR(to->node->mode))
			return -ENOTDIR;
		if (!S_ISDIR(from->node->mode) && S_ISDIR(to->node->mode))
			return -EISDIR;
	}
	if (from->point || to->point || busy(from->node) || (to->node && busy(to->node)))
		return -EBUSY;
	if (to->node && S_ISDIR(to->node->mode) && to->node->entries && !(flags & RENAME_EXCHANGE))
		return -ENOTEMPTY;
	return 0;
}

static long rename_names(const struct xinim_syscall *call, unsigned flags)
{
	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT) ||
	    (flags & RENAME_WHITEOUT) ||
	    ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)))
		return -EINVAL;
	static struct last from, to;
	int err = caller_last(call->caller, call->args[0], call->args[1], 0, &from);
	if (!err)
		err = caller_last(call->caller, call->args[2], call->args[3], 0, &to);
	struct creds who = caller_creds(call->caller, false);
	if (!err)
		err = rename_check(&who, &from, &to, flags);
	if (err)
		return err < 0 ? err : 0;
	if (flags & RENAME_EXCHANGE) {
		exchange(&from, &to);
		return 0;
	}
	if (to.node)
		entry_remove(to.entry);
	entry_move(from.entry, to.dir, to.name, to.length);
	return 0;
}

long vfs_renameat(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return rename_names(&call, 0);
}

long vfs_renameat2(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return rename_names(&call, (unsigned)call.args[4]);
}
