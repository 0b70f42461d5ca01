// futex(2) (docs/processes.md, Threads): a wait is parked in its thread's record, keyed
// by its process and the word's address, and a wake answers the ones whose key matches.
// PM serves one request at a time, and a waker's write to the word comes before its
// wake call, so reading the word as the wait is served loses no wake-up: a value
// changed before finds the wait refused (-EAGAIN), one changed after is followed by
// its wake. Private and shared futexes are the same here: a word shared between
// processes (MAP_SHARED) is a gap (docs/syscalls.md).
#include <errno.h>
#include <time.h>
#include <xinim/runtime.h>
#include "pm.h"

enum { COMMAND = 0x7f };	// without FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME

struct futex_call {
	const struct ipc_request *request;
	struct xinim_syscall call;
	uint64_t address, address2;
	uint32_t value, value3;
	long count2;			// REQUEUE's and WAKE_OP's second count (the timeout arg)
};

static long word_of(const struct futex_call *f, uint64_t address, uint32_t *word)
{
	if (address & 3)
		return -EINVAL;
	return ipc_copy_from(f->call.caller, word, address, sizeof(*word));
}

long futex_wake(xinim_endpoint_t process, uint64_t address, long n, uint32_t bitset)
{
	long woken = 0;
	for (unsigned tid = 0; tid < XINIM_PROCS_MAX && woken < n; tid++) {
		struct thread *t = thread_at(tid);
		if (t->process != process || !t->futex.id || t->futex.address != address ||
		    !(t->futex.bitset & bitset))
			continue;
		uint64_t id = t->futex.id;
		thread_change(t);
		t->futex = (struct futex_wait){ 0 };
		sleep_drop(t, id);
		ipc_syscall_answer_parked(id, 0);
		woken++;
	}
	return woken;
}

// Moves up to n waiters on address to address2 (REQUEUE): how many.
static long futex_move(xinim_endpoint_t process, uint64_t address, uint64_t address2, long n)
{
	long moved = 0;
	for (unsigned tid = 0; tid < XINIM_PROCS_MAX && moved < n; tid++) {
		struct thread *t = thread_at(tid);
		if (t->process == process && t->futex.id && t->futex.address == address) {
			thread_change(t);
			t->futex.address = address2;
			moved++;
		}
	}
	return moved;
}

// WAIT and WAIT_BITSET: refused unless the word still holds value; parked until a wake
// (or the timeout: relative for WAIT, absolute for WAIT_BITSET).
static long futex_wait(const struct futex_call *f, uint32_t bitset, bool absolute)
{
	struct thread *t = thread_of(&f->call);
	uint32_t word;
	struct timespec timeout;
	uint64_t timeout_at = f->call.args[3];
	if (!bitset || !t)
		return -EINVAL;
	long err = word_of(f, f->address, &word);
	if (!err && timeout_at)
		err = ipc_copy_from(f->call.caller, &timeout, timeout_at, sizeof(timeout));
	if (err)
		return err;
	if (timeout_at && (timeout.tv_sec < 0 || (uint64_t)timeout.tv_nsec >= 1000000000))
		return -EINVAL;
	uint64_t id = f->request->msg.header.id;
	if (word != f->value && t->futex.id != id)	// a delivery again waits on
		return -EAGAIN;
	thread_change(t);
	t->futex = (struct futex_wait){ .id = id, .address = f->address, .bitset = bitset };
	if (!timeout_at)
		return IPC_DEFERRED;
	// An absolute timeout is on CLOCK_MONOTONIC, or CLOCK_REALTIME with its flag.
	bool real = absolute && (f->call.args[1] & FUTEX_CLOCK_REALTIME);
	uint64_t deadline = !absolute ? counter_ticks() + sleep_ticks(&timeout)
			    : real    ? realtime_deadline(&timeout)
				      : sleep_ticks(&timeout);
	long answer = sleep_park(f->request, t, deadline, -ETIMEDOUT);
	if (answer != IPC_DEFERRED)
		t->futex = (struct futex_wait){ 0 };
	return answer;
}

// CMP_REQUEUE (and REQUEUE, unchecked): wakes value waiters, moves count2 more to
// address2.
static long futex_requeue(const struct futex_call *f, bool compare)
{
	uint32_t word;
	if (compare) {
		long err = word_of(f, f->address, &word);
		if (err)
			return err;
		if (word != f->value3)
			return -EAGAIN;
	}
	if ((int32_t)f->value < 0 || f->count2 < 0 || (f->address2 & 3))
		return -EINVAL;
	xinim_endpoint_t process = f->call.caller;
	long woken = futex_wake(process, f->address, f->value, FUTEX_BITSET_MATCH_ANY);
	return woken + futex_move(process, f->address, f->address2, f->count2);
}

static long wait_relative(const struct futex_call *f)
{
	return futex_wait(f, FUTEX_BITSET_MATCH_ANY, false);
}

static long wait_bitset(const struct futex_call *f) { return futex_wait(f, f->value3, true); }

static long wake(const struct futex_call *f, uint32_t bitset)
{
	if (!bitset || (f->address & 3))
		return -EINVAL;
	return futex_wake(f->call.caller, f->address, (int32_t)f->value < 0 ? 0 : f->value, bitset);
}

static long wake_any(const struct futex_call *f) { return wake(f, FUTEX_BITSET_MATCH_ANY); }

static long wake_bitset(const struct futex_call *f) { return wake(f, f->value3); }

// Linux's FUTEX_OP comparisons (EQ, NE, LT, LE, GT, GE) of the old value with cmparg.
static const uint8_t outcomes[6][3] = {	// [cmp][old <, ==, > cmparg]
	{ 0, 1, 0 }, { 1, 0, 1 }, { 1, 0, 0 }, { 1, 1, 0 }, { 0, 0, 1 }, { 0, 1, 1 },
};

// WAKE_OP: the word at address2 changed by the op value3 encodes (the kernel does it
// atomically: KCALL_PROC_ATOMIC), count waiters woken on address, and count2 more on
// address2 if the old value compares as value3 says.
static long wake_op(const struct futex_call *f)
{
	unsigned op = f->value3 >> 28 & 7, cmp = f->value3 >> 24 & 15;
	int32_t oparg = (int32_t)(f->value3 << 8) >> 20, cmparg = (int32_t)(f->value3 << 20) >> 20;
	if (f->value3 >> 31)	// FUTEX_OP_OPARG_SHIFT
		oparg = (int32_t)(1u << (oparg & 31));
	if (op > 4 || cmp >= sizeof(outcomes) / sizeof(outcomes[0]))
		return -ENOSYS;
	if ((f->address & 3) || (f->address2 & 3))
		return -EINVAL;
	long old = xinim_kcall4(KCALL_PROC_ATOMIC, f->call.caller, (long)f->address2, op, oparg);
	if (old < 0)
		return old == -EINVAL ? -EINVAL : -EFAULT;
	xinim_endpoint_t process = f->call.caller;
	long woken = futex_wake(process, f->address, (int32_t)f->value < 0 ? 0 : f->value,
				FUTEX_BITSET_MATCH_ANY);
	int32_t was = (int32_t)old;
	if (outcomes[cmp][was < cmparg ? 0 : was == cmparg ? 1 : 2])
		woken += futex_wake(process, f->address2, f->count2, FUTEX_BITSET_MATCH_ANY);
	return woken;
}

static long requeue(const struct futex_call *f) { return futex_requeue(f, false); }

static long cmp_requeue(const struct futex_call *f) { return futex_requeue(f, true); }

// The operations served; the others (the priority-inheritance ones) are -ENOSYS, listed
// in docs/syscalls.md.
static long (*const operations[])(const struct futex_call *) = {
	[FUTEX_WAIT] = wait_relative,
	[FUTEX_WAKE] = wake_any,
	[FUTEX_REQUEUE] = requeue,
	[FUTEX_CMP_REQUEUE] = cmp_requeue,
	[FUTEX_WAKE_OP] = wake_op,
	[FUTEX_WAIT_BITSET] = wait_bitset,
	[FUTEX_WAKE_BITSET] = wake_bitset,
};

long pm_futex(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct futex_call f = { .request = request, .call = ipc_syscall_of(request) };
	f.address = f.call.args[0];
	f.value = (uint32_t)f.call.args[2];
	f.count2 = (long)(uint32_t)f.call.args[3];
	f.address2 = f.call.args[4];
	f.value3 = (uint32_t)f.call.args[5];
	unsigned op = (unsigned)f.call.args[1] & COMMAND;
	if (op >= sizeof(operations) / sizeof(operations[0]) || !operations[op])
		return -ENOSYS;
	if (!process_of(f.call.caller))
		return -ENOSYS;	// a boot program: its threads are its own business
	return operations[op](&f);
}
