#pragma once
// The backend under libipc: kernel calls on XINIM (xinim/transport.c), an in-process
// imitation of the kernel's rules on the host (host/transport.c). Same contracts as the
// KCALL_IPC_* calls in <xinim/ipc/kcall.h>.
#include <stddef.h>
#include <stdint.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>

long transport_self(void);
long transport_lookup(unsigned pid);
long transport_channel(xinim_endpoint_t peer, enum xinim_direction direction,
		       struct xinim_channel *out);
long transport_call(struct xinim_msg *msg, uint64_t timeout_us);
long transport_send(const struct xinim_msg *msg, uint64_t timeout_us);
// 0 for a send, XINIM_RECEIVED_CALL for a call; *badge gets the capability's badge.
long transport_receive(struct xinim_msg *msg, uint64_t timeout_us, uint64_t *badge);
long transport_reply(const struct xinim_msg *msg);
// A reply, then a receive, in one step; the reply's error if it fails.
long transport_reply_receive(const struct xinim_msg *reply, struct xinim_msg *msg,
			    uint64_t timeout_us, uint64_t *badge);
long transport_notify(xinim_endpoint_t dest, uint64_t bits);
long transport_rejected(const struct xinim_msg_header *header, enum xinim_trace_verdict verdict);
// Lets some time pass (about microseconds), without receiving: waiting for a server's
// next instance.
void transport_pause(uint64_t microseconds);

// KCALL_COPY_TO (to_caller) or KCALL_COPY_FROM: n bytes between here and `there` in the
// memory of caller, blocked in a call to us. On the host, callers share our memory.
long transport_copy(int to_caller, xinim_endpoint_t caller, uint64_t there, void *here, size_t n);

// KCALL_GRANT_MAKE, KCALL_GRANT_COPY and KCALL_GRANT_END (libipc/ipc.h's ipc_grant_*).
long transport_grant_make(xinim_endpoint_t caller, uint64_t call_id, xinim_endpoint_t grantee,
			  uint64_t va, uint64_t length, unsigned access);
long transport_grant_copy(uint64_t grant, uint64_t offset, void *here, uint64_t n,
			  unsigned access);
long transport_grant_end(uint64_t grant);
