// System V semaphores: semget, semop and semtimedop, semctl, with Linux 6.1's checks in
// its order (ipc/sem.c). A set's semaphores are a range of the kept pool of values. An
// operation array is tried on a copy of the set and committed whole or not at all; one
// that must wait is parked in its thread's record and tried again at every change
// (sysv.c). SEM_UNDO adjustments are kept per process and set, and applied at the
// process's end (process.c's process_finish).
#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>
#include <xinim/runtime.h>
#include "pm.h"

#define sets (sysv->sets)
#define values (sysv->values)
#define undos (sysv->undos)

// Every undo record in use is below it: an end (sem_exit) looks at no more, and a system
// where no SEM_UNDO was ever asked for looks at none. Not kept: it only grows while PM
// runs (undo_commit), and a new PM finds it again in the records it took over (sem_check).
static unsigned undos_high;

static struct sem_set *set_of(long id)
{
	return sysv_record(sets, SEM_SETS, sizeof(sets[0]), id);
}

static long id_of(const struct sem_set *s) { return sysv_id(&s->perm, (unsigned)(s - sets), SEM_SETS); }

static unsigned caller_pid(xinim_endpoint_t caller) { return xinim_endpoint_pid(caller); }

// The first place of n semaphores in the pool that no set holds: its index, or -1.
static long pool_room(uint32_t n)
{
	for (long k = -1; k < SEM_SETS; k++) {	// at 0, or where a set ends
		if (k >= 0 && !sets[k].perm.used)
			continue;
		uint32_t base = k < 0 ? 0 : sets[k].base + sets[k].nsems;
		bool free = base + n <= SEM_VALUES;
		for (unsigned j = 0; j < SEM_SETS && free; j++)
			free = !sets[j].perm.used || base + n <= sets[j].base ||
			       base >= sets[j].base + sets[j].nsems;
		if (free)
			return base;
	}
	return -1;
}

static long create(xinim_endpoint_t caller, int32_t key, int nsems, int flags)
{
	if (nsems == 0)
		return -EINVAL;
	struct sem_set *s = sets;
	while (s < sets + SEM_SETS && s->perm.used)
		s++;
	long base = pool_room((uint32_t)nsems);
	if (s == sets + SEM_SETS || base < 0)
		return -ENOSPC;
	keep_change(s, sizeof(*s));
	sysv_perm_make(&s->perm, caller, key, flags);
	s->nsems = (uint32_t)nsems;
	s->base = (uint32_t)base;
	s->otime = 0;
	s->ctime = sysv_now();
	keep_change(&values[base], nsems * sizeof(values[0]));
	memset(&values[base], 0, nsems * sizeof(values[0]));
	return id_of(s);
}

long pm_semget(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int32_t key = (int32_t)call.args[0];
	int nsems = (int)call.args[1], flags = (int)call.args[2];
	if (nsems < 0 || nsems > SEM_PER_SET)
		return -EINVAL;
	struct sem_set *s = sysv_keyed(sets, SEM_SETS, sizeof(sets[0]), key);
	if (!s)
		return key == IPC_PRIVATE || flags & IPC_CREAT ? create(call.caller, key, nsems, flags)
							       : -ENOENT;
	if (flags & IPC_CREAT && flags & IPC_EXCL)
		return -EEXIST;
	if ((uint32_t)nsems > s->nsems)
		return -EINVAL;
	return sysv_caller_allows(call.caller, &s->perm, (unsigned)flags & 0777) ? id_of(s) : -EACCES;
}

// ---- semop

// The caller's undo record of semaphore num of s, or NULL.
static struct sem_undo *undo_of(xinim_endpoint_t caller, const struct sem_set *s, unsigned num)
{
	for (unsigned i = 0; i < SEM_UNDOS; i++)
		if (undos[i].owner == caller && undos[i].set == s - sets && undos[i].num == num)
			return &undos[i];
	return NULL;
}

// The new adjustments (adj, for the semaphores marked in touched) kept: 0, or -ENOMEM
// when the records run out, with nothing changed.
static long undo_commit(xinim_endpoint_t caller, const struct sem_set *s, const int32_t *adj,
			const bool *touched)
{
	unsigned needed = 0, spare = 0;
	for (unsigned n = 0; n < s->nsems; n++)
		needed += touched[n] && adj[n] && !undo_of(caller, s, n);
	for (unsigned i = 0; i < SEM_UNDOS; i++)
		spare += !undos[i].owner;
	if (needed > spare)
		return -ENOMEM;
	for (unsigned n = 0; n < s->nsems; n++) {
		if (!touched[n])
			continue;
		struct sem_undo *u = undo_of(caller, s, n);
		for (unsigned i = 0; !u && adj[n] && i < SEM_UNDOS; i++)
			u = undos[i].owner ? NULL : &undos[i];
		if (!u)
			continue;
		keep_change(u, sizeof(*u));
		unsigned index = (unsigned)(u - undos);
		undos_high = adj[n] && index >= undos_high ? index + 1 : undos_high;
		*u = adj[n] ? (struct sem_undo){ .owner = caller, .set = (uint16_t)(s - sets),
						 .num = (uint16_t)n, .adj = adj[n],
						 .seq = s->perm.seq }
			    : (struct sem_undo){ 0 };
	}
	return 0;
}

// Linux's perform_atomic_semop: ops tried in order on a copy of s; all done, or none.
static long perform(xinim_endpoint_t caller, struct sem_set *s, const struct sembuf *ops,
		    unsigned n, struct sysv_wait *w)
{
	int32_t value[SEM_PER_SET], adj[SEM_PER_SET] = { 0 };
	bool touched[SEM_PER_SET] = { 0 };
	for (unsigned k = 0; k < s->nsems; k++)
		value[k] = values[s->base + k].value;
	for (unsigned i = 0; i < n; i++) {
		unsigned num = ops[i].sem_num;
		int32_t result = value[num] + ops[i].sem_op;
		if ((ops[i].sem_op == 0 && value[num]) || result < 0) {
			if (ops[i].sem_flg & IPC_NOWAIT)
				return -EAGAIN;
			w->num = (uint16_t)num;
			w->zero = ops[i].sem_op == 0;
			return SYSV_BLOCKED;
		}
		if (result > SEM_VMX)
			return -ERANGE;
		if (ops[i].sem_flg & SEM_UNDO) {
			const struct sem_undo *u = touched[num] ? NULL : undo_of(caller, s, num);
			adj[num] = touched[num] ? adj[num] : u ? u->adj : 0;
			int32_t undo = adj[num] - ops[i].sem_op;
			if (undo < -SEM_VMX - 1 || undo > SEM_VMX)
				return -ERANGE;
			adj[num] = undo;
			touched[num] = true;
		}
		value[num] = result;
	}
	long err = undo_commit(caller, s, adj, touched);
	if (err)
		return err;
	keep_change(&values[s->base], s->nsems * sizeof(values[0]));
	for (unsigned i = 0; i < n; i++) {
		unsigned num = ops[i].sem_num;
		values[s->base + num] = (struct sem_value){ value[num], caller_pid(caller) };
	}
	keep_change(&s->otime, sizeof(s->otime));
	s->otime = sysv_now();
	return 0;
}

long sem_try(xinim_endpoint_t caller, struct sysv_wait *w)
{
	struct sembuf ops[SEM_OPS];
	unsigned n = (unsigned)w->size, highest = 0;
	if (ipc_copy_from(caller, ops, w->at, n * sizeof(ops[0])))
		return -EFAULT;
	bool alter = false;
	for (unsigned i = 0; i < n; i++) {
		highest = ops[i].sem_num > highest ? ops[i].sem_num : highest;
		alter |= ops[i].sem_op != 0;
	}
	struct sem_set *s = set_of(w->object);
	if (!s)
		return -EINVAL;
	if (highest >= s->nsems)
		return -EFBIG;
	if (!sysv_caller_allows(caller, &s->perm, alter ? 0222 : 0444))
		return -EACCES;
	return perform(caller, s, ops, n, w);
}

// semop and semtimedop (timeout_at: 0 for none).
static long semop_call(const struct ipc_request *request, uint64_t timeout_at)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	int semid = (int)call.args[0];
	uint32_t nsops = (uint32_t)call.args[2];	// unsigned int, as Linux's
	if (nsops == 0 || semid < 0)
		return -EINVAL;
	if (nsops > SEM_OPS)
		return -E2BIG;
	struct timespec timeout;
	if (timeout_at && ipc_copy_from(call.caller, &timeout, timeout_at, sizeof(timeout)))
		return -EFAULT;
	if (timeout_at && (timeout.tv_sec < 0 || timeout.tv_nsec < 0 || timeout.tv_nsec >= 1000000000))
		return -EINVAL;
	struct sysv_wait w = { .kind = SYSV_SEMOP, .at = call.args[1], .size = nsops,
			       .object = semid };
	return sysv_call(request, &w, timeout_at ? counter_ticks() + sleep_ticks(&timeout) : 0);
}

PM_HANDLER(pm_semop, semop_call(request, 0))
PM_HANDLER(pm_semtimedop, semop_call(request, ipc_syscall_of(request).args[3]))

// Whether an undo record is of s (num: of that semaphore alone; -1: any), or of who
// (s NULL).
static bool undo_matches(const struct sem_undo *u, const struct sem_set *s, int num,
			 xinim_endpoint_t who)
{
	if (!u->owner)
		return false;
	return s ? u->set == s - sets && (num < 0 || u->num == num) : u->owner == who;
}

// Logs the records before they change: the whole table once if any matches (a record
// each could overflow a request's log).
static bool undos_log(const struct sem_set *s, int num, xinim_endpoint_t who)
{
	for (unsigned i = 0; i < undos_high; i++) {
		if (undo_matches(&undos[i], s, num, who)) {
			keep_change(undos, sizeof(undos));
			return true;
		}
	}
	return false;
}

// Every adjustment of s (num: of that semaphore alone; -1: all) dropped: SETVAL, SETALL
// and IPC_RMID, as Linux's.
static void undos_drop(const struct sem_set *s, int num)
{
	if (!undos_log(s, num, 0))
		return;
	for (unsigned i = 0; i < SEM_UNDOS; i++)
		if (undo_matches(&undos[i], s, num, 0))
			undos[i] = (struct sem_undo){ 0 };
}

void sem_exit(xinim_endpoint_t who)
{
	bool applied = false;
	if (!who || !undos_log(NULL, 0, who))
		return;
	keep_change(values, sizeof(values));
	for (unsigned i = 0; i < undos_high; i++) {
		struct sem_undo *u = &undos[i];
		if (u->owner != who)
			continue;
		struct sem_set *s = &sets[u->set];
		if (s->perm.used && s->perm.seq == u->seq && u->num < s->nsems) {
			struct sem_value *v = &values[s->base + u->num];
			int32_t value = v->value + u->adj;
			v->value = value < 0 ? 0 : value > SEM_VMX ? SEM_VMX : value;
			v->pid = caller_pid(who);
			applied = true;
		}
		*u = (struct sem_undo){ 0 };
	}
	keep_commit();	// the tables' log is big: done once (a delivery again finds no record)
	if (applied)
		sysv_retry();
}

// ---- semctl, a command a handler: s is the set of the id (or at the index for
// SEM_STAT and SEM_STAT_ANY), NULL for the commands about all of them.

// IPC_STAT, and SEM_STAT and SEM_STAT_ANY (whose answer pm_semctl makes the id).
static long stat_of(struct sem_set *s, const struct sysv_ctl *c)
{
	struct linux_semid64_ds ds = { .perm = sysv_perm_out(&s->perm), .otime = s->otime,
				       .ctime = s->ctime, .nsems = s->nsems };
	return sysv_copy_out(c, &ds, sizeof(ds), 0);
}

static long ipc_set(struct sem_set *s, const struct sysv_ctl *c)
{
	struct linux_semid64_ds ds;
	if (ipc_copy_from(c->caller, &ds, c->arg, sizeof(ds)))
		return -EFAULT;
	if (!sysv_owns(c->caller, &s->perm))
		return -EPERM;
	keep_change(s, sizeof(*s));
	sysv_perm_set(&s->perm, &ds.perm);
	s->ctime = sysv_now();
	return 0;
}

static long ipc_rmid(struct sem_set *s, const struct sysv_ctl *c)
{
	if (!sysv_owns(c->caller, &s->perm))
		return -EPERM;
	sysv_removed(SYSV_SEMOP, id_of(s));
	undos_drop(s, -1);
	keep_change(s, sizeof(*s));
	*s = (struct sem_set){ .perm.seq = s->perm.seq };	// the next set here: another id
	return 0;
}

static long ipc_info(struct sem_set *s, const struct sysv_ctl *c, bool usage)
{
	(void)s;
	struct linux_seminfo info = { .semmap = SEM_VALUES, .semmni = SEM_SETS,
				      .semmns = SEM_VALUES, .semmnu = SEM_UNDOS,
				      .semmsl = SEM_PER_SET, .semopm = SEM_OPS,
				      .semume = SEM_OPS, .semusz = sizeof(struct sem_undo),
				      .semvmx = SEM_VMX, .semaem = SEM_VMX };
	if (usage) {	// SEM_INFO: the sets and semaphores in use
		info.semusz = info.semaem = 0;
		for (unsigned i = 0; i < SEM_SETS; i++) {
			info.semusz += sets[i].perm.used != 0;
			info.semaem += sets[i].perm.used ? (int32_t)sets[i].nsems : 0;
		}
	}
	return sysv_copy_out(c, &info, sizeof(info), sysv_highest(sets, SEM_SETS, sizeof(sets[0])));
}

static long info_limits(struct sem_set *s, const struct sysv_ctl *c) { return ipc_info(s, c, false); }

static long info_usage(struct sem_set *s, const struct sysv_ctl *c) { return ipc_info(s, c, true); }

// The per-semaphore commands check semnum after the permission (Linux's semctl_main),
// which pm_semctl checks.
static struct sem_value *value_of(struct sem_set *s, const struct sysv_ctl *c)
{
	return c->num >= 0 && (uint32_t)c->num < s->nsems ? &values[s->base + c->num] : NULL;
}

static long getval(struct sem_set *s, const struct sysv_ctl *c)
{
	const struct sem_value *v = value_of(s, c);
	return v ? v->value : -EINVAL;
}

static long getpid_of(struct sem_set *s, const struct sysv_ctl *c)
{
	const struct sem_value *v = value_of(s, c);
	return v ? (long)v->pid : -EINVAL;
}

// The threads parked on semaphore num of s: waiting for 0 (zero) or to grow.
static long waiters(struct sem_set *s, const struct sysv_ctl *c, bool zero)
{
	if (!value_of(s, c))
		return -EINVAL;
	long n = 0;
	for (unsigned tid = 0; tid < XINIM_PROCS_MAX; tid++) {
		const struct sysv_wait *w = &thread_at(tid)->sysv;
		n += thread_at(tid)->process && w->id && w->kind == SYSV_SEMOP &&
		     w->object == id_of(s) && w->num == c->num && w->zero == zero;
	}
	return n;
}

static long getncnt(struct sem_set *s, const struct sysv_ctl *c) { return waiters(s, c, false); }

static long getzcnt(struct sem_set *s, const struct sysv_ctl *c) { return waiters(s, c, true); }

static long getall(struct sem_set *s, const struct sysv_ctl *c)
{
	uint16_t all[SEM_PER_SET];
	for (unsigned k = 0; k < s->nsems; k++)
		all[k] = (uint16_t)values[s->base + k].value;
	return sysv_copy_out(c, all, s->nsems * sizeof(all[0]), 0);
}

// SETVAL (Linux: its checks of its own, in its order) and SETALL: the values set (first..first + n), adjustments dropped, waiters
// tried again.
static void values_set(struct sem_set *s, const struct sysv_ctl *c, unsigned first,
		       unsigned n, const int32_t *given)
{
	undos_drop(s, n == 1 ? (int)first : -1);
	keep_change(&values[s->base + first], n * sizeof(values[0]));
	for (unsigned k = 0; k < n; k++)
		values[s->base + first + k] = (struct sem_value){ given[k], caller_pid(c->caller) };
	keep_change(&s->ctime, sizeof(s->ctime));
	s->ctime = sysv_now();
	sysv_retry();
}

static long setval(struct sem_set *s, const struct sysv_ctl *c)
{
	int32_t value = (int32_t)c->arg;
	if (value < 0 || value > SEM_VMX)
		return -ERANGE;
	if (!value_of(s, c))
		return -EINVAL;
	if (!sysv_caller_allows(c->caller, &s->perm, 0222))
		return -EACCES;
	values_set(s, c, (unsigned)c->num, 1, &value);
	return 0;
}

static long setall(struct sem_set *s, const struct sysv_ctl *c)
{
	uint16_t all[SEM_PER_SET];
	int32_t given[SEM_PER_SET];
	if (ipc_copy_from(c->caller, all, c->arg, s->nsems * sizeof(all[0])))
		return -EFAULT;
	for (unsigned k = 0; k < s->nsems; k++) {
		if (all[k] > SEM_VMX)
			return -ERANGE;
		given[k] = all[k];
	}
	values_set(s, c, 0, s->nsems, given);
	return 0;
}

enum { READ = 0444, WRITE = 0222 };

static const struct semctl_command {
	long (*run)(struct sem_set *s, const struct sysv_ctl *c);
	struct sysv_naming naming;
} commands[] = {
	[IPC_RMID] = { ipc_rmid, { SYSV_BY_ID, 0 } },
	[IPC_SET] = { ipc_set, { SYSV_BY_ID, 0 } },
	[IPC_STAT] = { stat_of, { SYSV_BY_ID, READ } },
	[IPC_INFO] = { info_limits, { SYSV_BY_NONE, 0 } },
	[GETPID] = { getpid_of, { SYSV_BY_ID, READ } },
	[GETVAL] = { getval, { SYSV_BY_ID, READ } },
	[GETALL] = { getall, { SYSV_BY_ID, READ } },
	[GETNCNT] = { getncnt, { SYSV_BY_ID, READ } },
	[GETZCNT] = { getzcnt, { SYSV_BY_ID, READ } },
	[SETVAL] = { setval, { SYSV_BY_ID, 0 } },
	[SETALL] = { setall, { SYSV_BY_ID, WRITE } },
	[SEM_STAT] = { stat_of, { SYSV_BY_INDEX, READ } },
	[SEM_INFO] = { info_usage, { SYSV_BY_NONE, 0 } },
	[SEM_STAT_ANY] = { stat_of, { SYSV_BY_INDEX, 0 } },
};

long pm_semctl(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int id = (int)call.args[0], cmd = (int)call.args[2];
	struct sysv_ctl c = { .caller = call.caller, .num = (int)call.args[1], .arg = call.args[3] };
	if (cmd < 0 || (size_t)cmd >= sizeof(commands) / sizeof(commands[0]) || !commands[cmd].run)
		return -EINVAL;
	void *s;
	struct sysv_naming naming = commands[cmd].naming;
	long value = sysv_named(sets, SEM_SETS, sizeof(sets[0]), id, &c, naming, &s);
	value = value ? value : commands[cmd].run(s, &c);
	return value == 0 && naming.by == SYSV_BY_INDEX ? id_of(s) : value;	// SEM_STAT
}

// ---- take-over

static bool set_sound(const struct sem_set *s)
{
	if (!sysv_perm_sound(&s->perm) || s->nsems < 1 || s->nsems > SEM_PER_SET ||
	    s->base + s->nsems > SEM_VALUES)
		return false;
	for (unsigned k = 0; k < s->nsems; k++)
		if (values[s->base + k].value < 0 || values[s->base + k].value > SEM_VMX)
			return false;
	for (const struct sem_set *o = sets; o < s; o++)	// overlaps a set kept before
		if (o->perm.used && s->base < o->base + o->nsems && o->base < s->base + s->nsems)
			return false;
	return true;
}

unsigned sem_check(void)
{
	unsigned dropped = 0;
	for (unsigned i = 0; i < SEM_SETS; i++) {
		struct sem_set *s = &sets[i];
		if (s->perm.used && !set_sound(s)) {
			dropped++;
			*s = (struct sem_set){ .perm.seq = s->perm.seq & SYSV_SEQ_MAX };
		}
	}
	undos_high = 0;
	for (unsigned i = 0; i < SEM_UNDOS; i++) {
		struct sem_undo *u = &undos[i];
		const struct sem_set *s = u->set < SEM_SETS ? &sets[u->set] : NULL;
		if (u->owner && (!s || !s->perm.used || s->perm.seq != u->seq || u->num >= s->nsems ||
				 u->adj < -SEM_VMX - 1 || u->adj > SEM_VMX)) {
			dropped++;
			*u = (struct sem_undo){ 0 };
		}
		undos_high = u->owner ? i + 1 : undos_high;
	}
	return dropped;
}
