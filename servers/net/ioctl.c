// The socket ioctls BusyBox's ifconfig and route use (netdevice(7), route's SIOCADDRT),
// and FIONREAD. VFS copies the argument into its own memory and back (struct
// xinim_net_ioctl); NET reads and writes it there while VFS waits in its call. For
// SIOCGIFCONF the room for the records follows the struct ifconf (ifc_len bytes).
// Who may change an interface (CAP_NET_ADMIN) is VFS's to check.
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <libipc/ipc.h>
#include "lwip/netif.h"
#include "interfaces.h"
#include "net.h"

#define IFCONF_ROOM (NET_INTERFACES * sizeof(struct ifreq))
#define TXQLEN 1000	// Linux's default for lo and Ethernet

union argument {
	struct ifreq ifr;
	struct rtentry route;
	int value;
	struct {
		struct ifconf conf;
		struct ifreq records[NET_INTERFACES];
	} list;
};

// One ioctl as decoded: the socket, the argument, and the interface an ifreq names.
struct ioctl_call {
	unsigned long request;
	unsigned index;
	union argument *arg;
	uint32_t length;
	struct net_interface i;
};

struct ioctl_row {
	unsigned long request;
	uint32_t size;		// the argument's bytes
	bool named;		// an ifreq naming an interface, looked up before the handler
	long (*handle)(struct ioctl_call *c);
};

static void address_set(struct sockaddr *out, uint32_t addr)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = addr };
	memcpy(out, &in, sizeof(in));
}

// The interface an ifreq names: 0 or -ENODEV.
static long named(const struct ifreq *ifr, struct net_interface *i)
{
	char name[IFNAMSIZ + 1] = { 0 };
	memcpy(name, ifr->ifr_name, IFNAMSIZ);
	return net_interface_named(name, i) ? 0 : -ENODEV;
}

static long get_flags(struct ioctl_call *c)
{
	c->arg->ifr.ifr_flags = (short)c->i.flags;
	return 0;
}

// Sets a kept field of the configuration (eth0 only: lo stays as it is), then applies it.
static long config_change(const struct net_interface *i, uint32_t *field, uint32_t value)
{
	if (i->which != NET_ETH)
		return *field == value ? 0 : -EPERM;
	keep_change(&net_kept->config, sizeof(net_kept->config));
	*field = value;
	net_netif_config_apply();
	return 0;
}

static long set_flags(struct ioctl_call *c)
{
	if (c->i.which != NET_ETH)
		return 0;
	uint32_t flags = (net_kept->config.flags & ~(uint32_t)IFF_UP) |
			 ((uint16_t)c->arg->ifr.ifr_flags & IFF_UP);
	return config_change(&c->i, &net_kept->config.flags, flags);
}

// Which address of an interface a request reads or writes.
static uint32_t *config_field(unsigned long request)
{
	struct net_config *c = &net_kept->config;
	return request == SIOCSIFADDR ? &c->addr : &c->netmask;
}

static uint32_t interface_field(const struct net_interface *i, unsigned long request)
{
	switch (request) {
	case SIOCGIFADDR: case SIOCSIFADDR: return i->addr;
	case SIOCGIFNETMASK: case SIOCSIFNETMASK: return i->netmask;
	default: return i->addr | ~i->netmask;	// SIOCGIFBRDADDR
	}
}

static long get_address(struct ioctl_call *c)
{
	if (!c->i.addr)
		return -EADDRNOTAVAIL;
	address_set(&c->arg->ifr.ifr_addr, interface_field(&c->i, c->request));
	return 0;
}

// An address set by hand ends DHCP's hold on the interface; a new address brings its
// class's mask, as Linux's SIOCSIFADDR does. The value the interface has already changes
// nothing (Linux's devinet_ioctl): connections on the address stay.
static long set_address(struct ioctl_call *c)
{
	struct sockaddr_in in;
	memcpy(&in, &c->arg->ifr.ifr_addr, sizeof(in));
	if (in.sin_family != AF_INET)
		return -EINVAL;
	if (in.sin_addr.s_addr == interface_field(&c->i, c->request))
		return 0;
	if (c->i.which != NET_ETH)
		return -EPERM;
	keep_change(&net_kept->config, sizeof(net_kept->config));
	net_kept->config.from_dhcp = 0;
	net_kept->config.netmask = c->i.netmask;
	net_kept->config.gateway = c->i.gateway;
	if (c->request == SIOCSIFADDR) {
		uint32_t host = ntohl(in.sin_addr.s_addr);
		net_kept->config.netmask = htonl(host < 0x80000000u ? 0xff000000u
						 : host < 0xc0000000u ? 0xffff0000u : 0xffffff00u);
	}
	return config_change(&c->i, config_field(c->request), in.sin_addr.s_addr);
}

static long get_hwaddr(struct ioctl_call *c)
{
	struct sockaddr *hw = &c->arg->ifr.ifr_hwaddr;
	memset(hw, 0, sizeof(*hw));
	hw->sa_family = c->i.hwtype;
	memcpy(hw->sa_data, c->i.hwaddr, sizeof(c->i.hwaddr));
	return 0;
}

// The plain numbers of an interface, and its device map (none: all zeros).
static long get_number(struct ioctl_call *c)
{
	struct ifreq *ifr = &c->arg->ifr;
	switch (c->request) {
	case SIOCGIFMTU: ifr->ifr_mtu = (int)c->i.mtu; break;
	case SIOCGIFINDEX: ifr->ifr_ifindex = (int)c->i.index; break;
	case SIOCGIFTXQLEN: ifr->ifr_qlen = TXQLEN; break;
	case SIOCGIFMAP: memset(&ifr->ifr_map, 0, sizeof(ifr->ifr_map)); break;
	default: ifr->ifr_metric = 0; break;	// SIOCGIFMETRIC
	}
	return 0;
}

static long get_name(struct ioctl_call *c)
{
	struct ifreq *ifr = &c->arg->ifr;
	if (!net_interface((unsigned)ifr->ifr_ifindex - 1, &c->i))
		return -ENODEV;
	memset(ifr->ifr_name, 0, IFNAMSIZ);
	strncpy(ifr->ifr_name, c->i.name, IFNAMSIZ - 1);
	return 0;
}

// The interfaces with an address, as many as the room takes (ifc_len bytes after the
// struct ifconf); ifc_len becomes the bytes written.
static long get_conf(struct ioctl_call *c)
{
	struct ifconf *conf = &c->arg->list.conf;
	uint32_t after = c->length - (uint32_t)sizeof(*conf);
	if (conf->ifc_len < 0)
		return -EINVAL;
	uint32_t room = (uint32_t)conf->ifc_len < after ? (uint32_t)conf->ifc_len : after;
	unsigned used = 0;
	for (unsigned w = 0; w < NET_INTERFACES; w++) {
		struct net_interface i;
		if (!net_interface(w, &i) || !i.addr)
			continue;
		if ((used + 1) * sizeof(struct ifreq) > room)
			break;
		struct ifreq *r = &c->arg->list.records[used++];
		memset(r, 0, sizeof(*r));
		strncpy(r->ifr_name, i.name, IFNAMSIZ - 1);
		address_set(&r->ifr_addr, i.addr);
	}
	conf->ifc_len = (int)(used * sizeof(struct ifreq));
	return 0;
}

// Routes: the default route through eth0's gateway is the one that can change (lwIP
// routes by interface); the others are eth0's and lo's own networks.
static long route_change(struct ioctl_call *c)
{
	const struct rtentry *route = &c->arg->route;
	struct sockaddr_in dst, gateway, mask;
	memcpy(&dst, &route->rt_dst, sizeof(dst));
	memcpy(&gateway, &route->rt_gateway, sizeof(gateway));
	memcpy(&mask, &route->rt_genmask, sizeof(mask));
	struct net_interface eth;
	if (dst.sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if (dst.sin_addr.s_addr || mask.sin_addr.s_addr)
		return -EOPNOTSUPP;	// only the default route
	if (!net_interface(NET_ETH, &eth))
		return -ENETUNREACH;
	bool adding = c->request == SIOCADDRT;
	if (adding && !(route->rt_flags & RTF_GATEWAY))
		return -EOPNOTSUPP;
	if (adding && net_kept->config.gateway)
		return -EEXIST;
	if (!adding && !net_kept->config.gateway)
		return -ESRCH;
	keep_change(&net_kept->config, sizeof(net_kept->config));
	net_kept->config.gateway = adding ? gateway.sin_addr.s_addr : 0;
	ip4_addr_t gw = { net_kept->config.gateway };
	netif_set_gw(eth.netif, &gw);
	return 0;
}

// The bytes a read would get now: a stream's queued bytes, a datagram socket's next
// datagram's (udp(7)); -EINVAL on a listening socket (tcp(7)).
static long readable(struct ioctl_call *c)
{
	const struct net_live *live = &net_live[c->index];
	const struct net_socket *s = &net_kept->sockets[c->index];
	if (s->state == NET_LISTENING)
		return -EINVAL;
	c->arg->value = s->type == SOCK_STREAM ? (int)live->queued
			: live->count ? live->datagrams[live->first].data->tot_len : 0;
	return 0;
}

static const struct ioctl_row rows[] = {
	{ SIOCGIFCONF, sizeof(struct ifconf), false, get_conf },
	{ SIOCGIFFLAGS, sizeof(struct ifreq), true, get_flags },
	{ SIOCSIFFLAGS, sizeof(struct ifreq), true, set_flags },
	{ SIOCGIFADDR, sizeof(struct ifreq), true, get_address },
	{ SIOCSIFADDR, sizeof(struct ifreq), true, set_address },
	{ SIOCGIFNETMASK, sizeof(struct ifreq), true, get_address },
	{ SIOCSIFNETMASK, sizeof(struct ifreq), true, set_address },
	{ SIOCGIFBRDADDR, sizeof(struct ifreq), true, get_address },
	{ SIOCGIFHWADDR, sizeof(struct ifreq), true, get_hwaddr },
	{ SIOCGIFMTU, sizeof(struct ifreq), true, get_number },
	{ SIOCGIFINDEX, sizeof(struct ifreq), true, get_number },
	{ SIOCGIFNAME, sizeof(struct ifreq), false, get_name },
	{ SIOCGIFMETRIC, sizeof(struct ifreq), true, get_number },
	{ SIOCGIFTXQLEN, sizeof(struct ifreq), true, get_number },
	{ SIOCGIFMAP, sizeof(struct ifreq), true, get_number },
	{ SIOCADDRT, sizeof(struct rtentry), false, route_change },
	{ SIOCDELRT, sizeof(struct rtentry), false, route_change },
	{ FIONREAD, sizeof(int), false, readable },
};

long net_ioctl(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_ioctl call;
	memcpy(&call, request->msg.payload, sizeof(call));
	long index = net_from_vfs(request) ? net_index(call.sock) : -EPERM;
	if (index < 0)
		return index;
	const struct ioctl_row *row = NULL;
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].request == call.request)
			row = &rows[i];
	if (!row)
		return -ENOTTY;
	union argument arg = { 0 };
	uint32_t length = call.length < sizeof(arg) ? call.length : (uint32_t)sizeof(arg);
	if (call.length < row->size)
		return -EFAULT;	// VFS copied less than the argument: the caller's was short
	xinim_endpoint_t vfs = request->msg.header.source;
	struct ioctl_call c = { row->request, (unsigned)index, &arg, length, { 0 } };
	long err = ipc_copy_from(vfs, &arg, call.at, length);
	if (!err && row->named)
		err = named(&arg.ifr, &c.i);
	if (!err)
		err = row->handle(&c);
	if (!err)
		err = ipc_copy_to(vfs, call.at, &arg, length);
	return net_answered(reply, index, err);
}
