#pragma once
// A program's side of IPC: calls, receives, replies and notifications with every
// message sealed and opened by the codec. Each peer's channel keys are fetched from the
// kernel (or the hosted backend) the first time the peer is met.
// Single-threaded, like every XINIM server; not safe to call from two threads at once.
#include <stdint.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>

// A message as received: the opened message and what the kernel says about its sender.
struct ipc_request {
	struct xinim_msg msg;
	uint64_t badge;		// of the capability the sender used
	int is_call;		// the sender waits for a reply
};

// Calls dest: msg's type, length and payload go out, the opened reply comes back in msg.
// Returns the reply's result (its header.type), or a negative errno when the call failed
// (-EACCES no capability, -ESRCH dead destination, -ETIMEDOUT, -EBADMSG reply refused).
long ipc_call(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us);

// ipc_call without waiting for a supervised server's next instance when dest dies: for
// RS, which starts that instance itself.
long ipc_call_once(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us);

// Sends msg to dest and returns once it was received: 0 or a negative errno.
long ipc_send(xinim_endpoint_t dest, struct xinim_msg *msg, uint64_t timeout_us);

// Waits for the next message that opens. A call that does not open is answered with
// -EBADMSG, a send is dropped; both are counted (ipc_refused) and traced.
// 0, or -ETIMEDOUT and the kernel's other errors.
long ipc_receive(struct ipc_request *request, uint64_t timeout_us);

// Answers a call from `to` (in any order): result goes in the reply's header.type,
// msg's length and payload go with it, and msg's header.id should be the call's. 0, or -ESRCH when `to` waits for no reply.
long ipc_reply(xinim_endpoint_t to, long result, struct xinim_msg *msg);

// ipc_reply, then ipc_receive, with one kernel call: a server's loop. The reply's
// error if it cannot be sent (then nothing was received).
long ipc_reply_receive(xinim_endpoint_t to, long result, struct xinim_msg *reply,
		       struct ipc_request *request, uint64_t timeout_us);

// ORs bits into dest's pending notifications; never blocks. 0 or a negative errno.
long ipc_notify(xinim_endpoint_t dest, uint64_t bits);

// Grants (KCALL_GRANT_*; docs/net.md, Grants): the granter lets grantee copy length bytes
// at va of caller, parked in its call call_id, with access (enum xinim_grant_access) until
// that call is answered: the grant, or a negative errno. The grantee copies n bytes at
// offset in it (into here for XINIM_GRANT_READ, from here for XINIM_GRANT_WRITE): 0, or
// -ESRCH (ended), -EPERM, -EINVAL (past its range), -EFAULT.
long ipc_grant_make(xinim_endpoint_t caller, uint64_t call_id, xinim_endpoint_t grantee,
		    uint64_t va, uint64_t length, unsigned access);
long ipc_grant_copy(uint64_t grant, uint64_t offset, void *here, uint64_t n, unsigned access);
long ipc_grant_end(uint64_t grant);

xinim_endpoint_t ipc_self(void);

// The live endpoint of pid (for a peer that was restarted), or a negative errno.
long ipc_lookup(unsigned pid);

// Messages refused by this program's codec, by verdict (XINIM_TRACE_BAD_TAG, ...).
uint64_t ipc_refused(enum xinim_trace_verdict verdict);
