#pragma once
// What the message-passing files share, kernel-private (the interface is kernel/ipc.h):
// each PID's endpoint, and the helpers the hot path needs inlined across files.
// endpoint.c opens and closes endpoints; ipc.c moves calls, sends and replies; notify.c
// posts notifications; ipc_keys.c hands out channel keys; ipc_copy.c copies to and from
// blocked callers; grant.c lets another process copy them (grants).
//
// Locking rules (every file above)
// - Each PID has an endpoint whose lock guards the endpoint and the ipc_wait of every
//   thread waiting on it (its `on`): phase, result, msg, the senders and callers lists.
// - Lock order: an endpoint lock, then the channel lock (then the CSPRNG's), a
//   run-queue lock (sched_block, wakeups) or the grants' lock (grant.c, whose copies
//   run under the granter's endpoint lock). No code holds two endpoint locks.
//   sleep_lock is never taken under an endpoint lock.
// - Whoever completes a wait (phase IPC_DONE) wakes the waiter under the endpoint lock:
//   the waiter reads its phase only under that lock, so it cannot have gone away.
// - Ending a process (KCALL_PROC_END) sets its PROC_PENDING_END, then ipc_cancel takes
//   each endpoint lock in turn (never two) and withdraws and completes (-EINTR) a wait of
//   the process found in its lists; a waiter checks the flag under its endpoint lock once
//   it is in the lists (wait_done), so one of the two always sees the other. A withdrawn
//   call is no longer among its server's callers: reply and copy give -ESRCH.
// - A copy resolving a fault drops the server's endpoint lock and holds a proc_get
//   reference to the caller instead (ipc_copy.c); procs_lock is taken under no other.
// - An endpoint is unlocked by the function that locked it, or by wait_done (ipc.c),
//   which releases it as the waiter blocks, as sched_block does.
// - Which instance lives at an endpoint (proc, generation) changes only under its lock
//   (endpoint.c): an endpoint found without the lock (endpoint_for_send) is checked with
//   endpoint_live once locked, and stays that instance's until unlocked.
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>
#include <kernel/cap.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>

#define NOTE_SLOTS 8	// notifiers with bits pending at one receiver

struct endpoint {
	struct spinlock lock;
	unsigned generation;		// of the live instance, or of the last one
	struct proc *proc;		// NULL while no instance lives
	struct thread *receiver;	// blocked in receive
	struct ipc_wait *senders, *senders_tail;	// queued calls and sends, oldest first
	struct ipc_wait *callers;	// calls taken, awaiting a reply
	struct xinim_notification notes[NOTE_SLOTS];	// bits == 0: a free slot
	uint8_t notes_pending;		// bit i set: notes[i].bits != 0, so that a receive
					// finds none without scanning the slots
	bool note_served_last;		// the next receive prefers a sender
	bool keeps_calls;		// a supervised PID's: the calls the kernel makes for
					// threads outlive an instance (docs/resurrection.md)
};

_Static_assert(NOTE_SLOTS <= 8, "notes_pending holds a bit per slot");

extern struct endpoint endpoints[XINIM_PROCS_MAX];	// indexed by PID (endpoint.c)

static inline struct endpoint *own_endpoint(struct proc *proc) { return &endpoints[proc->pid]; }

// The endpoint proc may send to at dest, with the capability's badge: 0, -EINVAL or
// -EACCES. It is not locked: lock it, then check endpoint_live(*out, dest).
static inline long endpoint_for_send(struct proc *proc, xinim_endpoint_t dest, uint64_t *badge,
				     struct endpoint **out)
{
	unsigned pid = xinim_endpoint_pid(dest);
	if (pid >= XINIM_PROCS_MAX || dest == proc->endpoint)
		return -EINVAL;
	if (!cap_lookup_send(&proc->caps, pid, badge))
		return -EACCES;
	*out = &endpoints[pid];
	return 0;
}

// Whether the instance named by `instance` (its generation) lives at ep. Under ep's lock.
static inline bool endpoint_live(const struct endpoint *ep, xinim_endpoint_t instance)
{
	return ep->proc && ep->generation == xinim_endpoint_generation(instance);
}

// Completes w with result and wakes its thread; one that waits on this CPU runs next
// (the hand-off). Under w->on's lock.
static inline void complete(struct ipc_wait *w, long result)
{
	w->result = result;
	w->phase = IPC_DONE;
	if (w->thread != sched_current())
		sched_wakeup_next(w->thread);
}

// Moves the pending notification in the lowest slot to r. Under ep's lock.
static inline bool take_note(struct endpoint *ep, struct ipc_wait *r)
{
	if (!ep->notes_pending)
		return false;
	unsigned i = (unsigned)__builtin_ctz(ep->notes_pending);
	ep->notes_pending &= (uint8_t)~(1u << i);
	r->note = ep->notes[i];
	ep->notes[i] = (struct xinim_notification){ 0 };
	r->notification = true;
	r->from_kernel = false;
	r->is_call = false;
	r->badge = 0;
	complete(r, 0);
	return true;
}

// A copy between the running process's memory (here) and that of a process with a
// thread blocked in a call to the server at ep (there), found by find under ep's lock
// (0 and *out, else the error): KCALL_COPY_* (ipc_copy.c) and grants (grant.c).
struct caller_copy {
	struct endpoint *ep;
	long (*find)(struct endpoint *ep, const void *key, struct ipc_wait **out);
	const void *key;
	xinim_endpoint_t caller;	// the process whose memory it is: MM resolves its faults
	uint64_t there, here;
	size_t n;			// at most XINIM_COPY_MAX (else -EINVAL)
	bool to_caller;
};

// Copies as c says; a fault in the caller's memory is resolved by MM (with ep's lock
// dropped), then find is asked again and the copy goes on. 0, -EINVAL, -EFAULT, or
// find's error.
long ipc_copy_caller(const struct caller_copy *c);

// The trace's verdict for a failed call, send, reply or notify.
static inline enum xinim_trace_verdict verdict_of(long err)
{
	switch (err) {
	case -EFAULT: return XINIM_TRACE_FAULT;
	case -EACCES: return XINIM_TRACE_DENIED;
	case -ESRCH: return XINIM_TRACE_DEAD;
	case -EAGAIN: return XINIM_TRACE_FULL;
	default: return XINIM_TRACE_INVALID;
	}
}
