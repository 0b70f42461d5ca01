// The spaces MM manages, one per PID, and the kernel calls that make the pages follow.
#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>
#include <xinim/ipc/kcall.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "mm.h"

static struct space spaces[XINIM_PROCS_MAX];
struct region_pool mm_regions;

struct space *space_of(xinim_endpoint_t who)
{
	unsigned pid = xinim_endpoint_pid(who);
	return who && pid < XINIM_PROCS_MAX && spaces[pid].owner == who ? &spaces[pid] : NULL;
}

struct space *space_claim(xinim_endpoint_t who)
{
	if (!who || who == XINIM_ENDPOINT_NONE || xinim_endpoint_pid(who) >= XINIM_PROCS_MAX)
		return NULL;
	struct space *s = &spaces[xinim_endpoint_pid(who)];
	regions_clear(&mm_regions, &s->regions);	// a process at that PID before, if any
	*s = (struct space){ .owner = who };
	return s;
}

void space_forget(xinim_endpoint_t who)
{
	struct space *s = space_of(who);
	if (s) {
		regions_clear(&mm_regions, &s->regions);
		*s = (struct space){ 0 };
	}
}

// Pages are mapped readable whenever they may be used at all: EL0 cannot be given
// write-only or execute-only pages.
static unsigned page_prot(unsigned prot) { return prot ? prot | PROT_READ : 0; }

int space_map(const struct space *s, uint64_t start, uint64_t end, unsigned prot)
{
	return (int)xinim_kcall4(KCALL_SPACE_MAP, s->owner, (long)start, (long)(end - start),
				 page_prot(prot));
}

int space_unmap(const struct space *s, uint64_t start, uint64_t end)
{
	return (int)xinim_kcall3(KCALL_SPACE_UNMAP, s->owner, (long)start, (long)(end - start));
}

int space_protect(const struct space *s, uint64_t start, uint64_t end, unsigned prot)
{
	return (int)xinim_kcall4(KCALL_SPACE_PROTECT, s->owner, (long)start, (long)(end - start),
				 page_prot(prot));
}

int space_remove(struct space *s, uint64_t start, uint64_t end)
{
	int err = regions_remove(&mm_regions, &s->regions, start, end);
	return err ? err : space_unmap(s, start, end);
}
