#pragma once
// The interfaces as programs see them (interfaces.c): lo and eth0, by Linux's names and
// indices, for the ioctls (ioctl.c) and /proc/net (proc.c).
#include <stdbool.h>
#include <stdint.h>
#include "net.h"

enum net_interface_which { NET_LO, NET_ETH, NET_INTERFACES };

struct net_interface {
	unsigned which, index;	// index: Linux's ifindex (lo 1, eth0 2)
	struct netif *netif;
	const char *name;
	uint32_t addr, netmask, gateway;	// network order
	uint32_t flags;		// IFF_*
	uint32_t mtu;
	uint16_t hwtype;	// ARPHRD_*
	uint8_t hwaddr[6];
};

// Frames and bytes each way since NET started (netif.c counts them).
struct net_counts {
	uint64_t rx_bytes, rx_packets, rx_dropped, tx_bytes, tx_packets, tx_dropped;
};
extern struct net_counts net_counts[NET_INTERFACES];

// The interface which names, if it is there.
bool net_interface(unsigned which, struct net_interface *out);
bool net_interface_named(const char *name, struct net_interface *out);
