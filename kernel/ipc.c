// Message passing (kernel/ipc.h, ARCHITECTURE.md 5).
//
// Locking rules
// - Each PID has an endpoint whose lock guards the endpoint and the ipc_wait of every
//   thread waiting on it (its `on`): phase, result, msg, the senders and callers lists.
// - Lock order: an endpoint lock, then the channel lock (then the CSPRNG's) or a
//   run-queue lock (sched_block, wakeups). No code holds two endpoint locks.
//   sleep_lock is never taken under an endpoint lock.
// - Whoever completes a wait (phase IPC_DONE) wakes the waiter under the endpoint lock:
//   the waiter reads its phase only under that lock, so it cannot have gone away.
// Every call first checks and copies all it was given, then acts (validate, then act).
// A message moves in one copy, from the sender's buffer to the one the receiver waits
// with (a caller's for its reply), when both are aligned and in one page each; otherwise,
// and when no one waits yet, through the kernel (the sender's and receiver's ipc_wait).
#include <errno.h>
#include <string.h>
#include <sodium/utils.h>
#include <xinim/codec.h>
#include <xinim/ipc/mm.h>
#include <kernel/arch/aarch64/fpsimd.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/cap.h>
#include <kernel/channel.h>
#include <kernel/fault.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/sleep.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

#define NOTE_SLOTS 8	// notifiers with bits pending at one receiver

struct endpoint {
	struct spinlock lock;
	unsigned generation;		// of the live instance, or of the last one
	struct proc *proc;		// NULL while no instance lives
	struct thread *receiver;	// blocked in receive
	struct ipc_wait *senders, *senders_tail;	// queued calls and sends, oldest first
	struct ipc_wait *callers;	// calls taken, awaiting a reply
	struct xinim_notification notes[NOTE_SLOTS];	// bits == 0: a free slot
	bool note_served_last;		// the next receive prefers a sender
};

static struct endpoint endpoints[MAX_PROCS];

static struct endpoint *own_endpoint(struct proc *proc) { return &endpoints[proc->pid]; }

xinim_endpoint_t ipc_endpoint_open(struct proc *proc)
{
	struct endpoint *ep = own_endpoint(proc);
	spin_lock(&ep->lock);
	ep->generation = ep->generation % XINIM_PID_MASK + 1;	// 1 .. 65535
	ep->proc = proc;
	spin_unlock(&ep->lock);
	return xinim_endpoint(proc->pid, ep->generation);
}

// Completes w with result and wakes its thread; one that waits on this CPU runs next
// (the hand-off). Under w->on's lock.
static void complete(struct ipc_wait *w, long result)
{
	w->result = result;
	w->phase = IPC_DONE;
	if (w->thread != sched_current())
		sched_wakeup_next(w->thread);
}

void ipc_endpoint_close(struct proc *proc)
{
	struct endpoint *ep = own_endpoint(proc);
	spin_lock(&ep->lock);
	ep->proc = NULL;
	ep->receiver = NULL;
	for (struct ipc_wait *w = ep->senders; w; w = w->next)
		complete(w, -EIO);
	for (struct ipc_wait *w = ep->callers; w; w = w->next)
		complete(w, -EIO);
	ep->senders = ep->senders_tail = ep->callers = NULL;
	memset(ep->notes, 0, sizeof(ep->notes));
	channel_forget(proc->endpoint);
	spin_unlock(&ep->lock);
}

static void unlink(struct ipc_wait **list, struct ipc_wait *w, struct ipc_wait **tail)
{
	struct ipc_wait *prev = NULL;
	for (struct ipc_wait *at = *list; at && at != w; at = at->next)
		prev = at;
	*(prev ? &prev->next : list) = w->next;
	if (tail && *tail == w)
		*tail = prev;
}

// Takes w out of whatever it waits in, after its deadline passed.
static void withdraw(struct endpoint *ep, struct ipc_wait *w)
{
	if (w->phase == IPC_SENDING)
		unlink(&ep->senders, w, &ep->senders_tail);
	else if (w->phase == IPC_AWAITING_REPLY)
		unlink(&ep->callers, w, NULL);
	else if (w->phase == IPC_RECEIVING)
		ep->receiver = NULL;
}

// Blocks until w is completed or the deadline (CNTVCT) passes, which is traced as the
// end of event. Entered with ep->lock held; returns with it released, and w's result.
static long wait_done(struct ipc_wait *w, struct endpoint *ep, uint64_t deadline,
		      enum xinim_trace_event event)
{
	struct sleeper timer;
	bool armed = false;
	while (w->phase != IPC_DONE) {
		if (counter_now() >= deadline) {
			withdraw(ep, w);
			trace_event(event, XINIM_TRACE_TIMEOUT, &w->msg.header, w->message_id);
			complete(w, -ETIMEDOUT);
			break;
		}
		if (!armed && deadline != UINT64_MAX) {
			sched_block_prepare();	// then the timer cannot fire before the thread blocks
			spin_unlock(&ep->lock);
			sleep_arm(&timer, deadline);
			armed = true;
			sched_block_commit();
		} else {
			sched_block(&ep->lock);
		}
		spin_lock(&ep->lock);
	}
	long result = w->result;
	w->phase = IPC_IDLE;
	spin_unlock(&ep->lock);
	if (armed)
		sleep_cancel(&timer);
	return result;
}

// What the kernel checks of a header: 0 or -EINVAL.
static long header_check(const struct xinim_msg_header *h)
{
	return h->length > XINIM_PAYLOAD_MAX || (h->flags & ~XINIM_MSG_FLAGS) ? -EINVAL : 0;
}

// Unrolled in place: for a message a call to memcpy costs as much again as the copy.
static inline void copy_words(void *restrict to, const void *restrict from, size_t bytes)
{
	uint64_t *t = to;
	const uint64_t *f = from;
	for (size_t i = 0; i < bytes / sizeof(uint64_t); i++)
		t[i] = f[i];
}

static void copy_message(struct xinim_msg *to, const struct xinim_msg *from)
{
	copy_words(to, from, sizeof(*to));
}

// The kernel address of the running program's message buffer at user when it is aligned
// and in one page (the one-copy path); else NULL. It stays valid while the program lives,
// as its space never loses a page (uvm.h), also while it is blocked.
static struct xinim_msg *message_buffer(uint64_t user, bool writable)
{
	if (user % sizeof(uint64_t) || proc_current()->managed)
		return NULL;	// MM may unmap a managed process's pages (uvm.h)
	return user_buffer(user, sizeof(struct xinim_msg), writable);
}

// A message the running program gives, at user; `at` is its kernel address (one page,
// accessible as needed), or NULL and it is copied piece by piece.
struct given {
	uint64_t user;
	struct xinim_msg *at;
	bool writable;	// must also be writable (a call's buffer, where the reply goes)
};

static struct given given(uint64_t user, bool writable)
{
	return (struct given){ user, message_buffer(user, writable), writable };
}

// Copies n bytes at offset in m to kernel memory: 0 or -EFAULT.
static long given_read(const struct given *m, size_t offset, void *to, size_t n)
{
	if (m->at) {
		copy_words(to, (const char *)m->at + offset, n);
		return 0;
	}
	int err = m->writable ? copy_from_user_writable(to, m->user + offset, n)
			      : copy_from_user(to, m->user + offset, n);
	return err ? -EFAULT : 0;
}

// The checked header of m in h: 0, -EFAULT or -EINVAL.
static long given_header(const struct given *m, struct xinim_msg_header *h)
{
	long err = given_read(m, 0, h, sizeof(*h));
	return err ? err : header_check(h);
}

// The rest of m after the header, to msg: 0 or -EFAULT.
static long given_body(const struct given *m, struct xinim_msg *msg)
{
	return given_read(m, sizeof(msg->header), msg->payload, sizeof(*msg) - sizeof(msg->header));
}

// Moves m to the buffer waiter w waits with, in one copy, with header h (checked and
// stamped by the kernel). False when either buffer cannot take the one-copy path: then
// nothing moved and the caller copies through the kernel. Under the lock of w's endpoint.
static bool move_direct(struct ipc_wait *w, const struct xinim_msg_header *h,
			const struct given *m)
{
	if (!m->at || !w->buffer)
		return false;
	w->buffer->header = *h;
	copy_words(w->buffer->payload, m->at->payload, sizeof(*m->at) - sizeof(*h));
	w->delivered = true;
	return true;
}

// The message of sender s goes to receiver r (both under ep's lock), unless it is there.
static void hand_over(struct endpoint *ep, struct ipc_wait *s, struct ipc_wait *r)
{
	if (!r->delivered)
		copy_message(&r->msg, &s->msg);
	r->is_call = s->is_call;
	r->notification = false;
	r->from_kernel = s->from_kernel;
	r->badge = s->badge;
	r->message_id = s->message_id;
	trace_event(XINIM_TRACE_RECEIVE, XINIM_TRACE_OK, &s->msg.header, s->message_id);
	if (s->is_call) {
		s->phase = IPC_AWAITING_REPLY;
		s->next = ep->callers;
		ep->callers = s;
	} else {
		complete(s, 0);
	}
	complete(r, 0);
}

static enum xinim_trace_verdict verdict_of(long err)
{
	switch (err) {
	case -EFAULT: return XINIM_TRACE_FAULT;
	case -EACCES: return XINIM_TRACE_DENIED;
	case -ESRCH: return XINIM_TRACE_DEAD;
	case -EAGAIN: return XINIM_TRACE_FULL;
	default: return XINIM_TRACE_INVALID;
	}
}

// The endpoint that proc may send to at dest, locked, with the capability's badge;
// or an error (traced by the caller).
static long destination(struct proc *proc, xinim_endpoint_t dest, uint64_t *badge,
			struct endpoint **out)
{
	unsigned pid = xinim_endpoint_pid(dest);
	if (pid >= MAX_PROCS || dest == proc->endpoint)
		return -EINVAL;
	if (!cap_lookup_send(&proc->caps, pid, badge))
		return -EACCES;
	struct endpoint *ep = &endpoints[pid];
	spin_lock(&ep->lock);
	if (!ep->proc || ep->generation != xinim_endpoint_generation(dest)) {
		spin_unlock(&ep->lock);
		return -ESRCH;
	}
	*out = ep;
	return 0;
}

// The running thread's sender w (msg, badge, is_call, from_kernel and message_id set)
// goes to ep's waiting receiver, or to the end of the queue; a reply must name caller
// and goes to buffer (NULL: through w->msg). Under ep's lock.
static void post(struct endpoint *ep, struct ipc_wait *w, xinim_endpoint_t caller,
		 struct xinim_msg *buffer)
{
	w->caller = caller;
	w->buffer = buffer;
	w->delivered = false;
	w->on = ep;
	w->thread = sched_current();
	w->phase = IPC_SENDING;
	w->next = NULL;
	struct thread *receiver = ep->receiver;
	if (receiver) {
		ep->receiver = NULL;
		hand_over(ep, w, &receiver->ipc);
	} else {
		*(ep->senders_tail ? &ep->senders_tail->next : &ep->senders) = w;
		ep->senders_tail = w;
	}
}

static long deliver(struct trapframe *frame, bool is_call)
{
	struct thread *self = sched_current();
	struct proc *proc = self->proc;
	struct ipc_wait *w = &self->ipc;
	enum xinim_trace_event event = is_call ? XINIM_TRACE_CALL : XINIM_TRACE_SEND;
	uint64_t user = frame->x[0], deadline = sleep_deadline(frame->x[1]);
	struct xinim_msg_header *h = &w->msg.header;
	struct endpoint *ep = NULL;
	struct given m = given(user, is_call);	// the reply goes there too
	long err = given_header(&m, h);
	if (!err && is_call && frame->x[1] == 0)
		err = -EINVAL;	// a call that may not wait could never see its reply
	h->source = proc->endpoint;
	if (!err)
		err = destination(proc, h->dest, &w->badge, &ep);
	struct thread *receiver = err ? NULL : ep->receiver;
	if (!err && !(receiver && move_direct(&receiver->ipc, h, &m))) {
		err = given_body(&m, &w->msg);
		if (err)
			spin_unlock(&ep->lock);
	}
	if (err) {
		trace_event(event, verdict_of(err), h, 0);
		return err;
	}
	w->from_kernel = false;
	w->is_call = is_call;
	w->message_id = trace_new_id();
	trace_event(event, XINIM_TRACE_OK, h, w->message_id);
	post(ep, w, proc->endpoint, is_call ? m.at : NULL);
	long result = wait_done(w, ep, deadline, event);
	if (result == 0 && is_call && !w->delivered && copy_to_user(user, &w->msg, sizeof(w->msg)))
		result = -EFAULT;
	return result;
}

long ipc_kernel_call(unsigned pid, int32_t type, const void *payload, uint16_t length,
		     struct xinim_msg *reply)
{
	struct thread *self = sched_current();
	struct proc *proc = self->proc;
	struct ipc_wait *w = &self->ipc;
	if (pid == proc->pid)
		return -EDEADLK;	// it would wait for itself
	struct endpoint *ep = &endpoints[pid];
	spin_lock(&ep->lock);
	if (!ep->proc) {
		spin_unlock(&ep->lock);
		return -ESRCH;
	}
	w->message_id = trace_new_id();	// unique, so that it also tells the replies apart
	w->msg = (struct xinim_msg){ .header = {
		.source = XINIM_ENDPOINT_KERNEL, .dest = ep->proc->endpoint, .type = type,
		.length = length, .id = w->message_id } };
	memcpy(w->msg.payload, payload, length);
	w->from_kernel = true;
	w->is_call = true;
	w->badge = 0;
	struct xinim_msg_header traced = w->msg.header;
	traced.source = proc->endpoint;	// the trace names whom the kernel calls for
	trace_event(XINIM_TRACE_CALL, XINIM_TRACE_OK, &traced, w->message_id);
	post(ep, w, XINIM_ENDPOINT_KERNEL, NULL);
	long result = wait_done(w, ep, UINT64_MAX, XINIM_TRACE_CALL);
	if (result == 0)
		copy_message(reply, &w->msg);
	return result;
}

long ipc_kcall_call(struct trapframe *frame) { return deliver(frame, true); }

long ipc_kcall_send(struct trapframe *frame) { return deliver(frame, false); }

// Moves the oldest pending notification to r. Under ep's lock.
static bool take_note(struct endpoint *ep, struct ipc_wait *r)
{
	for (unsigned i = 0; i < NOTE_SLOTS; i++) {
		if (ep->notes[i].bits) {
			r->note = ep->notes[i];
			ep->notes[i] = (struct xinim_notification){ 0 };
			r->notification = true;
			r->from_kernel = false;
			r->is_call = false;
			r->badge = 0;
			complete(r, 0);
			return true;
		}
	}
	return false;
}

// Moves the oldest queued message to r. Under ep's lock.
static bool take_sender(struct endpoint *ep, struct ipc_wait *r)
{
	struct ipc_wait *s = ep->senders;
	if (!s)
		return false;
	ep->senders = s->next;
	if (!ep->senders)
		ep->senders_tail = NULL;
	hand_over(ep, s, r);
	return true;
}

// Messages from the kernel (notifications, and the calls it makes for threads) are
// sealed on its channel to the receiver by the receiving thread as it takes them, so
// that the channel's counter follows the order in which they arrive.
static void seal_from_kernel(struct proc *proc, struct ipc_wait *w)
{
	if (w->notification) {
		w->msg = (struct xinim_msg){ .header = {
			.source = XINIM_ENDPOINT_KERNEL, .dest = proc->endpoint,
			.type = XINIM_MSG_NOTIFY, .length = sizeof(w->note) } };
		memcpy(w->msg.payload, &w->note, sizeof(w->note));
	}
	fpsimd_kernel_begin();
	codec_seal(&proc->kernel_tx, &w->msg);
	fpsimd_kernel_end();
}

// The receive buffer at user: 0 and its kernel address (one-copy path) or NULL in *at;
// -EFAULT when EL0 may not write it.
static long receive_buffer(uint64_t user, struct xinim_msg **at)
{
	*at = message_buffer(user, true);
	return *at || user_writable(user, sizeof(**at)) ? 0 : -EFAULT;
}

// Receives into user (checked by receive_buffer, which gave at): a notification or the
// oldest sender (taking turns), else waits.
static long receive(struct trapframe *frame, uint64_t user, struct xinim_msg *at,
		    uint64_t timeout_us)
{
	struct thread *self = sched_current();
	struct proc *proc = self->proc;
	struct ipc_wait *w = &self->ipc;
	uint64_t deadline = sleep_deadline(timeout_us);
	struct endpoint *ep = own_endpoint(proc);
	spin_lock(&ep->lock);
	w->on = ep;
	w->thread = self;
	w->buffer = at;
	w->delivered = false;
	w->msg.header = (struct xinim_msg_header){ .dest = proc->endpoint };	// for a timeout's
	w->message_id = 0;							// trace record
	// Notifications and senders take turns, so that neither can starve the other.
	bool taken = ep->note_served_last ? take_sender(ep, w) || take_note(ep, w)
					  : take_note(ep, w) || take_sender(ep, w);
	if (taken) {
		ep->note_served_last = w->notification;
	} else {
		w->phase = IPC_RECEIVING;
		ep->receiver = self;
	}
	long result = wait_done(w, ep, deadline, XINIM_TRACE_RECEIVE);
	if (result < 0)
		return result;
	if (w->notification || w->from_kernel)
		seal_from_kernel(proc, w);
	if (!w->delivered && copy_to_user(user, &w->msg, sizeof(w->msg)))
		return -EFAULT;
	frame->x[1] = w->badge;
	return w->is_call ? XINIM_RECEIVED_CALL : 0;
}

long ipc_kcall_receive(struct trapframe *frame)
{
	struct xinim_msg *at;
	long err = receive_buffer(frame->x[0], &at);
	return err ? err : receive(frame, frame->x[0], at, frame->x[1]);
}

// A reply to a call the kernel made is opened as it is given (by the server's one
// thread, so in the order it was sealed): 0, or -EBADMSG (refused and traced).
static long open_for_kernel(struct proc *proc, struct xinim_msg *msg)
{
	fpsimd_kernel_begin();
	enum xinim_trace_verdict verdict = codec_open(&proc->kernel_rx, msg);
	fpsimd_kernel_end();
	if (verdict == XINIM_TRACE_OK)
		return 0;
	trace_event(XINIM_TRACE_REJECT, verdict, &msg->header, 0);
	return -EBADMSG;
}

// Answers the caller named by the message at user: its header is checked first, the
// rest goes straight to the caller (or, for the kernel, is opened first).
static long reply(struct proc *proc, uint64_t user)
{
	struct xinim_msg_header h;
	struct given m = given(user, false);
	long err = given_header(&m, &h);
	h.source = proc->endpoint;
	struct endpoint *ep = own_endpoint(proc);
	struct ipc_wait *c = NULL;
	if (!err) {
		spin_lock(&ep->lock);
		for (c = ep->callers; c && (c->caller != h.dest || c->msg.header.id != h.id);
		     c = c->next)
			;	// a reply names its caller and the id of the call it answers
		err = !c ? -ESRCH : move_direct(c, &h, &m) ? 0 : given_body(&m, &c->msg);
		if (!err && c->from_kernel) {
			c->msg.header = h;
			err = open_for_kernel(proc, &c->msg);	// c->msg.header.id stays h.id
		}
		if (err)
			spin_unlock(&ep->lock);
	}
	if (err) {
		if (err != -EBADMSG)
			trace_event(XINIM_TRACE_REPLY,
				    err == -ESRCH ? XINIM_TRACE_NO_CALLER : verdict_of(err), &h, 0);
		return err;
	}
	c->msg.header = h;
	unlink(&ep->callers, c, NULL);
	trace_event(XINIM_TRACE_REPLY, XINIM_TRACE_OK, &h, c->message_id);
	complete(c, 0);
	spin_unlock(&ep->lock);
	return 0;
}

long ipc_kcall_reply(struct trapframe *frame) { return reply(proc_current(), frame->x[0]); }

long ipc_kcall_reply_receive(struct trapframe *frame)
{
	struct xinim_msg *at;
	long err = receive_buffer(frame->x[1], &at);	// checked before the reply goes out
	if (!err)
		err = reply(proc_current(), frame->x[0]);
	return err ? err : receive(frame, frame->x[1], at, frame->x[2]);
}

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

long ipc_kcall_notify(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	struct xinim_msg_header h = { .source = proc->endpoint, .dest = (xinim_endpoint_t)frame->x[0],
				      .type = XINIM_MSG_NOTIFY };
	uint64_t bits = frame->x[1], badge;
	struct endpoint *ep = NULL;
	long err = bits ? destination(proc, h.dest, &badge, &ep) : -EINVAL;
	struct xinim_notification *slot = err ? NULL : note_slot(ep, proc->endpoint);
	if (!err && !slot) {
		spin_unlock(&ep->lock);
		err = -EAGAIN;
	}
	if (err) {
		trace_event(XINIM_TRACE_NOTIFY, verdict_of(err), &h, 0);
		return err;
	}
	if (!slot->bits)
		slot->from = proc->endpoint;
	slot->bits |= bits;
	trace_event(XINIM_TRACE_NOTIFY, XINIM_TRACE_OK, &h, 0);
	struct thread *receiver = ep->receiver;
	if (receiver) {
		ep->receiver = NULL;
		take_note(ep, &receiver->ipc);
	}
	spin_unlock(&ep->lock);
	return 0;
}

long ipc_kcall_self(struct trapframe *frame)
{
	(void)frame;
	return proc_current()->endpoint;
}

long ipc_kcall_lookup(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	uint64_t pid = frame->x[0], badge;
	if (pid >= MAX_PROCS)
		return -EINVAL;
	if (!cap_lookup_send(&proc->caps, (unsigned)pid, &badge))
		return -EACCES;
	struct endpoint *ep = &endpoints[pid];
	spin_lock(&ep->lock);
	long result = ep->proc ? (long)ep->proc->endpoint : -ESRCH;
	spin_unlock(&ep->lock);
	return result;
}

// The key of a channel between proc and the live instance at peer, if they may talk (a
// send right either way). Taken under the peer's endpoint lock, so that the peer cannot
// die (and have its channels forgotten) in between. 0, -EACCES, -ESRCH (peer's instance
// is gone), -EINVAL, or channel_take's errors.
static long peer_channel(struct proc *proc, xinim_endpoint_t peer, enum xinim_direction direction,
			 struct xinim_channel *out)
{
	unsigned pid = xinim_endpoint_pid(peer);
	uint64_t badge;
	if (pid >= MAX_PROCS || peer == proc->endpoint)
		return -EINVAL;
	bool mine = cap_lookup_send(&proc->caps, pid, &badge);
	struct endpoint *ep = &endpoints[pid];
	spin_lock(&ep->lock);
	long err = 0;
	if (!ep->proc || ep->generation != xinim_endpoint_generation(peer))
		err = -ESRCH;
	else if (!mine && !cap_lookup_send(&ep->proc->caps, proc->pid, &badge))
		err = -EACCES;
	else
		err = channel_take(proc->endpoint, peer, direction, out);
	spin_unlock(&ep->lock);
	return err;
}

long ipc_kcall_channel(struct trapframe *frame)
{
	struct proc *proc = proc_current();
	xinim_endpoint_t peer = (xinim_endpoint_t)frame->x[0];
	uint64_t direction = frame->x[1], out = frame->x[2];
	struct xinim_channel key;
	if (direction > XINIM_FROM_PEER)
		return -EINVAL;
	if (!user_writable(out, sizeof(key)))
		return -EFAULT;
	long err;
	if (peer == XINIM_ENDPOINT_KERNEL) {
		err = proc_take_kernel_key(proc, direction, &key);
	} else {
		err = peer_channel(proc, peer, direction, &key);
	}
	if (!err && copy_to_user(out, &key, sizeof(key)))
		err = -EFAULT;
	sodium_memzero(&key, sizeof(key));
	return err;
}

long ipc_kcall_rejected(struct trapframe *frame)
{
	struct xinim_msg_header h;
	uint64_t verdict = frame->x[1];
	if (copy_from_user(&h, frame->x[0], sizeof(h)))
		return -EFAULT;
	if (verdict == XINIM_TRACE_OK || verdict >= XINIM_TRACE_VERDICTS)
		return -EINVAL;
	h.dest = proc_current()->endpoint;	// who refused it is the one fact we know
	trace_event(XINIM_TRACE_REJECT, (enum xinim_trace_verdict)verdict, &h, 0);
	return 0;
}

// A server's copy to or from a process with a thread blocked in a call to it; under the
// server's endpoint lock, so that the caller stays blocked (and its space alive) meanwhile.
// Copies between the running server and `who`, a process blocked in a call to it.
// *done gets the bytes copied; *fault the caller's address that failed, if it was one.
static long copy_once(struct proc *server, xinim_endpoint_t who, uint64_t there, uint64_t here,
		      size_t n, bool to_caller, size_t *done, struct proc **caller)
{
	struct endpoint *ep = own_endpoint(server);
	spin_lock(&ep->lock);
	struct ipc_wait *c = ep->callers;
	while (c && c->thread->proc->endpoint != who)
		c = c->next;
	long err = -ESRCH;
	*caller = c ? c->thread->proc : NULL;
	if (c) {
		struct aspace *theirs = proc_aspace(c->thread->proc), *mine = proc_aspace(server);
		err = to_caller ? copy_between(theirs, there, mine, here, n, done)
				: copy_between(mine, here, theirs, there, n, done);
	}
	spin_unlock(&ep->lock);
	return err;
}

// A fault in the caller's memory goes to MM (the endpoint lock dropped meanwhile: the
// caller cannot go while it waits for this server), then the copy goes on from there.
static long copy_with_caller(struct trapframe *frame, bool to_caller)
{
	struct proc *server = proc_current(), *caller;
	xinim_endpoint_t who = (xinim_endpoint_t)frame->x[0];
	uint64_t there = frame->x[1], here = frame->x[2], n = frame->x[3];
	if (n > XINIM_COPY_MAX)
		return -EINVAL;
	for (uint64_t stuck_at = UINT64_MAX;;) {
		size_t done = 0;
		long err = copy_once(server, who, there, here, n, to_caller, &done, &caller);
		if (err != -EFAULT || there + done == stuck_at)
			return err;
		stuck_at = there + done;
		unsigned access = to_caller ? XINIM_MM_WRITE : XINIM_MM_READ;
		if (fault_resolve(caller, stuck_at, access) != 0)
			return -EFAULT;
		there += done, here += done, n -= done;
	}
}

long ipc_kcall_copy_to(struct trapframe *frame) { return copy_with_caller(frame, true); }

long ipc_kcall_copy_from(struct trapframe *frame) { return copy_with_caller(frame, false); }
