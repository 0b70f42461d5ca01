// The hosted backend's messages (libipc/transport.h): the rules of the KCALL_IPC_* calls
// (<xinim/ipc/kcall.h>) for threads of one test program, as kernel/ipc.c applies them. A
// call or send blocks on its thread's stack as a waiter; a receive blocked on its
// endpoint is handed the first message to arrive, as the kernel's; a reply goes to the
// caller that awaits one from the replier. Lock: host_lock (kernel.h).
#include <errno.h>
#include <unistd.h>
#include <string.h>
#include <time.h>
#include <libipc/transport.h>
#include "kernel.h"

#define NOTE_SLOTS 8	// notifiers with bits pending at one receiver, as the kernel

enum wait_state { QUEUED, AWAITING_REPLY, DONE };

// A caller or sender blocked in the kernel. It is on the waiter list exactly while it
// is not DONE: whoever makes it DONE unlinks it.
struct waiter {
	struct xinim_msg msg;	// as sent (source stamped), then the reply
	xinim_endpoint_t caller;	// whose memory the receiver may copy while it awaits
				// the reply: the sender, or the process the kernel calls for
	uint64_t badge;
	uint64_t message_id;	// in the trace: shared by the call and its reply
	bool is_call;
	bool from_kernel;	// the kernel's own call: sealed as it is taken, and its
				// reply opened as it is given (kernel/ipc.c, seal_from_kernel)
	enum wait_state state;
	long result;
	struct waiter *next;
};

// A receive blocked on its endpoint, on the receiving thread's stack.
struct receiver {
	struct xinim_msg *msg;
	uint64_t badge;
	long kind;		// 0 or XINIM_RECEIVED_CALL
	bool notification;
	bool done;
};

// What the kernel keeps by PID besides the waiters (kernel/ipc.c, struct endpoint). Like
// the kernel's, note_served_last outlives an instance; the notes are its live instance's.
struct endpoint {
	struct receiver *receiver;
	struct xinim_notification notes[NOTE_SLOTS];	// bits == 0: a free slot
	bool note_served_last;	// the next receive prefers a sender
};

static struct endpoint endpoints[HOST_IPC_PIDS];
static struct waiter *waiters;	// oldest first

static void unlink_waiter(struct waiter *w)
{
	for (struct waiter **p = &waiters; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			return;
		}
}

static void finish(struct waiter *w, long result)
{
	unlink_waiter(w);
	w->state = DONE;
	w->result = result;
}

// Unlike the kernel, the host also fails the dying instance's own waits: a thread
// re-registered as a restart may leave its old instance's calls behind.
void host_messages_kill(xinim_endpoint_t ep)
{
	for (struct waiter *w = waiters, *next; w; w = next) {
		next = w->next;
		if (w->msg.header.dest == ep || w->msg.header.source == ep)
			finish(w, -EIO);
	}
	struct endpoint *e = &endpoints[xinim_endpoint_pid(ep)];
	e->receiver = NULL;
	memset(e->notes, 0, sizeof(e->notes));
	pthread_cond_broadcast(&host_changed);
}

void host_messages_reset(void)
{
	while (waiters)
		finish(waiters, -EIO);
	memset(endpoints, 0, sizeof(endpoints));
	pthread_cond_broadcast(&host_changed);
}

// Checks what self hands in for h->dest, before anything moves: 0 or the traced error.
// *badge gets the capability's badge.
static long check(xinim_endpoint_t self, const struct xinim_msg_header *h,
		  enum xinim_trace_event event, uint64_t *badge)
{
	unsigned pid = xinim_endpoint_pid(h->dest);
	if (h->length > XINIM_PAYLOAD_MAX || (h->flags & ~XINIM_MSG_FLAGS) ||
	    pid >= HOST_IPC_PIDS || h->dest == self)
		return host_refuse(event, XINIM_TRACE_INVALID, h, -EINVAL);
	if (!host_cap(xinim_endpoint_pid(self), pid, badge))
		return host_refuse(event, XINIM_TRACE_DENIED, h, -EACCES);
	if (!host_live(h->dest))
		return host_refuse(event, XINIM_TRACE_DEAD, h, -ESRCH);
	return 0;
}

static struct timespec deadline_after(uint64_t timeout_us)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (timeout_us == XINIM_WAIT_FOREVER || timeout_us == 0)
		return t;
	uint64_t ns = (uint64_t)t.tv_nsec + timeout_us % 1000000 * 1000;
	t.tv_sec += (time_t)(timeout_us / 1000000 + ns / 1000000000);
	t.tv_nsec = (long)(ns % 1000000000);
	return t;
}

// Waits for the next change; false once the deadline has passed (at once for a poll).
static bool wait_change(uint64_t timeout_us, const struct timespec *deadline)
{
	if (timeout_us == XINIM_WAIT_FOREVER)
		return pthread_cond_wait(&host_changed, &host_lock) == 0;
	if (timeout_us == 0)
		return false;
	return pthread_cond_timedwait(&host_changed, &host_lock, deadline) != ETIMEDOUT;
}

// Moves waiter w's message to receiver r, which self is: a call then awaits its reply, a
// send is done. The kernel's own call is sealed now, on its channel to self, so that the
// channel's counter follows the order in which the kernel's messages are taken.
static void hand_over(xinim_endpoint_t self, struct waiter *w, struct receiver *r)
{
	*r->msg = w->msg;
	if (w->from_kernel)
		codec_seal(host_kernel_tx(self), r->msg);
	r->badge = w->badge;
	r->kind = w->is_call ? XINIM_RECEIVED_CALL : 0;
	r->notification = false;
	r->done = true;
	host_trace(XINIM_TRACE_RECEIVE, XINIM_TRACE_OK, &w->msg.header, w->message_id);
	if (w->is_call)
		w->state = AWAITING_REPLY;
	else
		finish(w, 0);
	pthread_cond_broadcast(&host_changed);
}

// The oldest pending notification of self's endpoint e goes to r, as a message sealed
// by the kernel on its channel to self. false when there is none.
static bool take_note(struct endpoint *e, xinim_endpoint_t self, struct receiver *r)
{
	for (unsigned i = 0; i < NOTE_SLOTS; i++) {
		if (!e->notes[i].bits)
			continue;
		*r->msg = (struct xinim_msg){ .header = { .source = XINIM_ENDPOINT_KERNEL,
			.dest = self, .type = XINIM_MSG_NOTIFY, .length = sizeof(e->notes[i]) } };
		memcpy(r->msg->payload, &e->notes[i], sizeof(e->notes[i]));
		e->notes[i] = (struct xinim_notification){ 0 };
		codec_seal(host_kernel_tx(self), r->msg);
		r->badge = 0;
		r->kind = 0;
		r->notification = true;
		r->done = true;
		return true;	// the kernel traces the notify, not its delivery
	}
	return false;
}

// The oldest call or send queued for self goes to r. false when there is none.
static bool take_sender(xinim_endpoint_t self, struct receiver *r)
{
	for (struct waiter *w = waiters; w; w = w->next) {
		if (w->state == QUEUED && w->msg.header.dest == self) {
			hand_over(self, w, r);
			return true;
		}
	}
	return false;
}

// w (a call or a send, checked) goes to its destination's blocked receiver, else it is
// queued (kernel/ipc.c, post).
static void post(struct waiter *w)
{
	xinim_endpoint_t dest = w->msg.header.dest;
	struct endpoint *e = &endpoints[xinim_endpoint_pid(dest)];
	struct waiter **tail = &waiters;
	while (*tail)
		tail = &(*tail)->next;
	*tail = w;
	w->state = QUEUED;
	struct receiver *r = e->receiver;
	if (r) {
		e->receiver = NULL;
		hand_over(dest, w, r);
	}
}

// Posts w and waits until it is done. The timeout covers the whole wait, the reply's too.
static long post_and_wait(struct waiter *w, uint64_t timeout_us)
{
	enum xinim_trace_event event = w->is_call ? XINIM_TRACE_CALL : XINIM_TRACE_SEND;
	struct timespec deadline = deadline_after(timeout_us);
	struct xinim_msg_header traced = w->msg.header;
	if (w->from_kernel)
		traced.source = w->caller;	// the trace names whom the kernel calls for
	w->message_id = host_trace_id();
	host_trace(event, XINIM_TRACE_OK, &traced, w->message_id);
	post(w);
	while (w->state != DONE && wait_change(timeout_us, &deadline))
		;
	if (w->state == DONE)
		return w->result;
	unlink_waiter(w);
	host_trace(event, XINIM_TRACE_TIMEOUT, &w->msg.header, w->message_id);
	return -ETIMEDOUT;
}

// A call or send of the calling thread's process.
static long deliver(struct waiter *w, uint64_t timeout_us)
{
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	enum xinim_trace_event event = w->is_call ? XINIM_TRACE_CALL : XINIM_TRACE_SEND;
	w->msg.header.source = self;	// the kernel writes the source: it cannot be forged
	w->caller = self;
	if (w->is_call && timeout_us == 0)	// it could never see its reply
		return host_refuse(event, XINIM_TRACE_INVALID, &w->msg.header, -EINVAL);
	long err = check(self, &w->msg.header, event, &w->badge);
	return err ? err : post_and_wait(w, timeout_us);
}

// The kernel's own call to dest for a thread of caller (kernel/ipc.c, ipc_kernel_call):
// the kernel's syscall gateway needs no capability; the message goes sealed on the
// kernel's channel to dest as dest takes it, and the reply is opened as it is given.
static long kernel_call_locked(xinim_endpoint_t dest, xinim_endpoint_t caller,
			       struct waiter *w, uint64_t timeout_us)
{
	static uint64_t last_id;	// of the kernel's calls
	struct xinim_msg_header *h = &w->msg.header;
	if (xinim_endpoint_pid(caller) == xinim_endpoint_pid(dest))
		return -EDEADLK;	// it would wait for itself
	*h = (struct xinim_msg_header){ .source = XINIM_ENDPOINT_KERNEL, .dest = dest,
		.type = h->type, .length = h->length, .id = ++last_id };
	if (!host_live(dest))
		return -ESRCH;	// untraced, as the kernel's
	w->caller = caller;
	w->from_kernel = true;
	return post_and_wait(w, timeout_us);
}

// A notification or the oldest sender, taking turns so that neither can starve the other
// (kernel/ipc.c, receive); else blocks until one is handed over. A receive that finds one
// at once decides the next turn; a hand-off to a blocked receiver does not.
static long receive_locked(struct xinim_msg *msg, uint64_t timeout_us, uint64_t *badge)
{
	struct timespec deadline = deadline_after(timeout_us);
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	struct endpoint *e = &endpoints[xinim_endpoint_pid(self)];
	struct receiver r = { .msg = msg };
	bool taken = e->note_served_last ? take_sender(self, &r) || take_note(e, self, &r)
					 : take_note(e, self, &r) || take_sender(self, &r);
	if (taken)
		e->note_served_last = r.notification;
	else
		e->receiver = &r;
	while (!r.done && host_self() == self && wait_change(timeout_us, &deadline))
		;
	if (e->receiver == &r)
		e->receiver = NULL;
	if (r.done) {
		*badge = r.badge;
		return r.kind;
	}
	if (host_self() != self)
		return -EIO;	// the instance died meanwhile
	struct xinim_msg_header h = { .dest = self };
	return host_refuse(XINIM_TRACE_RECEIVE, XINIM_TRACE_TIMEOUT, &h, -ETIMEDOUT);
}

// The call self took from the caller named by h (its endpoint, or the kernel, and the
// call's id) and has not answered yet; NULL when there is none.
static struct waiter *awaiting(xinim_endpoint_t self, const struct xinim_msg_header *h)
{
	for (struct waiter *w = waiters; w; w = w->next)
		if (w->state == AWAITING_REPLY && w->msg.header.dest == self &&
		    w->msg.header.source == h->dest && w->msg.header.id == h->id)
			return w;
	return NULL;
}

// A reply to the kernel's own call that does not open is refused (-EBADMSG, traced) and
// the call still awaits its reply (kernel/ipc.c, reply and open_for_kernel).
static long reply_locked(struct xinim_msg *msg)
{
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	struct xinim_msg_header *h = &msg->header;
	h->source = self;
	if (h->length > XINIM_PAYLOAD_MAX || (h->flags & ~XINIM_MSG_FLAGS))
		return host_refuse(XINIM_TRACE_REPLY, XINIM_TRACE_INVALID, h, -EINVAL);
	struct waiter *w = awaiting(self, h);
	if (!w)
		return host_refuse(XINIM_TRACE_REPLY, XINIM_TRACE_NO_CALLER, h, -ESRCH);
	struct xinim_msg answer = *msg;
	if (w->from_kernel) {
		enum xinim_trace_verdict verdict = codec_open(host_kernel_rx(self), &answer);
		if (verdict != XINIM_TRACE_OK)
			return host_refuse(XINIM_TRACE_REJECT, verdict, h, -EBADMSG);
	}
	host_trace(XINIM_TRACE_REPLY, XINIM_TRACE_OK, h, w->message_id);
	w->msg = answer;
	finish(w, 0);
	pthread_cond_broadcast(&host_changed);
	return 0;
}

// The slot of from's pending bits at e, or a free one; NULL when all are taken.
static struct xinim_notification *note_slot(struct endpoint *e, xinim_endpoint_t from)
{
	struct xinim_notification *free_slot = NULL;
	for (unsigned i = 0; i < NOTE_SLOTS; i++) {
		struct xinim_notification *n = &e->notes[i];
		if (n->bits && n->from == from)
			return n;
		if (!n->bits && !free_slot)
			free_slot = n;
	}
	return free_slot;
}

// ORs bits into the slot of h's source at the endpoint h names, and traces it; a
// blocked receiver takes the notification at once (kernel/notify.c, post_note).
static long post_note_locked(const struct xinim_msg_header *h, uint64_t bits)
{
	struct endpoint *e = &endpoints[xinim_endpoint_pid(h->dest)];
	struct xinim_notification *n = note_slot(e, h->source);
	if (!n)
		return host_refuse(XINIM_TRACE_NOTIFY, XINIM_TRACE_FULL, h, -EAGAIN);
	if (!n->bits)
		n->from = h->source;
	n->bits |= bits;
	host_trace(XINIM_TRACE_NOTIFY, XINIM_TRACE_OK, h, 0);
	struct receiver *r = e->receiver;
	if (r) {
		e->receiver = NULL;
		take_note(e, h->dest, r);
	}
	pthread_cond_broadcast(&host_changed);
	return 0;
}

static long notify_locked(xinim_endpoint_t dest, uint64_t bits)
{
	xinim_endpoint_t self = host_self();
	struct xinim_msg_header h = { .source = self, .dest = dest, .type = XINIM_MSG_NOTIFY };
	uint64_t badge;
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	if (!bits)
		return host_refuse(XINIM_TRACE_NOTIFY, XINIM_TRACE_INVALID, &h, -EINVAL);
	long err = check(self, &h, XINIM_TRACE_NOTIFY, &badge);
	return err ? err : post_note_locked(&h, bits);
}

// The public functions: each takes the lock around its _locked part.

// The kernel copies the message in, and the reply out only when the call succeeded.
long transport_call(struct xinim_msg *msg, uint64_t timeout_us)
{
	struct waiter w = { .msg = *msg, .is_call = true };
	host_enter();
	long result = deliver(&w, timeout_us);
	host_leave();
	if (result == 0)
		*msg = w.msg;
	return result;
}

long host_ipc_kernel_call(xinim_endpoint_t dest, xinim_endpoint_t caller, struct xinim_msg *msg,
			  uint64_t timeout_us)
{
	if (timeout_us == 0 || msg->header.length > XINIM_PAYLOAD_MAX)
		return -EINVAL;
	struct waiter w = { .msg = *msg, .is_call = true };
	host_enter();
	long err = kernel_call_locked(dest, caller, &w, timeout_us);
	host_leave();
	if (err)
		return err;
	*msg = w.msg;
	return msg->header.type;
}

long transport_send(const struct xinim_msg *msg, uint64_t timeout_us)
{
	struct waiter w = { .msg = *msg };
	host_enter();
	long result = deliver(&w, timeout_us);
	host_leave();
	return result;
}

long transport_receive(struct xinim_msg *msg, uint64_t timeout_us, uint64_t *badge)
{
	host_enter();
	long result = receive_locked(msg, timeout_us, badge);
	host_leave();
	return result;
}

long transport_reply(const struct xinim_msg *msg)
{
	struct xinim_msg copy = *msg;
	host_enter();
	long result = reply_locked(&copy);
	host_leave();
	return result;
}

long transport_reply_receive(const struct xinim_msg *reply, struct xinim_msg *msg,
			    uint64_t timeout_us, uint64_t *badge)
{
	struct xinim_msg copy = *reply;
	host_enter();
	long result = reply_locked(&copy);
	if (!result)
		result = receive_locked(msg, timeout_us, badge);
	host_leave();
	return result;
}

long transport_notify(xinim_endpoint_t dest, uint64_t bits)
{
	host_enter();
	long result = notify_locked(dest, bits);
	host_leave();
	return result;
}

long host_ipc_kernel_notify(unsigned pid, uint64_t bits)
{
	host_enter();
	xinim_endpoint_t dest = host_instance(pid);
	struct xinim_msg_header h = { .source = XINIM_ENDPOINT_KERNEL, .dest = dest,
				      .type = XINIM_MSG_NOTIFY };
	long result = dest == XINIM_ENDPOINT_NONE ? -ESRCH : post_note_locked(&h, bits);
	host_leave();
	return result;
}

bool host_blocked_on(xinim_endpoint_t server, xinim_endpoint_t caller)
{
	for (struct waiter *w = waiters; w; w = w->next)
		if (w->state == AWAITING_REPLY && w->msg.header.dest == server && w->caller == caller)
			return true;
	return false;
}

void transport_pause(uint64_t microseconds)
{
	usleep((useconds_t)microseconds);
}
