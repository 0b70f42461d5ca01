#pragma once
// The regions of the address spaces MM manages: per space, sorted, never overlapping,
// page-aligned ranges, each with its protection; neighbours with the same protection are
// one region. The records of every space come from one pool and are linked by index
// (region_tree.h), never by pointer, so that a restarted MM could check the pool and
// take it over. Every change first works out what it needs and fails, changing nothing,
// when the space or the pool has no room. Pure: the hosted unit tests build it as it is.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// The most regions one space may have: Linux's default vm.max_map_count.
#define REGIONS_MAX 65530
// The records of all spaces together, record 0 being the null index: room for two
// spaces at REGIONS_MAX, 7 MiB.
#define REGIONS_POOL (UINT32_C(1) << 17)

// With the protection bits in a region's prot: the clock page's region (vvar.c), which
// mprotect never makes writable or executable, as Linux's vvar (no VM_MAYWRITE).
#define REGION_VVAR 0x10

struct region {
	uint64_t start, end;	// [start, end)
	uint32_t prot;		// PROT_READ | PROT_WRITE | PROT_EXEC, or 0 (PROT_NONE); and
				// XINIM_PROT_SHARED for shared pages (mm.h's MM_SHARED)
	uint32_t left, right;	// the tree of its space; left links a free record to the next
	uint32_t height;	// of its subtree, 1 for a leaf
	// Of its subtree, so that a gap is found without a walk of every region: the first
	// start, the last end, and the widest hole between two of its regions.
	uint64_t low, high, hole;
};

struct region_pool {
	uint32_t used;		// records in some space
	uint32_t touched;	// records 1..touched were handed out at least once
	uint32_t free;		// the first record given back, or 0
	struct region r[REGIONS_POOL];
};

// Every change to a pool's records or counts goes through these, so that MM's kept
// state (docs/resurrection.md) logs what it changes before it changes it: each record
// once a request, however often the tree's rotations rewrite it (a process's end gives
// back all of its records in one request: the log holds each once).
struct region *region_write(struct region_pool *pool, uint32_t i);
void pool_counts_write(struct region_pool *pool);

// One space's regions; all zero is an empty set.
struct regions {
	uint32_t root;
	uint32_t count;
};

// The region holding address, or NULL.
const struct region *regions_find(const struct region_pool *pool, const struct regions *set,
				  uint64_t address);

// The first region that ends above address (holding it or after it), or NULL: in order,
// regions_next(.., 0), then regions_next(.., previous->end)...
const struct region *regions_next(const struct region_pool *pool, const struct regions *set,
				  uint64_t address);

// Whether no region touches [start, end).
bool regions_free(const struct region_pool *pool, const struct regions *set, uint64_t start,
		  uint64_t end);

// Whether regions cover all of [start, end).
bool regions_cover(const struct region_pool *pool, const struct regions *set, uint64_t start,
		   uint64_t end);

// Adds [start, end) with prot. 0, -EEXIST (it overlaps a region), -ENOMEM (no room).
int regions_add(struct region_pool *pool, struct regions *set, uint64_t start, uint64_t end,
		unsigned prot);

// Makes [start, end) one region with prot, whatever was there (mmap's MAP_FIXED).
// 0 or -ENOMEM (no room for the regions it splits).
int regions_set(struct region_pool *pool, struct regions *set, uint64_t start, uint64_t end,
		unsigned prot);

// Takes [start, end) out of every region, splitting those it cuts. 0 or -ENOMEM (a split
// needs a record and there is no room).
int regions_remove(struct region_pool *pool, struct regions *set, uint64_t start,
		   uint64_t end);

// Gives [start, end), which regions must cover, prot. 0, -ENOMEM (not covered, or no
// room for a split).
int regions_protect(struct region_pool *pool, struct regions *set, uint64_t start,
		    uint64_t end, unsigned prot);

// Gives every record of set back to the pool; set is then empty.
void regions_clear(struct region_pool *pool, struct regions *set);

// Whether set is sound in pool, as a restarted MM must know before it takes a set over:
// every record in range, the tree ordered and balanced, its regions page-aligned, not
// overlapping, merged, and count of them.
bool regions_check(const struct region_pool *pool, const struct regions *set);

// The highest start of a free range of length bytes within [bottom, top), or 0 if none.
uint64_t regions_gap(const struct region_pool *pool, const struct regions *set,
		     uint64_t bottom, uint64_t top, uint64_t length);
