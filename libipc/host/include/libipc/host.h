#pragma once
// The hosted backend's control panel (libipc/host/kernel.c): on the host, each
// "process" is a thread of the test program, bound to a PID by host_ipc_register, and a
// small in-process kernel applies the rules of the KCALL_IPC_* calls (<xinim/ipc/kcall.h>)
// as kernel/ipc.c does: capabilities by PID, generations, timeouts, keys each end takes
// once, notifications sealed by the kernel and served in turn with senders, copies only
// to and from a caller blocked in a call to the copying server. Tests set up PIDs,
// capabilities and sealing here, then use libipc as a server would. Thread-safe.
#include <stdbool.h>
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/trace.h>

#define HOST_IPC_PIDS 64	// PIDs 1..63 may be registered

// Forgets every process, capability, channel, notification and trace record. Threads
// still blocked in a call, send or receive are woken with -EIO. Call between tests.
void host_ipc_reset(void);

// Binds the calling thread to pid as a new instance: the generation of pid goes up by
// one (the first is 1) and the kernel's channels to and from it get fresh keys. A live
// older instance of pid dies first (as host_ipc_exit, its own waits fail too).
// Returns the new endpoint. Aborts on a PID outside 1..HOST_IPC_PIDS-1.
xinim_endpoint_t host_ipc_register(unsigned pid);

// The calling thread's process dies: callers queued on it or awaiting its reply fail
// with -EIO, its pending notifications and untaken channel keys are forgotten, its
// endpoint becomes dead, and the thread is unbound.
void host_ipc_exit(void);

// Lets from_pid call, send to and notify to_pid; the receiver is told badge. Held by
// PID, so it survives restarts of either side. A second grant replaces the badge.
void host_ipc_grant(unsigned from_pid, unsigned to_pid, uint64_t badge);

// The kernel calls the live instance dest itself for a thread of caller, as for its
// system call or page fault (kernel/ipc.c, ipc_kernel_call): msg's type, length and
// payload go out with source XINIM_ENDPOINT_KERNEL, with no capability check, sealed on
// the kernel's channel to dest as dest takes it; the opened reply comes back in msg.
// While the call awaits its reply, dest may copy caller's memory (ipc_copy_to/from), and
// the trace names caller as the call's source. Any thread may make it, bound or not.
// Returns the reply's result (its header.type), or -ESRCH (dest is not live), -EDEADLK
// (caller is dest's PID), -ETIMEDOUT, -EIO (dest died), -EINVAL.
struct xinim_msg;
long host_ipc_kernel_call(xinim_endpoint_t dest, xinim_endpoint_t caller, struct xinim_msg *msg,
			  uint64_t timeout_us);

// The kernel notifies pid's live instance (kernel/notify.c, ipc_kernel_notify): bits
// ORed into the kernel's slot there. 0, or -ESRCH (pid is not live), -EAGAIN.
long host_ipc_kernel_notify(unsigned pid, uint64_t bits);

// Channels created from now on (and the kernel's channels of processes registered from
// now on) have XINIM_CHANNEL_CLEAR, no sealing; or not.
void host_ipc_set_clear(bool clear);	// forgets the channels made so far

// Takes up to max trace records, oldest first, out of the ring (as KCALL_TRACE_READ);
// returns how many. The ring keeps the newest HOST_IPC_TRACE_RECORDS.
#define HOST_IPC_TRACE_RECORDS 1024
unsigned host_ipc_trace(struct xinim_trace_record *out, unsigned max);
