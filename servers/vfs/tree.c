// The tree: nodes and the entries that name them, in VFS's kept state (struct tree),
// pointer-free. Changes go through keep_change, so that a VFS that dies half way through
// a request leaves the tree as before it (docs/resurrection.md). What is derived from
// the tree, the hash of names, lives outside the kept state and is rebuilt by each
// instance (tree_take).
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define BUCKETS (2 * ENTRIES_MAX)

static struct tree *tree;
static uint32_t buckets[BUCKETS];	// entry index + 1 of the first entry of each chain
static uint32_t chained[ENTRIES_MAX];	// the next entry (+ 1) in the same chain
static unsigned nodes_used;


static unsigned name_hash(uint32_t dir, const char *name, size_t length)
{
	uint32_t h = 2166136261u ^ dir;	// FNV-1a over the directory and the name
	for (size_t i = 0; i < length; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h % BUCKETS;
}

static void hash_insert(uint32_t e)
{
	unsigned b = name_hash(tree->entries[e].dir, tree->entries[e].name, tree->entries[e].length);
	chained[e] = buckets[b];
	buckets[b] = e + 1;
}

static void hash_remove(uint32_t e)
{
	unsigned b = name_hash(tree->entries[e].dir, tree->entries[e].name, tree->entries[e].length);
	for (uint32_t *link = &buckets[b]; *link; link = &chained[*link - 1])
		if (*link == e + 1) {
			*link = chained[e];
			return;
		}
}

uint32_t ramfs_index(const struct node *node) { return (uint32_t)(node - tree->nodes); }

uint64_t node_ino(const struct node *node) { return ramfs_index(node) + 1; }

struct node *ramfs_node_at(uint32_t index)
{
	return index < NODES_MAX && tree->nodes[index].mode ? &tree->nodes[index] : NULL;
}

struct node *ramfs_root(void) { return &tree->nodes[0]; }

struct entry *entry_at(uint32_t index)
{
	return index && index <= ENTRIES_MAX && tree->entries[index - 1].node ? &tree->entries[index - 1]
									 : NULL;
}

static uint32_t entry_index(const struct entry *e) { return (uint32_t)(e - tree->entries); }

uint32_t entry_number(const struct entry *e) { return entry_index(e) + 1; }

struct node *node_parent(const struct node *dir)
{
	const struct entry *own = entry_at(dir->own);
	if (own)
		return &tree->nodes[own->dir];
	struct node *point = mount_point_of(dir);
	return point ? node_parent(point) : (struct node *)dir;
}

const struct node_ops *node_ops(const struct node *node)
{
	switch (node->mode & S_IFMT) {
	case S_IFREG:
		return node->flags & NODE_PROC	  ? &proc_ops
		       : node->flags & NODE_MQUEUE ? &mqueue_ops
						   : &regular_ops;
	case S_IFDIR: return &directory_ops;
	case S_IFCHR: return dev_ops(node->rdev);
	case S_IFIFO: return &pipe_ops;
	case S_IFSOCK: return node->flags & NODE_SOCKET ? &socket_ops : NULL;
	case 0: return node->flags & NODE_EPOLL ? &epoll_ops : NULL;
	default: return NULL;
	}
}

// A name of n: a directory's own, a file's first (a search: /proc's links alone ask).
static const struct entry *name_of(const struct node *n)
{
	if (S_ISDIR(n->mode) || !n->nlink)
		return entry_at(n->own);
	uint32_t number = ramfs_index(n) + 1;
	for (uint32_t i = 0; i < ENTRIES_MAX; i++)
		if (tree->entries[i].node == number)
			return &tree->entries[i];
	return NULL;
}

long node_path(const struct node *n, char *out, size_t size)
{
	static char path[PATH_MAX_BYTES];
	size_t at = sizeof(path) - 1;
	path[at] = '\0';
	while (n) {
		const struct entry *e = name_of(n);
		if (!e) {	// a root: the tree's, or a mounted one, which goes on at its point
			n = mount_point_of(n);
			continue;
		}
		if ((size_t)e->length + 1 > at)
			return -ENAMETOOLONG;
		at -= e->length;
		memcpy(path + at, e->name, e->length);
		path[--at] = '/';
		n = S_ISDIR(n->mode) ? node_parent(n) : &tree->nodes[e->dir];
	}
	if (at == sizeof(path) - 1)
		path[--at] = '/';	// the root
	size_t length = sizeof(path) - 1 - at;
	if (length + 1 > size)
		return -ENAMETOOLONG;
	memcpy(out, path + at, length + 1);
	return (long)length;
}

struct entry *ramfs_entry(const struct node *dir, const char *name, size_t length)
{
	uint32_t d = ramfs_index(dir);
	for (uint32_t e = buckets[name_hash(d, name, length)]; e; e = chained[e - 1]) {
		const struct entry *at = &tree->entries[e - 1];
		if (at->dir == d && at->length == length && memcmp(at->name, name, length) == 0)
			return &tree->entries[e - 1];
	}
	return NULL;
}

struct node *ramfs_child(const struct node *dir, const char *name, size_t length)
{
	const struct entry *e = ramfs_entry(dir, name, length);
	return e ? &tree->nodes[e->node - 1] : NULL;
}

int64_t vfs_now(void)
{
	static struct xinim_time_base base;
	static bool asked;
	if (!asked && xinim_kcall(KCALL_TIME_BASE, (long)&base, 0) != 0)
		base = (struct xinim_time_base){ 0 };
	asked = true;
	return xinim_realtime_ns(&base, 0, counter_ticks(), counter_hz());
}

void node_touch(struct node *node, unsigned which)
{
	int64_t now = vfs_now();
	keep_change(&node->atime, 3 * sizeof(node->atime));
	if (which & TIME_A)
		node->atime = now;
	if (which & TIME_M)
		node->mtime = now;
	if (which & TIME_C)
		node->ctime = now;
}

struct node *node_new(uint32_t dev, uint32_t mode, uint32_t uid, uint32_t gid)
{
	static unsigned hint = 1;
	if (!fs_room(dev, FS_NODES))
		return NULL;
	for (unsigned tried = 0; tried < NODES_MAX - 1; tried++, hint = hint % (NODES_MAX - 1) + 1) {
		struct node *n = &tree->nodes[hint];
		if (n->mode)
			continue;
		int64_t now = vfs_now();
		keep_change(n, sizeof(*n));
		*n = (struct node){ .mode = mode, .uid = uid, .gid = gid, .atime = now,
				    .mtime = now, .ctime = now, .dev = dev, .next_cookie = 2 };
		nodes_used++;
		fs_count(dev, FS_NODES, 1);
		return n;
	}
	return NULL;
}

// Links entry e at the end of its directory's list, with the next cookie.
static void list_append(struct node *dir, struct entry *e)
{
	uint32_t index = entry_index(e) + 1;
	keep_change(dir, sizeof(*dir));
	e->prev = dir->last;
	e->next = 0;
	e->cookie = dir->next_cookie++;
	if (dir->last) {
		keep_change(&tree->entries[dir->last - 1].next, sizeof(uint32_t));
		tree->entries[dir->last - 1].next = index;
	} else {
		dir->first = index;
	}
	dir->last = index;
	dir->entries++;
	hash_insert(entry_index(e));
}

static void list_unlink(struct node *dir, struct entry *e)
{
	hash_remove(entry_index(e));
	keep_change(dir, sizeof(*dir));
	if (e->prev) {
		keep_change(&tree->entries[e->prev - 1].next, sizeof(uint32_t));
		tree->entries[e->prev - 1].next = e->next;
	} else {
		dir->first = e->next;
	}
	if (e->next) {
		keep_change(&tree->entries[e->next - 1].prev, sizeof(uint32_t));
		tree->entries[e->next - 1].prev = e->prev;
	} else {
		dir->last = e->prev;
	}
	dir->entries--;
}

static void name_set(struct entry *e, const char *name, size_t length)
{
	memcpy(e->name, name, length);
	memset(e->name + length, 0, sizeof(e->name) - length);
	e->length = (uint16_t)length;
}

int entry_add(struct node *dir, const char *name, size_t length, struct node *node)
{
	static unsigned hint;
	for (unsigned tried = 0; tried < ENTRIES_MAX; tried++, hint = (hint + 1) % ENTRIES_MAX) {
		struct entry *e = &tree->entries[hint];
		if (e->node)
			continue;
		keep_change(e, sizeof(*e));
		e->node = ramfs_index(node) + 1;
		e->dir = ramfs_index(dir);
		name_set(e, name, length);
		list_append(dir, e);
		keep_change(node, sizeof(*node));
		if (S_ISDIR(node->mode)) {
			node->nlink = 2;	// its name and its "."
			node->own = entry_index(e) + 1;
			dir->nlink++;		// its ".."
		} else {
			node->nlink++;
		}
		node_touch(dir, TIME_M | TIME_C);
		node_touch(node, TIME_C);
		return 0;
	}
	return -ENOSPC;
}

void entry_remove(struct entry *e)
{
	struct node *dir = &tree->nodes[e->dir], *node = &tree->nodes[e->node - 1];
	list_unlink(dir, e);
	keep_change(node, sizeof(*node));
	if (S_ISDIR(node->mode)) {
		node->nlink = 0;
		node->own = 0;
		dir->nlink--;
	} else {
		node->nlink--;
	}
	keep_change(e, sizeof(*e));
	e->node = 0;
	node_touch(dir, TIME_M | TIME_C);
	node_touch(node, TIME_C);
	node_release(node);
}

void entry_move(struct entry *e, struct node *dir, const char *name, size_t length)
{
	struct node *from = &tree->nodes[e->dir], *node = &tree->nodes[e->node - 1];
	list_unlink(from, e);
	keep_change(e, sizeof(*e));
	e->dir = ramfs_index(dir);
	name_set(e, name, length);
	list_append(dir, e);
	if (S_ISDIR(node->mode) && from != dir) {
		from->nlink--;
		dir->nlink++;	// list_append logged dir, list_unlink from
	}
	node_touch(from, TIME_M | TIME_C);
	node_touch(dir, TIME_M | TIME_C);
	node_touch(node, TIME_C);
}

// A node without blocks, name or user becomes free.
static void node_forget(struct node *node)
{
	fs_count(node->dev, FS_NODES, -1);
	keep_change(node, sizeof(*node));
	*node = (struct node){ 0 };
	nodes_used--;
}

void node_release(struct node *node)
{
	if (node->nlink || node == ramfs_root() || (node->flags & NODE_ROOT) ||
	    node_held(ramfs_index(node)))
		return;
	if (node->flags & NODE_MQUEUE)
		mqueue_release(node);
	if (S_ISSOCK(node->mode))
		socket_node_gone(node);
	file_free(node);
	node_forget(node);
}

struct node *ramfs_add(struct node *dir, const char *name, size_t length, mode_t mode)
{
	struct node *n = node_new(dir->dev, mode, 0, 0);
	if (n && entry_add(dir, name, length, n)) {
		node_forget(n);
		return NULL;
	}
	return n;
}

struct node *ramfs_provide(struct node *dir, const char *name, mode_t mode)
{
	size_t length = strlen(name);
	struct node *n = ramfs_child(dir, name, length);
	return n ? n : ramfs_add(dir, name, length, mode);
}

void ramfs_usage(unsigned *nodes_in_use, unsigned *blocks_in_use)
{
	*nodes_in_use = nodes_used;
	*blocks_in_use = blocks_total() - blocks_free();
}

void tree_fresh(struct tree *fresh, block_t *pool, uint32_t blocks)
{
	tree = fresh;
	tree->pool_blocks = blocks;
	memset(buckets, 0, sizeof(buckets));
	memset(tree->nodes, 0, sizeof(tree->nodes));
	memset(tree->entries, 0, sizeof(tree->entries));
	int64_t now = vfs_now();
	tree->nodes[0] = (struct node){ .mode = S_IFDIR | 0755, .nlink = 2, .atime = now, .mtime = now,
				  .ctime = now, .dev = ROOT_DEV, .next_cookie = 2 };
	nodes_used = 1;
	blocks_fresh(fresh, pool, blocks);
}

static bool type_sound(const struct node *node)
{
	uint32_t mode = node->mode;
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR: case S_IFBLK: case S_IFIFO:
	case S_IFSOCK:
		return !(mode & ~(uint32_t)(S_IFMT | 07777));
	case 0:	// an anonymous node (an epoll instance): it has no file type
		return mode == EPOLL_MODE && (node->flags & NODE_EPOLL);
	default:
		return false;
	}
}

static bool entry_sound(const struct entry *e)
{
	const struct node *dir = e->dir < NODES_MAX ? &tree->nodes[e->dir] : NULL;
	if (e->node > NODES_MAX || !tree->nodes[e->node - 1].mode || !dir || !S_ISDIR(dir->mode) ||
	    e->length == 0 || e->length > NAME_MAX_BYTES || e->name[e->length] != '\0')
		return false;
	if (memchr(e->name, '/', e->length) || memchr(e->name, '\0', e->length))
		return false;
	return !(e->length <= 2 && e->name[0] == '.' && (e->length == 1 || e->name[1] == '.'));
}

// A directory's list walks its entries in order, each once, each naming it as theirs;
// its counts are made afresh: how many entries it has, how many of them directories.
static bool list_sound(uint32_t d, unsigned *seen)
{
	struct node *dir = &tree->nodes[d];
	uint32_t prev = 0, count = 0, subdirs = 0;
	for (uint32_t e = dir->first; e; prev = e, e = tree->entries[e - 1].next) {
		if (e > ENTRIES_MAX || !tree->entries[e - 1].node || tree->entries[e - 1].dir != d ||
		    tree->entries[e - 1].prev != prev || ++count > ENTRIES_MAX)
			return false;
		subdirs += S_ISDIR(tree->nodes[tree->entries[e - 1].node - 1].mode);
	}
	if (dir->last != prev || dir->entries != count)
		return false;
	dir->nlink = 2 + subdirs;
	*seen += count;
	return true;
}

// Every directory but a root (the tree's, a file system's) reaches a root going up, in
// fewer steps than there are nodes, and its own entry names it.
static bool ancestry_sound(uint32_t d)
{
	for (unsigned steps = 0; d != 0 && !(tree->nodes[d].flags & NODE_ROOT); steps++) {
		const struct entry *own = entry_at(tree->nodes[d].own);
		if (!own || own->node != d + 1 || steps == NODES_MAX)
			return false;
		d = own->dir;
	}
	return true;
}

// Every entry naming a node of dev, and every such node, goes; blocks and the name hash
// follow when live (a take-over derives both afterwards).
static void wipe(uint32_t dev, bool live)
{
	for (uint32_t e = 0; e < ENTRIES_MAX; e++) {
		uint32_t n = tree->entries[e].node;
		if (n && n <= NODES_MAX && tree->nodes[n - 1].dev == dev) {
			if (live)
				hash_remove(e);
			tree->entries[e] = (struct entry){ 0 };
		}
	}
	for (uint32_t n = 0; n < NODES_MAX; n++) {
		struct node *node = &tree->nodes[n];
		if (!node->mode || node->dev != dev || n == 0)
			continue;
		if (live) {
			file_free(node);
			fs_count(dev, FS_NODES, -1);
			nodes_used--;
		}
		*node = (struct node){ 0 };
	}
}

void tree_wipe(uint32_t dev) { wipe(dev, true); }

bool tree_take(struct tree *kept, block_t *pool, uint32_t blocks, uint32_t released)
{
	tree = kept;
	memset(buckets, 0, sizeof(buckets));
	for (uint32_t dev = 0; dev < 32; dev++)
		if (dev != ROOT_DEV && (released >> dev & 1))
			wipe(dev, false);
	if (!S_ISDIR(tree->nodes[0].mode) || tree->nodes[0].own || tree->pool_blocks != blocks)
		return false;
	unsigned in_use = 0, seen = 0;
	static uint32_t names[NODES_MAX];
	memset(names, 0, sizeof(names));
	for (uint32_t e = 0; e < ENTRIES_MAX; e++) {
		if (!tree->entries[e].node)
			continue;
		if (!entry_sound(&tree->entries[e]))
			return false;
		in_use++;
		names[tree->entries[e].node - 1]++;
		hash_insert(e);
	}
	nodes_used = 0;
	for (uint32_t n = 0; n < NODES_MAX; n++) {
		struct node *node = &tree->nodes[n];
		if (!node->mode)
			continue;
		nodes_used++;
		if (!type_sound(node) || node->height > 3 || node->map > blocks ||
		    node->dev == 0 || node->dev >= FS_MAX ||
		    node->pipe_head >= PIPE_BYTES || node->pipe_bytes > PIPE_BYTES)
			return false;
		if (!S_ISDIR(node->mode)) {
			node->nlink = names[n];	// what the entries say
			continue;
		}
		if (n && names[n] == 0 && !(node->flags & NODE_ROOT)) {
			// removed, still someone's working directory
			if (node->own || node->first)
				return false;
			node->nlink = 0;
			continue;
		}
		bool root = n == 0 || (node->flags & NODE_ROOT);
		if ((root ? names[n] || node->own : names[n] != 1) || !list_sound(n, &seen) ||
		    !ancestry_sound(n))
			return false;
	}
	return seen == in_use && blocks_take(kept, pool, blocks);
}
