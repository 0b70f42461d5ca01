// The socket table: ids, records, readiness and the answers every call carries. An id is
// the slot's index + 1 with the slot's generation above it, so that an id VFS kept from
// a closed socket never names the slot's next socket.
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "lwip/tcp.h"
#include "net.h"

#define NET_ID_INDEX_BITS 16

bool net_from_vfs(const struct ipc_request *request)
{
	return xinim_endpoint_pid(request->msg.header.source) == XINIM_PID_VFS;
}

uint32_t net_id(unsigned index)
{
	return (uint32_t)net_kept->sockets[index].generation << NET_ID_INDEX_BITS | (index + 1);
}

long net_index(uint32_t id)
{
	uint32_t slot = id & ((1u << NET_ID_INDEX_BITS) - 1);
	if (slot == 0 || slot > NET_SOCKETS)
		return -EBADF;
	const struct net_socket *s = &net_kept->sockets[slot - 1];
	if (s->state == NET_FREE || s->parent || s->generation != id >> NET_ID_INDEX_BITS)
		return -EBADF;
	return slot - 1;
}

struct net_socket *net_edit(unsigned index)
{
	keep_change(&net_kept->sockets[index], sizeof(net_kept->sockets[index]));
	return &net_kept->sockets[index];
}

// A free slot made a socket of type (its live part empty): its index, or -ENFILE.
long net_socket_new(int type, int protocol)
{
	for (unsigned i = 0; i < NET_SOCKETS; i++) {
		if (net_kept->sockets[i].state != NET_FREE)
			continue;
		struct net_socket *s = net_edit(i);
		uint16_t generation = (uint16_t)(s->generation + 1 < NET_GENERATIONS ? s->generation + 1 : 1);
		*s = (struct net_socket){
			.generation = generation, .state = NET_OPEN, .type = type,
			.protocol = protocol, .rcvbuf = NET_RCVBUF_DEFAULT,
			.sndbuf = NET_SNDBUF_DEFAULT,
		};
		net_live[i] = (struct net_live){ 0 };
		return i;
	}
	return -ENFILE;
}

void net_socket_free(unsigned index)
{
	net_edit(index)->state = NET_FREE;
	net_live[index] = (struct net_live){ 0 };
}

const struct net_protocol *net_protocol_of(unsigned index)
{
	return net_kept->sockets[index].type == SOCK_STREAM ? &net_tcp : &net_udp;
}

static bool tcp_room(const struct net_live *live)
{
	return live->tcp && tcp_sndbuf(live->tcp) > 0 &&
	       tcp_sndqueuelen(live->tcp) < TCP_SND_QUEUELEN;
}

static bool has_accepted(unsigned index)
{
	for (unsigned i = 0; i < NET_SOCKETS; i++)
		if (net_kept->sockets[i].parent == index + 1)
			return true;
	return false;
}

// poll(2)'s view of the socket, as Linux's tcp_poll and udp_poll give it.
uint32_t net_readiness(unsigned index)
{
	const struct net_socket *s = &net_kept->sockets[index];
	const struct net_live *live = &net_live[index];
	uint32_t ready = s->error ? XINIM_NET_ERR : 0;
	bool readable_end = live->eof || s->state == NET_CLOSED || (s->shut & NET_SHUT_RD);
	switch (s->state) {
	case NET_LISTENING:
		return ready | (has_accepted(index) ? XINIM_NET_IN : 0);
	case NET_CONNECTING:
		return ready;
	case NET_OPEN:
		if (s->type == SOCK_STREAM)	// Linux: an unconnected stream is "hung up"
			return ready | XINIM_NET_OUT | XINIM_NET_HUP;
		break;
	default:
		break;
	}
	if (live->queued || (s->type == SOCK_STREAM && readable_end))
		ready |= XINIM_NET_IN;
	if (s->type == SOCK_STREAM && (live->eof || s->state == NET_CLOSED))
		ready |= XINIM_NET_RDHUP;
	bool write_end = s->state == NET_CLOSED || (s->shut & NET_SHUT_WR);
	if (s->type == SOCK_DGRAM || write_end || tcp_room(live))
		ready |= XINIM_NET_OUT;
	if (s->type == SOCK_STREAM && s->state == NET_CLOSED)
		ready |= XINIM_NET_HUP;
	else if (s->type == SOCK_STREAM && (s->shut & NET_SHUT_WR) && readable_end)
		ready |= XINIM_NET_HUP;
	return ready;
}

struct xinim_net_answer *net_answer(struct xinim_msg *reply, unsigned index)
{
	struct xinim_net_answer *answer = (struct xinim_net_answer *)reply->payload;
	answer->ready = net_live[index].reported = net_readiness(index);
	reply->header.length = sizeof(*answer);
	return answer;
}

long net_answered(struct xinim_msg *reply, unsigned index, long result)
{
	net_answer(reply, index);
	return result;
}

int net_error_take(unsigned index)
{
	int error = net_kept->sockets[index].error;
	if (error)
		net_edit(index)->error = 0;
	return error;
}

long net_errno(err_t err)
{
	static const long errnos[] = {
		[-ERR_MEM] = ENOMEM, [-ERR_BUF] = ENOBUFS, [-ERR_TIMEOUT] = ETIMEDOUT,
		[-ERR_RTE] = ENETUNREACH, [-ERR_INPROGRESS] = EINPROGRESS, [-ERR_VAL] = EINVAL,
		[-ERR_WOULDBLOCK] = EAGAIN, [-ERR_USE] = EADDRINUSE, [-ERR_ALREADY] = EALREADY,
		[-ERR_ISCONN] = EISCONN, [-ERR_CONN] = ENOTCONN, [-ERR_IF] = ENETDOWN,
		[-ERR_ABRT] = ECONNABORTED, [-ERR_RST] = ECONNRESET, [-ERR_CLSD] = ENOTCONN,
		[-ERR_ARG] = EINVAL,
	};
	return err < 0 && -err < (int)(sizeof(errnos) / sizeof(errnos[0])) && errnos[-err]
		       ? -errnos[-err] : -EIO;
}

void net_so_option(uint8_t *so_options, uint8_t option, bool on)
{
	*so_options = (uint8_t)(on ? *so_options | option : *so_options & ~option);
}
