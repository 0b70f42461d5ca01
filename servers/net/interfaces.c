// The interfaces as Linux names and numbers them for ioctls and /proc/net (netdevice(7)):
// lo is 1, eth0 (when DEV is there) is 2; their flags, addresses and frame counts.
#include <string.h>
#include <net/if.h>
#include <net/if_arp.h>
#include "lwip/netif.h"
#include "interfaces.h"

struct net_counts net_counts[NET_INTERFACES] NET_KEPT;

static struct netif *loopback(void)
{
	struct netif *n;
	NETIF_FOREACH(n)
		if (n->name[0] == 'l' && n->name[1] == 'o')
			return n;
	return NULL;
}

bool net_interface(unsigned which, struct net_interface *out)
{
	static const char *const names[NET_INTERFACES] = { [NET_LO] = "lo", [NET_ETH] = "eth0" };
	struct netif *n = which == NET_LO ? loopback() : which == NET_ETH ? net_netif_eth() : NULL;
	if (!n)
		return false;
	*out = (struct net_interface){
		.which = which, .index = which + 1, .netif = n, .name = names[which],
		.addr = ip4_addr_get_u32(netif_ip4_addr(n)),
		.netmask = ip4_addr_get_u32(netif_ip4_netmask(n)),
		.gateway = ip4_addr_get_u32(netif_ip4_gw(n)), .mtu = n->mtu ? n->mtu : 65536,
	};
	bool up = netif_is_up(n);
	out->flags = (up ? IFF_UP : 0) | (up && netif_is_link_up(n) ? IFF_RUNNING : 0) |
		     (which == NET_LO ? IFF_LOOPBACK : IFF_BROADCAST | IFF_MULTICAST);
	out->hwtype = which == NET_LO ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
	memcpy(out->hwaddr, n->hwaddr, sizeof(out->hwaddr));
	return true;
}

bool net_interface_named(const char *name, struct net_interface *out)
{
	for (unsigned i = 0; i < NET_INTERFACES; i++)
		if (net_interface(i, out) && !strncmp(out->name, name, IFNAMSIZ))
			return true;
	return false;
}
