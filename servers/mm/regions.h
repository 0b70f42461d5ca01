#pragma once
// The regions of one address space: sorted, never overlapping, page-aligned ranges, each
// with its protection; neighbours with the same protection are one region. Pure: the
// hosted unit tests build it as it is.
#include <stdbool.h>
#include <stdint.h>

#define REGIONS_MAX 64

struct region {
	uint64_t start, end;	// [start, end)
	unsigned prot;		// PROT_READ | PROT_WRITE | PROT_EXEC, or 0 (PROT_NONE)
};

struct regions {
	unsigned count;
	struct region r[REGIONS_MAX];
};

// The region holding address, or NULL.
const struct region *regions_find(const struct regions *set, uint64_t address);

// Whether no region touches [start, end).
bool regions_free(const struct regions *set, uint64_t start, uint64_t end);

// Whether regions cover all of [start, end).
bool regions_cover(const struct regions *set, uint64_t start, uint64_t end);

// Adds [start, end) with prot. 0, -EEXIST (it overlaps a region), -ENOMEM (no slot left).
int regions_add(struct regions *set, uint64_t start, uint64_t end, unsigned prot);

// Takes [start, end) out of every region, splitting those it cuts. 0 or -ENOMEM (a split
// needs a slot and none is left); nothing changes on error.
int regions_remove(struct regions *set, uint64_t start, uint64_t end);

// Gives [start, end), which regions must cover, prot. 0, -ENOMEM (not covered, or no
// slot left for a split); nothing changes on error.
int regions_protect(struct regions *set, uint64_t start, uint64_t end, unsigned prot);

// The highest start of a free range of length bytes within [bottom, top), or 0 if none.
uint64_t regions_gap(const struct regions *set, uint64_t bottom, uint64_t top, uint64_t length);
