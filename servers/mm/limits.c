// RLIMIT_AS and RLIMIT_DATA (setrlimit(2)), as PM tells them at each change; a child's
// space inherits its parent's, and execve keeps them. As Linux's may_expand_vm: brk and
// mmap fail with -ENOMEM when the space's regions (RLIMIT_AS), or its private writable
// ones but the stack (RLIMIT_DATA: the heap, data and writable mappings), would exceed
// the limit. A MAP_FIXED mapping is counted whole, even over regions it replaces.
#include <string.h>
#include "mm.h"

long mm_limits(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_mm_limits told;
	memcpy(&told, request->msg.payload, sizeof(told));
	if (xinim_endpoint_pid(request->msg.header.source) != XINIM_PID_PM)
		return -EPERM;
	struct space *s = space_of(told.who);
	if (!s)
		return -ESRCH;
	keep_change(&s->as_limit, sizeof(s->as_limit));
	keep_change(&s->data_limit, sizeof(s->data_limit));
	s->as_limit = told.as;
	s->data_limit = told.data;
	return 0;
}

// Whether a region with prot counts as data: writable, and not the stack (which lies
// above where mmap places anything).
static bool is_data(uint64_t end, unsigned prot)
{
	return (prot & PROT_WRITE) && end <= MMAP_TOP;
}

int limits_grow(const struct space *s, uint64_t length, unsigned prot)
{
	if (s->as_limit == UINT64_MAX && s->data_limit == UINT64_MAX)
		return 0;
	uint64_t all = length, data = (prot & PROT_WRITE) ? length : 0;
	for (const struct region *r = regions_next(mm_pool, &s->regions, 0); r;
	     r = regions_next(mm_pool, &s->regions, r->end)) {
		all += r->end - r->start;
		data += is_data(r->end, r->prot) ? r->end - r->start : 0;
	}
	return all > s->as_limit || data > s->data_limit ? -ENOMEM : 0;
}
