// System V message queues: msgget, msgsnd, msgrcv, msgctl, with Linux 6.1's checks in
// its order (ipc/msg.c). A message is a record in its queue's list (indices) and its
// text a chain of blocks of the kept pool; a send that does not fit its queue (msg_qbytes)
// or the pool, and a receive that finds no message, wait in the thread's record and are
// tried again at every change (sysv.c).
#define _GNU_SOURCE	// MSG_EXCEPT, MSG_COPY, MSG_STAT_ANY
#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <xinim/runtime.h>
#include "pm.h"

#define queues (sysv->queues)
#define messages (sysv->messages)
#define block_next (sysv->block_next)
#define blocks (sysv->blocks)
#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

static struct msg_queue *queue_of(long id)
{
	return sysv_record(queues, MSG_QUEUES, sizeof(queues[0]), id);
}

static long id_of(const struct msg_queue *q) { return sysv_id(&q->perm, (unsigned)(q - queues), MSG_QUEUES); }

static unsigned blocks_of(uint64_t size) { return (unsigned)((size + MSG_BLOCK - 1) / MSG_BLOCK); }

long pm_msgget(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int32_t key = (int32_t)call.args[0];
	int flags = (int)call.args[1];
	struct msg_queue *q = sysv_keyed(queues, MSG_QUEUES, sizeof(queues[0]), key);
	if (q) {
		if (flags & IPC_CREAT && flags & IPC_EXCL)
			return -EEXIST;
		return sysv_caller_allows(call.caller, &q->perm, (unsigned)flags & 0777) ? id_of(q)
											 : -EACCES;
	}
	if (key != IPC_PRIVATE && !(flags & IPC_CREAT))
		return -ENOENT;
	for (q = queues; q < queues + MSG_QUEUES && q->perm.used; q++)
		;
	if (q == queues + MSG_QUEUES)
		return -ENOSPC;
	keep_change(q, sizeof(*q));
	*q = (struct msg_queue){ .perm.seq = q->perm.seq, .qbytes = MSG_QUEUE_BYTES,
				 .ctime = sysv_now() };
	sysv_perm_make(&q->perm, call.caller, key, flags);
	return id_of(q);
}

// ---- msgsnd

// n free blocks of the pool into out (their indices), or false.
static bool blocks_find(unsigned n, uint16_t *out)
{
	unsigned found = 0;
	for (unsigned b = 0; b < MSG_BLOCKS && found < n; b++)
		if (!block_next[b])
			out[found++] = (uint16_t)b;
	return found == n;
}

static struct msg_record *record_free(void)
{
	for (unsigned m = 0; m < MSG_RECORDS; m++)
		if (!messages[m].queue)
			return &messages[m];
	return NULL;
}

// The message (type, text) appended to q, in the record and blocks given.
static void append(struct msg_queue *q, struct msg_record *r, const uint16_t *chain,
		   int64_t type, const uint8_t *text, uint32_t size)
{
	unsigned n = blocks_of(size);
	for (unsigned k = 0; k < n; k++) {
		uint32_t part = size - k * MSG_BLOCK < MSG_BLOCK ? size - k * MSG_BLOCK : MSG_BLOCK;
		keep_change(blocks[chain[k]], part);
		memcpy(blocks[chain[k]], text + k * MSG_BLOCK, part);
		keep_change(&block_next[chain[k]], sizeof(block_next[0]));
		block_next[chain[k]] = k + 1 < n ? chain[k + 1] + 1 : MSG_END;
	}
	keep_change(r, sizeof(*r));
	*r = (struct msg_record){ .queue = (uint16_t)(q - queues + 1), .size = size, .type = type,
				  .block = n ? chain[0] + 1 : 0 };
	uint16_t index = (uint16_t)(r - messages + 1);
	keep_change(q, sizeof(*q));
	if (q->last) {
		keep_change(&messages[q->last - 1].next, sizeof(r->next));
		messages[q->last - 1].next = index;
	} else {
		q->first = index;
	}
	q->last = index;
	q->qnum++;
	q->cbytes += size;
}

long msg_send_try(xinim_endpoint_t caller, struct sysv_wait *w)
{
	int64_t type;
	static uint8_t text[MSG_SIZE_MAX];
	uint16_t chain[MSG_SIZE_MAX / MSG_BLOCK];
	if (ipc_copy_from(caller, &type, w->at, sizeof(type)))
		return -EFAULT;
	if (type < 1)
		return -EINVAL;
	if (ipc_copy_from(caller, text, w->at + sizeof(type), w->size))
		return -EFAULT;
	struct msg_queue *q = queue_of(w->object);
	if (!q)
		return -EINVAL;
	if (!sysv_caller_allows(caller, &q->perm, 0222))
		return -EACCES;
	struct msg_record *r = record_free();
	if (w->size + q->cbytes > q->qbytes || q->qnum + 1 > q->qbytes || !r ||
	    !blocks_find(blocks_of(w->size), chain))
		return w->flags & IPC_NOWAIT ? -EAGAIN : SYSV_BLOCKED;
	append(q, r, chain, type, text, (uint32_t)w->size);
	q->lspid = xinim_endpoint_pid(caller);
	q->stime = sysv_now();
	return 0;
}

long pm_msgsnd(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct sysv_wait w = { .kind = SYSV_MSGSND, .object = (int)call.args[0],
			       .at = call.args[1], .size = call.args[2], .flags = (int)call.args[3] };
	if (w.size > MSG_SIZE_MAX || w.object < 0)
		return -EINVAL;
	return sysv_call(request, &w, 0);
}

// ---- msgrcv

// The message of q a receive of type (and MSG_EXCEPT) takes (Linux's find_msg), and the
// one before it in q's list (NULL: it is the first).
static struct msg_record *find(const struct msg_queue *q, int64_t type, int flags,
			       struct msg_record **before)
{
	struct msg_record *best = NULL, *previous = NULL;
	int64_t lowest = type == INT64_MIN ? INT64_MAX : -type;
	for (uint16_t m = q->first; m; m = messages[m - 1].next) {
		struct msg_record *r = &messages[m - 1];
		if (type == 0 || (type > 0 && (flags & MSG_EXCEPT ? r->type != type : r->type == type))) {
			*before = previous;
			return r;
		}
		if (type < 0 && r->type <= lowest) {	// the lowest type, the first of them
			best = r;
			*before = previous;
			lowest = r->type - 1;
		}
		previous = r;
	}
	return best;
}

// r's blocks are free again (logged: the caller logged them all).
static void blocks_free(const struct msg_record *r, bool logged)
{
	for (uint16_t b = r->block; b && b != MSG_END;) {
		uint16_t next = block_next[b - 1];
		if (!logged)
			keep_change(&block_next[b - 1], sizeof(block_next[0]));
		block_next[b - 1] = 0;
		b = next;
	}
}

// r (after before in q's list) leaves q; its blocks and record are free again.
static void unlink_message(struct msg_queue *q, struct msg_record *r, struct msg_record *before)
{
	keep_change(q, sizeof(*q));
	if (before) {
		keep_change(&before->next, sizeof(before->next));
		before->next = r->next;
	} else {
		q->first = r->next;
	}
	if (q->last == r - messages + 1)
		q->last = before ? (uint16_t)(before - messages + 1) : 0;
	q->qnum--;
	q->cbytes -= r->size;
	blocks_free(r, false);
	keep_change(r, sizeof(*r));
	*r = (struct msg_record){ 0 };
}

long msg_receive_try(xinim_endpoint_t caller, struct sysv_wait *w)
{
	static uint8_t text[MSG_SIZE_MAX];
	struct msg_queue *q = queue_of(w->object);
	if (!q)
		return -EINVAL;
	if (!sysv_caller_allows(caller, &q->perm, 0444))
		return -EACCES;
	struct msg_record *before = NULL, *r = find(q, w->type, w->flags, &before);
	if (!r)
		return w->flags & IPC_NOWAIT ? -ENOMSG : SYSV_BLOCKED;
	if (r->size > w->size && !(w->flags & MSG_NOERROR))
		return -E2BIG;
	uint32_t n = r->size < w->size ? r->size : (uint32_t)w->size, k = 0;
	for (uint16_t b = r->block; k < n; b = block_next[b - 1], k += MSG_BLOCK)
		memcpy(text + k, blocks[b - 1], n - k < MSG_BLOCK ? n - k : MSG_BLOCK);
	if (ipc_copy_to(caller, w->at, &r->type, sizeof(r->type)) ||
	    ipc_copy_to(caller, w->at + sizeof(r->type), text, n))
		return -EFAULT;	// the message stays
	unlink_message(q, r, before);
	q->lrpid = xinim_endpoint_pid(caller);
	q->rtime = sysv_now();
	return n;
}

long pm_msgrcv(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct sysv_wait w = { .kind = SYSV_MSGRCV, .object = (int)call.args[0],
			       .at = call.args[1], .size = call.args[2],
			       .type = (int64_t)call.args[3], .flags = (int)call.args[4] };
	if (w.object < 0 || (int64_t)w.size < 0)
		return -EINVAL;
	if (w.flags & MSG_COPY)	// CONFIG_CHECKPOINT_RESTORE's: not served
		return w.flags & MSG_EXCEPT || !(w.flags & IPC_NOWAIT) ? -EINVAL : -ENOSYS;
	return sysv_call(request, &w, 0);
}

// ---- msgctl, a command a handler: q is the queue of the id (or at the index for
// MSG_STAT and MSG_STAT_ANY), NULL for the commands about all of them.

// IPC_STAT, and MSG_STAT and MSG_STAT_ANY (whose answer pm_msgctl makes the id).
static long stat_of(struct msg_queue *q, const struct sysv_ctl *c)
{
	struct linux_msqid64_ds ds = {
		.perm = sysv_perm_out(&q->perm), .stime = q->stime, .rtime = q->rtime,
		.ctime = q->ctime, .cbytes = q->cbytes, .qnum = q->qnum, .qbytes = q->qbytes,
		.lspid = (int32_t)q->lspid, .lrpid = (int32_t)q->lrpid,
	};
	return sysv_copy_out(c, &ds, sizeof(ds), 0);
}

static long ipc_set(struct msg_queue *q, const struct sysv_ctl *c)
{
	struct linux_msqid64_ds ds;
	if (ipc_copy_from(c->caller, &ds, c->arg, sizeof(ds)))
		return -EFAULT;
	if (!sysv_owns(c->caller, &q->perm) ||
	    (ds.qbytes > MSG_QUEUE_BYTES && !sysv_privileged(c->caller)))
		return -EPERM;
	keep_change(q, sizeof(*q));
	sysv_perm_set(&q->perm, &ds.perm);
	q->qbytes = ds.qbytes;
	q->ctime = sysv_now();
	sysv_retry();	// senders may fit now
	return 0;
}

// Its waiters -EIDRM, its messages gone; senders to other queues may find room now.
static long ipc_rmid(struct msg_queue *q, const struct sysv_ctl *c)
{
	if (!sysv_owns(c->caller, &q->perm))
		return -EPERM;
	sysv_removed(SYSV_MSGRCV, id_of(q));
	keep_change(messages, sizeof(messages));	// one log entry rather than one a message
	keep_change(block_next, sizeof(block_next));
	for (uint16_t m = q->first; m;) {
		struct msg_record *r = &messages[m - 1];
		blocks_free(r, true);
		m = r->next;
		*r = (struct msg_record){ 0 };
	}
	keep_change(q, sizeof(*q));
	*q = (struct msg_queue){ .perm.seq = q->perm.seq };	// the next queue here: another id
	sysv_retry();
	return 0;
}

static long ipc_info(struct msg_queue *q, const struct sysv_ctl *c, bool usage)
{
	(void)q;
	struct linux_msginfo info = { .msgpool = MSG_BLOCKS * MSG_BLOCK / 1024,
				      .msgmap = MSG_BLOCKS, .msgmax = MSG_SIZE_MAX,
				      .msgmnb = MSG_QUEUE_BYTES, .msgmni = MSG_QUEUES,
				      .msgssz = MSG_BLOCK, .msgtql = MSG_RECORDS,
				      .msgseg = MSG_BLOCKS };
	if (usage) {	// MSG_INFO: queues in use, messages, bytes
		info.msgpool = info.msgmap = info.msgtql = 0;
		for (unsigned i = 0; i < MSG_QUEUES; i++) {
			info.msgpool += queues[i].perm.used != 0;
			info.msgmap += (int32_t)queues[i].qnum;
			info.msgtql += (int32_t)queues[i].cbytes;
		}
	}
	return sysv_copy_out(c, &info, sizeof(info), sysv_highest(queues, MSG_QUEUES, sizeof(queues[0])));
}

static long info_limits(struct msg_queue *q, const struct sysv_ctl *c) { return ipc_info(q, c, false); }

static long info_usage(struct msg_queue *q, const struct sysv_ctl *c) { return ipc_info(q, c, true); }

static const struct msgctl_command {
	long (*run)(struct msg_queue *q, const struct sysv_ctl *c);
	struct sysv_naming naming;
} commands[] = {
	[IPC_RMID] = { ipc_rmid, { SYSV_BY_ID, 0 } },
	[IPC_SET] = { ipc_set, { SYSV_BY_ID, 0 } },
	[IPC_STAT] = { stat_of, { SYSV_BY_ID, 0444 } },
	[IPC_INFO] = { info_limits, { SYSV_BY_NONE, 0 } },
	[MSG_STAT] = { stat_of, { SYSV_BY_INDEX, 0444 } },
	[MSG_INFO] = { info_usage, { SYSV_BY_NONE, 0 } },
	[MSG_STAT_ANY] = { stat_of, { SYSV_BY_INDEX, 0 } },
};

long pm_msgctl(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int id = (int)call.args[0], cmd = (int)call.args[1];
	struct sysv_ctl c = { .caller = call.caller, .arg = call.args[2] };
	if (cmd < 0 || (size_t)cmd >= sizeof(commands) / sizeof(commands[0]) || !commands[cmd].run)
		return -EINVAL;
	void *q;
	struct sysv_naming naming = commands[cmd].naming;
	long value = sysv_named(queues, MSG_QUEUES, sizeof(queues[0]), id, &c, naming, &q);
	value = value ? value : commands[cmd].run(q, &c);
	return value == 0 && naming.by == SYSV_BY_INDEX ? id_of(q) : value;	// MSG_STAT
}

// ---- take-over: each queue's list and each message's blocks walked and claimed (by the
// queue's index + 1); a queue whose list or blocks do not check out is dropped, and
// records and blocks no sound queue claims are freed.

static uint8_t record_claim[MSG_RECORDS], block_claim[MSG_BLOCKS];

static bool blocks_claim(const struct msg_record *r, uint8_t claim)
{
	uint16_t b = r->block;
	unsigned n = blocks_of(r->size);
	if (!n)
		return b == 0;
	for (unsigned k = 0; k < n; k++) {
		if (!b || b > MSG_BLOCKS || block_claim[b - 1])
			return false;
		block_claim[b - 1] = claim;
		b = block_next[b - 1];
	}
	return b == MSG_END;
}

static bool queue_claim(struct msg_queue *q, uint8_t claim)
{
	uint32_t qnum = 0;
	uint64_t cbytes = 0;
	uint16_t last = 0;
	if (!sysv_perm_sound(&q->perm))
		return false;
	for (uint16_t m = q->first; m; m = messages[m - 1].next) {
		if (m > MSG_RECORDS || record_claim[m - 1])
			return false;
		const struct msg_record *r = &messages[m - 1];
		if (r->queue != claim || r->type < 1 || r->size > MSG_SIZE_MAX ||
		    !blocks_claim(r, claim))
			return false;
		record_claim[m - 1] = claim;
		qnum++;
		cbytes += r->size;
		last = m;
	}
	q->qnum = qnum;
	q->cbytes = cbytes;
	return last == q->last;
}

unsigned msg_check(void)
{
	unsigned dropped = 0;
	memset(record_claim, 0, sizeof(record_claim));
	memset(block_claim, 0, sizeof(block_claim));
	for (unsigned i = 0; i < MSG_QUEUES; i++) {
		struct msg_queue *q = &queues[i];
		if (q->perm.used && !queue_claim(q, (uint8_t)(i + 1))) {
			dropped++;
			*q = (struct msg_queue){ .perm.seq = q->perm.seq & SYSV_SEQ_MAX };
		}
	}
	for (unsigned m = 0; m < MSG_RECORDS; m++) {
		uint8_t claim = record_claim[m];
		if (messages[m].queue && (!claim || !queues[claim - 1].perm.used))
			messages[m] = (struct msg_record){ 0 };
	}
	for (unsigned b = 0; b < MSG_BLOCKS; b++) {
		uint8_t claim = block_claim[b];
		if (block_next[b] && (!claim || !queues[claim - 1].perm.used))
			block_next[b] = 0;
	}
	return dropped;
}
