// Files' bytes: blocks of the kept pool (struct tree), under a map per file. A node's map
// is a tree of map blocks `height` levels high above its data blocks (height 0: the map
// root is the one data block), each slot a block index + 1 (0: a hole, read as zeros).
//
// Crash safety (docs/vfs.md): map slots and sizes change after keep_change, so a request
// that dies is rolled back to maps and sizes as before it. Bytes in blocks are written
// in place without an undo: a write given again to a restarted VFS writes them again
// the same, and bytes past a file's size are never read (a file that grows has them
// zeroed first). Which blocks are free is derived from the maps, outside the kept
// state, and rebuilt at each start (blocks_take). A request that frees blocks of a
// file's bytes never takes new ones, so a rolled-back free never finds its block reused.
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define HEIGHT_MAX 3	// 4 TiB of offsets; the pool runs out long before

static struct tree *tree;
static block_t *pool;
static uint32_t pool_count;
static uint64_t used[(BLOCKS_MAX + 63) / 64];	// a bit per block of the pool
static unsigned free_count;
static const uint8_t zeros[BLOCK_BYTES];

static bool block_used(uint32_t b) { return used[b / 64] >> (b % 64) & 1; }

static void block_mark(uint32_t b, bool in_use)
{
	if (in_use)
		used[b / 64] |= UINT64_C(1) << (b % 64);
	else
		used[b / 64] &= ~(UINT64_C(1) << (b % 64));
	free_count += in_use ? -1u : 1u;
}

unsigned blocks_free(void) { return free_count; }

unsigned blocks_total(void) { return pool_count; }

uint32_t pool_blocks(void)
{
#ifdef XINIM_HOSTED
	return VFS_HOSTED_BLOCKS;
#else
	static uint32_t blocks;
	struct xinim_memory memory;
	if (!blocks && xinim_kcall(KCALL_MEMORY, (long)&memory, 0) == 0)
		blocks = (uint32_t)(memory.total_bytes / 32 / BLOCK_BYTES < BLOCKS_MAX
					    ? memory.total_bytes / 32 / BLOCK_BYTES : BLOCKS_MAX);
	if (blocks < BLOCKS_MIN)
		blocks = BLOCKS_MIN;
	return blocks;
#endif
}

// A zeroed block for a node of file system dev: its index + 1, or 0 when the pool, or
// the file system's size, is full.
static uint32_t block_take(uint32_t dev)
{
	static uint32_t hint;
	for (uint32_t tried = 0; free_count && fs_room(dev, FS_BLOCKS) && tried < pool_count;
	     tried++) {
		uint32_t b = hint;
		hint = (hint + 1) % pool_count;
		if (!block_used(b)) {
			block_mark(b, true);
			fs_count(dev, FS_BLOCKS, 1);
			memset(pool[b], 0, BLOCK_BYTES);
			return b + 1;
		}
	}
	return 0;
}

static uint32_t *map_of(uint32_t slot) { return (uint32_t *)pool[slot - 1]; }

// How many data blocks a map of height h covers.
static uint64_t reach(uint32_t height)
{
	uint64_t blocks = 1;
	while (height--)
		blocks *= MAP_SLOTS;
	return blocks;
}

// The slot that holds data block `index` of node, made with the maps above it when
// make is set (NULL: a hole, or *err -ENOSPC, -EFBIG).
static uint32_t *slot_of(struct node *node, uint64_t index, bool make, int *err)
{
	while (index >= reach(node->height)) {
		if (!make)
			return NULL;
		if (node->height == HEIGHT_MAX) {
			*err = -EFBIG;
			return NULL;
		}
		uint32_t root = node->map ? block_take(node->dev) : 0;
		if (node->map && !root) {
			*err = -ENOSPC;
			return NULL;
		}
		if (root)
			map_of(root)[0] = node->map;	// a fresh block: no undo needed
		keep_change(&node->map, sizeof(node->map) + sizeof(node->height));
		node->map = root;
		node->height++;
	}
	uint32_t *slot = &node->map;
	for (uint32_t level = node->height; level > 0; level--) {
		if (!*slot) {
			uint32_t map = make ? block_take(node->dev) : 0;
			if (!map) {
				*err = make ? -ENOSPC : 0;
				return NULL;
			}
			keep_change(slot, sizeof(*slot));
			*slot = map;
		}
		slot = &map_of(*slot)[index / reach(level - 1) % MAP_SLOTS];
	}
	return slot;
}

// The data block that holds index, made (zeroed) if make: its bytes, NULL for a hole
// (or *err).
static uint8_t *data_of(struct node *node, uint64_t index, bool make, int *err)
{
	uint32_t *slot = slot_of(node, index, make, err);
	if (slot && !*slot && make) {
		uint32_t b = block_take(node->dev);
		if (!b) {
			*err = -ENOSPC;
			return NULL;
		}
		keep_change(slot, sizeof(*slot));
		*slot = b;
	}
	return slot && *slot ? pool[*slot - 1] : NULL;
}

uint8_t *node_block(struct node *node, uint64_t index, bool make, int *err)
{
	return data_of(node, index, make, err);
}

// Frees every block under a map slot's block of height level. The slots below are left
// as they are: the blocks are free (what is free is derived from the maps that reach a
// block), and a roll-back that puts the slot above back finds them whole.
static void free_whole(uint32_t slot, uint32_t level, uint32_t dev)
{
	for (uint32_t i = 0; level > 0 && i < MAP_SLOTS; i++)
		if (map_of(slot)[i])
			free_whole(map_of(slot)[i], level - 1, dev);
	block_mark(slot - 1, false);
	fs_count(dev, FS_BLOCKS, -1);
}

// Frees the blocks under slot (a map of height `level`, or a data block at level 0)
// that hold data blocks from `first` on (relative to the slot); the slot itself when
// all of it goes. Only slots on the boundary are written (and logged): at most a map's
// worth a level, whatever the file's size.
static void free_from(uint32_t *slot, uint32_t level, uint64_t first, uint32_t dev)
{
	if (!*slot || first >= reach(level))
		return;
	if (first > 0) {
		uint64_t each = reach(level - 1);
		for (uint64_t i = first / each; i < MAP_SLOTS; i++)
			free_from(&map_of(*slot)[i], level - 1, i == first / each ? first % each : 0,
				  dev);
		return;
	}
	free_whole(*slot, level, dev);
	keep_change(slot, sizeof(*slot));
	*slot = 0;
}

// Makes the bytes of node from size on garbage-free: blocks past it freed, the rest of
// its last block zeroed (read as zeros once the file grows over them).
static void trim(struct node *node, uint64_t size)
{
	free_from(&node->map, node->height, (size + BLOCK_BYTES - 1) / BLOCK_BYTES, node->dev);
	int err = 0;
	uint8_t *last = size % BLOCK_BYTES ? data_of(node, size / BLOCK_BYTES, false, &err) : NULL;
	if (last) {
		keep_change(last + size % BLOCK_BYTES, BLOCK_BYTES - size % BLOCK_BYTES);
		memset(last + size % BLOCK_BYTES, 0, BLOCK_BYTES - size % BLOCK_BYTES);
	}
}

void file_free(struct node *node)
{
	free_from(&node->map, node->height, 0, node->dev);
	keep_change(&node->height, sizeof(node->height));
	node->height = 0;
}

// A node whose bytes are the boot archive's gets them in blocks of its own, before its
// first change: 0, or -ENOSPC (nothing changed), -EIO.
static int copy_up(struct node *node)
{
	if (!(node->flags & NODE_ARCHIVE))
		return 0;
	int err = 0;
	for (uint64_t at = 0; at < node->size && !err; at += BLOCK_BYTES) {
		uint8_t *block = data_of(node, at / BLOCK_BYTES, true, &err);
		size_t chunk = node->size - at < BLOCK_BYTES ? node->size - at : BLOCK_BYTES;
		if (block && archive_bytes(node->archive + at, block, chunk) != (long)chunk)
			err = -EIO;
	}
	if (err) {
		file_free(node);
		return err;
	}
	keep_change(&node->flags, sizeof(node->flags));
	node->flags &= ~(uint32_t)NODE_ARCHIVE;
	return 0;
}

int file_resize(struct node *node, uint64_t size)
{
	if (size == 0 && (node->flags & NODE_ARCHIVE)) {
		keep_change(&node->flags, sizeof(node->flags));
		node->flags &= ~(uint32_t)NODE_ARCHIVE;
	}
	int err = copy_up(node);
	if (err)
		return err;
	trim(node, size < node->size ? size : node->size);
	keep_change(&node->size, sizeof(node->size));
	node->size = size;
	node_touch(node, TIME_M | TIME_C);
	return 0;
}

// The bytes of node from at to the end of at's block, at most n (*chunk of them): in their
// block, zeros for a hole, or a copy of the archive's; NULL and *err (-EIO).
static const uint8_t *piece_at(const struct node *node, uint64_t at, uint64_t n, size_t *chunk,
			       int *err)
{
	static uint8_t staged[BLOCK_BYTES] __attribute__((aligned(16)));
	*chunk = block_piece(at, n);
	if (node->flags & NODE_ARCHIVE) {
		if (archive_bytes(node->archive + at, staged, *chunk) == (long)*chunk)
			return staged;
		*err = -EIO;
		return NULL;
	}
	const uint8_t *block = data_of((struct node *)node, at / BLOCK_BYTES, false, err);
	return block ? block + at % BLOCK_BYTES : zeros;
}

long file_bytes(const struct node *node, uint64_t offset, void *here, size_t n)
{
	n = offset < node->size ? min_u64(n, node->size - offset) : 0;
	size_t done = 0, chunk;
	for (; done < n; done += chunk) {
		int err = 0;
		const uint8_t *from = piece_at(node, offset + done, n - done, &chunk, &err);
		if (!from)
			return done ? (long)done : err;
		memcpy((char *)here + done, from, chunk);
	}
	return (long)done;
}

long file_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
	       uint64_t offset)
{
	n = offset < node->size ? min_u64(n, node->size - offset) : 0;
	uint64_t done = 0;
	size_t chunk;
	for (; done < n; done += chunk) {
		int err = 0;
		const uint8_t *from = piece_at(node, offset + done, n - done, &chunk, &err);
		if (from)
			err = (int)ipc_copy_to(caller, to + done, from, chunk);
		if (err)
			return done ? (long)done : err;
	}
	return (long)done;
}

long file_write(struct node *node, xinim_endpoint_t caller, uint64_t from, uint64_t n,
		uint64_t offset)
{
	int err = copy_up(node);
	if (err)
		return err;
	if (offset + n > node->size)
		trim(node, node->size);
	uint64_t done = 0;
	while (done < n) {
		uint64_t at = offset + done, chunk = block_piece(at, n - done);
		uint8_t *block = data_of(node, at / BLOCK_BYTES, true, &err);
		if (block)
			err = (int)ipc_copy_from(caller, block + at % BLOCK_BYTES, from + done, chunk);
		if (err)
			break;
		done += chunk;
	}
	if (offset + done > node->size) {
		keep_change(&node->size, sizeof(node->size));
		node->size = offset + done;
	}
	if (done)
		node_touch(node, TIME_M | TIME_C);
	return done ? (long)done : err;
}

int file_put(struct node *node, const void *here, size_t n)
{
	int err = 0;
	for (size_t at = 0; at < n && !err; at += BLOCK_BYTES) {
		uint8_t *block = data_of(node, at / BLOCK_BYTES, true, &err);
		if (block)
			memcpy(block, (const char *)here + at, block_piece(at, n - at));
	}
	if (err)
		return err;
	keep_change(&node->size, sizeof(node->size));
	node->size = n;
	return 0;
}

// How many blocks hold the map and bytes under slot (of height level).
static uint64_t count_under(uint32_t slot, uint32_t level)
{
	uint64_t count = slot != 0;
	for (uint32_t i = 0; slot && level > 0 && i < MAP_SLOTS; i++)
		count += count_under(map_of(slot)[i], level - 1);
	return count;
}

uint64_t file_blocks(const struct node *node) { return count_under(node->map, node->height); }

// Marks the blocks under slot (of height level) in use: false when one is out of the
// pool or in use twice.
static bool mark_map(uint32_t slot, uint32_t level)
{
	if (!slot)
		return true;
	if (slot > pool_count || block_used(slot - 1))
		return false;
	block_mark(slot - 1, true);
	for (uint32_t i = 0; level > 0 && i < MAP_SLOTS; i++)
		if (!mark_map(map_of(slot)[i], level - 1))
			return false;
	return true;
}

void blocks_fresh(struct tree *fresh, block_t *blocks, uint32_t count)
{
	tree = fresh;
	pool = blocks;
	pool_count = count;
	memset(used, 0, sizeof(used));
	free_count = count;
}

bool blocks_take(struct tree *kept, block_t *blocks, uint32_t count)
{
	blocks_fresh(kept, blocks, count);
	for (uint32_t n = 0; n < NODES_MAX; n++) {
		const struct node *node = &kept->nodes[n];
		if (node->mode && node->height > HEIGHT_MAX)
			return false;
		if (node->mode && !mark_map(node->map, node->height))
			return false;
	}
	return true;
}

const struct node_ops regular_ops = { .read = file_read, .write = file_write, .seekable = true };
const struct node_ops directory_ops = { .seekable = true };
