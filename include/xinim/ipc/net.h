#pragma once
// VFS (PID 2) -> NET (PID 5): the AF_INET sockets (docs/net.md). A socket is an fd in
// VFS's table; VFS keeps NET's socket id in its open file and calls NET for what the
// socket does. NET answers every call at once and never waits: what cannot happen now is
// answered -EAGAIN (-EINPROGRESS for a connect), and VFS parks its caller until NET's
// readiness says to ask again (XINIM_NOTE_NET_EVENTS, XINIM_NET_EVENTS). Blocking,
// O_NONBLOCK, MSG_DONTWAIT, SO_RCVTIMEO/SO_SNDTIMEO, SIGPIPE and EINTR are VFS's.
// Data moves through grants VFS makes on its parked caller's buffers (KCALL_GRANT_MAKE);
// addresses and options travel in the messages; anything else bigger than a payload
// lies in VFS's own memory, which NET copies while VFS waits in its call
// (KCALL_COPY_FROM/TO).
#include <stdint.h>
#include <xinim/ipc/message.h>

enum xinim_net_msg {
	XINIM_NET_SOCKET = XINIM_MSG_NET_FIRST,	// struct xinim_net_socket -> socket id > 0
	XINIM_NET_CLOSE,	// struct xinim_net_sock -> 0: the id is free again
	XINIM_NET_BIND,		// struct xinim_net_addr -> 0
	XINIM_NET_LISTEN,	// struct xinim_net_sock (arg: backlog) -> 0
	XINIM_NET_ACCEPT,	// struct xinim_net_sock -> the new socket's id; answer's addr: peer's
	XINIM_NET_CONNECT,	// struct xinim_net_addr -> 0, -EINPROGRESS (ask SO_ERROR once
				// writable), -EALREADY, -EISCONN, ...
	XINIM_NET_SEND,		// struct xinim_net_io -> bytes taken (0 < n <= asked), -EAGAIN
	XINIM_NET_RECEIVE,	// struct xinim_net_io -> bytes (0: end of stream); answer's
				// addr: the sender's, flags: MSG_TRUNC
	XINIM_NET_SHUTDOWN,	// struct xinim_net_sock (arg: SHUT_RD, SHUT_WR, SHUT_RDWR) -> 0
	XINIM_NET_NAME,		// struct xinim_net_sock (arg: 0 own, 1 peer) -> 0; answer's addr
	XINIM_NET_SETOPT,	// struct xinim_net_option -> 0
	XINIM_NET_GETOPT,	// struct xinim_net_option (length: room) -> 0; answer's value
	XINIM_NET_IOCTL,	// struct xinim_net_ioctl -> ioctl's result
	// The sockets whose readiness changed since the last ask, as struct xinim_net_event
	// at `at` in VFS's memory -> how many (at most max); call again while it fills max.
	XINIM_NET_EVENTS,	// struct xinim_net_buffer
	// /proc/net/NAME's text (arg: enum xinim_net_proc) from offset, at `at` in VFS's
	// memory -> bytes copied (0 past the end).
	XINIM_NET_PROC,		// struct xinim_net_buffer
	XINIM_NET_MSG_END
};

// A socket's readiness, as poll(2)'s bits (Linux's values).
enum xinim_net_ready {
	XINIM_NET_IN = 0x001,		// POLLIN: data, a connection to accept, or end of stream
	XINIM_NET_OUT = 0x004,		// POLLOUT: room to send, a connect finished
	XINIM_NET_ERR = 0x008,		// POLLERR: SO_ERROR is set
	XINIM_NET_HUP = 0x010,		// POLLHUP: both directions are shut
	XINIM_NET_RDHUP = 0x2000,	// POLLRDHUP: the peer shut its sending side
};

struct xinim_net_socket {
	int32_t domain, type, protocol;	// type without SOCK_NONBLOCK/SOCK_CLOEXEC (VFS's)
};

struct xinim_net_sock {
	uint32_t sock;
	int32_t arg;
};

// A socket address as the caller gave it (at most a struct sockaddr_in's 16 bytes;
// AF_INET6 is not served).
struct xinim_net_addr {
	uint32_t sock;
	uint32_t length;
	uint8_t addr[16];
};

// One piece of a caller's buffer: a grant of it and its length.
struct xinim_net_segment {
	uint64_t grant;
	uint64_t length;
};

// A send or a receive: count segments (struct xinim_net_segment at `segments` in VFS's
// memory) taken as one buffer, the first `done` bytes of which are past already (a
// blocking send that goes on), with MSG_* flags (MSG_PEEK, MSG_OOB, MSG_WAITALL are
// NET's to honour; the others are VFS's).
struct xinim_net_io {
	uint32_t sock;
	uint32_t flags;
	uint64_t segments;
	uint32_t count;
	uint32_t addr_length;		// 0: no address (send: connected; receive: not wanted)
	uint64_t done;
	uint8_t addr[16];		// send: the destination
};

struct xinim_net_option {
	uint32_t sock;
	int32_t level, name;
	uint32_t length;
	uint8_t value[32];
};

// An ioctl's argument copied into VFS's memory at `at` (length bytes), written back by
// VFS after NET answers.
struct xinim_net_ioctl {
	uint32_t sock;
	uint32_t request;
	uint64_t at;
	uint32_t length;
	uint32_t reserved;
};

struct xinim_net_buffer {
	uint64_t at;
	uint32_t max;		// XINIM_NET_EVENTS: events; XINIM_NET_PROC: bytes
	uint32_t which;		// XINIM_NET_PROC: enum xinim_net_proc
	uint64_t offset;
};

enum xinim_net_proc {
	XINIM_NET_PROC_DEV = 1,		// /proc/net/dev
	XINIM_NET_PROC_ROUTE = 2,	// /proc/net/route
};

struct xinim_net_event {
	uint32_t sock;
	uint32_t ready;		// enum xinim_net_ready, now
};

// Every answer's payload: the socket's readiness after the call (VFS's cache of it), and
// what the call gives back.
struct xinim_net_answer {
	uint32_t ready;		// enum xinim_net_ready
	uint32_t flags;		// XINIM_NET_RECEIVE: MSG_TRUNC, MSG_CTRUNC
	uint32_t addr_length;	// of addr: ACCEPT, RECEIVE, NAME
	uint32_t value_length;	// of value: GETOPT
	uint8_t addr[16];
	uint8_t value[32];
};

_Static_assert(sizeof(struct xinim_net_answer) <= XINIM_PAYLOAD_MAX, "answer fits");
_Static_assert(sizeof(struct xinim_net_io) <= XINIM_PAYLOAD_MAX, "io fits");
_Static_assert(sizeof(struct xinim_net_option) <= XINIM_PAYLOAD_MAX, "option fits");
