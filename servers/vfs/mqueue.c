// POSIX message queues as Linux's ipc/mqueue.c serves them (mq_overview(7)): each queue is
// a file (NODE_MQUEUE) of a file system of its own, named by one component in its root
// (FS_MQUEUE's, mode 01777), which no path reaches until it is mounted (mount -t mqueue).
// Its record (struct mq_queue: attributes, counts, the mq_notify registration) and its
// messages' slots (struct mq_slot: priority, length, arrival) are kept with the tree;
// the messages' bytes are in the node's blocks, slot i at i * mq_msgsize, written in
// place into a free slot before the slot is marked used, so that a request that dies
// is rolled back whole. A queue reserves its mq_maxmsg slots when it is made (a run of
// MQ_SLOTS_MAX in all), and gives them back with its node (unlinked and no more open).
//
// This file: names, mq_open, mq_unlink, the queue file's read ("QSIZE:...") and poll,
// its flush (the owner's close ends its registration), and the take-over's check.
// mqueue_io.c: sending, receiving, mq_notify, mq_getsetattr.
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <xinim/format.h>
#include "vfs.h"

// Linux's defaults and ceilings (/proc/sys/fs/mqueue; include/linux/ipc_namespace.h): an
// unprivileged queue at most msg_max messages of msgsize_max bytes, root's up to the
// hard ceilings; RLIMIT_MSGQUEUE's default caps the bytes one user's queues may hold.
#define MSG_DEFAULT 10
#define MSG_MAX 10
#define MSG_HARD_MAX 65536
#define MSGSIZE_DEFAULT 8192
#define MSGSIZE_MAX 8192
#define MSGSIZE_HARD_MAX (16 * 1024 * 1024)
#define RLIMIT_MSGQUEUE_BYTES 819200
#define QUEUE_FILE_SIZE 80	// a queue file's st_size, Linux's FILENT_SIZE

#define mq (vfs_mq())

struct node *mqueue_root(void) { return mq->root ? ramfs_node_at(mq->root - 1) : NULL; }

struct mq_queue *mqueue_of(const struct node *node)
{
	uint32_t index = ramfs_index(node) + 1;
	for (unsigned i = 0; i < MQ_QUEUES_MAX && (node->flags & NODE_MQUEUE); i++)
		if (mq->queues[i].node == index)
			return &mq->queues[i];
	return NULL;
}

struct mq_slot *mqueue_slots(const struct mq_queue *q) { return &mq->slots[q->first]; }

// The queue's name at `at` in the caller's memory, as Linux's getname takes it: its
// length, or -EFAULT, -ENAMETOOLONG (a path's length), -ENOENT ("").
static long name_of(xinim_endpoint_t caller, uint64_t at, char name[PATH_MAX_BYTES])
{
	long length = ipc_caller_string(caller, name, at, PATH_MAX_BYTES);
	return length == 0 ? -ENOENT : length;
}

// The name's entry in the mqueue root as Linux's lookup there finds it: 0 and *found
// (NULL: none), or -EACCES (a "/", "." or ".."), -ENAMETOOLONG (a name's length).
static long name_lookup(const char *name, size_t length, struct entry **found)
{
	*found = NULL;
	if (memchr(name, '/', length) || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EACCES;
	if (length > NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	*found = mqueue_root() ? ramfs_entry(mqueue_root(), name, length) : NULL;
	return 0;
}

// Linux's mq_attr_ok for a new queue: -EINVAL unless 1 <= mq_maxmsg <= the caller's
// ceiling and the same for mq_msgsize.
static long attr_check(const struct mq_attr *attr, bool privileged)
{
	if (attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0)
		return -EINVAL;
	if (attr->mq_maxmsg > (privileged ? MSG_HARD_MAX : MSG_MAX) ||
	    attr->mq_msgsize > (privileged ? MSGSIZE_HARD_MAX : MSGSIZE_MAX))
		return -EINVAL;
	return 0;
}

// The bytes a queue counts against RLIMIT_MSGQUEUE, as Linux's mqueue_get_inode on a
// 64-bit machine: each message's bytes and its bookkeeping (a struct msg_msg and a
// priority's tree node, 48 bytes each).
#define MESSAGE_OVERHEAD (48 + 48)
static uint64_t bytes_counted(uint64_t maxmsg, uint64_t msgsize)
{
	return maxmsg * (msgsize + MESSAGE_OVERHEAD);
}

// Whether q's run of slots and the count slots from at have one in common.
static bool overlaps(const struct mq_queue *q, uint32_t at, uint32_t count)
{
	return q->first < at + count && at < q->first + q->maxmsg;
}

// Where a run of count free slots starts (first fit): 0 and *first, or -ENOMEM.
static long slots_find(uint32_t count, uint32_t *first)
{
	uint32_t at = 0;
	for (unsigned i = 0; i < MQ_QUEUES_MAX && at + count <= MQ_SLOTS_MAX; i++) {
		const struct mq_queue *q = &mq->queues[i];
		if (q->node && overlaps(q, at, count)) {
			at = q->first + q->maxmsg;	// overlaps q: after it, and look again
			i = (unsigned)-1;
		}
	}
	*first = at;
	return at + count <= MQ_SLOTS_MAX ? 0 : -ENOMEM;
}

// A free record for a queue of attr made by uid: it, or NULL and *err: -ENOSPC (queues_max),
// -EMFILE (RLIMIT_MSGQUEUE), -ENOMEM (no run of slots).
static struct mq_queue *record_new(const struct mq_attr *attr, uint32_t uid, long *err)
{
	struct mq_queue *free_record = NULL;
	uint64_t bytes = bytes_counted((uint64_t)attr->mq_maxmsg, (uint64_t)attr->mq_msgsize);
	for (unsigned i = 0; i < MQ_QUEUES_MAX; i++) {
		const struct mq_queue *q = &mq->queues[i];
		if (!q->node && !free_record)
			free_record = &mq->queues[i];
		else if (q->node && q->creator == uid)
			bytes += bytes_counted(q->maxmsg, q->msgsize);
	}
	uint32_t first = 0;
	*err = !free_record			  ? -ENOSPC
	       : bytes > RLIMIT_MSGQUEUE_BYTES ? -EMFILE
					  : slots_find((uint32_t)attr->mq_maxmsg, &first);
	if (*err)
		return NULL;
	keep_change(free_record, sizeof(*free_record));
	*free_record = (struct mq_queue){ .first = first, .maxmsg = (uint32_t)attr->mq_maxmsg,
					  .msgsize = (uint64_t)attr->mq_msgsize, .creator = uid };
	return free_record;
}

// A new queue named name in the root, of mode (less the umask) and attr (NULL: the
// defaults): its node, or NULL and *err.
static struct node *queue_make(xinim_endpoint_t caller, const char *name, size_t length,
			       uint32_t mode, const struct mq_attr *given, long *err)
{
	const struct process_creds *c = fd_creds(caller);
	struct creds who = caller_creds(caller, false);
	struct mq_attr attr = { .mq_maxmsg = MSG_DEFAULT, .mq_msgsize = MSGSIZE_DEFAULT };
	*err = !may_access(mqueue_root(), &who, W_OK | X_OK) ? -EACCES
	       : given ? attr_check(given, c && c->euid == 0)
		       : 0;
	if (*err)
		return NULL;
	struct mq_queue *q = record_new(given ? given : &attr, c ? c->uid : 0, err);
	uint32_t type_mode = S_IFREG | (mode & 07777);
	struct node *node = q ? node_made(caller, mqueue_root(), type_mode, 0) : NULL;
	if (q && !node)
		*err = -ENOSPC;
	if (node && (*err = entry_add(mqueue_root(), name, length, node))) {
		node_release(node);
		node = NULL;
	}
	if (!node)
		return NULL;	// the record stays free: it names no node yet
	node->flags |= NODE_MQUEUE;	// a fresh node, logged whole by node_new
	node->size = QUEUE_FILE_SIZE;
	q->node = ramfs_index(node) + 1;
	return node;
}

// An existing queue's open, as Linux's prepare_open: -EEXIST, -EINVAL, -EACCES.
static long queue_may_open(xinim_endpoint_t caller, const struct node *node, int flags)
{
	static const int access[OPEN_ACCESS] = { R_OK, W_OK, R_OK | W_OK };
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if ((flags & OPEN_ACCESS) == OPEN_ACCESS)
		return -EINVAL;
	struct creds who = caller_creds(caller, false);
	return may_access(node, &who, access[flags & OPEN_ACCESS]) ? 0 : -EACCES;
}

// mq_open(name, oflag, mode, attr): the queue's fd, always close-on-exec (as Linux's),
// with the open file's O_NONBLOCK from oflag. attr is read (-EFAULT) whenever given,
// checked only when the queue is made.
long vfs_mq_open(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	static char name[PATH_MAX_BYTES];
	struct mq_attr attr;
	int flags = (int)call.args[1];
	long err = call.args[3] ? ipc_copy_from(call.caller, &attr, call.args[3], sizeof(attr)) : 0;
	long length = err ? err : name_of(call.caller, call.args[0], name);
	struct entry *e;
	if (length < 0)
		return length;
	if ((err = fd_room(call.caller)) || (err = name_lookup(name, (size_t)length, &e)))
		return err;
	if (!mqueue_root())
		return -ENOENT;	// a tree without one (docs/vfs.md): no queue can be made
	struct node *node = e ? ramfs_node_at(e->node - 1) : NULL;
	if (node)
		err = queue_may_open(call.caller, node, flags);
	else if (!(flags & O_CREAT))
		err = -ENOENT;
	else
		node = queue_make(call.caller, name, (size_t)length, (uint32_t)call.args[2],
				  call.args[3] ? &attr : NULL, &err);
	if (err)
		return err;
	return fd_open(call.caller, node, flags & (OPEN_ACCESS | O_NONBLOCK), true);
}

// mq_unlink(name): the name goes; the queue lives on while an fd holds it.
long vfs_mq_unlink(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	static char name[PATH_MAX_BYTES];
	long length = name_of(call.caller, call.args[0], name);
	struct entry *e;
	if (length < 0)
		return length;
	long err = name_lookup(name, (size_t)length, &e);
	if (err || !e)
		return err ? err : -ENOENT;
	struct creds who = caller_creds(call.caller, false);
	err = may_unname(mqueue_root(), ramfs_node_at(e->node - 1), &who);
	if (!err)
		entry_remove(e);
	return err;
}

void mqueue_release(struct node *node)
{
	struct mq_queue *q = mqueue_of(node);
	if (!q)
		return;
	if (q->curmsgs) {	// one log for the run: at most MQ_SLOTS_MAX slots in all
		keep_change(mqueue_slots(q), q->maxmsg * sizeof(struct mq_slot));
		memset(mqueue_slots(q), 0, q->maxmsg * sizeof(struct mq_slot));
	}
	keep_change(q, sizeof(*q));
	*q = (struct mq_queue){ 0 };
}

long mqueue_notification_check(int32_t how, int32_t signal)
{
	if (how != SIGEV_NONE && how != SIGEV_SIGNAL && how != SIGEV_THREAD)
		return -EINVAL;
	if (how == SIGEV_SIGNAL && (signal < 0 || signal > SIGNALS_TOP))
		return -EINVAL;	// Linux's valid_signal (0 is let through, and sends nothing)
	return how == SIGEV_THREAD ? -ENOSYS : 0;
}

void mqueue_exec(xinim_endpoint_t who)
{
	for (unsigned i = 0; i < MQ_QUEUES_MAX; i++) {
		struct mq_queue *q = &mq->queues[i];
		if (q->node && q->notify_owner == who && q->notify_signal) {
			keep_change(&q->notify_signal, sizeof(q->notify_signal));
			q->notify_signal = 0;	// fires, and ends, with no signal
		}
	}
}

// Linux's mqueue_read_file: the queue's bytes, and its registration.
static long queue_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
		       uint64_t offset)
{
	const struct mq_queue *q = mqueue_of(node);
	char text[128];
	bool owned = q && q->notify_owner;
	size_t length = ksnprintf(text, sizeof(text),
				  "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%u\n",
				  (unsigned long)(q ? q->bytes : 0), owned ? q->notify_how : 0,
				  owned && q->notify_how == SIGEV_SIGNAL ? q->notify_signal : 0,
				  owned ? xinim_endpoint_pid(q->notify_owner) : 0);
	return text_read(caller, to, n, offset, text, length);
}

// Linux's mqueue_poll_file: readable with messages, writable with room, whatever the
// open file's access mode.
static unsigned queue_poll(struct node *node, int flags)
{
	(void)flags;
	const struct mq_queue *q = mqueue_of(node);
	unsigned events = q && q->curmsgs ? POLLIN | POLLRDNORM : 0;
	return events | (q && q->curmsgs < q->maxmsg ? POLLOUT | POLLWRNORM : 0);
}

// Linux's mqueue_flush_file: any close by the registered process ends its registration.
static void queue_flush(struct node *node, xinim_endpoint_t who)
{
	struct mq_queue *q = mqueue_of(node);
	if (q && q->notify_owner == who) {
		keep_change(&q->notify_owner, sizeof(q->notify_owner));
		q->notify_owner = 0;
	}
}

const struct node_ops mqueue_ops = { .read = queue_read, .poll = queue_poll,
				     .flush = queue_flush, .seekable = true };

int mqueue_fresh(void)
{
	long dev = fs_new(FS_MQUEUE, &(struct file_system){ .mode = S_ISVTX | 0777 });
	if (dev < 0)
		return (int)dev;
	mq->root = fs_of((uint32_t)dev)->root + 1;
	return 0;
}

// Whether a kept record checks out: its node a queue's, its attributes within the hard
// ceilings, its slots in range and apart from every other record's before it.
static bool record_sound(const struct mq_queue *q, unsigned index)
{
	const struct node *node = q->node ? ramfs_node_at(q->node - 1) : NULL;
	if (!node || !(node->flags & NODE_MQUEUE) || !S_ISREG(node->mode) || !q->maxmsg ||
	    q->maxmsg > MSG_HARD_MAX || !q->msgsize || q->msgsize > MSGSIZE_HARD_MAX ||
	    q->first + q->maxmsg > MQ_SLOTS_MAX)
		return false;
	for (unsigned i = 0; i < index; i++) {
		const struct mq_queue *other = &mq->queues[i];
		if (other->node && (other->node == q->node || overlaps(other, q->first, q->maxmsg)))
			return false;
	}
	return true;
}

// A record's messages, counted afresh from its slots: false if one does not check out.
static bool messages_count(struct mq_queue *q)
{
	const struct mq_slot *slots = mqueue_slots(q);
	uint32_t count = 0;
	uint64_t bytes = 0;
	for (uint32_t i = 0; i < q->maxmsg; i++) {
		if (!slots[i].used)
			continue;
		if (slots[i].used != 1 || slots[i].length > q->msgsize ||
		    slots[i].priority >= MQ_PRIORITIES || slots[i].sequence >= q->sequence)
			return false;
		count++;
		bytes += slots[i].length;
	}
	q->curmsgs = count;
	q->bytes = bytes;
	return true;
}

void mqueue_take(void)
{
	const struct node *root = mqueue_root();
	const struct file_system *fs = root ? fs_of(root->dev) : NULL;
	if (!fs || fs->kind != FS_MQUEUE || fs->root != ramfs_index(root))
		mq->root = 0;	// no queues can be made; the tree keeps what it has
	static bool slot_owned[MQ_SLOTS_MAX];
	memset(slot_owned, 0, sizeof(slot_owned));
	for (unsigned i = 0; i < MQ_QUEUES_MAX; i++) {
		struct mq_queue *q = &mq->queues[i];
		if (q->node && (!record_sound(q, i) || !messages_count(q)))
			*q = (struct mq_queue){ 0 };
		if (q->notify_owner && mqueue_notification_check(q->notify_how, q->notify_signal))
			q->notify_owner = 0;	// a registration Linux would have refused
		for (uint32_t s = 0; q->node && s < q->maxmsg; s++)
			slot_owned[q->first + s] = true;
	}
	for (unsigned s = 0; s < MQ_SLOTS_MAX; s++)
		if (!slot_owned[s])
			mq->slots[s] = (struct mq_slot){ 0 };
}
