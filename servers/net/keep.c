// NET's kept state (docs/resurrection.md; docs/net.md, What a restart keeps): the socket
// records and the interface's configuration outlive an instance, lwIP's memory does not.
// A new instance checks every record, drops what does not check out, and makes again
// what lwIP lost: UDP sockets and listening TCP sockets come back bound (and listening)
// as before; a TCP connection cannot, and is ended as a reset (ECONNRESET), whose
// readiness VFS hears at once (events.c) so that no caller waits on it for ever.
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <xinim/runtime.h>
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "net.h"

struct net_state_kept *net_kept;
struct net_live net_live[NET_SOCKETS];

size_t net_state_size(void) { return sizeof(struct net_state_kept); }

static bool buffer_valid(int32_t size) { return size >= NET_BUF_MIN && size <= NET_BUF_MAX; }

bool net_socket_check(const struct net_socket *s, unsigned index)
{
	if (s->state == NET_FREE)
		return true;
	bool stream = s->type == SOCK_STREAM && s->protocol == IPPROTO_TCP;
	bool datagram = s->type == SOCK_DGRAM && s->protocol == IPPROTO_UDP;
	return s->state < NET_STATES && s->generation && (stream || datagram) &&
	       !(s->shut & ~(NET_SHUT_RD | NET_SHUT_WR)) && !(s->options & ~(uint32_t)NET_OPTS) &&
	       buffer_valid(s->rcvbuf) && buffer_valid(s->sndbuf) && s->linger >= 0 &&
	       s->error >= 0 && s->error < 4096 && s->parent <= NET_SOCKETS &&
	       s->parent != index + 1 && (stream || s->state != NET_LISTENING) &&
	       (stream || s->state != NET_CONNECTING);
}

// What an earlier instance in this process left of lwIP (hosted tests restart NET in
// one process; on XINIM a new instance's memory is new): let go without a callback.
static void live_forget(unsigned index)
{
	struct net_live *live = &net_live[index];
	if (live->tcp) {
		tcp_arg(live->tcp, NULL);
		if (live->tcp->state == LISTEN) {
			tcp_close(live->tcp);
		} else {
			tcp_err(live->tcp, NULL);
			tcp_recv(live->tcp, NULL);
			tcp_abort(live->tcp);
		}
	}
	if (live->udp)
		udp_remove(live->udp);
	if (live->received)
		pbuf_free(live->received);
	for (unsigned i = 0; i < live->count; i++)
		pbuf_free(live->datagrams[(live->first + i) % NET_DATAGRAMS].data);
	*live = (struct net_live){ 0 };
}

// And the connections closing or waiting (TIME_WAIT) that no socket held any more.
static void lwip_forget(void)
{
	while (tcp_active_pcbs)
		tcp_abort(tcp_active_pcbs);
	while (tcp_tw_pcbs)
		tcp_abort(tcp_tw_pcbs);
}

static bool config_valid(const struct net_config *c)
{
	return !(c->flags & ~(uint32_t)(IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST)) &&
	       c->from_dhcp <= 1;
}

// Counts of a take-over, for its log line.
struct take_counts {
	unsigned kept, reset, dropped;
};

static void take_socket(unsigned index, struct take_counts *counts)
{
	struct net_socket *s = &net_kept->sockets[index];
	if (!net_socket_check(s, index) || s->parent) {	// a connection VFS never took: gone
		uint16_t generation = s->generation;
		counts->dropped += !s->parent;
		*s = (struct net_socket){ .generation = generation };
		return;
	}
	if (s->state == NET_FREE)
		return;
	bool connection = s->type == SOCK_STREAM &&
			  (s->state == NET_CONNECTED || s->state == NET_CONNECTING);
	net_protocol_of(index)->revive(index);
	counts->reset += connection;
	counts->kept += !connection;
}

void net_take_over(void *state, enum keep_start start)
{
	net_kept = state;
	for (unsigned i = 0; i < NET_SOCKETS; i++)
		live_forget(i);
	lwip_forget();
	if (start != KEEP_INHERITED || !config_valid(&net_kept->config))
		net_kept->config = (struct net_config){ .flags = IFF_UP };
	if (start == KEEP_INHERITED && net_kept->config.from_dhcp)
		net_kept->config.addr = 0;	// DHCP asks again; the lease comes back the same
	net_netif_start();
	struct take_counts counts = { 0 };
	for (unsigned i = 0; start == KEEP_INHERITED && i < NET_SOCKETS; i++)
		take_socket(i, &counts);
	if (start != KEEP_FRESH)
		klog(LOGLEVEL_INFO, "net: took over %u sockets, reset %u connections, dropped %u\n",
		     counts.kept, counts.reset, counts.dropped);
	if (start != KEEP_INHERITED)
		memset(net_kept->sockets, 0, sizeof(net_kept->sockets));
}
