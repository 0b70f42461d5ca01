// ppoll with no descriptors, the wait musl's pause() makes (AArch64 has no pause call):
// parked until a signal's handler is to run in the caller's thread (PM's
// XINIM_VFS_INTERRUPT: -EINTR, Linux's ERESTARTNOHAND) or its timeout passes (0).
// Waits for descriptors, and a signal mask given to ppoll, come with the next issue's
// fd layer (-ENOSYS; docs/syscalls.md). A parked pause is no kept state: a VFS that dies
// is given the call again by the kernel and parks it again (its timeout from then).
#include <errno.h>
#include <string.h>
#include <time.h>
#include <xinim/ipc/vfs.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define PAUSES_MAX 256	// a thread has one call at a time: beyond, -EAGAIN

static struct pause {
	uint64_t id, deadline;	// id 0: free; deadline 0: none (counter ticks)
	xinim_endpoint_t who;
	uint32_t tid;
} pauses[PAUSES_MAX];
static unsigned parked;	// pauses with an id: none, and the timer costs nothing

static void pause_free(struct pause *p)
{
	parked -= p->id != 0;
	*p = (struct pause){ 0 };
}

static void pause_answer(struct pause *p, long result)
{
	uint64_t id = p->id;
	pause_free(p);
	ipc_syscall_answer_parked(id, result);
}

long vfs_ppoll(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct timespec t;
	if (call.args[1] || call.args[3])
		return -ENOSYS;	// descriptors, a signal mask: the fd layer's
	if (call.args[2]) {
		long err = ipc_copy_from(call.caller, &t, call.args[2], sizeof(t));
		if (err)
			return err;
		if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
			return -EINVAL;
		if (!t.tv_sec && !t.tv_nsec)
			return 0;
	}
	struct pause *free = NULL;
	for (unsigned i = 0; i < PAUSES_MAX && !free; i++)
		free = pauses[i].id ? NULL : &pauses[i];
	if (!free)
		return -EAGAIN;
	uint64_t hz = counter_hz();
	parked++;
	*free = (struct pause){ .id = request->msg.header.id, .who = call.caller, .tid = call.tid,
		.deadline = call.args[2] ? counter_ticks() + (uint64_t)t.tv_sec * hz +
						   (uint64_t)t.tv_nsec * hz / 1000000000 : 0 };
	return IPC_DEFERRED;
}

long vfs_interrupt(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_interrupt which;
	if (!pm_sent(request, &which, sizeof(which)))
		return -EPERM;
	for (unsigned i = 0; i < PAUSES_MAX && parked; i++)
		if (pauses[i].id && pauses[i].who == which.who && pauses[i].tid == which.tid)
			pause_answer(&pauses[i], -XINIM_ERESTARTNOHAND);
	return 0;
}

void pause_forget(xinim_endpoint_t who)
{
	for (unsigned i = 0; i < PAUSES_MAX && parked; i++)
		if (pauses[i].id && pauses[i].who == who)
			pause_free(&pauses[i]);
}

uint64_t pause_timer(bool fire)
{
	if (!parked)
		return XINIM_WAIT_FOREVER;	// the common case, before the counter is read
	uint64_t now = counter_ticks(), next = 0, hz_us = counter_hz() / 1000000;
	for (unsigned i = 0; i < PAUSES_MAX; i++) {
		struct pause *p = &pauses[i];
		if (!p->id || !p->deadline)
			continue;
		if (p->deadline <= now && fire)
			pause_answer(p, 0);
		else if (!next || p->deadline < next)
			next = p->deadline;
	}
	if (!next)
		return XINIM_WAIT_FOREVER;
	return next > now ? (next - now + hz_us - 1) / hz_us : 0;
}
