#pragma once
// Message passing between processes (docs/architecture.md, Messages): the kernel checks
// the header and the sender's capability, writes the source, and moves the 128 bytes; it
// never opens user-to-user messages. Blocking goes through the scheduler.
#include <stdbool.h>
#include <stdint.h>
#include <xinim/ipc/message.h>

struct endpoint;
struct proc;
struct thread;
struct trapframe;

enum ipc_phase {
	IPC_IDLE,
	IPC_SENDING,		// queued on the destination's endpoint
	IPC_AWAITING_REPLY,	// a call the receiver took, not yet answered
	IPC_RECEIVING,		// waiting on its own endpoint
	IPC_DONE,		// completed by the other side: result (and msg) are set
};

// A thread's IPC state; guarded by the lock of the endpoint named by `on`.
struct ipc_wait {
	struct xinim_msg msg;		// out: the message sent; in: the reply or the message received
	struct xinim_msg *buffer;	// where the reply or the message received goes, at its
					// kernel address (one-copy path), or NULL
	bool delivered;			// it is there already (moved by the other side)
	enum ipc_phase phase;
	bool is_call;			// what was sent, or what was received
	bool notification;		// what was received is a notification (note)
	bool from_kernel;		// what was sent or received is a call the kernel
					// makes for a thread (ipc_kernel_call)
	bool syscall;			// that call is a system call: its reply's payload
					// is a struct xinim_syscall_reply (for the trace)
	long result;
	struct endpoint *on;
	struct ipc_wait *next;		// in the endpoint's senders or callers list
	struct thread *thread;
	xinim_endpoint_t caller;	// the endpoint a reply must name
	uint64_t badge;			// the sender's capability's badge
	uint64_t message_id;		// in the trace: shared by a call and its reply
	struct xinim_notification note;
};

// A new instance of proc gets its PID's next generation; returns its endpoint.
xinim_endpoint_t ipc_endpoint_open(struct proc *proc);

// The instance is gone: every call queued on it or awaiting its reply fails with -EIO.
void ipc_endpoint_close(struct proc *proc);
// The endpoint of pid's live instance, or XINIM_ENDPOINT_NONE.
xinim_endpoint_t ipc_endpoint_of(unsigned pid);
// proc's name becomes name (cut to its size), for the log and the trace (trace_name).
void ipc_endpoint_rename(struct proc *proc, const char *name);

// The running thread calls server pid from the kernel, for itself (a system call, a
// fault): a message of type with payload (length bytes) goes to the server on the
// kernel's channel to it, sealed as the server takes it; the reply, opened as the server
// gives it, is read in place: on 0, *reply points to it in the thread's own wait, valid
// until the thread's next call or receive (not copied out: a copy of 128 bytes on every
// system call). Waits without a timeout. 0, -ESRCH (no such server),
// -EDEADLK (the thread's own process), -EIO (the server died first), or -EINTR (the
// thread's process was ended meanwhile).
long ipc_kernel_call(unsigned pid, int32_t type, const void *payload, uint16_t length,
		     const struct xinim_msg **reply);

// Threads of proc are ended (their PROC_PENDING_END set): each blocked in a call, send,
// receive or kernel call stops waiting (-EINTR) and ends on its way back to EL0. Takes
// proc's threads_lock, and under it the lock of each endpoint a thread waits on in turn;
// none may be held.
void ipc_cancel(struct proc *proc);

// The PID of the server whose answer to a system call thread waits for (queued or
// taken), or 0. Takes that endpoint's lock.
unsigned ipc_syscall_server(const struct thread *thread);

// Notifies pid's live instance from the kernel (XINIM_ENDPOINT_KERNEL): 0, or -ESRCH,
// -EAGAIN as KCALL_IPC_NOTIFY. Never blocks; takes pid's endpoint lock.
long ipc_kernel_notify(unsigned pid, uint64_t bits);

// The kernel calls (include/xinim/ipc/kcall.h); each takes its arguments from frame.
long ipc_kcall_self(struct trapframe *frame);
long ipc_kcall_lookup(struct trapframe *frame);
long ipc_kcall_channel(struct trapframe *frame);
long ipc_kcall_call(struct trapframe *frame);
long ipc_kcall_send(struct trapframe *frame);
long ipc_kcall_receive(struct trapframe *frame);
long ipc_kcall_reply(struct trapframe *frame);
long ipc_kcall_reply_receive(struct trapframe *frame);
long ipc_kcall_notify(struct trapframe *frame);
long ipc_kcall_rejected(struct trapframe *frame);
long ipc_kcall_copy_to(struct trapframe *frame);
long ipc_kcall_copy_from(struct trapframe *frame);
