// Messages in and out of a queue (mqueue.c), as Linux's mq_timedsend, mq_timedreceive,
// mq_notify and mq_getsetattr: the highest priority first, first in first out within
// one; a full queue's send and an empty queue's receive wait (O_NONBLOCK: -EAGAIN) until
// the queue changes (wait.c: parked on the queue's node, run again whole), the absolute
// CLOCK_REALTIME timeout passes (-ETIMEDOUT) or a signal's handler is to run (-EINTR,
// or made again under SA_RESTART). Every call is one request and one commit: its bytes
// are copied (a send's into a free slot) before its record and slot change, so one that
// fails with -EFAULT changes nothing, and one given again to a restarted VFS after its
// commit is answered from the commit record, never delivered twice.
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define NS_PER_S 1000000000LL

// A call's queue: the fd's open file, its node and the node's record.
struct queue_at {
	struct open_file *file;
	struct node *node;
	struct mq_queue *q;
};

// The queue behind fd: 0 and *at, or -EBADF (no fd, or no queue's).
static long queue_fd(xinim_endpoint_t caller, uint64_t fd, struct queue_at *at)
{
	at->file = fd_get(caller, fd);
	at->node = at->file ? file_node(at->file) : NULL;
	at->q = at->node ? mqueue_of(at->node) : NULL;
	return at->q ? 0 : -EBADF;
}

// Whether file's access mode lets it send (O_WRONLY) or receive (O_RDONLY).
static bool may(const struct open_file *file, int mode)
{
	return (file->flags & OPEN_ACCESS) == mode || (file->flags & OPEN_ACCESS) == O_RDWR;
}

// A call that cannot go on now: -EAGAIN with O_NONBLOCK; else the absolute timeout at
// `at` (0: none) is read and checked (-EFAULT, -EINVAL: only now, as Linux documents),
// -ETIMEDOUT once it has passed; else the call is parked on node until it changes.
static long wait_for(const struct ipc_request *request, ipc_handler *again, struct node *node,
		     const struct open_file *file, uint64_t at)
{
	if (file->flags & O_NONBLOCK)
		return -EAGAIN;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timespec limit;
	long err = at ? ipc_copy_from(call.caller, &limit, at, sizeof(limit)) : 0;
	if (err)
		return err;
	if (at && (limit.tv_sec < 0 || limit.tv_nsec < 0 || limit.tv_nsec >= NS_PER_S))
		return -EINVAL;
	int64_t now = vfs_now();
	if (at && (limit.tv_sec < now / NS_PER_S ||
		   (limit.tv_sec == now / NS_PER_S && limit.tv_nsec <= now % NS_PER_S)))
		return -ETIMEDOUT;
	if (at && limit.tv_sec - now / NS_PER_S < INT32_MAX) {	// beyond: never, in effect
		uint64_t left = (uint64_t)(limit.tv_sec - now / NS_PER_S) * NS_PER_S +
				(uint64_t)limit.tv_nsec - (uint64_t)(now % NS_PER_S);
		uint64_t hz = counter_hz();
		wait_until(counter_ticks() + left / NS_PER_S * hz +
			   (left % NS_PER_S * hz + NS_PER_S - 1) / NS_PER_S);
	}
	return wait_park(request, again, node, -XINIM_ERESTARTSYS);
}

// Whether a parked call is a receive: a message that a receiver waits for fires no
// notification.
static bool receives(const struct ipc_request *request)
{
	uint64_t number = ipc_syscall_of(request).number & ~(uint64_t)XINIM_SYSCALL_AGAIN;
	return number == XINIM_SYSCALL_NUMBER_mq_timedreceive;
}

// Linux's __do_notify, once a message came into an empty queue that no receiver waits
// on: the registered process gets its signal (si_code SI_MESGQ, the sender's pid and
// real uid, sigev_value), and the registration ends.
static void notify(struct mq_queue *q, const struct node *node, xinim_endpoint_t sender)
{
	if (!q->notify_owner || q->curmsgs != 1 || wait_parked_on(node, receives))
		return;
	const struct process_creds *c = fd_creds(sender);
	if (q->notify_how == SIGEV_SIGNAL && q->notify_signal)
		signal_for(&(struct xinim_vfs_signal){
			.who = q->notify_owner, .signal = q->notify_signal, .code = SI_MESGQ,
			.pid = xinim_endpoint_pid(sender), .uid = c ? c->uid : 0,
			.value = q->notify_value });
	keep_change(&q->notify_owner, sizeof(q->notify_owner));
	q->notify_owner = 0;
}

// Copies n bytes between the caller's buffer and slot's place in the queue's node, a
// block at a time (in: blocks made as needed): 0 or -EFAULT, -ENOMEM (the pool is full).
static long slot_move(struct node *node, const struct mq_queue *q, uint32_t slot,
		      xinim_endpoint_t caller, uint64_t buffer, uint64_t n, bool in)
{
	uint64_t at = slot * q->msgsize;
	for (uint64_t done = 0, chunk; done < n; done += chunk) {
		int err = 0;
		chunk = block_piece(at + done, n - done);
		uint8_t *block = node_block(node, (at + done) / BLOCK_BYTES, in, &err);
		uint8_t *place = block ? block + (at + done) % BLOCK_BYTES : NULL;
		if (!block)	// no room in the pool; a message's bytes always have theirs
			return in ? -ENOMEM : -EIO;
		long moved = in ? ipc_copy_from(caller, place, buffer + done, chunk)
				: ipc_copy_to(caller, buffer + done, place, chunk);
		if (moved)
			return moved;
	}
	return 0;
}

// mq_timedsend(mqd, msg, len, prio, abs_timeout), Linux's checks in its order.
long vfs_mq_timedsend(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t from = call.args[1], length = call.args[2];
	uint32_t priority = (uint32_t)call.args[3];
	struct queue_at at;
	if (priority >= MQ_PRIORITIES)
		return -EINVAL;
	long err = queue_fd(call.caller, call.args[0], &at);
	if (!err && !may(at.file, O_WRONLY))
		err = -EBADF;
	if (!err && length > at.q->msgsize)
		err = -EMSGSIZE;
	if (!err && !xinim_access_ok(from, length))
		err = -EFAULT;
	if (err)
		return err;
	if (at.q->curmsgs == at.q->maxmsg)
		return wait_for(request, vfs_mq_timedsend, at.node, at.file, call.args[4]);
	struct mq_slot *slots = mqueue_slots(at.q);
	uint32_t slot = 0;
	while (slots[slot].used)
		slot++;	// curmsgs < maxmsg: one is free
	if ((err = slot_move(at.node, at.q, slot, call.caller, from, length, true)))
		return err;	// bytes in a free slot: nothing changed
	keep_change(&slots[slot], sizeof(slots[slot]));
	slots[slot] = (struct mq_slot){ .used = 1, .priority = priority, .length = length,
					.sequence = at.q->sequence };
	keep_change(at.q, sizeof(*at.q));
	at.q->sequence++;
	at.q->curmsgs++;
	at.q->bytes += length;
	notify(at.q, at.node, call.caller);
	node_touch(at.node, TIME_A | TIME_M | TIME_C);
	wait_ready(at.node);
	return 0;
}

// Whether message a comes out before b: a higher priority, or the same and older.
static bool before(const struct mq_slot *a, const struct mq_slot *b)
{
	return a->priority > b->priority ||
	       (a->priority == b->priority && a->sequence < b->sequence);
}

// The queue's next message: the highest priority's oldest.
static uint32_t next_message(const struct mq_queue *q)
{
	const struct mq_slot *slots = mqueue_slots(q);
	uint32_t best = q->maxmsg;
	for (uint32_t i = 0; i < q->maxmsg; i++)
		if (slots[i].used && (best == q->maxmsg || before(&slots[i], &slots[best])))
			best = i;
	return best;
}

// mq_timedreceive(mqd, msg, len, prio, abs_timeout): the message's length.
long vfs_mq_timedreceive(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t to = call.args[1], length = call.args[2], priority_at = call.args[3];
	struct queue_at at;
	long err = queue_fd(call.caller, call.args[0], &at);
	if (!err && !may(at.file, O_RDONLY))
		err = -EBADF;
	if (!err && length < at.q->msgsize)
		err = -EMSGSIZE;
	if (err)
		return err;
	if (!at.q->curmsgs)
		return wait_for(request, vfs_mq_timedreceive, at.node, at.file, call.args[4]);
	uint32_t slot = next_message(at.q);
	struct mq_slot *s = &mqueue_slots(at.q)[slot];
	uint32_t priority = s->priority;
	err = priority_at ? ipc_copy_to(call.caller, priority_at, &priority, sizeof(priority)) : 0;
	if (!err)
		err = slot_move(at.node, at.q, slot, call.caller, to, s->length, false);
	if (err)
		return err;	// the message stays
	long got = (long)s->length;
	keep_change(at.q, sizeof(*at.q));
	at.q->curmsgs--;
	at.q->bytes -= s->length;
	keep_change(s, sizeof(*s));
	*s = (struct mq_slot){ 0 };
	node_touch(at.node, TIME_A | TIME_C);
	wait_ready(at.node);
	return got;
}

// Linux's struct sigevent as mq_notify reads it (64 bytes; the rest is SIGEV_THREAD's).
struct notification {
	uint64_t value;
	int32_t signal, how;
	uint8_t rest[48];
};

// mq_notify(mqd, sevp): SIGEV_SIGNAL and SIGEV_NONE register the caller (-EBUSY if
// another process is); NULL ends the caller's registration. SIGEV_THREAD needs a
// netlink socket (musl makes one first): a gap, -ENOSYS.
long vfs_mq_notify(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct notification n;
	long err = call.args[1] ? ipc_copy_from(call.caller, &n, call.args[1], sizeof(n)) : 0;
	if (err)
		return err;
	if (call.args[1] && (err = mqueue_notification_check(n.how, n.signal)))
		return err;
	struct queue_at at;
	if ((err = queue_fd(call.caller, call.args[0], &at)))
		return err;
	if (!call.args[1] && at.q->notify_owner != call.caller)
		return 0;
	if (call.args[1] && at.q->notify_owner)
		return -EBUSY;
	keep_change(&at.q->notify_owner, sizeof(*at.q) - offsetof(struct mq_queue, notify_owner));
	at.q->notify_owner = call.args[1] ? call.caller : 0;
	at.q->notify_how = n.how;
	at.q->notify_signal = n.signal;
	at.q->notify_value = n.value;
	node_touch(at.node, TIME_A | TIME_C);
	return 0;
}

// mq_getsetattr(mqd, new, old): old gets the queue's attributes and the open file's
// O_NONBLOCK; new sets O_NONBLOCK alone (-EINVAL for any other flag). The old ones are
// written before anything changes, so -EFAULT leaves the flags as they were.
long vfs_mq_getsetattr(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct mq_attr next, old;
	long err = call.args[1] ? ipc_copy_from(call.caller, &next, call.args[1], sizeof(next)) : 0;
	if (err)
		return err;
	if (call.args[1] && (next.mq_flags & ~(long)O_NONBLOCK))
		return -EINVAL;
	struct queue_at at;
	if ((err = queue_fd(call.caller, call.args[0], &at)))
		return err;
	memset(&old, 0, sizeof(old));
	old = (struct mq_attr){ .mq_flags = at.file->flags & O_NONBLOCK, .mq_maxmsg = at.q->maxmsg,
				.mq_msgsize = (long)at.q->msgsize, .mq_curmsgs = at.q->curmsgs };
	if (call.args[2] && (err = ipc_copy_to(call.caller, call.args[2], &old, sizeof(old))))
		return err;
	if (call.args[1]) {
		keep_change(&at.file->flags, sizeof(at.file->flags));
		at.file->flags = (at.file->flags & ~O_NONBLOCK) | (int)(next.mq_flags & O_NONBLOCK);
	}
	return 0;
}
