// NET's kept state (docs/resurrection.md; docs/net.md, What a restart keeps): the socket
// records and the interface's configuration under the undo log, and lwIP's memory with
// the live parts beside them, whole when the last instance died waiting for a message.
// A new instance checks every record and drops what does not check out. If lwIP's
// memory is whole it goes on in it: every socket, connections too, is as it was. Else it
// zeroes it and makes again what lwIP lost: UDP sockets and listening TCP sockets come
// back bound (and listening) as before; a TCP connection cannot, and is ended as a reset
// (ECONNRESET), whose readiness VFS hears at once (events.c) so that no caller waits on
// it for ever.
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
struct net_live net_live[NET_SOCKETS] NET_KEPT;
struct net_lwip_kept net_lwip NET_KEPT;
struct net_lwip_region net_lwip_region;

size_t net_state_size(void) { return sizeof(struct net_state_kept); }

static bool buffer_valid(int32_t size) { return size >= NET_BUF_MIN && size <= NET_BUF_MAX; }

bool net_socket_check(const struct net_socket *s, unsigned index)
{
	if (s->state == NET_FREE)
		return true;
	bool stream = s->type == SOCK_STREAM && s->protocol == IPPROTO_TCP;
	bool datagram = s->type == SOCK_DGRAM && s->protocol == IPPROTO_UDP;
	return s->state < NET_STATES && s->generation && s->generation < NET_GENERATIONS &&
	       (stream || datagram) &&
	       !(s->shut & ~(NET_SHUT_RD | NET_SHUT_WR)) && !(s->options & ~(uint32_t)NET_OPTS) &&
	       buffer_valid(s->rcvbuf) && buffer_valid(s->sndbuf) && s->linger >= 0 &&
	       s->error >= 0 && s->error < 4096 && s->parent <= NET_SOCKETS &&
	       s->parent != index + 1 && (stream || s->state != NET_LISTENING) &&
	       (stream || s->state != NET_CONNECTING);
}

// A socket's live part let go, through lwIP, without a callback.
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

// lwIP's memory as no instance has used it. Where it is kept (XINIM) an inherited one is
// zeroed (a first is zeroed already): left half way through a change, nothing in it can
// be trusted. Hosted tests restart NET in one process, where lwIP's globals are the
// process's: each socket and each connection closing or waiting (TIME_WAIT) that no
// socket held is let go through lwIP.
static void lwip_start_again(enum keep_start start)
{
	if (net_lwip_region.start) {
		if (start == KEEP_INHERITED)
			memset(net_lwip_region.start, 0, net_lwip_region.size);
		return;
	}
	for (unsigned i = 0; i < NET_SOCKETS; i++)
		live_forget(i);
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

// lwIP's memory as the last instance left it is whole: it died waiting for a message, in
// memory this program made, with records that check out.
static bool lwip_whole(enum keep_start start)
{
	return start == KEEP_INHERITED && net_lwip.started && net_lwip.waiting &&
	       net_lwip.code == (uintptr_t)net_take_over && config_valid(&net_kept->config);
}

// A socket of a whole lwIP: kept as it is, or dropped with its live part if its record
// does not check out.
static void keep_socket(unsigned index, struct take_counts *counts)
{
	struct net_socket *s = &net_kept->sockets[index];
	if (net_socket_check(s, index)) {
		counts->kept += s->state != NET_FREE;
		return;
	}
	live_forget(index);
	uint16_t generation = s->generation;
	*s = (struct net_socket){ .generation = generation };
	counts->dropped++;
}

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
	bool whole = lwip_whole(start);
	net_lwip.waiting = 0;	// a death during the take-over leaves lwIP's memory torn
	if (!whole)
		lwip_start_again(start);
	if (start != KEEP_INHERITED || !config_valid(&net_kept->config))
		net_kept->config = (struct net_config){ .flags = IFF_UP };
	if (!whole && start == KEEP_INHERITED && net_kept->config.from_dhcp)
		net_kept->config.addr = 0;	// DHCP asks again; the lease comes back the same
	net_netif_start();
	struct take_counts counts = { 0 };
	for (unsigned i = 0; start == KEEP_INHERITED && i < NET_SOCKETS; i++)
		(whole ? keep_socket : take_socket)(i, &counts);
	if (start != KEEP_FRESH)
		klog(LOGLEVEL_INFO, "net: took over %u sockets%s, reset %u connections, dropped %u\n",
		     counts.kept, whole ? " with lwIP's memory whole" : "", counts.reset,
		     counts.dropped);
	if (start != KEEP_INHERITED)
		memset(net_kept->sockets, 0, sizeof(net_kept->sockets));
}
