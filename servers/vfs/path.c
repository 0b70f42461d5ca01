// Path lookup: components from the root or a starting directory, "." and "..",
// symbolic links followed (at most SYMLINK_HOPS), search permission on every directory;
// and the permission checks of the calls.
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vfs.h"

bool in_group(const struct creds *who, uint32_t gid)
{
	if (who->gid == gid)
		return true;
	for (uint32_t i = 0; i < who->groups_count; i++)
		if (who->groups[i] == gid)
			return true;
	return false;
}

bool may_access(const struct node *node, const struct creds *who, int mask)
{
	unsigned bits = node->mode & 0777;
	if (who->uid == 0)	// root may do anything but run what nobody may run
		return !(mask & X_OK) || S_ISDIR(node->mode) || (bits & 0111);
	unsigned granted = who->uid == node->uid ? bits >> 6 : in_group(who, node->gid) ? bits >> 3
										     : bits;
	return ((unsigned)mask & ~granted & 7) == 0;
}

bool owns(const struct node *node, const struct creds *who)
{
	return who->uid == 0 || who->uid == node->uid;
}

int may_unname(const struct node *dir, const struct node *node, const struct creds *who)
{
	if (!may_access(dir, who, W_OK | X_OK))
		return -EACCES;
	if ((dir->mode & S_ISVTX) && !owns(dir, who) && !owns(node, who))
		return -EPERM;	// a sticky directory: only the owners may
	return 0;
}

// A walk's paths: the one being resolved, and the one a followed link makes of its
// target and the rest, in turns (VFS serves one request at a time).
static char paths[2][PATH_MAX_BYTES];

long link_target(const struct node *link, const struct creds *who, char *out, size_t size)
{
	if (link->flags & NODE_PROC)
		return procfs_link_text(link, who, out, size);
	size_t length = min_u64(link->size, size);
	return file_bytes(link, 0, out, length) == (long)length ? (long)length : -EIO;
}

// The rest of the path after a link (at rest, "" or from a "/") goes after the link's
// target, into the path buffer not in use: the new path, or NULL and *err.
static const char *through_link(const struct node *link, const char *rest, unsigned *hops,
				const struct creds *who, int *err)
{
	static unsigned turn;
	static char target[PATH_MAX_BYTES];
	char *next = paths[turn ^= 1];
	size_t rest_length = strlen(rest);
	if (++*hops > SYMLINK_HOPS) {
		*err = -ELOOP;
		return NULL;
	}
	long length = link_target(link, who, target, sizeof(target));
	if (length <= 0 || (size_t)length + rest_length >= PATH_MAX_BYTES) {
		*err = length < 0 ? (int)length : length ? -ENAMETOOLONG : -ENOENT;
		return NULL;
	}
	memmove(next + length, rest, rest_length + 1);	// rest may be in next already
	memcpy(next, target, (size_t)length);
	return next;
}

int path_last(struct node *start, const char *path, unsigned flags, const struct creds *who,
	      struct last *out)
{
	if (strlen(path) >= PATH_MAX_BYTES)
		return -ENAMETOOLONG;
	if (*path == '\0')
		return -ENOENT;
	struct node *at = *path == '/' || !start ? ramfs_root() : start;
	bool follow_last = flags & LOOKUP_FOLLOW;
	unsigned hops = 0;
	*out = (struct last){ 0 };
	for (;;) {
		while (*path == '/')
			path++;
		if (!*path) {	// "/", or a path that ended at a link to a directory and a "/"
			*out = (struct last){ .dir = node_parent(at), .node = at, .slash = true };
			return 0;
		}
		const char *end = strchr(path, '/');
		size_t length = end ? (size_t)(end - path) : strlen(path);
		if (length > NAME_MAX_BYTES)
			return -ENAMETOOLONG;
		if (!S_ISDIR(at->mode))
			return -ENOTDIR;
		if (!may_access(at, who, X_OK))
			return -EACCES;
		if (at->flags & NODE_PROC)
			procfs_refresh(at);	// its names follow the processes and their fds
		const char *rest = path + length;
		size_t slashes = strspn(rest, "/");
		bool last = rest[slashes] == '\0';
		bool dots = path[0] == '.' && (length == 1 || (length == 2 && path[1] == '.'));
		struct entry *entry = dots ? NULL : ramfs_entry(at, path, length);
		struct node *covered = dots ? (length == 1 ? at : node_parent(at))
				     : entry ? ramfs_node_at(entry->node - 1) : NULL;
		struct node *next = covered ? mount_crossed(covered) : NULL;
		// A link is followed unless it is the last component, named without a trailing
		// slash, and the caller asked for the link itself. One of /proc's may stand for
		// its node itself.
		bool follow = next && S_ISLNK(next->mode) && (!last || slashes || follow_last);
		struct node *magic = follow && (next->flags & NODE_PROC) ? procfs_link_node(next)
									   : NULL;
		if (magic && ++hops > SYMLINK_HOPS)
			return -ELOOP;
		if (magic)
			next = magic;
		else if (follow) {
			int err = 0;
			if (!(path = through_link(next, rest, &hops, who, &err)))
				return err;
			if (*path == '/')
				at = ramfs_root();
			// A link that was the path's last component: its target's own last one is
			// followed; else the path's last keeps what the caller asked.
			follow_last = follow_last || last;
			continue;
		}
		if (last) {
			*out = (struct last){ .dir = at, .node = next, .entry = entry,
					      .length = dots ? 0 : length, .slash = slashes != 0,
					      .point = next != covered ? covered : NULL };
			memcpy(out->name, path, length);
			return 0;
		}
		if (!next)
			return -ENOENT;
		at = next;
		path = rest;
	}
}

int last_found(const struct last *at, struct node **out)
{
	if (!at->node)
		return -ENOENT;
	if (at->slash && !S_ISDIR(at->node->mode))
		return -ENOTDIR;
	*out = at->node;
	return 0;
}

int path_lookup(struct node *start, const char *path, unsigned flags, const struct creds *who,
		struct node **out)
{
	static struct last last;
	int err = path_last(start, path, flags, who, &last);
	return err ? err : last_found(&last, out);
}
