// The boot archive (cpio newc) as the first contents of the tree: loaded into a fresh
// tree once, at the first start of VFS (a restarted VFS takes over the tree, changes and
// all). Regular files and links keep their bytes in the archive, which the kernel keeps
// for the system's life, until they are first written (blocks.c copies them up).
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <xinim/cpio.h>
#include "vfs.h"

static archive_reader *archive_read;
static uint64_t archive_size;

void archive_attach(archive_reader *read_at, uint64_t size)
{
	archive_read = read_at;
	archive_size = size;
}

long archive_bytes(uint64_t offset, void *here, size_t n)
{
	return archive_read ? archive_read(offset, here, n) : -EIO;
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

// Adds one member: its node (an existing directory takes the member's attributes).
static int member_add(const struct cpio_member *m)
{
	const char *last;
	size_t length;
	struct node *dir = parent_of(m->name, &last, &length);
	if (!dir)
		return -ENOTDIR;
	struct node *n = length == 0 || (length == 1 && last[0] == '.') ? dir : NULL;
	if (length > NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	if (!n && (n = ramfs_child(dir, last, length)) && S_ISDIR(n->mode) != S_ISDIR(m->mode))
		return -EEXIST;	// a later archive may replace a file, not a file by a directory
	if (!n && !(n = ramfs_add(dir, last, length, (mode_t)m->mode)))
		return -ENOSPC;
	n->mode = (uint32_t)m->mode;
	n->uid = m->uid;
	n->gid = m->gid;
	n->atime = n->mtime = n->ctime = (int64_t)m->mtime * 1000000000;
	n->rdev = makedev(m->rdev_major, m->rdev_minor);
	if (S_ISREG(m->mode) || S_ISLNK(m->mode)) {
		if (S_ISLNK(m->mode) && (m->size == 0 || m->size >= PATH_MAX_BYTES))
			return -ENAMETOOLONG;
		file_free(n);
		n->size = m->size;
		n->archive = m->data;
		n->flags |= NODE_ARCHIVE;
	}
	return 0;
}

static long archive_read_at(void *context, uint64_t offset, void *to, size_t n)
{
	(void)context;
	return archive_read(offset, to, n);
}

int archive_load(void)
{
	static char name[PATH_MAX_BYTES];
	if (!archive_read)
		return -EIO;
	struct cpio_reader reader = { .read = archive_read_at, .size = archive_size, .name = name,
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
