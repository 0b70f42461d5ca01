// The server loop (libipc/include/libipc/server.h).
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <libipc/keep.h>
#include <libipc/server.h>
#include <libipc/transport.h>
#include "inject.h"

long ipc_copy_from(xinim_endpoint_t caller, void *here, uint64_t there, size_t n)
{
	return transport_copy(0, caller, there, here, n);
}

long ipc_copy_to(xinim_endpoint_t caller, uint64_t there, const void *here, size_t n)
{
	return transport_copy(1, caller, there, (void *)here, n);
}

long ipc_caller_string(xinim_endpoint_t caller, char *here, uint64_t there, size_t size)
{
	const uint64_t page = 4096;
	for (size_t have = 0; have < size;) {
		size_t chunk = page - ((there + have) & (page - 1));
		chunk = chunk < size - have ? chunk : size - have;
		long err = ipc_copy_from(caller, here + have, there + have, chunk);
		if (err)
			return err;
		char *nul = memchr(here + have, '\0', chunk);
		if (nul)
			return nul - here;
		have += chunk;
	}
	return -ENAMETOOLONG;
}

// What the answer being made raises (ipc_syscall_raise, ipc_syscall_mask); none: zeros.
static struct { uint32_t signal, flags; uint64_t mask; } raising;

void ipc_syscall_raise(uint32_t signal, uint32_t flags)
{
	raising.signal = signal;
	raising.flags = flags;
}

void ipc_syscall_mask(uint32_t flags, uint64_t mask)
{
	raising.signal = 0;
	raising.flags = flags;
	raising.mask = mask;
}

void ipc_syscall_answer(struct xinim_msg *reply, long value)
{
	if (raising.signal || raising.flags) {
		struct xinim_syscall_raise_reply answer = { .value = value, .signal = raising.signal,
							    .flags = raising.flags,
							    .mask = raising.mask };
		memcpy(reply->payload, &answer, sizeof(answer));
		reply->header.length = sizeof(answer);
	} else {
		struct xinim_syscall_reply answer = { .value = value };
		memcpy(reply->payload, &answer, sizeof(answer));
		reply->header.length = sizeof(answer);
	}
	raising.signal = raising.flags = 0;
	raising.mask = 0;
}

long ipc_syscall_answer_parked(uint64_t id, long value)
{
	struct xinim_msg answer = { .header.id = id };
	ipc_syscall_answer(&answer, value);
	keep_answered_call(id, XINIM_ENDPOINT_KERNEL, 0, &answer);	// the commit
	return ipc_reply(XINIM_ENDPOINT_KERNEL, 0, &answer);
}

// How long the loop may wait for a message: until the table's timer is due; what is
// due now is done first, after the loop's pending reply if there is one (*replying:
// sent and cleared), since the timer's answers commit (keep.h).
static uint64_t wait_for(const struct ipc_table *table, bool *replying, long result,
			 struct ipc_request *request, struct xinim_msg *reply)
{
	if (!table->timer)
		return XINIM_WAIT_FOREVER;
	uint64_t due = table->timer(false);
	if (due)
		return due;
	if (*replying)
		ipc_reply(request->msg.header.source, result, reply);
	*replying = false;
	return table->timer(true);
}

// Runs the handler in routes[index] (count rows), or fallback (NULL: -ENOSYS) when there
// is none; a request of the wrong length gets -EINVAL.
static long run(const struct ipc_route *routes, int64_t index, int64_t count,
		ipc_handler *fallback, const struct ipc_request *request, struct xinim_msg *reply)
{
	if (index < 0 || index >= count || !routes[index].handle)
		return fallback ? fallback(request, reply) : -ENOSYS;
	if (request->msg.header.length != routes[index].length)
		return -EINVAL;
	return routes[index].handle(request, reply);
}

// A system call names the process that made it: the kernel sends none that names no
// process, so one that does is malformed (and a handler may take 0 for "no caller").
static bool syscall_caller_valid(const struct ipc_request *request)
{
	xinim_endpoint_t caller;
	memcpy(&caller, request->msg.payload + offsetof(struct xinim_syscall, caller),
	       sizeof(caller));
	return caller != XINIM_ENDPOINT_KERNEL && caller != XINIM_ENDPOINT_NONE;
}

// Runs request's handler; true when a reply (result, and reply's payload) is due now.
static bool handle(const struct ipc_table *table, const struct ipc_request *request,
		   struct xinim_msg *reply, long *result)
{
	const struct xinim_msg_header *h = &request->msg.header;
	bool from_kernel = h->source == XINIM_ENDPOINT_KERNEL;
	if (from_kernel && h->type == XINIM_MSG_NOTIFY) {
		if (table->notified && h->length == sizeof(struct xinim_notification)) {
			struct xinim_notification note;
			memcpy(&note, request->msg.payload, sizeof(note));
			ipc_injected();	// a test's fault falls on a notification as well
			table->notified(&note);
			keep_commit();
		}
		return false;
	}
	*reply = (struct xinim_msg){ .header.id = h->id };
	raising.signal = 0;	// a raise asked for by a call that was then deferred
	if (ipc_rs_asked(request, result))
		return request->is_call;
	bool syscall = from_kernel && h->type >= XINIM_MSG_SYSCALL_FIRST &&
		       h->type <= XINIM_MSG_SYSCALL_LAST;
	enum keep_verdict kept = keep_replayed(request, result, reply);
	if (kept == KEEP_ANSWERED)
		return true;
	if (kept != KEEP_POISONED)
		ipc_injected();	// a test's crash, hang or midway crash, if this is the request
	if (kept == KEEP_POISONED)
		;	// *result is -EIO: answered as the handler's would be
	else if (!syscall)
		*result = run(table->routes, (int64_t)h->type - table->first, table->count, NULL,
			      request, reply);
	else if (!syscall_caller_valid(request))
		*result = -EINVAL;
	else
		*result = run(table->syscalls, h->type - XINIM_MSG_SYSCALL_FIRST,
			      table->syscalls ? XINIM_SYSCALL_NUMBERS : 0, table->unrouted_syscall,
			      request, reply);
	if (reply->header.length > XINIM_PAYLOAD_MAX) {	// a handler's bug: the caller is told
		reply->header.length = 0;
		*result = -EIO;
	}
	if (syscall && *result != IPC_DEFERRED) {
		if (!reply->header.length)	// else the handler gave an answer of its own
			ipc_syscall_answer(reply, *result);	// (a fork's, message.h)
		*result = 0;
	}
	bool answer = request->is_call && *result != IPC_DEFERRED;
	if (answer)
		keep_answered(request, *result, reply);	// the commit, before the reply leaves
	else
		keep_commit();
	return answer;
}

long ipc_announce(unsigned pid)
{
	long dest = ipc_lookup(pid);
	return dest < 0 ? dest : ipc_notify((xinim_endpoint_t)dest, XINIM_NOTE_SERVING);
}

// ipc_receive, or ipc_reply_receive with a reply due, with the table's waiting word set
// around the wait.
static long wait_message(const struct ipc_table *table, bool replying, long result,
			 struct ipc_request *request, struct xinim_msg *reply, uint64_t timeout_us)
{
	if (table->waiting)
		__atomic_store_n(table->waiting, 1, __ATOMIC_RELEASE);
	long err = replying ? ipc_reply_receive(request->msg.header.source, result, reply, request,
						timeout_us)
			    : ipc_receive(request, timeout_us);
	if (table->waiting)
		__atomic_store_n(table->waiting, 0, __ATOMIC_RELEASE);
	return err;
}

long ipc_serve_one(const struct ipc_table *table, uint64_t timeout_us)
{
	struct ipc_request request;
	struct xinim_msg reply;
	long result = 0;
	bool work = table->resume && table->resume(), replying = false;
	uint64_t due = wait_for(table, &replying, 0, &request, &reply);
	long err = wait_message(table, false, 0, &request, &reply,
				work ? 0 : due < timeout_us ? due : timeout_us);
	if (err)
		return work && err == -ETIMEDOUT ? 0 : err;
	if (handle(table, &request, &reply, &result))
		ipc_reply(request.msg.header.source, result, &reply);
	return 0;
}

// Each reply goes out with the receive of the next request, in one kernel call, unless
// parked work (ipc_table.resume) is due: then the reply goes first, a slice is done, and
// the receive only polls while work remains.
void ipc_serve(const struct ipc_table *table)
{
	struct ipc_request request;
	struct xinim_msg reply;
	long result = 0;
	bool replying = false, work = false;
	for (;;) {
		if (work) {
			if (replying)
				ipc_reply(request.msg.header.source, result, &reply);
			replying = false;
			work = table->resume();
		}
		uint64_t due = work ? 0 : wait_for(table, &replying, result, &request, &reply);
		long err = wait_message(table, replying, result, &request, &reply, due);
		result = 0;
		replying = !err && handle(table, &request, &reply, &result);
		work = table->resume && (work || (!err && (result == IPC_DEFERRED ||
							   (table->resume_due && table->resume_due()))));
	}
}
