#pragma once
// The wire format of every message (docs/architecture.md, Messages): 128 bytes, a 32-byte
// header that is authenticated but clear, a 64-byte payload of which `length` bytes are
// encrypted, and the Poly1305 tag. The layout is the same in the kernel, in programs and
// on the host.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>

#define XINIM_MSG_SIZE    128
#define XINIM_HEADER_SIZE 32
#define XINIM_PAYLOAD_MAX 64
#define XINIM_TAG_SIZE    16

// Message types: each server owns a range. In a reply, `type` holds the result instead:
// 0 or more for success, a negative errno for failure.
enum xinim_msg_range {
	XINIM_MSG_VFS_FIRST = 100, XINIM_MSG_VFS_LAST = 199,
	XINIM_MSG_PM_FIRST = 200, XINIM_MSG_PM_LAST = 299,
	XINIM_MSG_MM_FIRST = 300, XINIM_MSG_MM_LAST = 399,
	XINIM_MSG_NET_FIRST = 400, XINIM_MSG_NET_LAST = 499,
	XINIM_MSG_DEV_FIRST = 600, XINIM_MSG_DEV_LAST = 699,	// drivers (xinim/ipc/dev.h)
	XINIM_MSG_RS_FIRST = 700, XINIM_MSG_RS_LAST = 799,
	XINIM_MSG_TEST_FIRST = 900, XINIM_MSG_TEST_LAST = 999,	// test and benchmark programs
	// Linux system calls, sent by the kernel only: type = first + number (syscalls.h),
	// payload struct xinim_syscall; numbers past the last go as XINIM_MSG_SYSCALL_OTHER.
	XINIM_MSG_SYSCALL_FIRST = 1000, XINIM_MSG_SYSCALL_LAST = 1511,
	XINIM_MSG_SYSCALL_OTHER = XINIM_MSG_SYSCALL_LAST,
};

#define XINIM_SYSCALL_NUMBERS (XINIM_MSG_SYSCALL_LAST - XINIM_MSG_SYSCALL_FIRST)

// The kernel's notification message (source XINIM_ENDPOINT_KERNEL): the payload is a
// struct xinim_notification.
#define XINIM_MSG_NOTIFY 1

enum xinim_msg_flag {
	XINIM_MSG_CLEAR = 1 << 0,	// the payload is not encrypted and the tag is zero
	XINIM_MSG_FLAGS = XINIM_MSG_CLEAR,	// every flag a message may carry
};

struct xinim_msg_header {
	xinim_endpoint_t source;	// written by the kernel: a sender cannot forge it
	xinim_endpoint_t dest;
	int32_t type;			// a message type, or in a reply the result
	uint16_t flags;			// enum xinim_msg_flag
	uint16_t length;		// payload bytes in use, at most XINIM_PAYLOAD_MAX
	uint64_t sequence;		// the channel's counter: the low 8 bytes of the nonce
	uint64_t id;			// chosen by the caller; a reply carries its call's id
};

struct xinim_msg {
	struct xinim_msg_header header;		// associated data of the AEAD
	uint8_t payload[XINIM_PAYLOAD_MAX];
	uint8_t tag[XINIM_TAG_SIZE];
	uint8_t padding[XINIM_MSG_SIZE - XINIM_HEADER_SIZE - XINIM_PAYLOAD_MAX - XINIM_TAG_SIZE];
} __attribute__((aligned(16)));

struct xinim_notification {
	xinim_endpoint_t from;		// who notified
	uint32_t reserved;
	uint64_t bits;			// ORed together since the last delivery
};

// Notification bits every server understands.
enum xinim_note {
	// The sender serves from now on. A server's start-up (its C library's first system
	// calls) calls PM, uphill (docs/architecture.md, Servers call each other only
	// downhill), so PM calls a server only after this.
	XINIM_NOTE_SERVING = 1 << 0,
	// From the kernel to PM: a process PM made is gone whole, its memory free and its
	// PID's endpoint closed (KCALL_IPC_LOOKUP gives -ESRCH), which KCALL_PROC_END and a
	// death notice only begin.
	XINIM_NOTE_GONE = 1 << 1,
	// From the kernel to VFS: console input waits in the kernel's ring (KCALL_CONSOLE_READ).
	XINIM_NOTE_CONSOLE_INPUT = 1 << 2,
	// From VFS to PM: the keyboard raised signals for process groups (^C, ^\, ^Z); PM
	// takes them (XINIM_VFS_TTY_SIGNALS) and sends them as kill(-pgrp, signal) would.
	XINIM_NOTE_TTY_SIGNALS = 1 << 3,
	// From VFS to PM: signals wait for single processes (a message queue's mq_notify); PM
	// takes them (XINIM_VFS_SIGNALS).
	XINIM_NOTE_SIGNALS = 1 << 4,
	// From VFS to PM: a reader of /proc waits for the process table; PM asks what is
	// wanted (XINIM_VFS_PROC_WANTS) and hands it over (XINIM_VFS_PROC_REPORT).
	XINIM_NOTE_PROC_WANTED = 1 << 5,
	// From NET to VFS: sockets' readiness changed; VFS fetches it (XINIM_NET_EVENTS).
	XINIM_NOTE_NET_EVENTS = 1 << 6,
	// From a network driver to NET: frames arrived, or room to send came free.
	XINIM_NOTE_DEV_READY = 1 << 7,
};

// A driver's device interrupt (KCALL_DEVICE_IRQ_BIND): bits it chooses from these.
#define XINIM_NOTE_IRQ(n) (UINT64_C(1) << (32 + (n)))

// A thread's Linux system call, as the kernel passes it to the server that serves it.
// The caller is blocked until the reply, whose payload is a struct xinim_syscall_reply.
struct xinim_syscall {
	uint64_t args[6];		// x0..x5
	uint64_t number;		// x8
	xinim_endpoint_t caller;	// the calling process
	uint32_t tid;			// its calling thread (the PID for its first)
};

struct xinim_syscall_reply {
	int64_t value;			// for x0: a result, or a negative errno
};

// A server's answer that raises a signal in its caller before the caller returns to EL0
// (docs/architecture.md, Servers call each other only downhill: SIGPIPE, SIGTTIN,
// SIGTTOU), or that changes its signal mask (a call's own mask: ppoll's): the kernel asks
// PM (XINIM_PM_RAISE), and x0 is what PM says: value, or another answer as flags ask.
struct xinim_syscall_raise_reply {
	int64_t value;
	uint32_t signal;		// 0: none
	uint32_t flags;			// enum xinim_raise_flag
	uint64_t mask;			// XINIM_RAISE_MASK's: bit n - 1 for signal n
};

enum xinim_raise_flag {
	// Linux's tty job control (__tty_check_change): the signal goes to the caller's
	// process group, unless the caller ignores or blocks it (SIGTTIN: -EIO; others:
	// the call is made again with XINIM_SYSCALL_AGAIN, and the server lets it
	// through) or the group is orphaned (-EIO).
	XINIM_RAISE_JOB_CONTROL = 1 << 0,
	// The call waits under its own signal mask (ppoll's, pselect6's, epoll_pwait's): PM
	// puts mask in place of the thread's, keeping the thread's to put back, and has the
	// call made again (XINIM_SYSCALL_AGAIN) to run under it; or, when a signal it lets
	// through is pending already, answers -EINTR (the handler runs, then the old mask is
	// back). value is the answer should PM not answer.
	XINIM_RAISE_MASK = 1 << 1,
	// The call made under its own mask is over, value its answer: the thread's mask is
	// put back, unless a signal's handler is to run first (value an interruption's code:
	// the handler's frame puts it back), as Linux's restore_saved_sigmask_unless.
	XINIM_RAISE_UNMASK = 1 << 2,
};

// Added to struct xinim_syscall's number when the kernel makes a call again after PM
// answered what its last answer raised: the signal (XINIM_RAISE_JOB_CONTROL) was
// ignored or blocked, or the call's mask is in place (XINIM_RAISE_MASK).
#define XINIM_SYSCALL_AGAIN (UINT64_C(1) << 32)

// A server's answer to a call that a signal interrupts (Linux's own codes, which
// never reach EL0): the kernel turns it into -EINTR, or into the call made again, as
// the signal's delivery decides (kernel/signal.c).
enum xinim_restart {
	XINIM_ERESTARTSYS = 512,	// made again unless a handler without SA_RESTART runs
	XINIM_ERESTARTNOINTR = 513,	// always made again
	XINIM_ERESTARTNOHAND = 514,	// made again only if no handler runs
};

// PM's answer to a clone, longer than the others: value is the child's PID (or the new
// thread's TID) for the caller, and before the caller returns the kernel starts child (a
// process PM made and has not started) as a copy of the calling thread, with x0 = 0, its
// stack pointer sp (0: the caller's) -- or, with XINIM_FORK_THREAD, a new thread `value`
// of the caller's own process, with sp and the TLS pointer tls. Taken from PM only: from
// any other server the reply is malformed (-EIO).
struct xinim_syscall_fork_reply {
	int64_t value;
	xinim_endpoint_t child;
	uint32_t flags;			// enum xinim_fork_flag
	uint64_t sp, tls;
};

enum xinim_fork_flag {
	// vfork: once the child runs, the caller waits in PM (XINIM_PM_VFORK_WAIT, a call
	// the kernel makes for it) until the child has made an execve or ended.
	XINIM_FORK_VFORK = 1,
	XINIM_FORK_THREAD = 2,		// a thread of the caller's process, not a child
	XINIM_FORK_TLS = 4,		// the thread's TLS pointer is tls (else the caller's)
};

_Static_assert(sizeof(struct xinim_syscall) == XINIM_PAYLOAD_MAX, "syscall size");
_Static_assert(sizeof(struct xinim_msg_header) == XINIM_HEADER_SIZE, "header size");
_Static_assert(sizeof(struct xinim_msg) == XINIM_MSG_SIZE, "message size");
_Static_assert(__builtin_offsetof(struct xinim_msg, payload) == XINIM_HEADER_SIZE, "layout");
_Static_assert(sizeof(struct xinim_notification) <= XINIM_PAYLOAD_MAX, "notification size");
