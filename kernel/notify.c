// Notifications: bits ORed into the receiver's slot for the notifier, never blocking; a
// receiver takes them with take_note (endpoint.h). kernel/ipc.h, docs/architecture.md
// (The primitives).
//
// Locking (the rules common to IPC are in kernel/endpoint.h)
// - The bits are posted under the receiver's endpoint lock, taken and released in
//   ipc_kcall_notify, after checking under it that the instance named still lives; a
//   receiver waiting there is completed under the same lock.
#include <errno.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/endpoint.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

// The slot of from's pending bits at ep, or a free one; NULL when all are taken.
static struct xinim_notification *note_slot(struct endpoint *ep, xinim_endpoint_t from)
{
	struct xinim_notification *free_slot = NULL;
	for (unsigned i = 0; i < NOTE_SLOTS; i++) {
		if (ep->notes[i].bits && ep->notes[i].from == from)
			return &ep->notes[i];
		if (!ep->notes[i].bits && !free_slot)
			free_slot = &ep->notes[i];
	}
	return free_slot;
}

// ORs bits into the slot of h's source at ep, the instance h names, and traces it; a
// receiver waiting there takes them. 0, or -ESRCH or -EAGAIN (all slots taken), not
// traced. Under ep's lock.
static long post_note(struct endpoint *ep, const struct xinim_msg_header *h, uint64_t bits)
{
	if (!endpoint_live(ep, h->dest))
		return -ESRCH;
	struct xinim_notification *slot = note_slot(ep, h->source);
	if (!slot)
		return -EAGAIN;
	if (!slot->bits) {
		slot->from = h->source;
		ep->notes_pending |= (uint8_t)(1u << (slot - ep->notes));
	}
	slot->bits |= bits;
	trace_event_value(XINIM_TRACE_NOTIFY, XINIM_TRACE_OK, h, 0, (int64_t)bits);
	struct thread *receiver = ep->receiver;
	if (receiver) {
		ep->receiver = NULL;
		take_note(ep, &receiver->ipc);
	}
	return 0;
}

long ipc_kcall_notify(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	struct xinim_msg_header h = { .source = proc->endpoint, .dest = (xinim_endpoint_t)frame->x[0],
				      .type = XINIM_MSG_NOTIFY };
	uint64_t bits = frame->x[1], badge;
	struct endpoint *ep = NULL;
	long err = bits ? endpoint_for_send(proc, h.dest, &badge, &ep) : -EINVAL;
	if (!err) {
		spin_lock(&ep->lock);
		err = post_note(ep, &h, bits);
		spin_unlock(&ep->lock);
	}
	if (err)
		trace_event(XINIM_TRACE_NOTIFY, verdict_of(err), &h, 0);
	return err;
}

long ipc_kernel_notify(unsigned pid, uint64_t bits)
{
	struct endpoint *ep = &endpoints[pid];
	long err = -ESRCH;
	spin_lock(&ep->lock);
	if (ep->proc) {
		struct xinim_msg_header h = { .source = XINIM_ENDPOINT_KERNEL,
					      .dest = ep->proc->endpoint, .type = XINIM_MSG_NOTIFY };
		err = post_note(ep, &h, bits);
	}
	spin_unlock(&ep->lock);
	return err;
}
