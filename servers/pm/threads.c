// Threads (docs/processes.md, Threads). PM names each thread with a TID from the PID
// space (the first thread's is its process's PID, and a TID keeps its PID from being
// given to a process) and keeps per thread what POSIX and Linux give each: its signal
// mask and the signals sent to it alone, its alternate stack, set_tid_address's and
// set_robust_list's words, and the calls it is parked in. The kernel runs the threads
// (XINIM_FORK_THREAD, KCALL_THREAD_END); everything here is kept state.
#define _GNU_SOURCE	// CLONE_*
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

static struct thread *threads(void);

// Whether t is a process's further thread (its TID is not the PID), which the count of
// them (pm_state.further_threads) counts.
static bool further(const struct thread *t)
{
	return t->process && t->tid != xinim_endpoint_pid(t->process);
}

static void further_count(int change)
{
	uint32_t *count = process_further_threads();
	keep_change(count, sizeof(*count));
	*count += (uint32_t)change;
}

// t's record made free.
static void thread_free(struct thread *t)
{
	if (further(t))
		further_count(-1);
	thread_change(t);
	*t = (struct thread){ 0 };
}

struct thread *thread_at(unsigned tid)
{
	return tid < XINIM_PROCS_MAX ? &threads()[tid] : NULL;
}

// The marks of keep_change_once for each record.
static uint64_t logged[XINIM_PROCS_MAX];

void thread_change(struct thread *t)
{
	keep_change_once(&logged[t - threads()], t, sizeof(*t));
}

static void thread_fresh(struct thread *t, xinim_endpoint_t process, unsigned tid)
{
	thread_change(t);
	*t = (struct thread){ .process = process, .tid = tid, .altstack.flags = SS_DISABLE };
}

struct thread *thread_of(const struct xinim_syscall *call)
{
	unsigned pid = xinim_endpoint_pid(call->caller);
	unsigned tid = call->tid ? call->tid : pid;
	struct thread *t = thread_at(tid);
	if (!call->caller || call->caller == XINIM_ENDPOINT_NONE || pid >= XINIM_PROCS_MAX || !t)
		return NULL;
	if (t->process == call->caller)
		return t;
	if (tid != pid || process_of(call->caller))
		return NULL;	// not a thread PM knows of
	thread_fresh(t, call->caller, tid);	// a boot program's first call
	return t;
}

struct thread *thread_named(xinim_endpoint_t process, uint32_t tid)
{
	return thread_of(&(struct xinim_syscall){ .caller = process, .tid = tid });
}

struct thread *thread_next(const struct process *p, struct thread *after)
{
	struct thread *all = threads();
	if (!*process_further_threads()) {	// the common case: a thread a process, at its PID
		struct thread *first = thread_at(xinim_endpoint_pid(p->self));
		return !after && first && p->self && first->process == p->self ? first : NULL;
	}
	for (unsigned tid = after ? (unsigned)(after - all) + 1 : 0; tid < XINIM_PROCS_MAX; tid++)
		if (all[tid].process == p->self && p->self)
			return &all[tid];
	return NULL;
}

struct thread *thread_start(xinim_endpoint_t process, unsigned tid, const struct thread *from)
{
	struct thread *t = thread_at(tid);
	if (further(t))
		further_count(-1);	// a stale record taken over
	thread_fresh(t, process, tid);
	if (further(t))
		further_count(1);
	if (from) {
		t->blocked = from->blocked;
		t->altstack = from->altstack;
	}
	return t;
}

void threads_forget(const struct process *p, const struct thread *except)
{
	for (struct thread *t = thread_next(p, NULL); t; t = thread_next(p, t))
		if (t != except)
			thread_free(t);
}

void threads_exec(struct process *p, struct thread *t)
{
	threads_forget(p, t);
	struct thread *first = thread_at(xinim_endpoint_pid(p->self));
	if (first == t)
		return;
	struct thread moved = *t;
	thread_free(t);
	thread_change(first);
	*first = moved;
	first->tid = xinim_endpoint_pid(p->self);
}

void threads_count(void)
{
	uint32_t count = 0;
	for (unsigned tid = 0; tid < XINIM_PROCS_MAX; tid++)
		count += further(thread_at(tid));
	*process_further_threads() = count;
}

bool thread_sound(const struct thread *t, unsigned tid)
{
	const uint64_t unblockable = signal_bit(SIGKILL) | signal_bit(SIGSTOP);
	unsigned pid = xinim_endpoint_pid(t->process);
	if (t->tid != tid || pid >= XINIM_PROCS_MAX || (t->blocked & unblockable) ||
	    (t->synchronous & ~t->pending) || t->mask_saved > 1 ||
	    (t->altstack.flags & ~(SS_DISABLE | SS_AUTODISARM)) || !sysv_wait_sound(&t->sysv))
		return false;
	const struct process *p = process_of(t->process);
	bool parked = t->waiting.id || t->sleeping.id || t->vfork.id || t->sigwait.id || t->futex.id ||
		      t->sysv.id;
	return p ? !p->zombie || !parked : tid == pid && !parked;	// a boot program's
}

// clone(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD ...) as musl's pthread_create and
// glibc's make it: a new TID, the thread started by the kernel on the stack and TLS
// given, with the caller's mask and no alternate stack (Linux's, for CLONE_VM).
long thread_clone(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t flags = call.args[0], stack = call.args[1], ptid = call.args[2],
		 tls = call.args[3], ctid = call.args[4];
	const uint64_t needed = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
	struct thread *self = thread_of(&call);
	if ((flags & needed) != needed || !stack || !self)
		return -EINVAL;
	unsigned tid = process_free_pid();
	if (!tid)
		return -EAGAIN;
	struct thread *t = thread_start(call.caller, tid, self);
	t->altstack = (struct alternate_stack){ .flags = SS_DISABLE };
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid;
	uint32_t value = tid;
	if (((flags & CLONE_PARENT_SETTID) && ipc_copy_to(call.caller, ptid, &value, sizeof(value))) ||
	    ((flags & CLONE_CHILD_SETTID) && ipc_copy_to(call.caller, ctid, &value, sizeof(value)))) {
		thread_free(t);
		return -EFAULT;
	}
	struct xinim_syscall_fork_reply answer = {
		.value = tid, .child = call.caller, .sp = stack,
		.flags = XINIM_FORK_THREAD | ((flags & CLONE_SETTLS) ? XINIM_FORK_TLS : 0),
		.tls = tls };
	memcpy(reply->payload, &answer, sizeof(answer));
	reply->header.length = sizeof(answer);
	return 0;
}

// Linux's exit_robust_list: each lock the thread held in the list gets FUTEX_OWNER_DIED
// and one waiter woken; at most ROBUST_LIST_LIMIT entries (a loop in a corrupt list).
static void robust_release(const struct xinim_syscall *call, uint64_t head_at)
{
	struct { uint64_t next; int64_t offset; uint64_t pending; } head;
	if (ipc_copy_from(call->caller, &head, head_at, sizeof(head)))
		return;
	uint64_t entry = head.next;
	for (unsigned n = 0; n < 2048 && entry && entry != head_at; n++) {
		uint64_t next, word_at = entry + (uint64_t)head.offset;
		uint32_t word;
		if (ipc_copy_from(call->caller, &next, entry, sizeof(next)) ||
		    ipc_copy_from(call->caller, &word, word_at, sizeof(word)))
			return;
		if ((word & FUTEX_TID_MASK) == (call->tid ? call->tid : xinim_endpoint_pid(call->caller))) {
			word = (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
			if (!ipc_copy_to(call->caller, word_at, &word, sizeof(word)) &&
			    (word & FUTEX_WAITERS))
				futex_wake(call->caller, word_at, 1, FUTEX_BITSET_MATCH_ANY);
		}
		entry = next;
	}
}

// exit: the calling thread ends; its robust locks released, its set_tid_address word
// zeroed and woken (pthread_join waits on it). The process ends with the last.
long thread_exit(const struct xinim_syscall *call, int status)
{
	struct thread *t = thread_of(call);
	struct process *p = process_of(call->caller);
	if (!t || !p || p->zombie)
		return -1;	// not one of a process PM runs: ends as a whole
	unsigned others = 0;
	for (struct thread *o = thread_next(p, NULL); o; o = thread_next(p, o))
		others += o != t;
	if (!others)
		return -1;
	if (t->robust_list)
		robust_release(call, t->robust_list);
	if (t->clear_child_tid) {
		const uint32_t zero = 0;
		if (!ipc_copy_to(call->caller, t->clear_child_tid, &zero, sizeof(zero)))
			futex_wake(call->caller, t->clear_child_tid, 1, FUTEX_BITSET_MATCH_ANY);
	}
	unsigned tid = t->tid;
	thread_free(t);
	keep_commit();	// the record first: a PM that dies now ends it again, harmlessly
	(void)status;
	xinim_kcall(KCALL_THREAD_END, call->caller, tid);
	return 0;
}

// set_robust_list(head, len): len must be Linux's struct robust_list_head's.
long pm_set_robust_list(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct thread *t = thread_of(&call);
	if (call.args[1] != 24 || !t)
		return -EINVAL;
	thread_change(t);
	t->robust_list = call.args[0];
	return 0;
}

// get_robust_list(tid, head_ptr, len_ptr): 0 names the caller; another thread of any
// process may be asked (everyone is root until credentials come).
long pm_get_robust_list(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	unsigned tid = (unsigned)call.args[0];
	const struct thread *t = tid ? thread_at(tid) : thread_of(&call);
	if (!t || !t->process)
		return -ESRCH;
	const uint64_t length = 24;
	long err = ipc_copy_to(call.caller, call.args[1], &t->robust_list, sizeof(t->robust_list));
	return err ? err : ipc_copy_to(call.caller, call.args[2], &length, sizeof(length));
}

static struct thread *threads(void) { return process_threads(); }
