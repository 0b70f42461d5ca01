#pragma once
// The balanced tree (AVL) that orders one space's region records by start. Records are
// indices into a pool (regions.h), 0 the null index; a function that changes a tree
// returns its new root. Pure.
#include <stdint.h>
#include "regions.h"

// Whether record n's height, low, high and hole agree with its children's, and it is
// balanced.
bool tree_node_sound(const struct region_pool *pool, uint32_t n);

// Links record node, whose start no record of the tree has, into the tree at root.
uint32_t tree_insert(struct region_pool *pool, uint32_t root, uint32_t node);

// Unlinks the record that starts at start, which the tree holds.
uint32_t tree_delete(struct region_pool *pool, uint32_t root, uint64_t start);

// The record with the greatest start <= key (tree_floor) or least start >= key
// (tree_ceil); 0 if none.
uint32_t tree_floor(const struct region_pool *pool, uint32_t root, uint64_t key);
uint32_t tree_ceil(const struct region_pool *pool, uint32_t root, uint64_t key);
