// The socket calls VFS makes (include/xinim/ipc/net.h): each handler checks the caller and
// decodes its request (the socket's id, the address), then the socket's protocol does it
// (tcp.c, udp.c). Every answer carries the socket's readiness.
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "net.h"

// The socket a request names, after the caller's check: its index, or -EPERM (only VFS
// calls NET), -EBADF.
static long socket_of(const struct ipc_request *request, uint32_t id)
{
	return net_from_vfs(request) ? net_index(id) : -EPERM;
}

// The request's payload as type T, into a local of that type.
#define PAYLOAD(request, type) \
	({ type value_; memcpy(&value_, (request)->msg.payload, sizeof(value_)); value_; })

long net_socket(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_socket call = PAYLOAD(request, struct xinim_net_socket);
	if (!net_from_vfs(request))
		return -EPERM;
	if (call.domain != AF_INET)
		return -EAFNOSUPPORT;
	int protocol = call.type == SOCK_STREAM ? IPPROTO_TCP
		       : call.type == SOCK_DGRAM ? IPPROTO_UDP : -1;
	if (protocol < 0)
		return -ESOCKTNOSUPPORT;
	if (call.protocol && call.protocol != protocol)
		return -EPROTONOSUPPORT;
	long index = net_socket_new(call.type, protocol);
	if (index < 0)
		return index;
	long err = net_protocol_of(index)->open(index);
	if (err) {
		net_socket_free(index);
		return err;
	}
	net_answer(reply, index);
	return net_id(index);
}

long net_close(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	long index = socket_of(request, PAYLOAD(request, struct xinim_net_sock).sock);
	if (index < 0)
		return index;
	net_protocol_of(index)->close(index);
	return 0;
}

// A request with an address: its socket's index and the address, decoded.
static long addressed(const struct ipc_request *request, struct net_endpoint *e, bool *unspec)
{
	struct xinim_net_addr call = PAYLOAD(request, struct xinim_net_addr);
	long index = socket_of(request, call.sock);
	if (index < 0)
		return index;
	if (call.length > sizeof(call.addr))
		return -EINVAL;
	sa_family_t family = 0;
	memcpy(&family, call.addr, call.length < sizeof(family) ? call.length : sizeof(family));
	*unspec = call.length >= sizeof(family) && family == AF_UNSPEC;
	if (*unspec)
		return index;
	long err = net_address_in(call.addr, call.length, e);
	return err ? err : index;
}

long net_bind(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct net_endpoint e;
	bool unspec;
	long index = addressed(request, &e, &unspec);
	if (index < 0)
		return index;
	long err = unspec ? -EAFNOSUPPORT : !net_address_local(e.addr) ? -EADDRNOTAVAIL
			  : net_protocol_of(index)->bind(index, &e);
	return net_answered(reply, index, err);
}

long net_connect(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct net_endpoint e;
	bool unspec;
	long index = addressed(request, &e, &unspec);
	if (index < 0)
		return index;
	long err = unspec && net_kept->sockets[index].type == SOCK_STREAM ? -EAFNOSUPPORT
		   : net_protocol_of(index)->connect(index, unspec ? NULL : &e);
	return net_answered(reply, index, err);
}

long net_listen(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_sock call = PAYLOAD(request, struct xinim_net_sock);
	long index = socket_of(request, call.sock);
	if (index < 0)
		return index;
	long err = net_protocol_of(index)->listen(index, call.arg);
	return net_answered(reply, index, err);
}

long net_accept(const struct ipc_request *request, struct xinim_msg *reply)
{
	long index = socket_of(request, PAYLOAD(request, struct xinim_net_sock).sock);
	if (index < 0)
		return index;
	struct xinim_net_answer answer = { 0 };
	long result = net_protocol_of(index)->accept(index, &answer);
	struct xinim_net_answer *out = net_answer(reply, index);
	memcpy(out->addr, answer.addr, sizeof(out->addr));
	out->addr_length = answer.addr_length;
	return result;
}

// A send's or a receive's socket, decoded request and bytes.
static long transfer_of(const struct ipc_request *request, struct xinim_net_io *io,
			struct net_transfer *t)
{
	*io = PAYLOAD(request, struct xinim_net_io);
	long index = socket_of(request, io->sock);
	if (index < 0)
		return index;
	if (io->addr_length > sizeof(io->addr))
		return -EINVAL;
	long err = net_transfer_open(request, io, t);
	return err ? err : index;
}

long net_send(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_io io;
	struct net_transfer t;
	long index = transfer_of(request, &io, &t);
	if (index < 0)
		return index;
	struct net_endpoint to;
	long err = io.addr_length ? net_address_in(io.addr, io.addr_length, &to) : 0;
	if (!err)
		err = net_protocol_of(index)->send(index, &t, io.addr_length ? &to : NULL,
						   io.flags);
	return net_answered(reply, index, err);
}

long net_receive(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_io io;
	struct net_transfer t;
	long index = transfer_of(request, &io, &t);
	if (index < 0)
		return index;
	struct xinim_net_answer answer = { 0 };
	long result = net_protocol_of(index)->receive(index, &t, io.flags, &answer);
	struct xinim_net_answer *out = net_answer(reply, index);
	out->flags = answer.flags;
	if (io.addr_length && answer.addr_length) {
		memcpy(out->addr, answer.addr, sizeof(out->addr));
		out->addr_length = answer.addr_length;
	}
	return result;
}

long net_shutdown(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_sock call = PAYLOAD(request, struct xinim_net_sock);
	long index = socket_of(request, call.sock);
	if (index < 0)
		return index;
	static const unsigned shuts[] = {
		[SHUT_RD] = NET_SHUT_RD, [SHUT_WR] = NET_SHUT_WR,
		[SHUT_RDWR] = NET_SHUT_RD | NET_SHUT_WR,
	};
	long err = call.arg < SHUT_RD || call.arg > SHUT_RDWR
			   ? -EINVAL : net_protocol_of(index)->shutdown(index, shuts[call.arg]);
	return net_answered(reply, index, err);
}

// arg 0: the socket's own address (0.0.0.0:0 before a bind, as Linux); 1: its peer's.
long net_name(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_sock call = PAYLOAD(request, struct xinim_net_sock);
	long index = socket_of(request, call.sock);
	if (index < 0)
		return index;
	const struct net_socket *s = &net_kept->sockets[index];
	if (call.arg != 0 && call.arg != 1)
		return -EINVAL;
	bool connected = s->state == NET_CONNECTED ||
			 (s->state == NET_CLOSED && s->type == SOCK_STREAM && s->peer.port &&
			  !s->error);
	if (call.arg == 1 && !connected)
		return -ENOTCONN;
	net_address_out(call.arg ? &s->peer : &s->local, net_answer(reply, index));
	return 0;
}
