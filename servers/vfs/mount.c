// The mount table: which file system's root (or, bound, which directory) shows at which
// directory, kept (struct mount_table, by node index): the walk's crossings, mounts
// made and taken away (for mount_calls.c), /proc/mounts, the boot's mounts and the
// take-over's check. A change is logged (keep_change) and committed with its answer, so
// a request given again to a restarted VFS finds the table as before it, or answered.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <xinim/format.h>
#include "vfs.h"


static struct mount *mount_slot(unsigned i) { return &vfs_mounts()->mounts[i]; }

static struct node *point_node(const struct mount *m)
{
	return m->point ? ramfs_node_at(m->point - 1) : NULL;
}

// The topmost mount on node (node is its point), or NULL.
static struct mount *mount_on(const struct node *node)
{
	struct mount *top = NULL;
	for (unsigned i = 0; i < MOUNTS_MAX; i++) {
		struct mount *m = mount_slot(i);
		if (m->dev && m->point == ramfs_index(node) + 1 && (!top || m->made > top->made))
			top = m;
	}
	return top;
}

bool mount_shows(uint32_t index)
{
	for (unsigned i = 0; i < MOUNTS_MAX; i++)
		if (mount_slot(i)->dev && mount_slot(i)->root == index)
			return true;
	return false;
}

struct node *mount_crossed(struct node *node)
{
	for (unsigned hops = 0; hops < MOUNTS_MAX && (node->flags & NODE_MOUNTED); hops++) {
		const struct mount *m = mount_on(node);
		struct node *root = m ? ramfs_node_at(m->root) : NULL;
		if (!root)
			break;
		node = root;
	}
	return node;
}

struct node *mount_point_of(const struct node *root)
{
	const struct mount *first = NULL;
	for (unsigned i = 0; i < MOUNTS_MAX; i++) {
		const struct mount *m = mount_slot(i);
		if (m->dev && m->point && m->root == ramfs_index(root) && (!first || m->made < first->made))
			first = m;
	}
	return first ? point_node(first) : NULL;
}

// The mount a resolved path names as its root (the topmost at that place), or NULL
// when the path names no mount's root.
struct mount *mount_named(const struct last *at)
{
	if (!at->point) {
		for (unsigned i = 0; at->node == ramfs_root() && i < MOUNTS_MAX; i++)
			if (mount_slot(i)->dev && !mount_slot(i)->point)
				return mount_slot(i);
		return NULL;
	}
	struct mount *m = mount_on(at->point);
	for (unsigned hops = 0; m && hops < MOUNTS_MAX; hops++) {
		struct node *root = ramfs_node_at(m->root);
		struct mount *above = root && (root->flags & NODE_MOUNTED) ? mount_on(root) : NULL;
		if (!above)
			break;
		m = above;
	}
	return m;
}

// The first mount of file system dev (whose source and flags a bind takes).
const struct mount *mount_of_dev(uint32_t dev)
{
	const struct mount *first = NULL;
	for (unsigned i = 0; i < MOUNTS_MAX; i++)
		if (mount_slot(i)->dev == dev && (!first || mount_slot(i)->made < first->made))
			first = mount_slot(i);
	return first;
}

bool mount_room(void)
{
	for (unsigned i = 0; i < MOUNTS_MAX; i++)
		if (!mount_slot(i)->dev)
			return true;
	return false;
}

// A new mount of dev's root (or directory) root on point: 0 or -ENOSPC (the table is
// full: Linux's mount-max).
long mount_add(uint32_t dev, struct node *root, struct node *point, uint32_t flags,
		      const char *source)
{
	struct mount_table *t = vfs_mounts();
	for (unsigned i = 0; i < MOUNTS_MAX; i++) {
		struct mount *m = mount_slot(i);
		if (m->dev)
			continue;
		keep_change(m, sizeof(*m));
		*m = (struct mount){ .dev = dev, .root = ramfs_index(root), .flags = flags,
				     .point = point ? ramfs_index(point) + 1 : 0, .made = t->made };
		strncpy(m->source, source, sizeof(m->source) - 1);
		keep_change(&t->made, sizeof(t->made));
		t->made++;
		if (point) {
			keep_change(&point->flags, sizeof(point->flags));
			point->flags |= NODE_MOUNTED;
		}
		return 0;
	}
	return -ENOSPC;
}

// m goes: its point is no mount point unless another mount is on it, a bound directory
// removed from its place goes, and a file system no mount shows any more is released
// (its nodes go: fs_reap).
static void mount_remove(struct mount *m)
{
	struct node *point = point_node(m), *root = ramfs_node_at(m->root);
	uint32_t dev = m->dev;
	keep_change(m, sizeof(*m));
	*m = (struct mount){ 0 };
	if (point && !mount_on(point)) {
		keep_change(&point->flags, sizeof(point->flags));
		point->flags &= ~(uint32_t)NODE_MOUNTED;
	}
	if (root)
		node_release(root);	// a bound directory removed meanwhile
	if (!mount_of_dev(dev))
		fs_release(dev);
}

// Whether c is mounted inside m (on a directory of m's).
static bool mount_inside(const struct mount *c, const struct mount *m)
{
	const struct node *point = point_node(c), *root = ramfs_node_at(m->root);
	return c != m && c->dev && point && root && point->dev == m->dev && node_under(point, root);
}

// Whether m is in use: an open file or working directory in it, or a mount inside it.
bool mount_busy(const struct mount *m)
{
	const struct file_system *fs = fs_of(m->dev);
	bool alone = fs && fs->root == m->root && mount_of_dev(m->dev) == m;
	for (unsigned i = 0; i < MOUNTS_MAX; i++)
		if (mount_inside(mount_slot(i), m))
			return true;
	return fs_busy(m->dev, alone ? NULL : ramfs_node_at(m->root));
}

// m and every mount inside it go (MNT_DETACH's whole tree).
void mount_detach(struct mount *m)
{
	for (unsigned i = 0; i < MOUNTS_MAX; i++)
		if (mount_inside(mount_slot(i), m))
			mount_detach(mount_slot(i));
	mount_remove(m);
}

// path into to as getmntent(3) reads it: space, tab, newline and backslash in octal.
static size_t escaped(const char *path, char *to, size_t room)
{
	size_t n = 0;
	for (; *path && n + 4 < room; path++) {
		if (strchr(" \t\n\\", *path))
			n += ksnprintf(to + n, room - n, "\\%u%u%u", (unsigned)*path >> 6,
				       (unsigned)*path >> 3 & 7, (unsigned)*path & 7);
		else
			to[n++] = *path;
	}
	return n;
}

// One /proc/mounts line: source, mount point, type, options, "0 0".
static size_t mount_line(const struct mount *m, char *to, size_t room)
{
	static char path[PATH_MAX_BYTES];
	const struct file_system *fs = fs_of(m->dev);
	long length = m->point ? node_path(point_node(m), path, sizeof(path)) : -1;
	size_t n = escaped(m->source, to, room);
	n += ksnprintf(to + n, room - n, " ");
	n += escaped(length >= 0 ? path : "/", to + n, room - n);
	static const char *const types[] = { [FS_TMPFS] = "tmpfs", [FS_PROC] = "proc",
					     [FS_MQUEUE] = "mqueue" };
	n += ksnprintf(to + n, room - n, " %s %s%s%s%s%s%s%s", types[fs->kind],
		       (fs->read_only || (m->flags & MS_RDONLY)) ? "ro" : "rw",
		       m->flags & MS_NOSUID ? ",nosuid" : "", m->flags & MS_NODEV ? ",nodev" : "",
		       m->flags & MS_NOEXEC ? ",noexec" : "", m->flags & MS_NOATIME ? ",noatime" : "",
		       m->flags & MS_NODIRATIME ? ",nodiratime" : "",
		       m->flags & MS_RELATIME ? ",relatime" : "");
	if (m->flags & MS_NOSYMFOLLOW)
		n += ksnprintf(to + n, room - n, ",nosymfollow");
	n += fs_options_text(fs, to + n, room - n);
	n += ksnprintf(to + n, room - n, " 0 0\n");
	return n;
}

size_t mounts_text(char *to, size_t room)
{
	size_t n = 0;
	for (uint32_t after = 0, shown = 0; n + 1 < room; shown++) {
		const struct mount *next = NULL;
		for (unsigned i = 0; i < MOUNTS_MAX; i++) {
			const struct mount *m = mount_slot(i);
			if (m->dev && fs_of(m->dev) && (shown == 0 || m->made > after) &&
			    (!next || m->made < next->made))
				next = m;
		}
		if (!next)
			break;
		after = next->made;
		n += mount_line(next, to + n, room - n);
	}
	return n < room ? n : room;
}

// procfs_populate's /proc becomes the proc file system's root, unnamed; an empty
// directory takes its name, and /proc is mounted on it.
// node and all below it belong to file system dev (a fresh tree's, unlogged).
static void dev_set(struct node *node, uint32_t dev)
{
	node->dev = dev;
	for (struct entry *e = S_ISDIR(node->mode) ? entry_at(node->first) : NULL; e;
	     e = entry_at(e->next))
		dev_set(ramfs_node_at(e->node - 1), dev);
}

static int proc_build(void)
{
	struct node *root = ramfs_root(), *proc = ramfs_child(root, "proc", 4);
	struct entry *name = ramfs_entry(root, "proc", 4);
	struct node *point = node_new(ROOT_DEV, S_IFDIR | 0555, 0, 0);
	if (!proc || !S_ISDIR(proc->mode))
		return -ENOTDIR;
	if (!point)
		return -ENOSPC;
	const uint32_t dev = ROOT_DEV + 1;
	vfs_mounts()->fs[dev] = (struct file_system){ .kind = FS_PROC, .root = ramfs_index(proc) };
	name->node = ramfs_index(point) + 1;
	*point = (struct node){ .mode = point->mode, .nlink = 2, .atime = proc->atime,
				.mtime = proc->mtime, .ctime = proc->ctime, .dev = ROOT_DEV,
				.own = proc->own, .next_cookie = 2 };
	proc->own = 0;
	proc->flags |= NODE_ROOT;
	dev_set(proc, dev);
	return (int)mount_add(dev, proc, point, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME,
			      "proc");
}

int mounts_build(void)
{
	struct mount_table *t = vfs_mounts();
	t->fs[ROOT_DEV] = (struct file_system){ .kind = FS_TMPFS };
	int err = (int)mount_add(ROOT_DEV, ramfs_root(), NULL, MS_RELATIME, "tmpfs");
	if (!err)
		err = proc_build();
	struct node *tmp = err ? NULL : ramfs_provide(ramfs_root(), "tmp", S_IFDIR | 01777);
	if (!err && (!tmp || !S_ISDIR(tmp->mode)))
		err = tmp ? -ENOTDIR : -ENOSPC;
	const struct file_system limits = { .mode = 01777 };
	long dev = err ? err : fs_new(FS_TMPFS, &limits);
	if (dev < 0)
		return (int)dev;
	return (int)mount_add((uint32_t)dev, ramfs_node_at(t->fs[dev].root), tmp,
			      MS_NOSUID | MS_NODEV | MS_RELATIME, "tmpfs");
}

// Whether a kept mount checks out: a live file system's directory shown on a directory
// (the root mount alone on none), reaching the tree's root through the points.
static bool mount_sound(const struct mount *m)
{
	const struct file_system *fs = fs_of(m->dev);
	const struct node *root = ramfs_node_at(m->root), *point = point_node(m);
	if (!fs || fs->released || !root || !S_ISDIR(root->mode) || root->dev != m->dev)
		return false;
	if (!m->point)
		return m->dev == ROOT_DEV && m->root == 0;
	return point && S_ISDIR(point->mode) && point != root;
}

// Whether going up from node (named directories, then mount points) ends at the root.
static bool reaches_root(const struct node *node)
{
	for (unsigned hops = 0; node && hops <= MOUNTS_MAX; hops++) {
		while (entry_at(node->own))
			node = node_parent(node);
		if (node == ramfs_root())
			return true;
		node = mount_point_of(node);
	}
	return false;
}

void mounts_take(void)
{
	bool root_mounted = false;
	for (unsigned i = 0; i < MOUNTS_MAX; i++) {
		struct mount *m = mount_slot(i);
		if (m->dev && (!mount_sound(m) || (!m->point && root_mounted)))
			*m = (struct mount){ 0 };
		root_mounted |= m->dev && !m->point;
		m->source[MOUNT_SOURCE_MAX - 1] = '\0';
	}
	for (uint32_t n = 0; n < NODES_MAX; n++)
		if (ramfs_node_at(n))
			ramfs_node_at(n)->flags &= ~(uint32_t)NODE_MOUNTED;
	for (unsigned i = 0; i < MOUNTS_MAX; i++)
		if (mount_slot(i)->point)
			point_node(mount_slot(i))->flags |= NODE_MOUNTED;
	for (unsigned pass = 0; pass < MOUNTS_MAX; pass++)	// a cycle of points goes
		for (unsigned i = 0; i < MOUNTS_MAX; i++)
			if (mount_slot(i)->dev && !reaches_root(ramfs_node_at(mount_slot(i)->root)))
				mount_remove(mount_slot(i));
	if (!root_mounted)
		mount_add(ROOT_DEV, ramfs_root(), NULL, MS_RELATIME, "tmpfs");
	for (uint32_t dev = ROOT_DEV + 1; dev < FS_MAX; dev++)
		if (fs_of(dev) && !mount_of_dev(dev))
			fs_release(dev);
}
