// Path lookup: components from the root or a starting directory, "." and "..",
// symbolic links followed (at most SYMLINK_HOPS), search permission on every directory.
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vfs.h"

bool may_access(const struct node *node, const struct creds *who, int mask)
{
	unsigned bits = node->mode & 0777;
	if (who->uid == 0)	// root may do anything but run what nobody may run
		return !(mask & X_OK) || S_ISDIR(node->mode) || (bits & 0111);
	unsigned granted = who->uid == node->uid ? bits >> 6 : who->gid == node->gid ? bits >> 3
										   : bits;
	return ((unsigned)mask & ~granted & 7) == 0;
}

struct walk {
	const struct creds *who;
	unsigned hops;		// symbolic links followed so far
};

static int walk(struct walk *w, struct node *dir, const char *path, bool follow_last,
		struct node **out);

// Follows the link node found in dir.
static int follow(struct walk *w, struct node *dir, const struct node *link, struct node **out)
{
	if (++w->hops > SYMLINK_HOPS)
		return -ELOOP;
	return walk(w, dir, link->target, true, out);
}

static int walk(struct walk *w, struct node *dir, const char *path, bool follow_last,
		struct node **out)
{
	if (*path == '/')
		dir = ramfs_root();
	if (*path == '\0')
		return -ENOENT;
	struct node *at = dir;
	while (*path) {
		while (*path == '/')
			path++;
		if (!*path)
			break;	// a trailing slash: `at` must be a directory (checked below)
		const char *end = strchr(path, '/');
		size_t length = end ? (size_t)(end - path) : strlen(path);
		if (length > NAME_MAX_BYTES)
			return -ENAMETOOLONG;
		if (!S_ISDIR(at->mode))
			return -ENOTDIR;
		if (!may_access(at, w->who, X_OK))
			return -EACCES;
		struct node *next = length == 1 && path[0] == '.'		  ? at
				  : length == 2 && path[0] == '.' && path[1] == '.' ? at->parent
										: ramfs_child(at, path, length);
		if (!next)
			return -ENOENT;
		path += length;
		// A link is followed unless it is the last component, named without a trailing
		// slash, and the caller asked for the link itself.
		if (S_ISLNK(next->mode) && (*path || follow_last)) {
			int err = follow(w, at, next, &next);
			if (err)
				return err;
		}
		at = next;
	}
	if (path[-1] == '/' && !S_ISDIR(at->mode))
		return -ENOTDIR;
	*out = at;
	return 0;
}

int path_lookup(struct node *start, const char *path, unsigned flags, const struct creds *who,
		struct node **out)
{
	if (strlen(path) >= PATH_MAX_BYTES)
		return -ENAMETOOLONG;
	struct walk w = { .who = who };
	return walk(&w, start ? start : ramfs_root(), path, flags & LOOKUP_FOLLOW, out);
}
