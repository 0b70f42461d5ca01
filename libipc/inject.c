// What RS asks of every server's loop (docs/resurrection.md): its pings (XINIM_RS_PING),
// answered at once, and the faults injected for the resurrection tests (XINIM_RS_INJECT,
// from the boot option inject=): the loop crashes or hangs at the request named. Off
// unless RS asks.
#include <errno.h>
#include <string.h>
#include <libipc/keep.h>
#include <libipc/transport.h>
#include <xinim/ipc/rs.h>
#include "inject.h"

static struct xinim_rs_inject pending;	// kind 0: nothing to inject
static uint32_t requests;		// since the injection was asked for

static __attribute__((noinline)) void crash(void)
{
	*(volatile int *)0 = 0;		// the fault a handler's bug would make
}

// Stops answering for good, as a handler waiting for what never comes. Blocked rather
// than spinning: under QEMU's -icount the vCPUs take turns, and a vCPU that spins runs
// up to the next timer deadline each turn while the others only get to reprogram their
// timers, so RS, on another CPU, would hardly run (a spin on real CPUs hangs the same).
static void hang(void)
{
	for (;;)
		transport_pause(10000);	// short: an end (KCALL_PROC_END) applies as it wakes
}

bool ipc_rs_asked(const struct ipc_request *request, long *result)
{
	const struct xinim_msg_header *h = &request->msg.header;
	if (h->type == XINIM_RS_PING) {	// RS asks whether we still serve: we do
		*result = 0;
		return true;
	}
	if (h->type == XINIM_RS_INJECT) {
		bool from_rs = xinim_endpoint_pid(h->source) == XINIM_PID_RS;
		if (from_rs && h->length == sizeof(pending)) {
			memcpy(&pending, request->msg.payload, sizeof(pending));
			requests = 0;
		}
		*result = from_rs ? 0 : -EPERM;
		return true;
	}
	return false;
}

void ipc_injected(void)
{
	if (pending.kind && ++requests == pending.at) {
		if (pending.kind == XINIM_INJECT_POISON)
			keep_poison_test();	// and crash: in this instance and the next ones
		if (pending.kind == XINIM_INJECT_CRASH || pending.kind == XINIM_INJECT_POISON)
			crash();
		else if (pending.kind == XINIM_INJECT_HANG)
			hang();
		else if (pending.kind == XINIM_INJECT_MIDWAY)
			keep_crash_after(pending.changes ? pending.changes : 3);	// in the middle of
										// the request's changes
	}
}
