// Sockets (socket(7), docs/vfs.md, Sockets): an fd whose open file is of a socket's node
// (S_IFSOCK, NODE_SOCKET), whose record is kept here; the calls that make, name, connect
// and set sockets, each checked as Linux checks it and then handed to the socket's
// family (struct socket_family): AF_UNIX's is VFS's own (unix.c). The calls that move
// bytes are socket_io.c's.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define SOCKET_FLAGS (SOCK_NONBLOCK | SOCK_CLOEXEC)
#define SOCKET_TYPE_MASK 0xf	// Linux's SOCK_TYPE_MASK: the type below the flags
#define FAMILIES_TOP 46		// Linux's AF_MAX
#define SOMAXCONN_LINUX 4096	// net.core.somaxconn: listen's backlog at most
#define BUFFER_DEFAULT 212992	// net.core.rmem_default, wmem_default
#define BUFFER_MIN 2304		// SOCK_MIN_RCVBUF (and SNDBUF's 4608 rounded down)
#define BUFFER_MAX (2 * 212992)	// rmem_max doubled, as setsockopt doubles
#ifndef SO_RCVTIMEO_NEW		// the 64-bit time_t forms (the same struct on AArch64)
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67
#endif

// The families VFS serves, by number (NULL: -EAFNOSUPPORT): AF_UNIX's is VFS's own,
// AF_INET's NET's (docs/net.md; -EAFNOSUPPORT in a boot without NET); AF_INET6,
// AF_NETLINK and AF_PACKET are not served.
static const struct socket_family *const families[FAMILIES_TOP] = {
	[AF_UNIX] = &unix_family,
	[AF_INET] = &inet_family,
};

static struct sock *socks(void) { return vfs_sockets()->socks; }

struct sock *sock_at(uint32_t number)
{
	return number && number <= SOCKETS_MAX && socks()[number - 1].node ? &socks()[number - 1]
									  : NULL;
}

uint32_t sock_number(const struct sock *s) { return (uint32_t)(s - socks()) + 1; }

long sock_error(struct sock *s)
{
	long err = -(long)s->error;
	if (err) {
		keep_change(&s->error, sizeof(s->error));
		s->error = 0;
	}
	return err;
}

struct node *sock_node(const struct sock *s) { return ramfs_node_at(s->node - 1); }

struct sock *sock_of(const struct node *node)
{
	uint32_t index = ramfs_index(node) + 1;
	for (unsigned i = 0; i < SOCKETS_MAX && (node->flags & NODE_SOCKET); i++)
		if (socks()[i].node == index)
			return &socks()[i];
	return NULL;
}

long net_wait(const struct ipc_request *request, ipc_handler *again, struct sock *s,
	      long result)
{
	if (result != SOCK_NET_DOWN)
		return result;
	return wait_park(request, again, sock_node(s), -XINIM_ERESTARTSYS);
}

const struct socket_family *sock_family(const struct sock *s)
{
	return s->family < FAMILIES_TOP ? families[s->family] : NULL;
}

void sock_cred_of(xinim_endpoint_t caller, struct sock_cred *out)
{
	const struct process_creds *c = fd_creds(caller);
	*out = (struct sock_cred){ xinim_endpoint_pid(caller), c ? c->euid : 0, c ? c->egid : 0 };
}

struct sock *sock_new(xinim_endpoint_t caller, int family, int type)
{
	struct sock *s = NULL;
	for (unsigned i = 0; i < SOCKETS_MAX && !s; i++)
		s = socks()[i].node ? NULL : &socks()[i];
	struct creds who = caller_creds(caller, false);
	struct node *node = s ? node_new(ROOT_DEV, S_IFSOCK | 0777, who.uid, who.gid) : NULL;
	if (!node)
		return NULL;
	node->flags |= NODE_SOCKET;	// a fresh node: logged whole by node_new
	keep_change(s, sizeof(*s));
	*s = (struct sock){ .node = ramfs_index(node) + 1, .family = (uint16_t)family,
			    .type = (uint16_t)type, .rcvbuf = BUFFER_DEFAULT,
			    .sndbuf = BUFFER_DEFAULT };
	sock_cred_of(caller, &s->cred);
	return s;
}

void sock_drop(struct sock *s) { node_release(sock_node(s)); }

void socket_node_gone(struct node *node)
{
	uint32_t index = ramfs_index(node) + 1;
	struct sock *s = sock_of(node);
	if (s) {
		if (sock_family(s) && sock_family(s)->release)
			sock_family(s)->release(s);
		keep_change(s, sizeof(*s));
		*s = (struct sock){ 0 };
		return;
	}
	for (unsigned i = 0; i < SOCKETS_MAX; i++)	// a bound path's node went (unlink)
		if (socks()[i].node && socks()[i].bound == index) {
			keep_change(&socks()[i].bound, sizeof(socks()[i].bound));
			socks()[i].bound = 0;
		}
}

bool socket_holds(uint32_t index)
{
	for (unsigned i = 0; i < SOCKETS_MAX; i++)
		if (socks()[i].node == index + 1 && socks()[i].listener)
			return true;
	return false;
}

long sock_fd(xinim_endpoint_t caller, uint64_t fd, struct sock **out)
{
	struct open_file *file = fd_get(caller, fd);
	if (!file)
		return -EBADF;
	*out = file_node(file) ? sock_of(file_node(file)) : NULL;
	return *out ? 0 : -ENOTSOCK;
}

// A name's length with its family: none, or a family and at most sun_path's bytes.
static bool name_length_sound(uint32_t length)
{
	return !length || (length > sizeof(sa_family_t) && length <= SOCK_ADDR_MAX);
}

// Whether kept record s checks out against the tree and the other records.
static bool sock_sound(const struct sock *s)
{
	const struct node *node = ramfs_node_at(s->node - 1);
	const struct node *bound = s->bound ? ramfs_node_at(s->bound - 1) : NULL;
	return node && S_ISSOCK(node->mode) && (node->flags & NODE_SOCKET) &&
	       s->family < FAMILIES_TOP && families[s->family] && s->state <= SOCK_CONNECTED &&
	       s->shut <= SHUT_BOTH && name_length_sound(s->name_length) &&
	       name_length_sound(s->peer_name_length) &&
	       (!s->peer || s->peer <= SOCKETS_MAX) && (!s->listener || s->listener <= SOCKETS_MAX) &&
	       (!s->bound || (bound && S_ISSOCK(bound->mode)));
}

void sockets_take(uint32_t *refs)
{
	struct socket_state *state = vfs_sockets();
	unsigned dropped = 0;
	for (unsigned i = 0; i < SOCKETS_MAX; i++)
		if (state->socks[i].node && !sock_sound(&state->socks[i])) {
			state->socks[i] = (struct sock){ 0 };
			dropped++;
		}
	for (unsigned i = 0; i < SOCKETS_MAX; i++) {	// links to dropped records go
		struct sock *s = &state->socks[i];
		if (s->peer && !sock_at(s->peer))
			s->peer = 0;
		if (s->listener && !sock_at(s->listener))
			s->listener = 0;
	}
	for (unsigned i = 0; i < FLIGHTS_MAX; i++) {
		struct flight *f = &state->flights[i];
		if (f->file && (f->file > OPEN_FILES_MAX || !sock_at(f->sock))) {
			*f = (struct flight){ 0 };
			dropped++;
		} else if (f->file) {
			refs[f->file - 1]++;
		}
	}
	if (dropped)
		klog(LOGLEVEL_WARNING, "vfs: dropped %u socket records that did not check out\n",
		     dropped);
}

// Puts s at a new fd of caller's (its node's open file, read and write): the fd or -errno.
static long sock_open(xinim_endpoint_t caller, struct sock *s, int flags)
{
	return fd_open(caller, sock_node(s), O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0),
		       flags & SOCK_CLOEXEC);
}

// A new socket of (family, type with its flags, protocol), as Linux's __sock_create
// checks them: its record, or -errno.
static long sock_create(xinim_endpoint_t caller, int family, int type, int protocol,
			struct sock **out)
{
	if (family < 0 || family >= FAMILIES_TOP || !families[family])
		return -EAFNOSUPPORT;
	if (type & ~(SOCKET_TYPE_MASK | SOCKET_FLAGS))
		return -EINVAL;
	long err = fd_room(caller);
	struct sock *s = err ? NULL : sock_new(caller, family, type & SOCKET_TYPE_MASK);
	if (!err && !s)
		err = -ENFILE;
	if (!err && (err = families[family]->create(s, protocol)))
		sock_drop(s);
	*out = s;
	return err;
}

long vfs_socket(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct sock *s;
	long err = sock_create(call.caller, (int)call.args[0], (int)call.args[1], (int)call.args[2], &s);
	if (err == SOCK_NET_DOWN)	// no socket yet to wait on: any change, NET's return
		return wait_park(request, vfs_socket, NULL, -XINIM_ERESTARTSYS);
	if (err)
		return err;
	long fd = sock_open(call.caller, s, (int)call.args[1]);
	if (fd < 0)
		sock_drop(s);
	return fd;
}

long vfs_socketpair(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int family = (int)call.args[0], type = (int)call.args[1];
	struct sock *a, *b = NULL;
	long err = sock_create(call.caller, family, type, (int)call.args[2], &a);
	if (!err && !sock_family(a)->pair) {
		sock_drop(a);
		return -EOPNOTSUPP;
	}
	if (!err && (err = sock_create(call.caller, family, type, (int)call.args[2], &b)))
		sock_drop(a);
	if (err)
		return err;
	sock_family(a)->pair(a, b);
	int fds[2] = { (int)sock_open(call.caller, a, type), -1 };
	fds[1] = fds[0] < 0 ? fds[0] : (int)sock_open(call.caller, b, type);
	err = fds[1] < 0 ? fds[1] : ipc_copy_to(call.caller, call.args[3], fds, sizeof(fds));
	if (err) {	// nothing made: no fd stays open
		if (fds[1] >= 0)
			fd_close(call.caller, (uint64_t)fds[1]);
		if (fds[0] >= 0)
			fd_close(call.caller, (uint64_t)fds[0]);
		else
			sock_drop(a);
		if (fds[1] < 0)
			sock_drop(b);
	}
	return err;
}

long sock_address_in(xinim_endpoint_t caller, uint64_t at, uint64_t length, uint8_t *addr)
{
	if ((int)length < 0 || (uint32_t)length > 128)	// sizeof(struct sockaddr_storage)
		return -EINVAL;
	long err = length ? ipc_copy_from(caller, addr, at, (uint32_t)length) : 0;
	return err ? err : (long)(uint32_t)length;
}

long sock_address_out(xinim_endpoint_t caller, uint64_t at, uint64_t length_at,
		      const uint8_t *addr, uint32_t length)
{
	int room;
	if (!length_at)
		return 0;
	long err = ipc_copy_from(caller, &room, length_at, sizeof(room));
	if (err)
		return err;
	if (room < 0)
		return -EINVAL;
	uint32_t n = (uint32_t)room < length ? (uint32_t)room : length;
	if (n && (err = ipc_copy_to(caller, at, addr, n)))
		return err;
	return ipc_copy_to(caller, length_at, &length, sizeof(length));
}

// The socket of the call's fd (args[0]) and, for a call of an address (bind, connect),
// the address at args[1] of args[2] bytes.
static long socket_call(const struct ipc_request *request, struct sock **s, uint8_t *addr,
			uint32_t *length)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	long err = sock_fd(call.caller, call.args[0], s);
	if (err || !addr)
		return err;
	err = sock_address_in(call.caller, call.args[1], call.args[2], addr);
	*length = err > 0 ? (uint32_t)err : 0;
	return err < 0 ? err : 0;
}

// A call of an address: bind and connect (fd, addr, addrlen).
struct address_call {
	struct xinim_syscall call;
	struct sock *s;
	uint8_t addr[128];	// sizeof(struct sockaddr_storage)
	uint32_t length;
};

static long address_call_in(const struct ipc_request *request, struct address_call *c)
{
	c->call = ipc_syscall_of(request);
	return socket_call(request, &c->s, c->addr, &c->length);
}

long vfs_bind(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct address_call c;
	long err = address_call_in(request, &c);
	if (!err && !sock_family(c.s)->bind)
		err = -EOPNOTSUPP;
	if (!err)
		err = sock_family(c.s)->bind(c.call.caller, c.s, c.addr, c.length);
	return net_wait(request, vfs_bind, c.s, err);
}

long vfs_connect(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct address_call c;
	long err = address_call_in(request, &c);
	if (err)
		return err;
	struct node *wait = NULL;
	bool nonblocking = fd_get(c.call.caller, c.call.args[0])->flags & O_NONBLOCK;
	err = sock_family(c.s)->connect(c.call.caller, c.s, c.addr, c.length, nonblocking, &wait);
	if (err == SOCK_NET_DOWN)
		return net_wait(request, vfs_connect, c.s, err);
	if (err != -EAGAIN || !wait || nonblocking)
		return err;
	return wait_park(request, vfs_connect, wait, -XINIM_ERESTARTSYS);
}

long vfs_listen(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct sock *s;
	long err = socket_call(request, &s, NULL, NULL);
	if (err)
		return err;
	int backlog = (int)call.args[1];
	if ((unsigned)backlog > SOMAXCONN_LINUX)	// negative too, as Linux's unsigned compare
		backlog = SOMAXCONN_LINUX;
	if (!sock_family(s)->listen)
		return -EOPNOTSUPP;
	err = net_wait(request, vfs_listen, s, sock_family(s)->listen(s, backlog));
	if (!err) {
		keep_change(&s->cred, sizeof(s->cred));
		sock_cred_of(call.caller, &s->cred);	// the listener's, which its peers see
	}
	return err;
}

// accept4(fd, addr, addrlen, flags): the oldest connection, at a new fd; a caller without
// O_NONBLOCK waits for one.
static long accept_with(const struct ipc_request *request, ipc_handler *again, int flags)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct sock *s, *taken;
	if (flags & ~SOCKET_FLAGS)
		return -EINVAL;
	long err = socket_call(request, &s, NULL, NULL);
	if (!err && !sock_family(s)->accept)
		err = -EOPNOTSUPP;
	if (!err)
		err = fd_room(call.caller);
	if (err)
		return err;
	err = sock_family(s)->accept(s, &taken);
	if (err == SOCK_NET_DOWN)
		return net_wait(request, again, s, err);
	if (err == -EAGAIN && !(fd_get(call.caller, call.args[0])->flags & O_NONBLOCK))
		return wait_park(request, again, sock_node(s), -XINIM_ERESTARTSYS);
	if (err)
		return err;
	long fd = sock_open(call.caller, taken, flags);
	uint8_t addr[SOCK_ADDR_MAX];
	long named = sock_family(taken)->name(taken, true, addr);
	uint32_t length = named < 0 ? sizeof(sa_family_t) : (uint32_t)named;	// its peer gone
	err = fd < 0 ? fd : call.args[1] ? sock_address_out(call.caller, call.args[1], call.args[2],
							     addr, length) : 0;
	if (err && fd >= 0)
		fd_close(call.caller, (uint64_t)fd);	// the connection goes, as Linux's
	else if (err)
		sock_drop(taken);
	return err ? err : fd;
}

long vfs_accept4(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return accept_with(request, vfs_accept4, (int)ipc_syscall_of(request).args[3]);
}

long vfs_accept(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return accept_with(request, vfs_accept, 0);
}

static long name_of(const struct ipc_request *request, bool peer)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct sock *s;
	long err = socket_call(request, &s, NULL, NULL);
	if (err)
		return err;
	uint8_t addr[SOCK_ADDR_MAX];
	long length = sock_family(s)->name(s, peer, addr);
	return length < 0 ? length
			  : sock_address_out(call.caller, call.args[1], call.args[2], addr,
					     (uint32_t)length);
}

long vfs_getsockname(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return name_of(request, false);
}

long vfs_getpeername(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	return name_of(request, true);
}

long vfs_shutdown(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct sock *s;
	int how = (int)ipc_syscall_of(request).args[1];
	long err = socket_call(request, &s, NULL, NULL);
	if (err)
		return err;
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (!sock_family(s)->shutdown)
		return -EOPNOTSUPP;
	return net_wait(request, vfs_shutdown, s, sock_family(s)->shutdown(s, how + 1));
}
