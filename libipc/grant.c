// Grants (docs/net.md, Grants; MINIX 3's safecopies): a server lets another copy the
// memory of a caller parked on it, and the other copies through the grant.
#include <libipc/ipc.h>
#include <libipc/transport.h>

long ipc_grant_make(xinim_endpoint_t caller, uint64_t call_id, xinim_endpoint_t grantee,
		    uint64_t va, uint64_t length, unsigned access)
{
	return transport_grant_make(caller, call_id, grantee, va, length, access);
}

long ipc_grant_copy(uint64_t grant, uint64_t offset, void *here, uint64_t n, unsigned access)
{
	return transport_grant_copy(grant, offset, here, n, access);
}

long ipc_grant_end(uint64_t grant) { return transport_grant_end(grant); }
