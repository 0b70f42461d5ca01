// sendmmsg and recvmmsg (sendmmsg(2), recvmmsg(2)): a sendmsg or recvmsg per entry of the
// caller's struct mmsghdr array, each entry's msg_len set to its bytes. Only the first
// message may wait (a wait parks the call, which runs again from the first); the others
// go with MSG_DONTWAIT, and the call ends with those that went, as Linux's recvmmsg
// with MSG_WAITFORONE (without it, Linux waits for each; here it returns what was
// queued). An error after the first message ends the call with the count so far.
#include <errno.h>
#include <sys/socket.h>
#include "vfs.h"

#define MMSG_BYTES 64		// AArch64's struct mmsghdr: a struct msghdr, msg_len, padding
#define MSG_LEN_AT 56
#define VLEN_MAX 1024		// Linux's UIO_MAXIOV: vlen is cut to it

typedef long message_call(const struct ipc_request *request, ipc_handler *again, uint64_t at,
			  int flags);

static long each_message(const struct ipc_request *request, ipc_handler *again,
			 message_call *one)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	uint32_t vlen = (uint32_t)call.args[2] < VLEN_MAX ? (uint32_t)call.args[2] : VLEN_MAX;
	int flags = (int)call.args[3] & ~MSG_WAITFORONE;
	long done = 0;
	for (uint32_t i = 0; i < vlen; i++) {
		uint64_t at = call.args[1] + (uint64_t)i * MMSG_BYTES;
		long moved = one(request, i ? NULL : again, at, i ? flags | MSG_DONTWAIT : flags);
		if (moved == IPC_DEFERRED)
			return moved;	// the first waits: the call runs again from it
		if (moved < 0)
			return done ? done : moved;
		uint32_t length = (uint32_t)moved;
		long err = ipc_copy_to(call.caller, at + MSG_LEN_AT, &length, sizeof(length));
		if (err)
			return done ? done : err;
		done++;
	}
	return done;
}

// sendmmsg(fd, msgvec, vlen, flags)
long vfs_sendmmsg(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return each_message(request, vfs_sendmmsg, send_message);
}

// recvmmsg(fd, msgvec, vlen, flags, timeout): the timeout's struct is checked (-EFAULT,
// -EINVAL) but the call returns once no more is queued, before it.
long vfs_recvmmsg(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t deadline;
	long err = timeout_of(call.caller, call.args[4], &deadline);
	return err ? err : each_message(request, vfs_recvmmsg, receive_message);
}
