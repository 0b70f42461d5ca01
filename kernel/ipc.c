// Message passing: call, send, receive and reply, and the calls the kernel makes for a
// thread (ipc_kernel_call); kernel/ipc.h, docs/architecture.md (The primitives).
//
// Locking (the rules common to IPC are in kernel/endpoint.h)
// - A sender locks the destination's endpoint and checks under it that the instance it
//   names lives (endpoint_live; ipc_kernel_call takes whichever lives); a receiver or a
//   replier locks its own. The lock is held from that check until the message is queued
//   or handed over and the waiter's phase set; wait_done then releases it as the thread
//   blocks, and retakes it to read the result.
// - A waiter that times out takes itself out of its endpoint's lists under that lock.
//   A waiter whose process is ended is taken out the same way, by itself (wait_done) or
//   by the ender (ipc_cancel, under the process's threads_lock), whoever comes first
//   under that lock; a call taken by a
//   server and withdrawn so is no longer among its callers, so the server's reply or
//   copy gives -ESRCH.
// Every call first checks and copies all it was given, then acts (validate, then act).
// A message moves in one copy, from the sender's buffer to the one the receiver waits
// with (a caller's for its reply), when both are aligned and in one page each; otherwise,
// and when no one waits yet, through the kernel (the sender's and receiver's ipc_wait).
#include <errno.h>
#include <string.h>
#include <xinim/codec.h>
#include <kernel/arch/aarch64/fpsimd.h>
#include <kernel/arch/aarch64/sysreg.h>
#include <kernel/arch/aarch64/trapframe.h>
#include <kernel/arch/aarch64/uvm.h>
#include <kernel/endpoint.h>
#include <kernel/ipc.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/sleep.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>

static void unlink(struct ipc_wait **list, struct ipc_wait *w, struct ipc_wait **tail)
{
	struct ipc_wait *prev = NULL;
	for (struct ipc_wait *at = *list; at && at != w; at = at->next)
		prev = at;
	*(prev ? &prev->next : list) = w->next;
	if (tail && *tail == w)
		*tail = prev;
}

// Takes w out of whatever it waits in, after its deadline passed or its process ended.
static void withdraw(struct endpoint *ep, struct ipc_wait *w)
{
	if (w->phase == IPC_SENDING)
		unlink(&ep->senders, w, &ep->senders_tail);
	else if (w->phase == IPC_AWAITING_REPLY)
		unlink(&ep->callers, w, NULL);
	else if (w->phase == IPC_RECEIVING)
		ep->receiver = NULL;
}

// Whether the process of w's thread is to end (KCALL_PROC_END): then it waits no more.
// Read under w's endpoint lock after w is in its lists, so that ipc_cancel, which sets
// the flag first and then looks in the lists under each lock, cannot miss w.
static bool ending(const struct ipc_wait *w)
{
	return __atomic_load_n(&w->thread->pending, __ATOMIC_ACQUIRE) & PROC_PENDING_END;
}

// Blocks until w is completed, the deadline (CNTVCT) passes, which is traced as the end
// of event, or its process is ended (-EINTR; the thread ends on its way back to EL0).
// Entered with ep->lock held; returns with it released, and w's result.
static long wait_done(struct ipc_wait *w, struct endpoint *ep, uint64_t deadline,
		      enum xinim_trace_event event)
{
	struct sleeper timer;
	bool armed = false;
	while (w->phase != IPC_DONE) {
		if (ending(w)) {
			withdraw(ep, w);
			complete(w, -EINTR);
			break;
		}
		if (deadline != UINT64_MAX && counter_now() >= deadline) {
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

static inline void zero_words(void *to, size_t bytes)
{
	uint64_t *t = to;
	for (size_t i = 0; i < bytes / sizeof(uint64_t); i++)
		t[i] = 0;
}

static void copy_message(struct xinim_msg *to, const struct xinim_msg *from)
{
	copy_words(to, from, sizeof(*to));
}

// msg to the running program's buffer at user, through its kernel address at (NULL: by
// copy_to_user): 0 or -EFAULT.
static long give(uint64_t user, struct xinim_msg *at, const struct xinim_msg *msg)
{
	if (at) {
		copy_message(at, msg);
		return 0;
	}
	return copy_to_user(user, msg, sizeof(*msg)) ? -EFAULT : 0;
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
		err = endpoint_for_send(proc, h->dest, &w->badge, &ep);
	if (!err) {
		spin_lock(&ep->lock);	// held until wait_done blocks, unless it fails here
		struct thread *receiver = ep->receiver;
		if (!endpoint_live(ep, h->dest))
			err = -ESRCH;
		else if (!(receiver && move_direct(&receiver->ipc, h, &m)))
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
	if (result == 0 && is_call && !w->delivered)
		result = give(user, m.at, &w->msg);
	return result;
}

long ipc_kernel_call(unsigned pid, int32_t type, const void *payload, uint16_t length,
		     const struct xinim_msg **reply)
{
	struct thread *self = sched_current();
	struct proc *proc = self->proc;
	struct ipc_wait *w = &self->ipc;
	if (pid == proc->pid)
		return -EDEADLK;	// it would wait for itself
	struct endpoint *ep = &endpoints[pid];
	spin_lock(&ep->lock);
	if (!ep->proc && !ep->keeps_calls) {
		spin_unlock(&ep->lock);
		return -ESRCH;
	}
	// A supervised server between two instances: the call waits for the next one.
	xinim_endpoint_t dest = ep->proc ? ep->proc->endpoint : XINIM_ENDPOINT_NONE;
	w->message_id = trace_new_id();	// unique, so that it also tells the replies apart
	// The header is written whole below: only what follows it is zeroed.
	zero_words(w->msg.payload, sizeof(w->msg) - sizeof(w->msg.header));
	w->msg.header = (struct xinim_msg_header){ .source = XINIM_ENDPOINT_KERNEL, .dest = dest,
		.type = type, .length = length, .id = w->message_id };
	if (((uintptr_t)payload | length) % sizeof(uint64_t))
		memcpy(w->msg.payload, payload, length);
	else
		copy_words(w->msg.payload, payload, length);
	w->from_kernel = true;
	w->syscall = type >= XINIM_MSG_SYSCALL_FIRST && type <= XINIM_MSG_SYSCALL_LAST;
	w->is_call = true;
	w->badge = 0;
	struct xinim_msg_header traced = w->msg.header;
	traced.source = proc->endpoint;	// the trace names whom the kernel calls for
	trace_event(XINIM_TRACE_CALL, XINIM_TRACE_OK, &traced, w->message_id);
	post(ep, w, XINIM_ENDPOINT_KERNEL, NULL);
	long result = wait_done(w, ep, UINT64_MAX, XINIM_TRACE_CALL);
	if (result == 0)
		*reply = &w->msg;
	return result;
}

long ipc_kcall_call(struct trapframe *frame) { return deliver(frame, true); }

long ipc_kcall_send(struct trapframe *frame) { return deliver(frame, false); }

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
	bool cipher = !proc->kernel_tx.clear;	// a clear channel's seal runs no cipher,
	if (cipher)				// so the user's FP/SIMD state stays put
		fpsimd_codec_begin();
	codec_seal(&proc->kernel_tx, &w->msg);
	if (cipher)
		fpsimd_codec_end();
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
	if (!w->delivered && give(user, at, &w->msg))
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
	bool cipher = !proc->kernel_rx.clear;	// as in seal_from_kernel
	if (cipher)
		fpsimd_codec_begin();
	enum xinim_trace_verdict verdict = codec_open(&proc->kernel_rx, msg);
	if (cipher)
		fpsimd_codec_end();
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
	struct xinim_syscall_reply answer = { 0 };
	if (c->from_kernel && c->syscall && h.length >= sizeof(answer))
		__builtin_memcpy(&answer, c->msg.payload, sizeof(answer));	// a load, no call
	trace_event_value(XINIM_TRACE_REPLY, XINIM_TRACE_OK, &h, c->message_id, answer.value);
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

unsigned ipc_syscall_server(const struct thread *thread)
{
	struct endpoint *ep = __atomic_load_n(&thread->ipc.on, __ATOMIC_ACQUIRE);
	if (!ep)
		return 0;
	spin_lock(&ep->lock);
	const struct ipc_wait *w = &thread->ipc;
	bool waits = w->on == ep && w->from_kernel && w->syscall &&
		     (w->phase == IPC_SENDING || w->phase == IPC_AWAITING_REPLY);
	spin_unlock(&ep->lock);
	return waits ? (unsigned)(ep - endpoints) : 0;
}

// Whether w is in ep's lists: its receiver, a sender or a caller. Under ep's lock.
static bool listed(const struct endpoint *ep, const struct ipc_wait *w)
{
	if (ep->receiver && &ep->receiver->ipc == w)
		return true;
	for (const struct ipc_wait *s = ep->senders; s; s = s->next)
		if (s == w)
			return true;
	for (const struct ipc_wait *c = ep->callers; c; c = c->next)
		if (c == w)
			return true;
	return false;
}

// Withdraws thread's wait, if it is to end and waits in the lists of the endpoint it
// names (a wait is only ever in the lists of w->on, set under that endpoint's lock),
// and wakes it with -EINTR. The endpoint is read again under its lock: a thread that
// moved on meanwhile posts under the new one's lock, where wait_done finds the flag.
static void cancel_wait(struct thread *thread)
{
	struct ipc_wait *w = &thread->ipc;
	for (;;) {
		struct endpoint *ep = __atomic_load_n(&w->on, __ATOMIC_ACQUIRE);
		if (!ep)
			return;
		spin_lock(&ep->lock);
		bool moved = w->on != ep;
		if (!moved && listed(ep, w) && ending(w)) {
			withdraw(ep, w);
			complete(w, -EINTR);
		}
		spin_unlock(&ep->lock);
		if (!moved)
			return;
	}
}

// Each thread's own endpoint is looked at, not every endpoint of the system: an exit
// took a thousand locks.
void ipc_cancel(struct proc *proc)
{
	spin_lock(&proc->threads_lock);
	for (struct thread *t = proc->threads; t; t = t->sibling)
		cancel_wait(t);
	spin_unlock(&proc->threads_lock);
}
