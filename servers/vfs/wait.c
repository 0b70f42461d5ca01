// Calls that wait for a node to become readable or writable (a terminal's read, a pipe's
// read and write), for any node's change (ppoll), or for a time: the call is parked, its
// reply deferred, and run again whole when the node's readiness changes (wait_ready), when
// its deadline passes (the loop's timer) or never; a signal cuts it short
// (vfs_interrupt: it is then answered with its restart code), its process's end drops it
// (wait_forget). Running a call again is its retry: the handler decides afresh, from the
// kept state, and parks it again if it must still wait (with the time it first waited:
// wait_since).
//
// A waiter is no kept state: a VFS that dies is given every call it had not answered
// again by the kernel (docs/resurrection.md), which parks it again, its times counted
// from then. What a retry takes from kept state (a terminal's line) it takes in the same
// commit as the answer (ipc_syscall_answer_parked).
#include <errno.h>
#include <string.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define WAITERS_MAX 256	// a thread has one call at a time: beyond, -EAGAIN

static struct waiter {
	struct ipc_request request;	// the call, to run again
	ipc_handler *again;		// its handler; NULL: a free slot
	uint32_t node;			// ramfs_index + 1 of what it waits for; 0: any
	uint32_t round;			// the wake-up round that parked it (wait_ready)
	uint64_t since, deadline;	// counter ticks; deadline 0: none
	long interrupted;		// the answer when a signal's handler is to run
} waiters[WAITERS_MAX];
static unsigned parked;		// waiters in use: none, and the timer costs nothing
static uint32_t round;

// The call being run again, while it is (0 between retries), and the deadline the node's
// op asked for before it said -EAGAIN; the answer a signal gives the next call parked
// (0: its own).
static uint64_t retry_since, asked_deadline;
static long asked_interrupted;

uint64_t wait_since(void) { return retry_since ? retry_since : counter_ticks(); }

void wait_until(uint64_t deadline) { asked_deadline = deadline; }

void wait_interrupted_answer(long answer) { asked_interrupted = answer; }

static struct xinim_syscall call_of(const struct waiter *w)
{
	return ipc_syscall_of(&w->request);
}

static void waiter_free(struct waiter *w)
{
	parked -= w->again != NULL;
	w->again = NULL;
}

long wait_park(const struct ipc_request *request, ipc_handler *again, struct node *node,
	       long interrupted)
{
	uint64_t deadline = asked_deadline;
	interrupted = asked_interrupted ? asked_interrupted : interrupted;
	asked_deadline = 0;
	asked_interrupted = 0;
	struct waiter *w = NULL;
	for (unsigned i = 0; i < WAITERS_MAX && !w; i++)
		w = waiters[i].again ? NULL : &waiters[i];
	if (!w)
		return -EAGAIN;
	parked++;
	*w = (struct waiter){ .request = *request, .again = again, .round = round,
			      .node = node ? ramfs_index(node) + 1 : 0, .since = wait_since(),
			      .deadline = deadline, .interrupted = interrupted };
	return IPC_DEFERRED;
}

// Runs w's call again: answered, or parked anew (by its handler).
static void retry(struct waiter *w)
{
	struct waiter call = *w;
	waiter_free(w);
	struct xinim_msg reply = { .header.id = call.request.msg.header.id };
	retry_since = call.since;
	long result = call.again(&call.request, &reply);
	retry_since = 0;
	if (result != IPC_DEFERRED)
		ipc_syscall_answer_parked(call.request.msg.header.id, result);
}

// The nodes made ready since the last run (node index + 1; all: more than there is room
// for): their calls run again between requests (wait_resume), so that a retry's answer,
// which commits, never commits half of the request that made the node ready.
#define READY_MAX 64
static uint32_t ready[READY_MAX];
static unsigned ready_count;
static bool ready_all;

void wait_ready(struct node *node) { wait_ready_for(node, ~0u); }

void wait_ready_for(struct node *node, unsigned events)
{
	transfer_wake(node);
	interests_changed(node, events);
	uint32_t index = ramfs_index(node) + 1;
	for (unsigned i = 0; i < ready_count; i++)
		if (ready[i] == index)
			return;
	if (ready_count == READY_MAX)
		ready_all = true;
	else
		ready[ready_count++] = index;
}

void wait_ready_every(void) { ready_all = true; }

bool wait_due(void) { return ready_count || ready_all; }

bool wait_parked_process(uint32_t pid)
{
	for (unsigned i = 0; i < WAITERS_MAX && parked; i++)
		if (waiters[i].again && xinim_endpoint_pid(call_of(&waiters[i]).caller) == pid)
			return true;
	return transfer_asleep(pid);
}

static bool made_ready(uint32_t node, const uint32_t *list, unsigned count, bool all)
{
	for (unsigned i = 0; i < count && !all && node; i++)
		if (list[i] == node)
			return true;
	return all || !node;	// a wait for any node's change: every change
}

bool wait_resume(void)
{
	uint32_t list[READY_MAX], now = ++round;	// a retry parks with round now
	unsigned count = ready_count;
	bool all = ready_all;
	memcpy(list, ready, count * sizeof(list[0]));
	ready_count = 0;
	ready_all = false;
	for (unsigned i = 0; i < WAITERS_MAX && parked && (count || all); i++)
		if (waiters[i].again && waiters[i].round != now &&
		    made_ready(waiters[i].node, list, count, all))
			retry(&waiters[i]);	// one parked again has round now: not twice
	return wait_due();
}

bool wait_parked_on(const struct node *node, bool (*match)(const struct ipc_request *request))
{
	uint32_t index = ramfs_index(node) + 1;
	for (unsigned i = 0; i < WAITERS_MAX && parked; i++)
		if (waiters[i].again && waiters[i].node == index && match(&waiters[i].request))
			return true;
	return false;
}

const struct ipc_request *wait_parked_call(xinim_endpoint_t who, ipc_handler *again)
{
	for (unsigned i = 0; i < WAITERS_MAX && parked; i++)
		if (waiters[i].again == again && call_of(&waiters[i]).caller == who)
			return &waiters[i].request;
	return NULL;
}

bool wait_interrupt(xinim_endpoint_t who, uint32_t tid)
{
	bool any = false;
	for (unsigned i = 0; i < WAITERS_MAX && parked; i++) {
		struct waiter *w = &waiters[i];
		if (!w->again || call_of(w).caller != who || call_of(w).tid != tid)
			continue;
		uint64_t id = w->request.msg.header.id;
		long answer = w->interrupted;
		progress_end_call(who, id);	// how far it got is its answer now
		waiter_free(w);
		ipc_syscall_answer_parked(id, answer);
		any = true;
	}
	return any;
}

void wait_forget(xinim_endpoint_t who)
{
	for (unsigned i = 0; i < WAITERS_MAX && parked; i++)
		if (waiters[i].again && call_of(&waiters[i]).caller == who)
			waiter_free(&waiters[i]);
}

uint64_t wait_timer(bool fire)
{
	if (!parked)
		return XINIM_WAIT_FOREVER;	// the common case, before the counter is read
	uint64_t now = counter_ticks(), next = 0, hz_us = counter_hz() / 1000000;
	uint32_t now_round = ++round;
	for (unsigned i = 0; i < WAITERS_MAX && fire; i++) {
		struct waiter *w = &waiters[i];
		if (w->again && w->deadline && w->deadline <= now && w->round != now_round)
			retry(w);	// parked again: has round now, not run twice
	}
	for (unsigned i = 0; i < WAITERS_MAX; i++) {
		const struct waiter *w = &waiters[i];
		if (w->again && w->deadline && (!next || w->deadline < next))
			next = w->deadline;
	}
	if (!next)
		return XINIM_WAIT_FOREVER;
	return next > now ? (next - now + hz_us - 1) / hz_us : 0;
}
