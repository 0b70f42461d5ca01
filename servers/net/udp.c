// UDP sockets on lwIP's raw API (udp(7) as Linux answers it): datagrams wait in a ring
// per socket, up to its SO_RCVBUF, until VFS reads them; a send goes out whole or not
// at all.
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "lwip/udp.h"
#include "net.h"

static void *arg_of(unsigned index) { return (void *)(uintptr_t)(index + 1); }

static void on_receive(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		       u16_t port)
{
	(void)pcb;
	unsigned index = (unsigned)(uintptr_t)arg - 1;
	const struct net_socket *s = &net_kept->sockets[index];
	struct net_live *live = &net_live[index];
	if (live->count == NET_DATAGRAMS || live->queued + p->tot_len > (size_t)s->rcvbuf ||
	    (s->shut & NET_SHUT_RD)) {
		pbuf_free(p);	// as a full socket buffer drops it on Linux
		return;
	}
	live->datagrams[(live->first + live->count++) % NET_DATAGRAMS] = (struct net_datagram){
		.data = p, .from = { .addr = ip4_addr_get_u32(ip_2_ip4(addr)), .port = port },
	};
	live->queued += p->tot_len;
}

void net_udp_apply_options(unsigned index)
{
	struct udp_pcb *pcb = net_live[index].udp;
	uint32_t options = net_kept->sockets[index].options;
	if (!pcb)
		return;
	net_so_option(&pcb->so_options, SOF_REUSEADDR, options & NET_OPT_REUSEADDR);
	net_so_option(&pcb->so_options, SOF_BROADCAST, options & NET_OPT_BROADCAST);
}

static long udp_open(unsigned index)
{
	struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
	if (!pcb)
		return -ENOBUFS;
	net_live[index].udp = pcb;
	udp_recv(pcb, on_receive, arg_of(index));
	return 0;
}

static void local_of(unsigned index)
{
	const struct udp_pcb *pcb = net_live[index].udp;
	net_edit(index)->local = (struct net_endpoint){
		.addr = ip4_addr_get_u32(ip_2_ip4(&pcb->local_ip)), .port = pcb->local_port,
	};
}

static long udp_bind_to(unsigned index, const struct net_endpoint *e)
{
	if (net_kept->sockets[index].local.port || !net_live[index].udp)
		return -EINVAL;
	ip_addr_t ip = IPADDR4_INIT(e->addr);
	err_t err = udp_bind(net_live[index].udp, &ip, e->port);
	if (err != ERR_OK)
		return net_errno(err);
	local_of(index);
	return 0;
}

static long udp_listen_on(unsigned index, int backlog)
{
	(void)index, (void)backlog;
	return -EOPNOTSUPP;
}

static long udp_accept_one(unsigned index, struct xinim_net_answer *answer)
{
	(void)index, (void)answer;
	return -EOPNOTSUPP;
}

// e NULL: the default peer is dissolved (connect(2) with AF_UNSPEC).
static long udp_connect_to(unsigned index, const struct net_endpoint *e)
{
	struct udp_pcb *pcb = net_live[index].udp;
	if (!pcb)
		return -EINVAL;
	struct net_socket *s = net_edit(index);
	if (!e) {
		udp_disconnect(pcb);
		s->state = NET_OPEN;
		s->peer = (struct net_endpoint){ 0 };
		return 0;
	}
	ip_addr_t ip = IPADDR4_INIT(e->addr ? e->addr : PP_HTONL(INADDR_LOOPBACK));
	err_t err = udp_connect(pcb, &ip, e->port);
	if (err != ERR_OK)
		return net_errno(err);
	s->state = NET_CONNECTED;
	s->peer = (struct net_endpoint){ .addr = ip4_addr_get_u32(ip_2_ip4(&ip)), .port = e->port };
	local_of(index);
	return 0;
}

static long udp_send_to(unsigned index, const struct net_transfer *t, const struct net_endpoint *to,
			uint32_t flags)
{
	(void)flags;
	const struct net_socket *s = &net_kept->sockets[index];
	struct udp_pcb *pcb = net_live[index].udp;
	if (!to && s->state != NET_CONNECTED)
		return -EDESTADDRREQ;
	if (!pcb)	// a restart could not make it again
		return -ENOTCONN;
	if (s->shut & NET_SHUT_WR)
		return -EPIPE;
	if (s->error)
		return -net_error_take(index);
	uint64_t length = t->total - t->done;
	if (length > NET_UDP_MAX)
		return -EMSGSIZE;
	const struct net_endpoint *dest = to ? to : &s->peer;
	ip_addr_t ip = IPADDR4_INIT(dest->addr ? dest->addr : PP_HTONL(INADDR_LOOPBACK));
	bool broadcast = netif_default ? ip4_addr_isbroadcast(ip_2_ip4(&ip), netif_default)
				       : ip4_addr_get_u32(ip_2_ip4(&ip)) == IPADDR_BROADCAST;
	if (broadcast && !(s->options & NET_OPT_BROADCAST))
		return -EACCES;	// udp(7): SO_BROADCAST first
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)length, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	long err = net_transfer_read(t, t->done, p->payload, length);
	err_t sent = err ? ERR_OK : udp_sendto(pcb, p, &ip, dest->port);
	pbuf_free(p);
	if (err)
		return err;
	if (sent != ERR_OK)
		return net_errno(sent);
	if (!s->local.port)
		local_of(index);
	return (long)length;
}

static void datagram_drop(struct net_live *live)
{
	struct net_datagram *d = &live->datagrams[live->first];
	live->queued -= d->data->tot_len;
	pbuf_free(d->data);
	*d = (struct net_datagram){ 0 };
	live->first = (live->first + 1) % NET_DATAGRAMS;
	live->count--;
}

static long udp_receive(unsigned index, const struct net_transfer *t, uint32_t flags,
			struct xinim_net_answer *answer)
{
	struct net_live *live = &net_live[index];
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (!live->count) {
		int error = net_error_take(index);
		return error ? -error : (net_kept->sockets[index].shut & NET_SHUT_RD) ? 0 : -EAGAIN;
	}
	const struct net_datagram *d = &live->datagrams[live->first];
	uint64_t room = t->total - t->done;
	u16_t length = d->data->tot_len, n = room < length ? (u16_t)room : length;
	static uint8_t bytes[NET_UDP_MAX];
	pbuf_copy_partial(d->data, bytes, n, 0);
	long err = net_transfer_write(t, t->done, bytes, n);
	if (err)
		return err;
	net_address_out(&d->from, answer);
	if (n < length)
		answer->flags |= MSG_TRUNC;
	if (!(flags & MSG_PEEK))
		datagram_drop(live);
	return flags & MSG_TRUNC ? length : n;	// MSG_TRUNC asked: the datagram's length
}

static long udp_shutdown_how(unsigned index, unsigned how)
{
	if (net_kept->sockets[index].state != NET_CONNECTED)
		return -ENOTCONN;
	net_edit(index)->shut |= (uint8_t)how;
	return 0;
}

static void udp_close_one(unsigned index)
{
	struct net_live *live = &net_live[index];
	while (live->count)
		datagram_drop(live);
	if (live->udp)
		udp_remove(live->udp);
	net_socket_free(index);
}

// A restart's: the pcb made again, bound and connected as it was.
static void udp_revive(unsigned index)
{
	struct net_socket *s = &net_kept->sockets[index];
	struct net_endpoint local = s->local, peer = s->peer;
	int state = s->state;
	s->local = s->peer = (struct net_endpoint){ 0 };
	s->state = NET_OPEN;
	bool made = udp_open(index) == 0;
	if (made)
		net_udp_apply_options(index);
	if (made && local.port)
		made = udp_bind_to(index, &local) == 0;
	if (made && state == NET_CONNECTED)
		made = udp_connect_to(index, &peer) == 0;
	if (!made)
		s->error = EADDRINUSE;
}

const struct net_protocol net_udp = {
	.open = udp_open,
	.bind = udp_bind_to,
	.listen = udp_listen_on,
	.accept = udp_accept_one,
	.connect = udp_connect_to,
	.send = udp_send_to,
	.receive = udp_receive,
	.shutdown = udp_shutdown_how,
	.close = udp_close_one,
	.revive = udp_revive,
};
