// Grants (docs/net.md, Grants; MINIX 3's safecopies): a server, the granter, lets one
// other process, the grantee, copy a range of the memory of a caller parked in a call
// to the granter, for as long as that call stays parked (kernel/grant.h).
//
// A grant names the call by its wait (the calling thread's ipc_wait: compared, never
// followed unless found among the granter's callers) and by its message id, unique for
// the boot (trace_new_id). Once the call is answered or withdrawn it is no longer among
// the granter's callers, and the thread's next call has another id; the granter's
// instance is named too, so that a call kept for its next instance (endpoint.h,
// keeps_calls) is not granted by the dead one's grants. So nothing is done as a call
// ends: each use checks the call, and a dead grant's slot is taken again by its
// granter's PID (GRANT_MAKE reclaims them).
//
// Locking: grants_lock guards the table. It is taken alone, or under the granter's
// endpoint lock (never the other way round), and no lock is taken under it.
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/endpoint.h>
#include <kernel/grant.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/spinlock.h>

#define SLOT_BITS 8
#define GRANT_SLOTS (1u << SLOT_BITS)	// for the system; VFS parks a few dozen calls
#define GRANT_ACCESS (XINIM_GRANT_READ | XINIM_GRANT_WRITE)

struct grant {
	uint64_t handle;		// serial << SLOT_BITS | slot; 0: a free slot
	const struct ipc_wait *call;
	uint64_t call_id;		// the call's message_id
	xinim_endpoint_t granter, caller, grantee;
	unsigned access;		// enum xinim_grant_access
	uint64_t va, length;
};

static struct spinlock grants_lock;
static struct grant grants[GRANT_SLOTS];
static uint64_t serial;	// of the last grant made; a handle is never made twice

// Whether g's call is still parked on ep, its granter's endpoint, by the granter's
// instance. Under ep's lock.
static struct ipc_wait *parked(struct endpoint *ep, const struct grant *g)
{
	if (!endpoint_live(ep, g->granter))
		return NULL;
	struct ipc_wait *c = ep->callers;
	while (c && (c != g->call || c->message_id != g->call_id))
		c = c->next;
	return c;
}

// A slot for g, made by the granter whose endpoint ep is locked: a free one, else one
// of a grant of its PID that ended (the call answered or withdrawn, or the instance
// gone). -ENOSPC when g's call has XINIM_GRANTS_PER_CALL already, or no slot is left.
static long grant_add(struct endpoint *ep, struct grant *g)
{
	unsigned on_call = 0, pid = xinim_endpoint_pid(g->granter);
	struct grant *free_slot = NULL;
	spin_lock(&grants_lock);
	for (struct grant *s = grants; s < grants + GRANT_SLOTS; s++) {
		if (!s->handle) {
			free_slot = free_slot ? free_slot : s;
			continue;
		}
		bool mine = xinim_endpoint_pid(s->granter) == pid;
		if (mine && s->call == g->call && s->call_id == g->call_id && s->granter == g->granter)
			on_call++;
		else if (mine && !free_slot && !parked(ep, s))
			free_slot = s;	// ended: taken again
	}
	long result = -ENOSPC;
	if (free_slot && on_call < XINIM_GRANTS_PER_CALL) {
		unsigned slot = (unsigned)(free_slot - grants);
		g->handle = ++serial << SLOT_BITS | slot;
		*free_slot = *g;
		result = (long)g->handle;
	}
	spin_unlock(&grants_lock);
	return result;
}

long grant_kcall_make(struct trapframe *frame)
{
	struct proc *self = proc_current();
	xinim_endpoint_t caller = (xinim_endpoint_t)frame->x[0];
	uint64_t call_id = frame->x[1], va = frame->x[3], length = frame->x[4];
	xinim_endpoint_t grantee = (xinim_endpoint_t)frame->x[2];
	unsigned access = (unsigned)frame->x[5];
	if (frame->x[0] > UINT32_MAX || frame->x[2] > UINT32_MAX || frame->x[5] > GRANT_ACCESS ||
	    !access || !length || va >= USER_LIMIT || length > USER_LIMIT - va ||
	    grantee == XINIM_ENDPOINT_NONE || grantee == XINIM_ENDPOINT_KERNEL ||
	    xinim_endpoint_pid(grantee) >= XINIM_PROCS_MAX)
		return -EINVAL;
	struct endpoint *ep = own_endpoint(self);
	spin_lock(&ep->lock);
	struct ipc_wait *c = ep->callers;
	while (c && (c->thread->proc->endpoint != caller || c->msg.header.id != call_id))
		c = c->next;	// as a reply names the call it answers
	long result = -ESRCH;
	if (c) {
		struct grant g = { .call = c, .call_id = c->message_id, .granter = self->endpoint,
				   .caller = caller, .grantee = grantee, .access = access, .va = va,
				   .length = length };
		result = grant_add(ep, &g);
	}
	spin_unlock(&ep->lock);
	return result;
}

// The grant handle names, as it stands: 0, or -ESRCH (it ended, or never was).
static long grant_get(uint64_t handle, struct grant *out)
{
	const struct grant *s = &grants[handle % GRANT_SLOTS];
	spin_lock(&grants_lock);
	bool found = handle && s->handle == handle;
	if (found)
		*out = *s;
	spin_unlock(&grants_lock);
	return found ? 0 : -ESRCH;
}

// The copy's find (ipc_copy_caller), under the granter's endpoint lock: the call of the
// grant key, if the grant has not ended.
static long grant_find(struct endpoint *ep, const void *key, struct ipc_wait **out)
{
	const struct grant *g = key;
	spin_lock(&grants_lock);
	bool live = grants[g->handle % GRANT_SLOTS].handle == g->handle;
	spin_unlock(&grants_lock);
	*out = live ? parked(ep, g) : NULL;
	return *out ? 0 : -ESRCH;
}

long grant_kcall_copy(struct trapframe *frame)
{
	uint64_t offset = frame->x[1], here = frame->x[2], n = frame->x[3], access = frame->x[4];
	struct grant g;
	if (n > XINIM_COPY_MAX || (access != XINIM_GRANT_READ && access != XINIM_GRANT_WRITE))
		return -EINVAL;
	long err = grant_get(frame->x[0], &g);
	if (err)
		return err;
	if (g.grantee != proc_current()->endpoint || !(g.access & access))
		return -EPERM;
	if (offset > g.length || n > g.length - offset)
		return -EINVAL;
	struct caller_copy c = { .ep = &endpoints[xinim_endpoint_pid(g.granter)],
		.find = grant_find, .key = &g, .caller = g.caller, .there = g.va + offset,
		.here = here, .n = n, .to_caller = access == XINIM_GRANT_WRITE };
	return ipc_copy_caller(&c);
}

long grant_kcall_end(struct trapframe *frame)
{
	uint64_t handle = frame->x[0];
	struct grant *s = &grants[handle % GRANT_SLOTS];
	spin_lock(&grants_lock);
	bool ended = handle && s->handle == handle && s->granter == proc_current()->endpoint;
	if (ended)
		*s = (struct grant){ 0 };
	spin_unlock(&grants_lock);
	return ended ? 0 : -ESRCH;
}
