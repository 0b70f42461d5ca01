// What System V semaphores and message queues share (sysv.h): ids and keys, Linux's
// ipcperms on the caller's credentials, and the calls parked in a thread's record
// (struct thread's sysv), tried again at every change until they can go on. PM serves
// one request at a time, so a change and the retries it allows are one request's work.
#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <xinim/runtime.h>
#include "pm.h"

#define MODE_BITS 0777

static const struct credentials root;	// a caller PM did not start (a boot program)

static const struct credentials *credentials_of(xinim_endpoint_t caller)
{
	const struct process *p = process_of(caller);
	return p ? &p->creds : &root;
}

bool sysv_privileged(xinim_endpoint_t caller)
{
	const struct process *p = process_of(caller);
	return !p || credentials_privileged(p);
}

static bool in_group(const struct credentials *c, uint32_t gid)
{
	if (c->group.fs == gid)
		return true;
	for (uint32_t i = 0; i < c->groups_count && i < XINIM_GROUPS_MAX; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

bool sysv_caller_allows(xinim_endpoint_t caller, const struct sysv_perm *perm, unsigned want)
{
	const struct credentials *c = credentials_of(caller);
	unsigned granted = perm->mode;
	uint32_t euid = c->user.effective;
	if (euid == perm->cuid || euid == perm->uid)
		granted >>= 6;
	else if (in_group(c, perm->cgid) || in_group(c, perm->gid))
		granted >>= 3;
	return sysv_privileged(caller) || !((want >> 6 | want >> 3 | want) & ~granted & 07);
}

bool sysv_owns(xinim_endpoint_t caller, const struct sysv_perm *perm)
{
	const struct credentials *c = credentials_of(caller);
	return sysv_privileged(caller) || c->user.effective == perm->uid || c->user.effective == perm->cuid;
}

long sysv_id(const struct sysv_perm *perm, unsigned index, unsigned count)
{
	return (long)perm->seq * count + index;
}

void *sysv_record(void *records, unsigned count, size_t size, long id)
{
	if (id < 0)
		return NULL;
	unsigned index = (unsigned)(id % count);
	struct sysv_perm *perm = (struct sysv_perm *)((char *)records + index * size);
	return perm->used && sysv_id(perm, index, count) == id ? perm : NULL;
}

long sysv_named(void *records, unsigned count, size_t size, int id, const struct sysv_ctl *c,
		struct sysv_naming naming, void **record)
{
	struct sysv_perm *perm = NULL;
	if (naming.by == SYSV_BY_ID)
		perm = sysv_record(records, count, size, id);
	else if (naming.by == SYSV_BY_INDEX && id >= 0 && (unsigned)id < count)
		perm = (struct sysv_perm *)((char *)records + (size_t)id * size);
	*record = perm && perm->used ? perm : NULL;
	if (id < 0 || (!*record && naming.by != SYSV_BY_NONE))
		return -EINVAL;
	return naming.want && !sysv_caller_allows(c->caller, *record, naming.want) ? -EACCES : 0;
}

long sysv_copy_out(const struct sysv_ctl *c, const void *out, size_t n, long value)
{
	return ipc_copy_to(c->caller, c->arg, out, n) ? -EFAULT : value;
}

void *sysv_keyed(void *records, unsigned count, size_t size, int32_t key)
{
	for (unsigned i = 0; key != IPC_PRIVATE && i < count; i++) {
		struct sysv_perm *perm = (struct sysv_perm *)((char *)records + i * size);
		if (perm->used && perm->key == key)
			return perm;
	}
	return NULL;
}

long sysv_highest(const void *records, unsigned count, size_t size)
{
	long highest = 0;
	for (unsigned i = 0; i < count; i++)
		if (((const struct sysv_perm *)((const char *)records + i * size))->used)
			highest = i;
	return highest;
}

void sysv_perm_make(struct sysv_perm *perm, xinim_endpoint_t caller, int32_t key, int flags)
{
	const struct credentials *c = credentials_of(caller);
	*perm = (struct sysv_perm){ .used = 1, .seq = (perm->seq + 1) & SYSV_SEQ_MAX, .key = key,
				    .mode = (uint32_t)flags & MODE_BITS,
				    .uid = c->user.effective, .gid = c->group.effective,
				    .cuid = c->user.effective, .cgid = c->group.effective };
}

struct linux_ipc64_perm sysv_perm_out(const struct sysv_perm *perm)
{
	return (struct linux_ipc64_perm){ .key = perm->key, .uid = perm->uid, .gid = perm->gid,
					  .cuid = perm->cuid, .cgid = perm->cgid,
					  .mode = perm->mode, .seq = (uint16_t)perm->seq };
}

void sysv_perm_set(struct sysv_perm *perm, const struct linux_ipc64_perm *in)
{
	perm->uid = in->uid;
	perm->gid = in->gid;
	perm->mode = (perm->mode & ~(uint32_t)MODE_BITS) | (in->mode & MODE_BITS);
}

bool sysv_perm_sound(const struct sysv_perm *perm)
{
	return perm->used == 1 && perm->seq <= SYSV_SEQ_MAX && !(perm->mode & ~(uint32_t)MODE_BITS);
}

int64_t sysv_now(void) { return (int64_t)(counter_ticks() / counter_hz()); }

// Parks w for the request in t (deadline: counter ticks; 0 for none).
static long park(const struct ipc_request *request, struct thread *t, const struct sysv_wait *w,
		 uint64_t deadline)
{
	if (!t)
		return -EINVAL;
	thread_change(t);
	t->sysv = *w;
	t->sysv.id = request->msg.header.id;
	keep_change(&sysv->parked, sizeof(sysv->parked));
	sysv->parked++;
	if (!deadline)
		return IPC_DEFERRED;
	long answer = sleep_park(request, t, deadline, -EAGAIN);
	if (answer != IPC_DEFERRED)
		t->sysv = (struct sysv_wait){ 0 };
	return answer;
}

// t's parked call is done: answered value, its timeout's sleep given up.
static void answer(struct thread *t, long value)
{
	uint64_t id = t->sysv.id;
	thread_change(t);
	t->sysv = (struct sysv_wait){ 0 };
	sleep_drop(t, id);
	ipc_syscall_answer_parked(id, value);
}

static long (*const tries[SYSV_KINDS])(xinim_endpoint_t, struct sysv_wait *) = {
	[SYSV_SEMOP] = sem_try,
	[SYSV_MSGSND] = msg_send_try,
	[SYSV_MSGRCV] = msg_receive_try,
};

long sysv_call(const struct ipc_request *request, struct sysv_wait *w, uint64_t deadline)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct thread *t = thread_of(&call);
	uint64_t id = request->msg.header.id;
	if (t && t->sysv.id == id) {	// delivered again to a restarted PM: tried afresh
		thread_change(t);
		t->sysv = (struct sysv_wait){ 0 };
	}
	long value = tries[w->kind](call.caller, w);
	if (value == SYSV_BLOCKED)
		return park(request, t, w, deadline);	// a timeout keeps its first deadline
	if (t)
		sleep_drop(t, id);
	if (value >= 0)
		sysv_retry();	// others may go on now
	return value;
}

// How many threads are parked in a System V call now.
static uint32_t parked_count(void)
{
	uint32_t n = 0;
	for (unsigned tid = 0; tid < XINIM_PROCS_MAX; tid++)
		n += thread_at(tid)->process && thread_at(tid)->sysv.id;
	return n;
}

// Each pass that answers none ends it; each other answers one at least, so it ends. The
// count of parked calls spares the search when there are none; an end that drops a
// parked call leaves it too high, and the search sets it right.
void sysv_retry(void)
{
	if (!sysv->parked)
		return;
	for (bool progress = true; progress;) {
		progress = false;
		for (unsigned tid = 0; tid < XINIM_PROCS_MAX; tid++) {
			struct thread *t = thread_at(tid);
			if (!t->process || !t->sysv.id)
				continue;
			struct sysv_wait w = t->sysv;
			long value = tries[w.kind](t->process, &w);
			if (value != SYSV_BLOCKED) {
				answer(t, value);
				progress = true;
			} else if (memcmp(&w, &t->sysv, sizeof(w)) != 0) {
				thread_change(t);
				t->sysv = w;
			}
		}
	}
	uint32_t n = parked_count();
	if (n != sysv->parked) {
		keep_change(&sysv->parked, sizeof(sysv->parked));
		sysv->parked = n;
	}
}

unsigned sysv_check(void)
{
	sysv->parked = parked_count();
	return sem_check() + msg_check();
}

void sysv_removed(enum sysv_kind kind, long id)
{
	bool semaphores = kind == SYSV_SEMOP;
	for (unsigned tid = 0; tid < XINIM_PROCS_MAX; tid++) {
		struct thread *t = thread_at(tid);
		if (t->process && t->sysv.id && t->sysv.object == id &&
		    (t->sysv.kind == SYSV_SEMOP) == semaphores)
			answer(t, -EIDRM);
	}
}

bool sysv_wait_sound(const struct sysv_wait *w)
{
	if (!w->id)
		return true;
	switch (w->kind) {
	case SYSV_SEMOP:
		return w->size >= 1 && w->size <= SEM_OPS;
	case SYSV_MSGSND:
		return w->size <= MSG_SIZE_MAX;
	case SYSV_MSGRCV:
		return true;
	default:
		return false;
	}
}

void sysv_interrupt(struct thread *t)
{
	if (t->sysv.id)
		answer(t, -EINTR);
}
