#pragma once
// The hosted backend's small kernel, shared by its files: kernel.c (processes,
// capabilities, channel keys, the trace ring and the test controls of <libipc/host.h>),
// transport.c (messages: blocked callers, receives, replies, notifications), keys.c
// (self, lookup, channel keys, refusals) and copy.c (copies to and from blocked callers).
// One mutex guards all of it; every function below needs it held (host_enter).
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <xinim/codec.h>
#include <libipc/host.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/trace.h>

// Broadcast on every change; blocked threads wait on it with host_lock.
extern pthread_mutex_t host_lock;
extern pthread_cond_t host_changed;

// Takes host_lock, starting the kernel (clock, libsodium) the first time.
void host_enter(void);
void host_leave(void);

// The calling thread's endpoint while its instance lives, else XINIM_ENDPOINT_NONE.
xinim_endpoint_t host_self(void);

bool host_live(xinim_endpoint_t ep);

// The endpoint of pid's live instance, or XINIM_ENDPOINT_NONE.
xinim_endpoint_t host_instance(unsigned pid);

// Whether from_pid holds a send capability to to_pid; *badge gets its badge.
bool host_cap(unsigned from_pid, unsigned to_pid, uint64_t *badge);

// Hands out the key of the channel self -> peer (XINIM_TO_PEER) or peer -> self, made
// on first request; peer may be XINIM_ENDPOINT_KERNEL. As in the kernel, each end takes
// a key once: 0, -EALREADY, -ENOSPC. The caller has checked that the two may talk.
long host_channel_take(xinim_endpoint_t self, xinim_endpoint_t peer,
		       enum xinim_direction direction, struct xinim_channel *out);

// The kernel's sending end of its channel to the live instance ep (notifications and
// the kernel's own calls), and its receiving end of ep's channel to it (their replies).
struct codec_channel *host_kernel_tx(xinim_endpoint_t ep);
struct codec_channel *host_kernel_rx(xinim_endpoint_t ep);

// A new trace message id, shared by a call's records and its reply's.
uint64_t host_trace_id(void);

void host_trace(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		const struct xinim_msg_header *header, uint64_t message_id);

// Traces a refusal (message id 0) and returns err.
long host_refuse(enum xinim_trace_event event, enum xinim_trace_verdict verdict,
		 const struct xinim_msg_header *header, long err);

// transport.c: an instance died (callers queued on it or awaiting its reply get -EIO,
// its notifications go), or everything is forgotten (every blocked thread gets -EIO).
void host_messages_kill(xinim_endpoint_t ep);
void host_messages_reset(void);

// transport.c: whether caller (an endpoint, generation included) is blocked in a call
// to server that server took and has not answered yet, by a thread of its own or by the
// kernel's call for it.
bool host_blocked_on(xinim_endpoint_t server, xinim_endpoint_t caller);

// copy.c: n bytes between here, the server's, and there, the caller's, a page at a time,
// as the kernel copies them: 0, or -EFAULT at the first page that may not be accessed so.
long host_copy_pages(bool to_caller, uint64_t there, char *here, size_t n);

// grant.c: every grant is forgotten (host_ipc_reset).
void host_grants_reset(void);
