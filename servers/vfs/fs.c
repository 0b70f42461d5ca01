// File systems: the root's, each tmpfs mounted, /proc's. Each is an st_dev with its own
// root node and, for a tmpfs, its own bounds (size=, nr_inodes=) over the pool all of
// them share. The records are kept (struct mount_table.fs, by dev); how many nodes and
// blocks each takes is derived from the tree, counted again by each instance.
//
// Crash safety: a record changes after keep_change, within its request. An unmounted
// file system's nodes go after the request that released it has committed (fs_reap,
// between requests, unlogged: too many changes for the undo log); it is marked as being
// reaped first, so a VFS that dies half way wipes the rest before it checks the tree
// (tree_take), and nothing can reach it meanwhile: no mount shows it, nothing holds it.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <xinim/format.h>
#include "vfs.h"

#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define MQUEUE_MAGIC 0x19800202
#define STATFS_FLAGS_VALID 0x0020	// Linux's ST_VALID: f_flags is filled in
#define STATFS_NOSYMFOLLOW 0x2000	// Linux's ST_NOSYMFOLLOW
enum { RELEASED = 1, REAPING = 2 };	// file_system.released

static uint64_t usage[FS_MAX][2];	// by dev: nodes, blocks (enum fs_usage)

struct file_system *fs_of(uint32_t dev)
{
	struct file_system *fs = dev < FS_MAX ? &vfs_mounts()->fs[dev] : NULL;
	return fs && fs->kind != FS_FREE ? fs : NULL;
}

static uint64_t fs_max(const struct file_system *fs, enum fs_usage what)
{
	uint64_t max = what == FS_NODES ? fs->nodes_max : fs->blocks_max;
	return max ? max : what == FS_NODES ? NODES_MAX : blocks_total();
}

bool fs_room(uint32_t dev, enum fs_usage what)
{
	const struct file_system *fs = fs_of(dev);
	return !fs || usage[dev][what] < fs_max(fs, what);
}

uint64_t fs_used(uint32_t dev, enum fs_usage what)
{
	return dev < FS_MAX ? usage[dev][what] : 0;
}

void fs_count(uint32_t dev, enum fs_usage what, int step)
{
	if (dev < FS_MAX)
		usage[dev][what] += (uint64_t)(int64_t)step;
}

void fs_recount(void)
{
	memset(usage, 0, sizeof(usage));
	for (uint32_t n = 0; n < NODES_MAX; n++) {
		const struct node *node = ramfs_node_at(n);
		if (node && node->dev < FS_MAX) {
			usage[node->dev][FS_NODES]++;
			usage[node->dev][FS_BLOCKS] += file_blocks(node);
		}
	}
}

int fs_writable(const struct node *node)
{
	const struct file_system *fs = fs_of(node->dev);
	return fs && fs->read_only ? -EROFS : 0;
}

long fs_new(enum fs_kind kind, const struct file_system *limits)
{
	for (uint32_t dev = ROOT_DEV + 1; dev < FS_MAX; dev++) {
		struct file_system *fs = &vfs_mounts()->fs[dev];
		if (fs->kind != FS_FREE)
			continue;
		keep_change(fs, sizeof(*fs));
		*fs = *limits;
		fs->kind = kind;
		fs->released = 0;
		struct node *root = node_new(dev, S_IFDIR | (limits->mode & 07777), limits->uid,
					     limits->gid);
		if (!root) {
			fs->kind = FS_FREE;
			return -ENOSPC;
		}
		root->nlink = 2;
		root->flags |= NODE_ROOT;	// a fresh node, logged whole
		fs->root = ramfs_index(root);
		return dev;
	}
	return -ENOSPC;
}

// A number as Linux's memparse reads it: digits, then K, M, G, T (powers of 1024); with
// percent, % of total as well. false: not a number.
static bool size_of(const char *text, uint64_t total, bool percent, uint64_t *out)
{
	char *end;
	if (*text < '0' || *text > '9')
		return false;
	uint64_t n = strtoull(text, &end, 0);
	static const char units[] = "kmgt";
	const char *unit = *end ? strchr(units, *end | 0x20) : NULL;
	if (unit) {
		n <<= 10 * (unit - units + 1);
		end++;
	} else if (percent && *end == '%') {
		n = total * n / 100;
		end++;
	}
	*out = n;
	return *end == '\0';
}

static bool number_of(const char *text, int base, uint32_t *out)
{
	char *end;
	unsigned long n = strtoul(text, &end, base);
	*out = (uint32_t)n;
	return *text >= '0' && *text <= '9' && *end == '\0' && n <= UINT32_MAX;
}

int tmpfs_options(char *data, struct file_system *fs)
{
	char *state = NULL;
	for (char *option = strtok_r(data, ",", &state); option;
	     option = strtok_r(NULL, ",", &state)) {
		char *value = strchr(option, '=');
		if (!value)
			return -EINVAL;
		*value++ = '\0';
		uint64_t n;
		bool ok = false;
		if (strcmp(option, "size") == 0 &&
		    (ok = size_of(value, (uint64_t)blocks_total() * BLOCK_BYTES, true, &n)))
			fs->blocks_max = (n + BLOCK_BYTES - 1) / BLOCK_BYTES;
		else if (strcmp(option, "nr_inodes") == 0 && (ok = size_of(value, 0, false, &n)))
			fs->nodes_max = n;
		else if (strcmp(option, "mode") == 0)
			ok = number_of(value, 8, &fs->mode) && fs->mode <= 07777;
		else if (strcmp(option, "uid") == 0)
			ok = number_of(value, 10, &fs->uid);
		else if (strcmp(option, "gid") == 0)
			ok = number_of(value, 10, &fs->gid);
		if (!ok)
			return -EINVAL;	// tmpfs: an unknown or bad option, as Linux's
	}
	return 0;
}

// mode's octal digits read as a decimal number (the formatter has no %o).
static unsigned octal_digits(uint32_t mode)
{
	unsigned shown = 0;
	for (unsigned place = 1; mode; mode >>= 3, place *= 10)
		shown += (mode & 7) * place;
	return shown;
}

size_t fs_options_text(const struct file_system *fs, char *to, size_t room)
{
	size_t n = 0;
	if (fs->kind != FS_TMPFS)
		return 0;
	if (fs->blocks_max && n < room)
		n += ksnprintf(to + n, room - n, ",size=%luk",
					(unsigned long)(fs->blocks_max * (BLOCK_BYTES / 1024)));
	if (fs->nodes_max && n < room)
		n += ksnprintf(to + n, room - n, ",nr_inodes=%lu",
					(unsigned long)fs->nodes_max);
	if (fs->mode && fs->mode != 01777 && n < room)
		n += ksnprintf(to + n, room - n, ",mode=%u", octal_digits(fs->mode));
	if (fs->uid && n < room)
		n += ksnprintf(to + n, room - n, ",uid=%u", fs->uid);
	if (fs->gid && n < room)
		n += ksnprintf(to + n, room - n, ",gid=%u", fs->gid);
	return n < room ? n : room;
}

// statfs's f_flags for a mount's flags (Linux's flags_by_mnt): the file system's first
// mount's, as the node alone does not say which mount it was reached through.
static const struct {
	uint32_t mount, statfs;
} statfs_flags[] = {
	{ MS_RDONLY, ST_RDONLY }, { MS_NOSUID, ST_NOSUID }, { MS_NODEV, ST_NODEV },
	{ MS_NOEXEC, ST_NOEXEC }, { MS_NOATIME, ST_NOATIME }, { MS_NODIRATIME, ST_NODIRATIME },
	{ MS_RELATIME, ST_RELATIME }, { MS_NOSYMFOLLOW, STATFS_NOSYMFOLLOW },
};

void fs_statfs(const struct node *node, struct statfs *out)
{
	const struct file_system *fs = fs_of(node->dev);
	unsigned nodes, blocks;
	ramfs_usage(&nodes, &blocks);
	*out = (struct statfs){ .f_type = TMPFS_MAGIC, .f_bsize = BLOCK_BYTES,
				.f_namelen = NAME_MAX_BYTES, .f_frsize = BLOCK_BYTES,
				.f_flags = STATFS_FLAGS_VALID };
	const struct mount *m = mount_of_dev(node->dev);
	for (size_t i = 0; m && i < sizeof(statfs_flags) / sizeof(statfs_flags[0]); i++)
		if (m->flags & statfs_flags[i].mount)
			out->f_flags |= statfs_flags[i].statfs;
	if (fs && (fs->kind == FS_PROC || fs->kind == FS_MQUEUE)) {
		// No blocks, no node counts, as Linux's (simple_statfs for the queues).
		out->f_type = fs->kind == FS_PROC ? PROC_SUPER_MAGIC : MQUEUE_MAGIC;
		return;
	}
	uint64_t block_max = fs ? fs_max(fs, FS_BLOCKS) : blocks_total();
	uint64_t node_max = fs ? fs_max(fs, FS_NODES) : NODES_MAX;
	uint64_t blocks_used = fs_used(node->dev, FS_BLOCKS);
	uint64_t nodes_used = fs_used(node->dev, FS_NODES);
	// Its own room, but no more than the pool and the node table have left.
	uint64_t bfree = min_u64(block_max > blocks_used ? block_max - blocks_used : 0,
				 blocks_free());
	uint64_t ffree = min_u64(node_max > nodes_used ? node_max - nodes_used : 0,
				 NODES_MAX - nodes);
	out->f_blocks = block_max;
	out->f_bfree = out->f_bavail = bfree;
	out->f_files = node_max;
	out->f_ffree = ffree;
	if (fs && fs->read_only)
		out->f_flags |= ST_RDONLY;
}

// Whether node lies under dir: its directory's names up to dir (a file: any of its
// names' directories).
bool node_under(const struct node *node, const struct node *dir)
{
	if (!S_ISDIR(node->mode)) {
		for (uint32_t e = 1; e <= ENTRIES_MAX; e++) {
			const struct entry *at = entry_at(e);
			if (at && at->node == ramfs_index(node) + 1 &&
			    node_under(ramfs_node_at(at->dir), dir))
				return true;
		}
		return false;
	}
	for (const struct entry *own; node != dir; node = ramfs_node_at(own->dir))
		if (!(own = entry_at(node->own)))
			return false;
	return true;
}

struct busy_query {
	uint32_t dev;
	const struct node *dir;
	bool busy;
};

static void busy_check(const struct node *node, void *context)
{
	struct busy_query *q = context;
	if (!q->busy && node->dev == q->dev && (!q->dir || node_under(node, q->dir)))
		q->busy = true;
}

bool fs_busy(uint32_t dev, const struct node *dir)
{
	struct busy_query q = { dev, dir, false };
	nodes_held(busy_check, &q);
	return q.busy;
}

void fs_release(uint32_t dev)
{
	struct file_system *fs = fs_of(dev);
	if (!fs || dev == ROOT_DEV || fs->kind == FS_PROC || fs->kind == FS_MQUEUE)
		return;	// /proc's and the queues' roots outlive their mounts: a mount finds
			// them again
	keep_change(&fs->released, sizeof(fs->released));
	fs->released = RELEASED;
}

bool fs_reap_due(void)
{
	for (uint32_t dev = ROOT_DEV + 1; dev < FS_MAX; dev++)
		if (fs_of(dev) && fs_of(dev)->released)
			return true;
	return false;
}

// dev's nodes and entries go, and its record: unlogged (too many changes for the undo
// log), marked as being reaped first, so that a VFS that dies half way leaves the next
// one to wipe the rest before it checks the tree (fs_released_kept, tree_take).
static void fs_wipe(uint32_t dev)
{
	struct file_system *fs = &vfs_mounts()->fs[dev];
	keep_unlogged(true);
	*fs = (struct file_system){ .kind = FS_TMPFS, .released = REAPING };
	tree_wipe(dev);
	*fs = (struct file_system){ 0 };
	keep_unlogged(false);
}

bool fs_reap(void)
{
	for (uint32_t dev = ROOT_DEV + 1; dev < FS_MAX; dev++) {
		const struct file_system *fs = fs_of(dev);
		if (fs && fs->released && !fs_busy(dev, NULL))
			fs_wipe(dev);	// a lazy unmount's waits for its last open file or cwd
	}
	return false;
}

uint32_t fs_released_kept(const struct file_system *kept)
{
	uint32_t reaping = 0;
	for (uint32_t dev = ROOT_DEV + 1; dev < FS_MAX; dev++)
		if (kept[dev].kind != FS_FREE && kept[dev].released == REAPING)
			reaping |= UINT32_C(1) << dev;
	return reaping;
}

// Whether a kept record checks out: a known kind whose root is a root directory of its
// own dev (the root file system's, node 0).
static bool fs_sound(uint32_t dev, const struct file_system *fs)
{
	const struct node *root = ramfs_node_at(fs->root);
	bool rooted = dev == ROOT_DEV ? fs->root == 0 : root && (root->flags & NODE_ROOT);
	return (fs->kind == FS_TMPFS || fs->kind == FS_PROC || fs->kind == FS_MQUEUE) && root &&
	       S_ISDIR(root->mode) && root->dev == dev && rooted && fs->released <= RELEASED &&
	       fs->mode <= 07777;
}

void fs_take(void)
{
	struct file_system *all = vfs_mounts()->fs;
	all[0] = (struct file_system){ 0 };
	if (!fs_sound(ROOT_DEV, &all[ROOT_DEV]))
		all[ROOT_DEV] = (struct file_system){ .kind = FS_TMPFS };
	for (uint32_t dev = ROOT_DEV + 1; dev < FS_MAX; dev++)
		if (all[dev].kind == FS_FREE || !fs_sound(dev, &all[dev]))
			fs_wipe(dev);	// with the nodes no sound file system owns
}
