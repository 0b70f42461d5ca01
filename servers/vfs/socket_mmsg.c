// sendmmsg and recvmmsg (sendmmsg(2), recvmmsg(2)) as Linux's: a sendmsg or recvmsg per
// entry of the caller's struct mmsghdr array, each entry's msg_len set to its count, and
// each entry waiting as its own call would (MSG_WAITFORONE: a receive's first alone). A
// wait parks the whole call, which runs again from the entry it waits at: how many went
// is kept under its request id (parked.c's progress, made before the entry runs), in the
// commit of the message the last one moved, so that neither a run again nor a VFS
// restarted meanwhile loses or repeats a message. A signal then answers the count. The
// call ends with the count once an entry fails; recvmmsg keeps the error (but -EAGAIN)
// for the next call, as Linux's sk_err, and answers such an error first. Its timeout is
// looked at after each datagram only (recvmmsg(2), BUGS), and what is left of it written
// back.
#include <errno.h>
#include <sys/socket.h>
#include <time.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define MMSG_BYTES 64		// AArch64's struct mmsghdr: a struct msghdr, msg_len, padding
#define MSG_LEN_AT 56
#define VLEN_MAX 1024		// Linux's UIO_MAXIOV: vlen is cut to it
#define NS_PER_S 1000000000ull

typedef long message_call(const struct ipc_request *request, ipc_handler *again, uint64_t at,
			  int flags);

// What tells the two calls apart.
struct mmsg_call {
	ipc_handler *again;
	message_call *one;
	bool receives;		// MSG_WAITFORONE holds, an error after an entry is kept
};

static int entry_flags(const struct mmsg_call *kind, int flags, uint32_t done)
{
	bool one_only = kind->receives && done && (flags & MSG_WAITFORONE);
	return (flags & ~MSG_WAITFORONE) | (one_only ? MSG_DONTWAIT : 0);
}

// The count of entries done, kept under the call's id before the next entry runs: false
// when the table has no room (the call then ends with the count).
static bool done_kept(xinim_endpoint_t caller, uint64_t id, uint32_t done)
{
	struct transfer_progress *p = progress_find(caller, id, PROGRESS_ENTRIES, true);
	if (p) {
		keep_change(&p->moved, sizeof(p->moved));
		p->moved = done;
	}
	return p;
}

// A receive's error after an entry went, for the next call (Linux's sk_err); -EAGAIN is
// only the end of what was queued.
static void error_kept(xinim_endpoint_t caller, uint64_t fd, long err)
{
	struct sock *s;
	if (err != -EAGAIN && err > -256 && !sock_fd(caller, fd, &s)) {
		keep_change(&s->error, sizeof(s->error));
		s->error = (uint8_t)-err;
	}
}

// The entries from the first not done yet: their count, or the first one's -errno, or
// the call parked. deadline (counter ticks, 0: none) ends it after a datagram.
static long each_message(const struct ipc_request *request, const struct mmsg_call *kind,
			 uint64_t deadline)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t id = request->msg.header.id;
	uint32_t vlen = (uint32_t)call.args[2] < VLEN_MAX ? (uint32_t)call.args[2] : VLEN_MAX;
	int flags = (int)call.args[3];
	const struct transfer_progress *p =
		progress_find(call.caller, id, PROGRESS_ENTRIES, false);
	uint32_t done = p && p->moved < vlen ? (uint32_t)p->moved : 0;
	long result = 0;
	while (done < vlen && (!done || done_kept(call.caller, id, done))) {
		uint64_t at = call.args[1] + (uint64_t)done * MMSG_BYTES;
		wait_interrupted_answer(done);
		result = kind->one(request, kind->again, at, entry_flags(kind, flags, done));
		wait_interrupted_answer(0);
		if (result < 0)
			break;
		uint32_t length = (uint32_t)result;
		result = ipc_copy_to(call.caller, at + MSG_LEN_AT, &length, sizeof(length));
		if (result)
			break;
		done++;
		if (deadline && counter_ticks() >= deadline)
			break;
	}
	if (result == IPC_DEFERRED)
		return result;
	progress_end(call.caller, id, PROGRESS_ENTRIES);
	if (done && kind->receives && result < 0)
		error_kept(call.caller, call.args[0], result);
	return done ? (long)done : result;
}

// sendmmsg(fd, msgvec, vlen, flags)
long vfs_sendmmsg(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	static const struct mmsg_call sends = { vfs_sendmmsg, send_message, false };
	return each_message(request, &sends, 0);
}

// What is left of a timeout whose deadline is `deadline`, written back to at.
static long timeout_left(xinim_endpoint_t caller, uint64_t at, uint64_t deadline)
{
	uint64_t now = counter_ticks();
	uint64_t ns = deadline > now ? (uint64_t)((unsigned __int128)(deadline - now) * NS_PER_S /
						  counter_hz()) : 0;
	struct timespec left = { (time_t)(ns / NS_PER_S), (long)(ns % NS_PER_S) };
	return ipc_copy_to(caller, at, &left, sizeof(left));
}

// recvmmsg(fd, msgvec, vlen, flags, timeout): a pending error first (Linux's sock_error,
// but for MSG_ERRQUEUE).
long vfs_recvmmsg(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	static const struct mmsg_call receives = { vfs_recvmmsg, receive_message, true };
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t deadline;
	long err = timeout_of(call.caller, call.args[4], &deadline);
	struct sock *s;
	bool first = !progress_find(call.caller, request->msg.header.id, PROGRESS_ENTRIES, false);
	if (!err && first && !((int)call.args[3] & MSG_ERRQUEUE) &&
	    !sock_fd(call.caller, call.args[0], &s))
		err = sock_error(s);
	long got = err ? err : each_message(request, &receives, deadline);
	if (got > 0 && call.args[4])
		err = timeout_left(call.caller, call.args[4], deadline);
	return err ? err : got;
}
