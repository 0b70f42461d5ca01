// The ramfs: a tree of nodes in fixed tables, filled from the boot archive (cpio newc).
// Regular files keep their bytes in the archive, which the kernel keeps for the system's
// life; names and link targets are copied here.
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <xinim/cpio.h>
#include "vfs.h"

#define NODES_MAX 2048
#define STRINGS_BYTES (128 * 1024)

static struct node nodes[NODES_MAX];
static unsigned node_count;
static char strings[STRINGS_BYTES];
static size_t strings_used;

static const char *string_keep(const char *s, size_t length)
{
	if (length + 1 > STRINGS_BYTES - strings_used)
		return NULL;
	char *kept = &strings[strings_used];
	memcpy(kept, s, length);
	kept[length] = '\0';
	strings_used += length + 1;
	return kept;
}

static struct node *node_new(mode_t mode)
{
	if (node_count == NODES_MAX)
		return NULL;
	struct node *n = &nodes[node_count];
	*n = (struct node){ .ino = node_count + 1, .mode = mode, .nlink = 1 };
	node_count++;
	n->ops = S_ISDIR(mode) ? &directory_ops : S_ISREG(mode) ? &regular_ops : NULL;
	return n;
}

uint32_t ramfs_index(const struct node *node) { return (uint32_t)(node - nodes); }

void ramfs_usage(uint64_t *bytes, unsigned *files)
{
	*bytes = 0;
	for (unsigned i = 0; i < node_count; i++)
		*bytes += S_ISREG(nodes[i].mode) ? nodes[i].size : 0;
	*files = node_count;
}

struct node *ramfs_node_at(uint32_t index)
{
	return index < node_count ? &nodes[index] : NULL;
}

struct node *ramfs_root(void)
{
	if (node_count == 0) {
		struct node *root = node_new(S_IFDIR | 0755);
		root->name = "/";
		root->parent = root;
		root->nlink = 2;
	}
	return &nodes[0];
}

struct node *ramfs_child(const struct node *dir, const char *name, size_t length)
{
	for (struct node *c = dir->children; c; c = c->next)
		if (strlen(c->name) == length && memcmp(c->name, name, length) == 0)
			return c;
	return NULL;
}

struct node *ramfs_add(struct node *dir, const char *name, size_t length, mode_t mode)
{
	const char *kept = string_keep(name, length);
	struct node *n = kept ? node_new(mode) : NULL;
	if (!n)
		return NULL;
	n->name = kept;
	n->parent = dir;
	n->next = dir->children;
	dir->children = n;
	if (S_ISDIR(mode)) {
		n->nlink = 2;
		dir->nlink++;
	}
	return n;
}

// The directory that holds path's last component, made as needed (an archive may list a
// file before its directory); *last and *length name that component.
static struct node *parent_of(const char *path, const char **last, size_t *length)
{
	struct node *dir = ramfs_root();
	for (;;) {
		while (*path == '/')
			path++;
		const char *slash = strchr(path, '/');
		if (!slash) {
			*last = path;
			*length = strlen(path);
			return dir;
		}
		size_t n = (size_t)(slash - path);
		struct node *next = ramfs_child(dir, path, n);
		if (!next && !(n == 1 && path[0] == '.'))
			next = ramfs_add(dir, path, n, S_IFDIR | 0755);
		else if (!next)
			next = dir;
		if (!next || !S_ISDIR(next->mode))
			return NULL;
		dir = next;
		path = slash + 1;
	}
}

static archive_reader *archive_read;

// Adds one member: its node (an existing directory takes the member's attributes).
static int member_add(const struct cpio_member *m)
{
	const char *last;
	size_t length;
	struct node *dir = parent_of(m->name, &last, &length);
	if (!dir)
		return -ENOTDIR;
	if (length == 0 || (length == 1 && last[0] == '.'))
		return 0;	// the root itself
	if (length > NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	struct node *n = ramfs_child(dir, last, length);
	if (n && S_ISDIR(n->mode) != S_ISDIR(m->mode))
		return -EEXIST;	// a later archive may replace a file, not a file by a directory
	if (!n && !(n = ramfs_add(dir, last, length, (mode_t)m->mode)))
		return -ENOSPC;
	n->mode = (mode_t)m->mode;
	n->uid = (uid_t)m->uid;
	n->gid = (gid_t)m->gid;
	n->mtime = m->mtime;
	n->rdev = makedev(m->rdev_major, m->rdev_minor);
	if (S_ISREG(m->mode)) {
		n->size = m->size;
		n->data = m->data;
	} else if (S_ISLNK(m->mode)) {
		char target[PATH_MAX_BYTES];
		if (m->size >= sizeof(target) ||
		    archive_read(m->data, target, m->size) != (long)m->size)
			return -ENAMETOOLONG;
		if (!(n->target = string_keep(target, m->size)))
			return -ENOSPC;
		n->size = m->size;
	}
	return 0;
}

static long archive_read_at(void *context, uint64_t offset, void *to, size_t n)
{
	(void)context;
	return archive_read(offset, to, n);
}

int ramfs_load(archive_reader *read_at, uint64_t size)
{
	static char name[PATH_MAX_BYTES];
	archive_read = read_at;
	ramfs_root();
	struct cpio_reader reader = { .read = archive_read_at, .size = size, .name = name,
				      .name_room = sizeof(name) };
	struct cpio_member m;
	int got;
	while ((got = cpio_next(&reader, &m)) == 1) {
		int err = member_add(&m);
		if (err)
			return err;
	}
	return got;
}

// Bytes of regular files come from the archive, a buffer at a time.
static long regular_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
			 uint64_t offset)
{
	static char buffer[16 * 1024];
	uint64_t done = 0;
	while (offset < node->size && done < n) {
		uint64_t left = node->size - offset < n - done ? node->size - offset : n - done;
		size_t chunk = left < sizeof(buffer) ? left : sizeof(buffer);
		long got = archive_read(node->data + offset, buffer, chunk);
		long err = got == (long)chunk ? ipc_copy_to(caller, to + done, buffer, chunk) : -EIO;
		if (err)
			return done ? (long)done : err;
		done += chunk;
		offset += chunk;
	}
	return (long)done;
}

const struct node_ops regular_ops = { .read = regular_read, .seekable = true };
const struct node_ops directory_ops = { .seekable = true };
