#pragma once
// NET, PID 5 (docs/net.md, NET): the AF_INET sockets, on lwIP's raw API run from this one
// loop (NO_SYS). Only VFS calls NET; NET answers every call at once and never waits, and
// tells VFS of readiness changes with a notification (events.c). Each socket has a record
// in kept memory (struct net_socket, keep.c) and a live part that lwIP's memory holds
// (struct net_live): a restart keeps the first and builds what it can of the second.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libipc/keep.h>
#include <libipc/server.h>
#include <xinim/ipc/net.h>

struct pbuf;
struct tcp_pcb;
struct udp_pcb;

#define NET_SOCKETS 256		// sockets at once; ids name one of them
// A slot's generation, the id's upper half, goes round below this: an id is an answer's
// result (a message's int32 type), which must be positive to be no errno.
#define NET_GENERATIONS 0x8000
#define NET_DATAGRAMS 32	// datagrams a UDP socket holds unread
#define NET_STATE_VERSION 2
// A request or a pass of lwIP's work may change every record (a listener's close ends
// the connections nobody took), each logged twice at most.
#define NET_UNDO_BYTES (2 * NET_SOCKETS * (sizeof(struct net_socket) + 32) + 4096)
#define NET_RCVBUF_DEFAULT 131072	// Linux's tcp_rmem default, as SO_RCVBUF shows it
#define NET_SNDBUF_DEFAULT 16384	// Linux's tcp_wmem default
#define NET_BUF_MIN 2304		// Linux's SOCK_MIN_RCVBUF
#define NET_BUF_MAX (4 * 1024 * 1024)
#define NET_UDP_MAX 65507		// the largest UDP payload over IPv4

enum net_state {
	NET_FREE,
	NET_OPEN,		// no connection yet; bound when local.port is set
	NET_LISTENING,
	NET_CONNECTING,
	NET_CONNECTED,		// a UDP socket with a default peer too
	NET_CLOSED,		// the connection ended (its error, if any, in error)
	NET_STATES
};

enum net_shut {
	NET_SHUT_RD = 1 << 0,
	NET_SHUT_WR = 1 << 1,
};

enum net_option {
	NET_OPT_REUSEADDR = 1 << 0,
	NET_OPT_KEEPALIVE = 1 << 1,
	NET_OPT_NODELAY = 1 << 2,
	NET_OPT_BROADCAST = 1 << 3,
	NET_OPT_LINGER = 1 << 4,
	NET_OPTS = (1 << 5) - 1,
};

// An IPv4 address and port: addr in network order, port in host order.
struct net_endpoint {
	uint32_t addr;
	uint16_t port;
	uint16_t reserved;
};

// A socket's record, in kept memory (pointer-free).
struct net_socket {
	uint16_t generation;	// of the socket's id, below NET_GENERATIONS; 0: never used
	uint8_t state;		// enum net_state
	uint8_t shut;		// enum net_shut
	int32_t type;		// SOCK_STREAM or SOCK_DGRAM
	int32_t protocol;	// IPPROTO_TCP or IPPROTO_UDP
	int32_t error;		// SO_ERROR: a positive errno, 0 none
	uint32_t options;	// enum net_option
	int32_t backlog;
	int32_t rcvbuf, sndbuf;	// as SO_RCVBUF and SO_SNDBUF show them
	int32_t linger;		// SO_LINGER's seconds
	uint16_t parent;	// accepted, not yet taken: the listener's index + 1
	uint16_t reserved;
	uint32_t accept_order;	// among its listener's accepted sockets
	struct net_endpoint local, peer;
};

// The interface's configuration, in kept memory: what DHCP or ioctls set.
struct net_config {
	uint32_t addr, netmask, gateway;	// network order; addr 0: none yet
	uint32_t flags;		// IFF_UP as SIOCSIFFLAGS left it (IFF_UP by default)
	uint32_t from_dhcp;	// the address is DHCP's lease (else set by ioctl)
	uint32_t reserved;
};

struct net_state_kept {
	struct net_socket sockets[NET_SOCKETS];
	struct net_config config;
	uint32_t accepts;	// the last accept_order given
	uint32_t reserved;
};

struct net_datagram {
	struct pbuf *data;
	struct net_endpoint from;
};

// A socket's live part, in the memory kept with lwIP's (NET_KEPT).
struct net_live {
	struct tcp_pcb *tcp;
	struct udp_pcb *udp;
	struct pbuf *received;	// TCP: the bytes not yet read, in order
	bool eof;		// TCP: the peer's FIN came after them
	struct net_datagram datagrams[NET_DATAGRAMS];	// UDP: a ring
	unsigned first, count;
	size_t queued;		// bytes in received or datagrams
	uint32_t reported;	// the readiness VFS last heard (events.c)
};

// NET's memory kept whole beside its records (docs/net.md, What a restart keeps): lwIP's
// state, which lwIP's globals are (servers/net/lwip/include/kept.h puts them in section
// .net_kept), and NET's globals that point into it, declared NET_KEPT (zero-initialized
// ones only). Whole only between two messages: reused by a new instance if the last one
// died waiting for a message, else made again from zero.
#define NET_KEPT __attribute__((section(".net_kept")))

struct net_lwip_kept {
	uint64_t code;		// net_take_over's address: made by this same program
	uint32_t waiting;	// the loop's waiting word (ipc_table.waiting)
	uint32_t started;	// lwip_init has run in this memory
};

// Where that memory is (main.c, on XINIM; NULL hosted, where lwIP's globals are the test
// process's own): a new instance that cannot reuse it zeroes it.
struct net_lwip_region {
	void *start;
	size_t size;
};

// keep.c: the kept state, the live parts by index, lwIP's memory.
extern struct net_state_kept *net_kept;
extern struct net_live net_live[NET_SOCKETS];
extern struct net_lwip_kept net_lwip;
extern struct net_lwip_region net_lwip_region;
void net_take_over(void *state, enum keep_start start);
size_t net_state_size(void);
bool net_socket_check(const struct net_socket *s, unsigned index);

// sockets.c: ids, the caller's check, the answers.
bool net_from_vfs(const struct ipc_request *request);
uint32_t net_id(unsigned index);
// The socket an id names: its index, or -EBADF (VFS passes only ids NET gave it).
long net_index(uint32_t id);
long net_socket_new(int type, int protocol);
void net_socket_free(unsigned index);
struct net_socket *net_edit(unsigned index);	// keep_change, then the record
uint32_t net_readiness(unsigned index);
// Fills an answer's readiness; the reply's payload is an answer from then on.
struct xinim_net_answer *net_answer(struct xinim_msg *reply, unsigned index);
long net_answered(struct xinim_msg *reply, unsigned index, long result);	// and result
// The pending error, taken (SO_ERROR reads it once, as a failed call does): 0 none.
int net_error_take(unsigned index);
// A pcb's SOF_* option on or off (lwIP's ip_set_option and ip_reset_option, either way).
void net_so_option(uint8_t *so_options, uint8_t option, bool on);
// lwIP's error as a negative Linux errno.
long net_errno(signed char err);

// address.c: struct sockaddr_in, in and out.
long net_address_in(const uint8_t *addr, uint32_t length, struct net_endpoint *out);
void net_address_out(const struct net_endpoint *e, struct xinim_net_answer *answer);
bool net_address_local(uint32_t addr);

// transfer.c: a send's or a receive's bytes, through VFS's grants.
struct net_transfer {
	struct xinim_net_segment segments[XINIM_GRANTS_PER_CALL];
	uint32_t count;
	uint64_t total;		// all the segments' bytes
	uint64_t done;		// past already
};
long net_transfer_open(const struct ipc_request *request, const struct xinim_net_io *io,
		       struct net_transfer *t);
// Copies n bytes at the transfer's position `at` (counted from its start) into here, or
// from here into it.
long net_transfer_read(const struct net_transfer *t, uint64_t at, void *here, size_t n);
long net_transfer_write(const struct net_transfer *t, uint64_t at, const void *here, size_t n);

// A protocol's operations (tcp.c, udp.c), chosen by the socket's type: decoded and
// checked by the handlers (calls.c), done here.
struct net_protocol {
	long (*open)(unsigned index);
	long (*bind)(unsigned index, const struct net_endpoint *e);
	long (*listen)(unsigned index, int backlog);
	long (*accept)(unsigned index, struct xinim_net_answer *answer);
	long (*connect)(unsigned index, const struct net_endpoint *e);
	long (*send)(unsigned index, const struct net_transfer *t, const struct net_endpoint *to,
		     uint32_t flags);
	long (*receive)(unsigned index, const struct net_transfer *t, uint32_t flags,
			struct xinim_net_answer *answer);
	long (*shutdown)(unsigned index, unsigned how);
	void (*close)(unsigned index);
	void (*revive)(unsigned index);		// a restart's: the live part anew, if it can
};
extern const struct net_protocol net_tcp, net_udp;
const struct net_protocol *net_protocol_of(unsigned index);
void net_tcp_apply_options(unsigned index);
void net_udp_apply_options(unsigned index);

// events.c: readiness changes told to VFS.
void net_events_flush(void);
long net_events(const struct ipc_request *request, struct xinim_msg *reply);

// netif.c: eth0 over DEV, and lo.
void net_netif_start(void);
void net_netif_dev_ready(void);
void net_netif_dev_serving(void);
bool net_netif_poll(void);	// loopback and DEV's frames; true while more wait
struct netif *net_netif_eth(void);
void net_netif_config_apply(void);

// The handlers (calls.c, options.c, ioctl.c, proc.c).
ipc_handler net_socket, net_close, net_bind, net_listen, net_accept, net_connect, net_send,
	net_receive, net_shutdown, net_name, net_setopt, net_getopt, net_ioctl, net_proc;

// table.c
extern const struct ipc_table net_table;
