// The interfaces: lo (lwIP's loopback, 127.0.0.1) and eth0, an Ethernet interface over the
// driver DEV (include/xinim/ipc/dev.h). NET never waits long on DEV: every call is
// ipc_call_once with a short timeout, and frames are dropped while DEV is down (TCP sends
// them again); DEV's XINIM_NOTE_SERVING brings eth0 back. Frames to send are batched
// while a message is handled and go to DEV together after it (net_netif_poll).
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <libipc/ipc.h>
#include <xinim/devframes.h>
#include <xinim/ipc/dev.h>
#include <xinim/runtime.h>
#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include "interfaces.h"
#include "net.h"

#define DEV_TIMEOUT_US 50000	// DEV answers at once; longer means it is gone
#define BATCH_BYTES XINIM_COPY_MAX	// what DEV moves in one call
// A poll's slice (resume in table.c), so that VFS's calls are answered between slices of a
// bulk transfer's frames: loopback rounds, and batches asked of DEV.
#define POLL_ROUNDS 16
#define DEV_ROUNDS 4

static struct netif eth NET_KEPT;
static bool eth_added NET_KEPT, dev_ready NET_KEPT;
static uint8_t batch[BATCH_BYTES];
static size_t batch_used;
static uint32_t batch_count;
static uint8_t received[BATCH_BYTES];

struct netif *net_netif_eth(void) { return eth_added ? &eth : NULL; }

// A call to DEV: its result, or -ENODEV when there is no DEV now.
static long dev_call(int32_t type, const void *payload, uint16_t length, struct xinim_msg *msg)
{
	long dev = ipc_lookup(XINIM_PID_DEV);
	if (dev < 0)
		return -ENODEV;
	*msg = (struct xinim_msg){ .header.type = type, .header.length = length };
	memcpy(msg->payload, payload, length);
	return ipc_call_once((xinim_endpoint_t)dev, msg, DEV_TIMEOUT_US);
}

// The batch to DEV. What it has no room for now stays, to go at its next
// XINIM_NOTE_DEV_READY; a DEV that is down loses the batch (TCP sends it again).
static void batch_send(void)
{
	if (!batch_count)
		return;
	struct xinim_dev_frames frames = { (uint64_t)(uintptr_t)batch, (uint32_t)batch_used,
					   batch_count };
	struct xinim_msg msg;
	long taken = dev_call(XINIM_DEV_SEND, &frames, sizeof(frames), &msg);
	if (taken < 0 || taken >= batch_count) {
		net_counts[NET_ETH].tx_dropped += taken < 0 ? batch_count : 0;
		batch_used = batch_count = 0;
		return;
	}
	size_t sent = 0;
	for (long i = 0; i < taken; i++)
		sent += XINIM_DEV_RECORD(((const struct xinim_dev_frame *)(batch + sent))->length);
	memmove(batch, batch + sent, batch_used - sent);
	batch_used -= sent;
	batch_count -= (uint32_t)taken;
}

static err_t link_output(struct netif *netif, struct pbuf *p)
{
	(void)netif;
	static uint8_t frame[XINIM_DEV_FRAME_MAX];
	if (p->tot_len > sizeof(frame)) {
		net_counts[NET_ETH].tx_dropped++;
		return ERR_BUF;
	}
	pbuf_copy_partial(p, frame, p->tot_len, 0);
	bool written = devframes_write(batch, sizeof(batch), &batch_used, frame, p->tot_len);
	if (!written) {
		batch_send();
		written = devframes_write(batch, sizeof(batch), &batch_used, frame, p->tot_len);
	}
	if (!written) {	// DEV has had no room for a whole batch: as a full ring drops it
		net_counts[NET_ETH].tx_dropped++;
		return ERR_OK;
	}
	batch_count++;
	net_counts[NET_ETH].tx_packets++;
	net_counts[NET_ETH].tx_bytes += p->tot_len;
	return ERR_OK;
}

// The address the interface got (DHCP's lease, or an ioctl's) kept for the next instance.
static void on_status(struct netif *netif)
{
	struct net_config *c = &net_kept->config;
	keep_change(c, sizeof(*c));
	c->addr = ip4_addr_get_u32(netif_ip4_addr(netif));
	c->netmask = ip4_addr_get_u32(netif_ip4_netmask(netif));
	c->gateway = ip4_addr_get_u32(netif_ip4_gw(netif));
	c->from_dhcp = dhcp_supplied_address(netif);
	if (c->addr)
		klog(LOGLEVEL_INFO, "net: eth0 is %s\n", ip4addr_ntoa(netif_ip4_addr(netif)));
}

static err_t eth_init(struct netif *netif)
{
	netif->name[0] = 'e';
	netif->name[1] = 't';
	netif->output = etharp_output;
	netif->linkoutput = link_output;
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

// eth0 from DEV's description, configured as kept (an ioctl's address), else by DHCP.
static void eth_start(void)
{
	struct xinim_msg msg;
	if (dev_call(XINIM_DEV_INFO, NULL, 0, &msg) != 0)
		return;
	struct xinim_dev_info info;
	memcpy(&info, msg.payload, sizeof(info));
	if (!netif_add(&eth, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL, eth_init,
		       ethernet_input))
		return;
	eth_added = true;
	eth.hwaddr_len = ETH_HWADDR_LEN;
	memcpy(eth.hwaddr, info.mac, ETH_HWADDR_LEN);
	eth.mtu = info.mtu ? info.mtu : 1500;
	netif_set_status_callback(&eth, on_status);
	netif_set_default(&eth);
	netif_set_link_up(&eth);
	net_netif_config_apply();
	dev_ready = true;	// frames may have come before we asked
}

// The kept configuration on eth0: an address set by ioctl stays; else DHCP finds one.
void net_netif_config_apply(void)
{
	const struct net_config *c = &net_kept->config;
	if (!eth_added)
		return;
	if (!(c->flags & IFF_UP)) {
		dhcp_release_and_stop(&eth);
		netif_set_down(&eth);
		return;
	}
	netif_set_up(&eth);
	if (c->addr && !c->from_dhcp) {
		// Read first: giving a lease back clears the address, which on_status keeps.
		ip4_addr_t addr = { c->addr }, mask = { c->netmask }, gw = { c->gateway };
		dhcp_release_and_stop(&eth);
		netif_set_addr(&eth, &addr, &mask, &gw);
	} else if (!netif_dhcp_data(&eth)) {
		dhcp_start(&eth);
	}
}

// lo's packets, counted on their way (lwIP counts nothing with LWIP_STATS off): what lo
// sends it receives.
static netif_output_fn loop_output NET_KEPT;

static err_t loop_counted(struct netif *netif, struct pbuf *p, const ip4_addr_t *addr)
{
	err_t err = loop_output(netif, p, addr);
	struct net_counts *c = &net_counts[NET_LO];
	if (err == ERR_OK) {
		c->tx_packets++, c->rx_packets++;
		c->tx_bytes += p->tot_len, c->rx_bytes += p->tot_len;
	} else {
		c->tx_dropped++;
	}
	return err;
}

static void loop_count(void)
{
	struct netif *n;
	NETIF_FOREACH(n)
		if (n->name[0] == 'l' && n->name[1] == 'o' && n->output != loop_counted) {
			loop_output = n->output;
			n->output = loop_counted;
		}
}

// lwIP once in its memory (a new instance may reuse the last one's; hosted tests restart
// NET in one process), then eth0 if DEV is there. eth0 kept: frames may wait at DEV that
// the last instance was told of.
void net_netif_start(void)
{
	if (!net_lwip.started) {
		lwip_init();
		loop_count();
		net_lwip.code = (uintptr_t)net_take_over;
	}
	net_lwip.started = 1;
	if (!eth_added) {
		eth_start();
	} else {
		net_netif_config_apply();
		dev_ready = true;
	}
}

void net_netif_dev_ready(void) { dev_ready = true; }

// DEV serves again (a restarted driver): eth0 is made if it was not, and frames flow.
void net_netif_dev_serving(void)
{
	if (!eth_added)
		eth_start();
	dev_ready = true;
}

// Feeds one batch of DEV's received frames to lwIP: how many DEV gave (0: none now), or
// its error.
static long dev_receive(void)
{
	struct xinim_dev_frames frames = { (uint64_t)(uintptr_t)received, sizeof(received), 0 };
	struct xinim_msg msg;
	long count = dev_call(XINIM_DEV_RECEIVE, &frames, sizeof(frames), &msg);
	if (count <= 0)
		return count;
	memcpy(&frames, msg.payload, sizeof(frames));
	static struct devframe_at at[sizeof(received) / XINIM_DEV_RECORD(DEVFRAME_MIN)];
	long read = devframes_read(received, sizeof(received), frames.length, (unsigned)count,
				   sizeof(at) / sizeof(at[0]), at);
	for (long i = 0; i < read; i++) {	// a driver's bad batch (< 0) is not trusted
		struct pbuf *p = pbuf_alloc(PBUF_RAW, at[i].length, PBUF_POOL);
		bool taken = p && pbuf_take(p, received + at[i].offset, at[i].length) == ERR_OK &&
			     eth.input(p, &eth) == ERR_OK;
		if (p && !taken)
			pbuf_free(p);
		net_counts[NET_ETH].rx_packets += taken;
		net_counts[NET_ETH].rx_bytes += taken ? at[i].length : 0;
		net_counts[NET_ETH].rx_dropped += !taken;
	}
	return count;
}

bool net_netif_poll(void)
{
	if (eth_added && dev_ready) {
		long got = 1;
		for (unsigned round = 0; round < DEV_ROUNDS && got > 0; round++)
			got = dev_receive();
		// More may wait: come back. A DEV that was slow to answer (a loaded host) still
		// holds frames it will not announce again; one that is gone says when it serves.
		dev_ready = got > 0 || got == -ETIMEDOUT;
	}
	bool waiting = false;
	for (unsigned round = 0; round < POLL_ROUNDS; round++) {
		struct netif *n;
		waiting = false;
		NETIF_FOREACH(n)
			waiting |= n->loop_first != NULL;
		if (!waiting)
			break;
		netif_poll_all();
	}
	batch_send();
	return waiting || dev_ready;
}
