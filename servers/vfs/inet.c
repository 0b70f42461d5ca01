// AF_INET sockets (docs/net.md): VFS keeps the fd, the open file and the socket's record
// with NET's socket id and its last readiness; NET (PID 5) does the rest, answering each
// call at once (include/xinim/ipc/net.h). A caller's bytes move between its buffers and
// NET through grants on its parked call (ipc_grant_make), ended when NET has answered.
// poll and epoll read the cached readiness, which NET's XINIM_NOTE_NET_EVENTS renews
// (XINIM_NET_EVENTS). A call that finds NET gone (it died, or restarts) gets
// SOCK_NET_DOWN, which parks it on its socket until NET announces itself again.
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/net.h>
#include "vfs.h"

#define EVENTS_AT_ONCE 64
#define INET_ADDR_MAX 16	// struct sockaddr_in

static struct xinim_net_answer answer;	// NET's last answer's payload
static bool answer_given;		// whether it had one (an error may not)
static bool net_seen;			// NET has answered this VFS: the boot has one

// Calls NET with payload: NET's result (answer filled when it answered with one), or
// SOCK_NET_DOWN.
static long net_call(int type, const void *payload, uint32_t size)
{
	long net = ipc_lookup(XINIM_PID_NET);
	if (net < 0)
		return SOCK_NET_DOWN;
	struct xinim_msg msg = { .header = { .type = type, .length = size } };
	memcpy(msg.payload, payload, size);
	memset(&answer, 0, sizeof(answer));
	answer_given = false;
	// No timeout: NET answers at once, and a NET that hangs is ended by RS (1.5 s), when
	// the call fails -EIO. A call given up on while NET ran it might have been done all
	// the same: told to the program as an error, or made again, it would lie.
	long result = ipc_call_once((xinim_endpoint_t)net, &msg, XINIM_WAIT_FOREVER);
	if (result == -ESRCH || result == -EIO || result == -EACCES || result == -EBADMSG)
		return SOCK_NET_DOWN;	// the transport's failures, never NET's answers
	net_seen = true;
	answer_given = msg.header.length == sizeof(answer);
	if (answer_given)
		memcpy(&answer, msg.payload, sizeof(answer));
	return result;
}

// The readiness NET gave with its answer becomes s's, and its waiters run again.
static void ready_now(struct sock *s, uint32_t ready)
{
	if (s->net_ready == ready)
		return;
	keep_change(&s->net_ready, sizeof(s->net_ready));
	s->net_ready = ready;
	wait_ready_for(sock_node(s), ready | POLLOUT | POLLIN);
}

// A call about s: NET's result, its readiness kept.
static long sock_call(struct sock *s, int type, void *payload, uint32_t size)
{
	memcpy(payload, &s->net_id, sizeof(s->net_id));	// each payload starts with the id
	long result = net_call(type, payload, size);
	if (result != SOCK_NET_DOWN && answer_given)
		ready_now(s, answer.ready);
	return result;
}

static long inet_create(struct sock *s, int protocol)
{
	if (ipc_lookup(XINIM_PID_NET) < 0 && !net_seen)
		return -EAFNOSUPPORT;	// no NET in this boot (else it restarts: the call waits)
	struct xinim_net_socket req = { AF_INET, s->type, protocol };
	long id = net_call(XINIM_NET_SOCKET, &req, sizeof(req));
	if (id <= 0 && id != SOCK_NET_DOWN)
		return id ? id : -EIO;
	if (id == SOCK_NET_DOWN)
		return id;	// NET restarts: the call waits for it
	s->net_id = (uint32_t)id;	// s is fresh: logged whole
	s->net_ready = answer.ready;
	return 0;
}

static long address_call(struct sock *s, int type, const uint8_t *addr, uint32_t length)
{
	struct xinim_net_addr req = { .length = length < INET_ADDR_MAX ? length : INET_ADDR_MAX };
	memcpy(req.addr, addr, req.length);
	return sock_call(s, type, &req, sizeof(req));
}

static long inet_bind(xinim_endpoint_t caller, struct sock *s, const uint8_t *addr,
		      uint32_t length)
{
	(void)caller;
	return address_call(s, XINIM_NET_BIND, addr, length);
}

// A blocking connect waits for the connection's end (OUT or ERR), then asks SO_ERROR.
static long inet_connect(xinim_endpoint_t caller, struct sock *s, const uint8_t *addr,
			 uint32_t length, bool nonblocking, struct node **wait)
{
	(void)caller;
	long result;
	if (s->flags & SOCK_CONNECTING) {
		if (!(s->net_ready & (POLLOUT | POLLERR | POLLHUP))) {
			*wait = sock_node(s);
			return -EAGAIN;
		}
		int error = 0;
		uint32_t size = sizeof(error);
		result = inet_family.option(s, false, SOL_SOCKET, SO_ERROR, (uint8_t *)&error, &size);
		if (result == SOCK_NET_DOWN)
			return result;
		result = result ? result : -error;
	} else {
		result = address_call(s, XINIM_NET_CONNECT, addr, length);
		if (result != -EINPROGRESS || nonblocking)
			return result;
		keep_change(&s->flags, sizeof(s->flags));
		s->flags |= SOCK_CONNECTING;
		*wait = sock_node(s);
		return -EAGAIN;
	}
	keep_change(&s->flags, sizeof(s->flags));
	s->flags &= (uint8_t)~SOCK_CONNECTING;
	return result;
}

static long inet_listen(struct sock *s, int backlog)
{
	struct xinim_net_sock req = { .arg = backlog };
	return sock_call(s, XINIM_NET_LISTEN, &req, sizeof(req));
}

static long inet_accept(struct sock *s, struct sock **out)
{
	struct xinim_net_sock req = { 0 };
	long id = sock_call(s, XINIM_NET_ACCEPT, &req, sizeof(req));
	if (id <= 0)
		return id ? id : -EIO;
	struct sock *taken = sock_new(0, AF_INET, s->type);
	if (!taken) {
		struct xinim_net_sock gone = { (uint32_t)id, 0 };
		net_call(XINIM_NET_CLOSE, &gone, sizeof(gone));
		return -ENFILE;
	}
	taken->net_id = (uint32_t)id;	// fresh: logged whole
	taken->net_ready = POLLOUT;
	*out = taken;
	return 0;
}

// io's buffers from byte io->skip on, granted to NET (at most XINIM_GRANTS_PER_CALL
// pieces), then the call: NET's result. The grants end with it.
static long data_call(struct sock_io *io, int type, unsigned access)
{
	static struct xinim_net_segment segments[XINIM_GRANTS_PER_CALL];
	long net = ipc_lookup(XINIM_PID_NET);
	uint32_t count = 0;
	uint64_t start = 0;
	long result = net < 0 ? SOCK_NET_DOWN : 0;
	for (uint32_t i = 0; i < io->count && count < XINIM_GRANTS_PER_CALL && !result;
	     start += io->iov[i++].iov_len) {
		uint64_t length = io->iov[i].iov_len, from = io->skip > start ? io->skip - start : 0;
		if (from >= length)
			continue;
		long grant = ipc_grant_make(io->caller, io->id, (xinim_endpoint_t)net,
					    (uint64_t)io->iov[i].iov_base + from, length - from, access);
		if (grant < 0)
			result = grant == -ESRCH ? -EINTR : -EFAULT;
		else
			segments[count++] = (struct xinim_net_segment){ (uint64_t)grant, length - from };
	}
	struct xinim_net_io req = { .flags = (uint32_t)io->flags, .segments = (uint64_t)segments,
				    .count = count,
				    .addr_length = io->name_length < INET_ADDR_MAX ? io->name_length
										  : INET_ADDR_MAX };
	memcpy(req.addr, io->name, req.addr_length);
	if (!result)
		result = sock_call(io->sock, type, &req, sizeof(req));
	for (uint32_t i = 0; i < count; i++)
		ipc_grant_end(segments[i].grant);
	return result;
}

static long inet_send(struct sock_io *io, struct node **wait)
{
	*wait = sock_node(io->sock);
	if (io->rights_count)
		return -EINVAL;	// as Linux's sock_cmsg_send: SCM_RIGHTS is AF_UNIX's
	return data_call(io, XINIM_NET_SEND, XINIM_GRANT_READ);
}

static long inet_recv(struct sock_io *io)
{
	uint32_t room = io->name_length ? io->name_length : 0;
	io->name_length = INET_ADDR_MAX;	// asks for the sender's address
	long got = data_call(io, XINIM_NET_RECEIVE, XINIM_GRANT_WRITE);
	io->name_length = got >= 0 ? answer.addr_length : room;
	memcpy(io->name, answer.addr, answer.addr_length <= INET_ADDR_MAX ? answer.addr_length : 0);
	io->out_flags |= got >= 0 ? (int)answer.flags : 0;
	return got;
}

static long inet_shutdown(struct sock *s, int how)
{
	struct xinim_net_sock req = { .arg = how - 1 };	// SHUT_RD, SHUT_WR, SHUT_RDWR
	return sock_call(s, XINIM_NET_SHUTDOWN, &req, sizeof(req));
}

static long inet_name(const struct sock *s, bool peer, uint8_t *addr)
{
	struct xinim_net_sock req = { .arg = peer };
	long err = sock_call((struct sock *)s, XINIM_NET_NAME, &req, sizeof(req));
	if (err)
		return err == SOCK_NET_DOWN ? -ENOTCONN : err;
	memcpy(addr, answer.addr, answer.addr_length <= INET_ADDR_MAX ? answer.addr_length : 0);
	return answer.addr_length;
}

static unsigned inet_poll(const struct sock *s) { return s->net_ready; }

static uint32_t inet_readable(const struct sock *s)
{
	(void)s;
	return 0;	// FIONREAD goes to NET (inet_ioctl)
}

// A close that finds NET gone is owed to the next NET, which would otherwise keep the
// socket (a port bound for ever): told when it serves (closes_pay).
static void inet_release(struct sock *s)
{
	struct xinim_net_sock req = { 0 };
	if (sock_call(s, XINIM_NET_CLOSE, &req, sizeof(req)) != SOCK_NET_DOWN)
		return;
	uint32_t *owed = vfs_sockets()->net_closes_owed;
	for (unsigned i = 0; i < SOCKETS_MAX; i++)
		if (!owed[i]) {
			keep_change(&owed[i], sizeof(owed[i]));
			owed[i] = s->net_id;
			return;
		}
}

// The closes owed to NET, told to it now that it serves again. A close told twice (a
// VFS that died before its commit) finds the id gone: -EBADF, harmless.
static void closes_pay(void)
{
	uint32_t *owed = vfs_sockets()->net_closes_owed;
	for (unsigned i = 0; i < SOCKETS_MAX; i++) {
		struct xinim_net_sock req = { owed[i], 0 };
		if (!owed[i] || net_call(XINIM_NET_CLOSE, &req, sizeof(req)) == SOCK_NET_DOWN)
			continue;
		keep_change(&owed[i], sizeof(owed[i]));
		owed[i] = 0;
	}
}

static long inet_option(struct sock *s, bool set, int level, int name, uint8_t *value,
			uint32_t *length)
{
	struct xinim_net_option req = { .level = level, .name = name };
	req.length = *length < sizeof(req.value) ? *length : sizeof(req.value);
	if (set)
		memcpy(req.value, value, req.length);
	long err = sock_call(s, set ? XINIM_NET_SETOPT : XINIM_NET_GETOPT, &req, sizeof(req));
	if (!err && !set) {
		*length = answer.value_length < *length ? answer.value_length : *length;
		memcpy(value, answer.value, *length);
	}
	return err;
}

// The argument's bytes of each ioctl NET serves (struct ifconf's room follows it).
static uint32_t argument_size(unsigned request)
{
	switch (request) {
	case FIONREAD: return sizeof(int);
	case SIOCGIFCONF: return sizeof(struct ifconf);
	case SIOCADDRT: case SIOCDELRT: return sizeof(struct rtentry);
	default: return (request >> 8 & 0xff) == 0x89 ? sizeof(struct ifreq) : 0;	// SIOC*
	}
}

// The requests that change an interface or a route: CAP_NET_ADMIN's (root's here).
static bool changes_network(unsigned request)
{
	static const unsigned changing[] = { SIOCSIFFLAGS, SIOCSIFADDR, SIOCSIFDSTADDR,
					     SIOCSIFBRDADDR, SIOCSIFNETMASK, SIOCSIFMETRIC,
					     SIOCSIFMTU, SIOCSIFHWADDR, SIOCSIFTXQLEN, SIOCSIFNAME,
					     SIOCSIFMAP, SIOCADDRT, SIOCDELRT };
	for (size_t i = 0; i < sizeof(changing) / sizeof(changing[0]); i++)
		if (request == changing[i])
			return true;
	return false;
}

// What NET's answer changed goes back to the caller: the argument, and SIOCGIFCONF's
// records at ifc_buf.
static long inet_ioctl(struct sock *s, xinim_endpoint_t caller, unsigned request, uint64_t arg)
{
	static uint8_t argument[sizeof(struct ifconf) + 64 * sizeof(struct ifreq)];
	uint32_t size = argument_size(request);
	if (!size)
		return -ENOTTY;
	const struct process_creds *c = fd_creds(caller);
	if (changes_network(request) && (!c || c->euid))
		return -EPERM;
	long err = ipc_copy_from(caller, argument, arg, size);
	struct ifconf conf;
	memcpy(&conf, argument, sizeof(conf));
	uint32_t room = 0;
	if (!err && request == SIOCGIFCONF) {
		room = conf.ifc_len < 0 ? 0 : (uint32_t)conf.ifc_len;
		room = room < sizeof(argument) - size ? room : sizeof(argument) - size;
	}
	if (err)
		return err;
	struct xinim_net_ioctl req = { .request = request, .at = (uint64_t)argument,
				       .length = size + room };
	long result = sock_call(s, XINIM_NET_IOCTL, &req, sizeof(req));
	if (result < 0)
		return result;
	err = ipc_copy_to(caller, arg, argument, size);
	memcpy(&conf, argument, sizeof(conf));
	if (!err && request == SIOCGIFCONF && conf.ifc_buf && conf.ifc_len > 0)
		err = ipc_copy_to(caller, (uint64_t)conf.ifc_buf, argument + size,
				  (uint32_t)conf.ifc_len < room ? (uint32_t)conf.ifc_len : room);
	return err ? err : result;
}

static struct sock *by_net_id(uint32_t id)
{
	for (uint32_t n = 1; n <= SOCKETS_MAX; n++) {
		struct sock *s = sock_at(n);
		if (s && s->family == AF_INET && s->net_id == id)
			return s;
	}
	return NULL;
}

// The readiness that changed, fetched until NET has no more.
static void events_fetch(void)
{
	static struct xinim_net_event events[EVENTS_AT_ONCE];
	long count;
	do {
		struct xinim_net_buffer req = { .at = (uint64_t)events, .max = EVENTS_AT_ONCE };
		count = net_call(XINIM_NET_EVENTS, &req, sizeof(req));
		for (long i = 0; i < count && count <= EVENTS_AT_ONCE; i++) {
			struct sock *s = by_net_id(events[i].sock);
			if (s)
				ready_now(s, events[i].ready);
		}
	} while (count == EVENTS_AT_ONCE);
}

void inet_notified(const struct xinim_notification *note)
{
	if (xinim_endpoint_pid(note->from) != XINIM_PID_NET)
		return;
	net_seen = true;
	if (note->bits & XINIM_NOTE_NET_EVENTS)
		events_fetch();
	if (note->bits & XINIM_NOTE_SERVING) {	// calls that found NET gone go on
		closes_pay();
		wait_ready_every();
	}
}

size_t inet_proc(unsigned which, char *to, size_t room)
{
	size_t length = 0;
	long got;
	do {
		struct xinim_net_buffer req = { .at = (uint64_t)(to + length),
						.max = (uint32_t)(room - length), .which = which,
						.offset = length };
		got = net_call(XINIM_NET_PROC, &req, sizeof(req));
		length += got > 0 ? (size_t)got : 0;
	} while (got > 0 && length < room);
	return length;
}

const struct socket_family inet_family = {
	.create = inet_create, .bind = inet_bind, .connect = inet_connect, .listen = inet_listen,
	.accept = inet_accept, .send = inet_send, .recv = inet_recv, .shutdown = inet_shutdown,
	.name = inet_name, .poll = inet_poll, .readable = inet_readable, .release = inet_release,
	.option = inet_option, .ioctl = inet_ioctl,
};
