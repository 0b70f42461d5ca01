#pragma once
// Per (source, dest, type): how many, how many failed, call latencies and rate; and per
// CPU the records lost (docs/console.md, "Stats").
#include <stdio.h>
#include "decode.h"

struct stats;

struct stats *stats_new(void);
void stats_free(struct stats *stats);
void stats_add(struct stats *stats, const struct decoded *d);
void stats_lost(struct stats *stats, uint32_t cpu, uint64_t count);
void stats_cpus(struct stats *stats, uint32_t cpus);	// a boot's: each gets a lost count
void stats_print(struct stats *stats, FILE *out, const struct names *names);

// The p-th percentile (nearest rank) of n sorted samples; 0 if there are none.
uint64_t percentile(const uint64_t *sorted, size_t n, unsigned p);
