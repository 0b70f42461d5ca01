// Page faults, sent by the kernel as calls (XINIM_MM_FAULT): a page of a region that
// allows the access is mapped, zeroed (demand-zero), or, if it is there already, given
// the region's protection; a page shared copy-on-write (a fork) is copied by the kernel
// as it is made writable, one of a shared region (MM_SHARED) is mapped shared writable.
// Anything else is the program's fault, and the kernel ends it.
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "mm.h"

static bool allows(unsigned prot, unsigned access)
{
	switch (access) {
	case XINIM_MM_READ: return prot != 0;
	case XINIM_MM_WRITE: return prot & PROT_WRITE;
	case XINIM_MM_EXEC: return prot & PROT_EXEC;
	default: return false;
	}
}

long mm_fault(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_mm_fault fault;
	if (request->msg.header.source != XINIM_ENDPOINT_KERNEL)
		return -EPERM;	// only the kernel sees faults happen
	memcpy(&fault, request->msg.payload, sizeof(fault));
	const struct space *s = space_of(fault.who);
	const struct region *r = s ? regions_find(mm_pool, &s->regions, fault.address) : NULL;
	if (!r || !allows(r->prot & MM_PROT_ALL, fault.access))
		return -EFAULT;
	return space_fault(s, page_down(fault.address), r->prot);
}
