// The hosted backend's grants (KCALL_GRANT_MAKE, _COPY, _END; libipc/transport.h), with the
// kernel's checks on the grant itself: only the grantee copies, only with an access the
// grant has, only within its range, and not after its end. The hosted kernel keeps no
// parked system calls of its own, so a grant is not tied to the call it names: it lasts
// until the granter ends it (or host_ipc_reset). On the host, callers share our memory.
// Lock: host_lock (kernel.h).
#include <errno.h>
#include <libipc/transport.h>
#include "kernel.h"

#define HOST_GRANTS 64

static struct host_grant {
	xinim_endpoint_t granter, grantee, caller;
	uint64_t va, length;
	unsigned access;
	bool live;
} grants[HOST_GRANTS];

static uint64_t id_of(unsigned slot) { return slot + 1; }

static struct host_grant *grant_of(uint64_t id)
{
	return id >= 1 && id <= HOST_GRANTS && grants[id - 1].live ? &grants[id - 1] : NULL;
}

long transport_grant_make(xinim_endpoint_t caller, uint64_t call_id, xinim_endpoint_t grantee,
			  uint64_t va, uint64_t length, unsigned access)
{
	(void)call_id;
	if (!access || (access & ~(unsigned)(XINIM_GRANT_READ | XINIM_GRANT_WRITE)) ||
	    va + length < va)
		return -EINVAL;
	host_enter();
	long result = -ENOSPC;
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		result = -EPERM;
	for (unsigned i = 0; result == -ENOSPC && i < HOST_GRANTS; i++)
		if (!grants[i].live) {
			grants[i] = (struct host_grant){ self, grantee, caller, va, length, access,
							 true };
			result = (long)id_of(i);
		}
	host_leave();
	return result;
}

long transport_grant_copy(uint64_t grant, uint64_t offset, void *here, uint64_t n,
			  unsigned access)
{
	host_enter();
	const struct host_grant *g = grant_of(grant);
	bool allowed = g && g->grantee == host_self() && access && !(access & ~g->access);
	bool within = g && n <= XINIM_COPY_MAX && offset <= g->length && n <= g->length - offset;
	long err = !g ? -ESRCH : !allowed ? -EPERM : !within ? -EINVAL : 0;
	if (!err)
		err = host_copy_pages(access == XINIM_GRANT_WRITE, g->va + offset, here, n);
	host_leave();
	return err;
}

long transport_grant_end(uint64_t grant)
{
	host_enter();
	struct host_grant *g = grant_of(grant);
	long err = !g ? -ESRCH : g->granter != host_self() ? -EPERM : 0;
	if (!err)
		g->live = false;
	host_leave();
	return err;
}

void host_grants_reset(void)
{
	for (unsigned i = 0; i < HOST_GRANTS; i++)
		grants[i].live = false;
}
