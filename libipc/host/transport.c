// The hosted backend's messages (libipc/transport.h): the rules of the KCALL_IPC_* calls
// (<xinim/ipc/kcall.h>) for threads of one test program. A call or send blocks on its
// thread's stack as a waiter; receivers take waiters addressed to them; a reply goes to
// whichever caller awaits one from the replier. Lock: host_lock (kernel.h).
#include <errno.h>
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
	uint64_t badge;
	uint64_t message_id;	// in the trace: shared by the call and its reply
	bool is_call;
	enum wait_state state;
	long result;
	struct waiter *next;
};

// Pending notifications by receiver PID, for its live instance; bits == 0: a free slot.
static struct xinim_notification notes[HOST_IPC_PIDS][NOTE_SLOTS];
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
	memset(notes[xinim_endpoint_pid(ep)], 0, sizeof(notes[0]));
	pthread_cond_broadcast(&host_changed);
}

void host_messages_reset(void)
{
	while (waiters)
		finish(waiters, -EIO);
	memset(notes, 0, sizeof(notes));
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

// Queues w (a call or a send, checked) for its destination and waits until it is done.
// The timeout covers the whole wait, the reply's too.
static long queue_and_wait(struct waiter *w, uint64_t timeout_us)
{
	enum xinim_trace_event event = w->is_call ? XINIM_TRACE_CALL : XINIM_TRACE_SEND;
	struct timespec deadline = deadline_after(timeout_us);
	w->message_id = host_trace_id();
	struct waiter **tail = &waiters;
	while (*tail)
		tail = &(*tail)->next;
	*tail = w;
	host_trace(event, XINIM_TRACE_OK, &w->msg.header, w->message_id);
	pthread_cond_broadcast(&host_changed);
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
	w->msg.header.source = self;	// the kernel writes the source: it cannot be forged
	long err = check(self, &w->msg.header, w->is_call ? XINIM_TRACE_CALL : XINIM_TRACE_SEND,
			 &w->badge);
	return err ? err : queue_and_wait(w, timeout_us);
}

// The kernel's own call to dest (kernel/ipc.c, ipc_kernel_call): the kernel's syscall
// gateway needs no capability; the message goes sealed on the kernel's channel to dest,
// and the reply must open on dest's channel to the kernel.
static long kernel_call_locked(xinim_endpoint_t dest, struct waiter *w, uint64_t timeout_us)
{
	static uint64_t last_id;	// of the kernel's calls
	struct xinim_msg_header *h = &w->msg.header;
	*h = (struct xinim_msg_header){ .source = XINIM_ENDPOINT_KERNEL, .dest = dest,
		.type = h->type, .length = h->length, .id = ++last_id };
	if (!host_live(dest))
		return host_refuse(XINIM_TRACE_CALL, XINIM_TRACE_DEAD, h, -ESRCH);
	codec_seal(host_kernel_tx(dest), &w->msg);
	long err = queue_and_wait(w, timeout_us);
	if (err)
		return err;
	bool opens = w->msg.header.source == dest &&
		     codec_open(host_kernel_rx(dest), &w->msg) == XINIM_TRACE_OK;
	return opens ? 0 : -EBADMSG;
}

// The first pending notification for self, as a message sealed by the kernel on its
// channel to self. false when there is none.
static bool take_note(xinim_endpoint_t self, struct xinim_msg *msg)
{
	struct xinim_notification *slots = notes[xinim_endpoint_pid(self)];
	for (unsigned i = 0; i < NOTE_SLOTS; i++) {
		if (!slots[i].bits)
			continue;
		*msg = (struct xinim_msg){ .header = { .source = XINIM_ENDPOINT_KERNEL,
			.dest = self, .type = XINIM_MSG_NOTIFY, .length = sizeof(slots[i]) } };
		memcpy(msg->payload, &slots[i], sizeof(slots[i]));
		slots[i] = (struct xinim_notification){ 0 };
		codec_seal(host_kernel_tx(self), msg);
		return true;
	}
	return false;
}

// The caller's next message, notifications first: 0 (a send or a notification),
// XINIM_RECEIVED_CALL, -EAGAIN when there is none, -EIO when the caller is gone.
static long take(struct xinim_msg *msg, uint64_t *badge)
{
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EIO;
	*badge = 0;
	if (take_note(self, msg))
		return 0;	// the kernel traces the notify, not its delivery
	for (struct waiter *w = waiters; w; w = w->next) {
		if (w->state != QUEUED || w->msg.header.dest != self)
			continue;
		bool is_call = w->is_call;
		*msg = w->msg;
		*badge = w->badge;
		host_trace(XINIM_TRACE_RECEIVE, XINIM_TRACE_OK, &msg->header, w->message_id);
		if (is_call)
			w->state = AWAITING_REPLY;
		else
			finish(w, 0);
		pthread_cond_broadcast(&host_changed);
		return is_call ? XINIM_RECEIVED_CALL : 0;
	}
	return -EAGAIN;
}

static long receive_locked(struct xinim_msg *msg, uint64_t timeout_us, uint64_t *badge)
{
	struct timespec deadline = deadline_after(timeout_us);
	if (host_self() == XINIM_ENDPOINT_NONE)
		return -EPERM;
	for (bool waiting = true;;) {
		long result = take(msg, badge);
		if (result != -EAGAIN)
			return result;
		if (!waiting) {
			struct xinim_msg_header h = { .dest = host_self() };
			return host_refuse(XINIM_TRACE_RECEIVE, XINIM_TRACE_TIMEOUT, &h,
					   -ETIMEDOUT);
		}
		waiting = wait_change(timeout_us, &deadline);
	}
}

static long reply_locked(struct xinim_msg *msg)
{
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	msg->header.source = self;
	if (msg->header.length > XINIM_PAYLOAD_MAX || (msg->header.flags & ~XINIM_MSG_FLAGS))
		return host_refuse(XINIM_TRACE_REPLY, XINIM_TRACE_INVALID, &msg->header, -EINVAL);
	for (struct waiter *w = waiters; w; w = w->next) {
		if (w->state != AWAITING_REPLY || w->msg.header.dest != self ||
		    w->msg.header.source != msg->header.dest || w->msg.header.id != msg->header.id)
			continue;	// a reply names its caller and the id of the call
		w->msg = *msg;
		finish(w, 0);
		host_trace(XINIM_TRACE_REPLY, XINIM_TRACE_OK, &msg->header, w->message_id);
		pthread_cond_broadcast(&host_changed);
		return 0;
	}
	return host_refuse(XINIM_TRACE_REPLY, XINIM_TRACE_NO_CALLER, &msg->header, -ESRCH);
}

// The slot of from's pending bits at pid, or a free one; NULL when all are taken.
static struct xinim_notification *note_slot(unsigned pid, xinim_endpoint_t from)
{
	struct xinim_notification *free_slot = NULL;
	for (unsigned i = 0; i < NOTE_SLOTS; i++) {
		struct xinim_notification *n = &notes[pid][i];
		if (n->bits && n->from == from)
			return n;
		if (!n->bits && !free_slot)
			free_slot = n;
	}
	return free_slot;
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
	if (err)
		return err;
	struct xinim_notification *n = note_slot(xinim_endpoint_pid(dest), self);
	if (!n)
		return host_refuse(XINIM_TRACE_NOTIFY, XINIM_TRACE_FULL, &h, -EAGAIN);
	if (!n->bits)
		n->from = self;
	n->bits |= bits;
	host_trace(XINIM_TRACE_NOTIFY, XINIM_TRACE_OK, &h, 0);
	pthread_cond_broadcast(&host_changed);
	return 0;
}

// A channel is handed only to its two ends, and only between a live peer and a
// process that may talk to it (a capability either way), or between a process and the
// kernel; each end takes each key once.
static long channel_locked(xinim_endpoint_t peer, enum xinim_direction direction,
			   struct xinim_channel *out)
{
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	if (direction != XINIM_TO_PEER && direction != XINIM_FROM_PEER)
		return -EINVAL;
	if (peer != XINIM_ENDPOINT_KERNEL) {
		unsigned mine = xinim_endpoint_pid(self), theirs = xinim_endpoint_pid(peer);
		if (theirs >= HOST_IPC_PIDS || peer == self)
			return -EINVAL;
		if (!host_live(peer))
			return -ESRCH;
		if (!host_cap(mine, theirs, NULL) && !host_cap(theirs, mine, NULL))
			return -EACCES;
	}
	return host_channel_take(self, peer, direction, out);
}

static long lookup_locked(unsigned pid)
{
	xinim_endpoint_t self = host_self();
	if (self == XINIM_ENDPOINT_NONE)
		return -EPERM;
	if (pid >= HOST_IPC_PIDS)
		return -EINVAL;
	if (!host_cap(xinim_endpoint_pid(self), pid, NULL))
		return -EACCES;
	xinim_endpoint_t ep = host_instance(pid);
	return ep == XINIM_ENDPOINT_NONE ? -ESRCH : (long)ep;
}

// The public functions: each takes the lock around its _locked part.

long transport_self(void)
{
	host_enter();
	xinim_endpoint_t self = host_self();
	host_leave();
	return self == XINIM_ENDPOINT_NONE ? -EPERM : (long)self;
}

long transport_lookup(unsigned pid)
{
	host_enter();
	long result = lookup_locked(pid);
	host_leave();
	return result;
}

long transport_channel(xinim_endpoint_t peer, enum xinim_direction direction,
		       struct xinim_channel *out)
{
	host_enter();
	long result = channel_locked(peer, direction, out);
	host_leave();
	return result;
}

// The kernel copies the message in, and the reply out only when the call succeeded.
long transport_call(struct xinim_msg *msg, uint64_t timeout_us)
{
	if (timeout_us == 0)
		return -EINVAL;	// as the kernel: a call always waits for its reply
	struct waiter w = { .msg = *msg, .is_call = true };
	host_enter();
	long result = deliver(&w, timeout_us);
	host_leave();
	if (result == 0)
		*msg = w.msg;
	return result;
}

long host_ipc_kernel_call(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us)
{
	if (timeout_us == 0 || msg->header.length > XINIM_PAYLOAD_MAX)
		return -EINVAL;
	struct waiter w = { .msg = *msg, .is_call = true };
	host_enter();
	long err = kernel_call_locked(dest, &w, timeout_us);
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

// Who refused the message is the one fact the kernel knows: it becomes the dest.
long transport_rejected(const struct xinim_msg_header *header, enum xinim_trace_verdict verdict)
{
	if (verdict == XINIM_TRACE_OK || verdict >= XINIM_TRACE_VERDICTS)
		return -EINVAL;
	struct xinim_msg_header h = *header;
	host_enter();
	h.dest = host_self();
	if (h.dest != XINIM_ENDPOINT_NONE)
		host_trace(XINIM_TRACE_REJECT, verdict, &h, 0);
	host_leave();
	return h.dest != XINIM_ENDPOINT_NONE ? 0 : -EPERM;
}

long transport_copy(int to_caller, xinim_endpoint_t caller, uint64_t there, void *here, size_t n)
{
	(void)caller;
	if (!there || n > XINIM_COPY_MAX)
		return there ? -EINVAL : -EFAULT;
	if (to_caller)
		memcpy((void *)(uintptr_t)there, here, n);
	else
		memcpy(here, (const void *)(uintptr_t)there, n);
	return 0;
}
