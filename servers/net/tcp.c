// TCP sockets on lwIP's raw API (tcp(7) as Linux answers it): every operation is
// non-blocking, lwIP's callbacks change the socket's record and live part, and the
// readiness VFS sees follows from them (sockets.c, events.c). A connection's bytes wait
// in the socket's received chain until VFS reads them; only then does the window open.
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "net.h"

#define TCP_BACKLOG_MAX 255	// lwIP's backlog is a byte

static uint8_t bounce[XINIM_COPY_MAX];	// a send's or a receive's bytes on their way

static void *arg_of(unsigned index) { return (void *)(uintptr_t)(index + 1); }
static unsigned index_of(void *arg) { return (unsigned)(uintptr_t)arg - 1; }

static void endpoint_of(const ip_addr_t *ip, u16_t port, struct net_endpoint *e)
{
	*e = (struct net_endpoint){ .addr = ip4_addr_get_u32(ip_2_ip4(ip)), .port = port };
}

static err_t on_receive(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)err;
	struct net_live *live = &net_live[index_of(arg)];
	if (!p) {
		live->eof = true;
		return ERR_OK;
	}
	if (net_kept->sockets[index_of(arg)].shut & NET_SHUT_RD) {	// Linux drops them too
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	// Chained by hand: the chain may pass the 64 KiB a pbuf's tot_len counts.
	struct pbuf **tail = &live->received;
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
	live->queued += p->tot_len;
	return ERR_OK;
}

// lwIP has freed the connection: a reset (ECONNREFUSED while connecting) or a timeout.
static void on_error(void *arg, err_t err)
{
	unsigned index = index_of(arg);
	struct net_socket *s = net_edit(index);
	s->error = err == ERR_RST ? (s->state == NET_CONNECTING ? ECONNREFUSED : ECONNRESET)
				  : err == ERR_ABRT ? ETIMEDOUT : (int)-net_errno(err);
	s->state = NET_CLOSED;
	net_live[index].tcp = NULL;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)err;
	struct net_socket *s = net_edit(index_of(arg));
	s->state = NET_CONNECTED;
	endpoint_of(&pcb->local_ip, pcb->local_port, &s->local);
	return ERR_OK;
}

static void callbacks_set(unsigned index, struct tcp_pcb *pcb)
{
	tcp_arg(pcb, arg_of(index));
	tcp_recv(pcb, on_receive);
	tcp_err(pcb, on_error);
}

// No callback reaches the socket from then on: its pcb is lwIP's to finish.
static void callbacks_clear(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	if (pcb->state == LISTEN) {
		tcp_accept(pcb, NULL);
		return;
	}
	tcp_recv(pcb, NULL);
	tcp_err(pcb, NULL);
}

// A connection the listener at arg got: a socket of its own at once (its bytes queue
// there), taken by VFS with XINIM_NET_ACCEPT; until then it counts in the backlog.
static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	unsigned listener = index_of(arg);
	long index = err == ERR_OK && pcb ? net_socket_new(SOCK_STREAM, IPPROTO_TCP) : -ENFILE;
	if (index < 0) {
		if (pcb)
			tcp_abort(pcb);
		return ERR_ABRT;
	}
	const struct net_socket *l = &net_kept->sockets[listener];
	struct net_socket *s = net_edit(index);
	keep_change(&net_kept->accepts, sizeof(net_kept->accepts));
	s->state = NET_CONNECTED;
	s->parent = (uint16_t)(listener + 1);
	s->accept_order = ++net_kept->accepts;
	s->options = l->options;
	s->rcvbuf = l->rcvbuf;
	s->sndbuf = l->sndbuf;
	s->linger = l->linger;
	endpoint_of(&pcb->local_ip, pcb->local_port, &s->local);
	endpoint_of(&pcb->remote_ip, pcb->remote_port, &s->peer);
	net_live[index].tcp = pcb;
	callbacks_set(index, pcb);
	net_tcp_apply_options(index);
	tcp_backlog_delayed(pcb);
	return ERR_OK;
}

void net_tcp_apply_options(unsigned index)
{
	struct tcp_pcb *pcb = net_live[index].tcp;
	uint32_t options = net_kept->sockets[index].options;
	if (!pcb)
		return;
	net_so_option(&pcb->so_options, SOF_REUSEADDR, options & NET_OPT_REUSEADDR);
	if (pcb->state == LISTEN)
		return;
	net_so_option(&pcb->so_options, SOF_KEEPALIVE, options & NET_OPT_KEEPALIVE);
	if (options & NET_OPT_NODELAY)
		tcp_nagle_disable(pcb);
	else
		tcp_nagle_enable(pcb);
}

static long tcp_open(unsigned index)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
	if (!pcb)
		return -ENOBUFS;
	net_live[index].tcp = pcb;
	callbacks_set(index, pcb);
	return 0;
}

// Linux lets a socket with SO_REUSEADDR bind a port that only TIME_WAIT connections hold;
// lwIP wants both sides to have the option: the waiting ones get it.
static void time_wait_reusable(u16_t port)
{
	for (struct tcp_pcb *pcb = tcp_tw_pcbs; pcb; pcb = pcb->next)
		if (pcb->local_port == port)
			ip_set_option(pcb, SOF_REUSEADDR);
}

// A socket binds once (Linux's inet_bind: -EINVAL): lwIP's tcp_bind would put a bound pcb
// on its list of bound pcbs a second time, a loop its next walk never leaves.
static long tcp_bind_to(unsigned index, const struct net_endpoint *e)
{
	struct tcp_pcb *pcb = net_live[index].tcp;
	if (!pcb || net_kept->sockets[index].state != NET_OPEN || net_kept->sockets[index].local.port)
		return -EINVAL;
	if (net_kept->sockets[index].options & NET_OPT_REUSEADDR)
		time_wait_reusable(e->port);
	ip_addr_t ip = IPADDR4_INIT(e->addr);
	err_t err = tcp_bind(pcb, &ip, e->port);
	if (err != ERR_OK)
		return net_errno(err);
	struct net_socket *s = net_edit(index);
	s->local = (struct net_endpoint){ .addr = e->addr, .port = pcb->local_port };
	return 0;
}

static long tcp_listen_on(unsigned index, int backlog)
{
	struct net_socket *s = &net_kept->sockets[index];
	struct net_live *live = &net_live[index];
	u8_t lwip_backlog = (unsigned)backlog > TCP_BACKLOG_MAX ? TCP_BACKLOG_MAX : (u8_t)backlog;
	if (s->state == NET_LISTENING) {
		tcp_backlog_set(live->tcp, lwip_backlog);
		net_edit(index)->backlog = backlog;
		return 0;
	}
	if (s->state != NET_OPEN || !live->tcp)
		return -EINVAL;
	if (!s->local.port) {
		struct net_endpoint any = { 0 };
		long err = tcp_bind_to(index, &any);
		if (err)
			return err;
	}
	err_t err = ERR_OK;
	struct tcp_pcb *listening = tcp_listen_with_backlog_and_err(live->tcp, lwip_backlog, &err);
	if (!listening)
		return net_errno(err);
	live->tcp = listening;
	tcp_arg(listening, arg_of(index));
	tcp_accept(listening, on_accept);
	s = net_edit(index);
	s->state = NET_LISTENING;
	s->backlog = backlog;
	return 0;
}

// The oldest accepted connection: its id.
static long tcp_accept_one(unsigned index, struct xinim_net_answer *answer)
{
	if (net_kept->sockets[index].state != NET_LISTENING)
		return -EINVAL;
	long oldest = -1;
	for (unsigned i = 0; i < NET_SOCKETS; i++) {
		const struct net_socket *c = &net_kept->sockets[i];
		if (c->state != NET_FREE && c->parent == index + 1 &&
		    (oldest < 0 || c->accept_order < net_kept->sockets[oldest].accept_order))
			oldest = i;
	}
	if (oldest < 0)
		return -EAGAIN;
	net_edit(oldest)->parent = 0;
	if (net_live[oldest].tcp)
		tcp_backlog_accepted(net_live[oldest].tcp);
	net_live[oldest].reported = 0;	// VFS hears of its readiness as an event
	net_address_out(&net_kept->sockets[oldest].peer, answer);
	return net_id(oldest);
}

static long tcp_connect_to(unsigned index, const struct net_endpoint *e)
{
	struct net_socket *s = &net_kept->sockets[index];
	switch (s->state) {
	case NET_CONNECTING:
		return -EALREADY;
	case NET_OPEN:
		break;
	case NET_CLOSED: {
		int error = net_error_take(index);
		return error ? -error : -EISCONN;
	}
	default:
		return -EISCONN;
	}
	if (!net_live[index].tcp)
		return -EINVAL;
	// Linux connects INADDR_ANY to the loopback address.
	ip_addr_t ip = IPADDR4_INIT(e->addr ? e->addr : PP_HTONL(INADDR_LOOPBACK));
	err_t err = tcp_connect(net_live[index].tcp, &ip, e->port, on_connected);
	if (err != ERR_OK)
		return net_errno(err);
	s = net_edit(index);
	s->state = NET_CONNECTING;
	s->peer = (struct net_endpoint){ .addr = ip4_addr_get_u32(ip_2_ip4(&ip)), .port = e->port };
	endpoint_of(&net_live[index].tcp->local_ip, net_live[index].tcp->local_port, &s->local);
	return -EINPROGRESS;
}

// What a send or a receive on a socket that is no connection answers (Linux's
// tcp_sendmsg and tcp_recvmsg): its pending error first.
static long not_connected(unsigned index, bool sending)
{
	const struct net_socket *s = &net_kept->sockets[index];
	int error = net_error_take(index);
	if (error)
		return -error;
	if (s->state == NET_CONNECTING)
		return -EAGAIN;
	return sending ? -EPIPE : -ENOTCONN;
}

static long tcp_send(unsigned index, const struct net_transfer *t, const struct net_endpoint *to,
		     uint32_t flags)
{
	(void)to, (void)flags;	// the destination is ignored on a connection, as Linux does
	const struct net_socket *s = &net_kept->sockets[index];
	struct tcp_pcb *pcb = net_live[index].tcp;
	if (s->state != NET_CONNECTED || !pcb)
		return not_connected(index, true);
	if (s->error)
		return -net_error_take(index);
	if (s->shut & NET_SHUT_WR)
		return -EPIPE;
	uint64_t want = t->total - t->done, sent = 0;
	while (sent < want) {
		size_t room = tcp_sndbuf(pcb);
		size_t chunk = want - sent < room ? (size_t)(want - sent) : room;
		chunk = chunk < sizeof(bounce) ? chunk : sizeof(bounce);
		if (!chunk || tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN)
			break;
		long err = net_transfer_read(t, t->done + sent, bounce, chunk);
		if (err)
			return sent ? (long)sent : err;
		if (tcp_write(pcb, bounce, (u16_t)chunk, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		sent += chunk;
	}
	tcp_output(pcb);
	return sent || !want ? (long)sent : -EAGAIN;
}

// Takes n bytes off the front of the received chain and opens the window by as much.
static void consume(unsigned index, size_t n)
{
	struct net_live *live = &net_live[index];
	live->queued -= n;
	if (live->tcp)
		for (size_t left = n; left;) {
			u16_t piece = left > 0xffff ? 0xffff : (u16_t)left;
			tcp_recved(live->tcp, piece);
			left -= piece;
		}
	while (n) {
		struct pbuf *p = live->received;
		if (n < p->len) {
			pbuf_remove_header(p, n);
			return;
		}
		n -= p->len;
		live->received = p->next;
		p->next = NULL;
		pbuf_free(p);
	}
}

// Gathers up to n bytes from the front of the chain into bounce: how many.
static size_t gather(const struct net_live *live, size_t skip, size_t n)
{
	size_t got = 0;
	for (const struct pbuf *p = live->received; p && got < n; p = p->next) {
		if (skip >= p->len) {
			skip -= p->len;
			continue;
		}
		size_t take = p->len - skip < n - got ? p->len - skip : n - got;
		memcpy(bounce + got, (const uint8_t *)p->payload + skip, take);
		got += take;
		skip = 0;
	}
	return got;
}

static long tcp_receive(unsigned index, const struct net_transfer *t, uint32_t flags,
			struct xinim_net_answer *answer)
{
	(void)answer;
	const struct net_socket *s = &net_kept->sockets[index];
	struct net_live *live = &net_live[index];
	if (flags & MSG_OOB)
		return -EINVAL;	// no urgent data is ever kept
	if (s->state == NET_OPEN || s->state == NET_LISTENING || s->state == NET_CONNECTING)
		return not_connected(index, false);
	if (!live->queued) {
		int error = net_error_take(index);
		if (error)
			return -error;
		bool ended = live->eof || s->state == NET_CLOSED || (s->shut & NET_SHUT_RD);
		return ended ? 0 : -EAGAIN;
	}
	uint64_t want = t->total - t->done, copied = 0;
	while (copied < want && copied < live->queued) {
		uint64_t left = want - copied;
		size_t chunk = left < sizeof(bounce) ? (size_t)left : sizeof(bounce);
		size_t got = gather(live, copied, chunk);
		if (!got)
			break;
		long err = net_transfer_write(t, t->done + copied, bounce, got);
		if (err && !copied)
			return err;
		if (err)
			break;
		copied += got;
	}
	if (!(flags & MSG_PEEK))
		consume(index, copied);
	return (long)copied;
}

static long tcp_shutdown_how(unsigned index, unsigned how)
{
	const struct net_socket *s = &net_kept->sockets[index];
	if (s->state != NET_CONNECTED && s->state != NET_CLOSED)
		return -ENOTCONN;
	if ((how & NET_SHUT_WR) && !(s->shut & NET_SHUT_WR) && net_live[index].tcp)
		tcp_shutdown(net_live[index].tcp, 0, 1);
	net_edit(index)->shut |= (uint8_t)how;
	return 0;
}

static void drop_received(struct net_live *live)
{
	if (live->received)
		pbuf_free(live->received);
	live->received = NULL;
	live->queued = 0;
}

// Linux resets a connection closed with bytes unread, or with SO_LINGER of 0 seconds.
static void tcp_close_one(unsigned index)
{
	const struct net_socket *s = &net_kept->sockets[index];
	struct net_live *live = &net_live[index];
	struct tcp_pcb *pcb = live->tcp;
	bool reset = live->queued || ((s->options & NET_OPT_LINGER) && !s->linger);
	if (s->state == NET_LISTENING)	// the connections it accepted and nobody took
		for (unsigned i = 0; i < NET_SOCKETS; i++)
			if (net_kept->sockets[i].state != NET_FREE &&
			    net_kept->sockets[i].parent == index + 1) {
				net_edit(i)->options |= NET_OPT_LINGER;
				net_kept->sockets[i].linger = 0;
				tcp_close_one(i);
			}
	drop_received(live);
	if (pcb) {
		callbacks_clear(pcb);
		if (reset && pcb->state != LISTEN)
			tcp_abort(pcb);
		else if (tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
	net_socket_free(index);
}

// A restart's: lwIP's memory is new. A socket that was no connection is made again
// (bound, listening as before); a connection is lost, and said so (ECONNRESET).
static void tcp_revive(unsigned index)
{
	struct net_socket *s = &net_kept->sockets[index];
	if (s->state == NET_CONNECTING || s->state == NET_CONNECTED) {
		s->state = NET_CLOSED;
		s->error = ECONNRESET;
		return;
	}
	if (s->state != NET_OPEN && s->state != NET_LISTENING)
		return;
	int state = s->state, backlog = s->backlog;
	struct net_endpoint local = s->local;
	s->state = NET_OPEN;
	s->local = (struct net_endpoint){ 0 };
	bool made = tcp_open(index) == 0;
	if (made && local.port) {
		ip_set_option(net_live[index].tcp, SOF_REUSEADDR);	// over its own TIME_WAITs
		made = tcp_bind_to(index, &local) == 0;
	}
	if (made)
		net_tcp_apply_options(index);
	if (made && state == NET_LISTENING)
		made = tcp_listen_on(index, backlog) == 0;
	if (!made) {
		s->state = NET_CLOSED;
		s->error = EADDRINUSE;
	}
}

const struct net_protocol net_tcp = {
	.open = tcp_open,
	.bind = tcp_bind_to,
	.listen = tcp_listen_on,
	.accept = tcp_accept_one,
	.connect = tcp_connect_to,
	.send = tcp_send,
	.receive = tcp_receive,
	.shutdown = tcp_shutdown_how,
	.close = tcp_close_one,
	.revive = tcp_revive,
};
