// Region sets (regions.h). Every change builds the new set aside and copies it back, so
// that a change that cannot be made leaves the set as it was.
#include <errno.h>
#include <stddef.h>
#include "regions.h"

const struct region *regions_find(const struct regions *set, uint64_t address)
{
	for (unsigned i = 0; i < set->count; i++)
		if (address >= set->r[i].start && address < set->r[i].end)
			return &set->r[i];
	return NULL;
}

bool regions_free(const struct regions *set, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < set->count; i++)
		if (set->r[i].start < end && start < set->r[i].end)
			return false;
	return true;
}

bool regions_cover(const struct regions *set, uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < set->count && start < end; i++)
		if (set->r[i].start <= start && start < set->r[i].end)
			start = set->r[i].end;
	return start >= end;
}

// Appends [start, end) with prot to out, merged into the last region when they meet
// with the same protection. false when out is full.
static bool append(struct regions *out, uint64_t start, uint64_t end, unsigned prot)
{
	struct region *last = out->count ? &out->r[out->count - 1] : NULL;
	if (start >= end)
		return true;
	if (last && last->end == start && last->prot == prot) {
		last->end = end;
		return true;
	}
	if (out->count == REGIONS_MAX)
		return false;
	out->r[out->count++] = (struct region){ start, end, prot };
	return true;
}

// Rebuilds set with [start, end) given prot (reprotect) or taken out (!reprotect).
static int rebuild(struct regions *set, uint64_t start, uint64_t end, bool reprotect,
		   unsigned prot)
{
	struct regions out = { 0 };
	bool fits = true;
	for (unsigned i = 0; i < set->count && fits; i++) {
		const struct region *r = &set->r[i];
		uint64_t cut_start = r->start > start ? r->start : start;
		uint64_t cut_end = r->end < end ? r->end : end;
		if (cut_start >= cut_end) {
			fits = append(&out, r->start, r->end, r->prot);
			continue;
		}
		fits = append(&out, r->start, cut_start, r->prot) &&
		       (!reprotect || append(&out, cut_start, cut_end, prot)) &&
		       append(&out, cut_end, r->end, r->prot);
	}
	if (!fits)
		return -ENOMEM;
	*set = out;
	return 0;
}

int regions_remove(struct regions *set, uint64_t start, uint64_t end)
{
	return rebuild(set, start, end, false, 0);
}

int regions_protect(struct regions *set, uint64_t start, uint64_t end, unsigned prot)
{
	return regions_cover(set, start, end) ? rebuild(set, start, end, true, prot) : -ENOMEM;
}

int regions_add(struct regions *set, uint64_t start, uint64_t end, unsigned prot)
{
	if (!regions_free(set, start, end))
		return -EEXIST;
	struct regions out = { 0 };
	bool fits = true, added = false;
	for (unsigned i = 0; i <= set->count && fits; i++) {
		if (!added && (i == set->count || set->r[i].start >= end)) {
			fits = append(&out, start, end, prot);
			added = true;
		}
		if (i < set->count && fits)
			fits = append(&out, set->r[i].start, set->r[i].end, set->r[i].prot);
	}
	if (!fits)
		return -ENOMEM;
	*set = out;
	return 0;
}

uint64_t regions_gap(const struct regions *set, uint64_t bottom, uint64_t top, uint64_t length)
{
	if (length == 0 || top < bottom || top - bottom < length)
		return 0;
	// Walk the regions from the highest down; each gap above a region is a candidate.
	uint64_t ceiling = top;
	for (unsigned i = set->count; i-- > 0;) {
		const struct region *r = &set->r[i];
		if (r->start >= ceiling)
			continue;
		uint64_t floor = r->end > bottom ? r->end : bottom;
		if (ceiling >= floor && ceiling - floor >= length)
			return ceiling - length;
		ceiling = r->start;
		if (ceiling <= bottom)
			return 0;
	}
	return ceiling >= bottom && ceiling - bottom >= length ? ceiling - length : 0;
}
