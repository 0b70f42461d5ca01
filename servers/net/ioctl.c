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

struct ioctl_row {
	unsigned long request;
	uint32_t size;		// the argument's bytes
	long (*handle)(unsigned long request, unsigned index, union argument *arg, uint32_t length);
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

static long get_flags(unsigned long request, unsigned index, union argument *arg, uint32_t length)
{
	(void)request, (void)index, (void)length;
	struct net_interface i;
	long err = named(&arg->ifr, &i);
	if (!err)
		arg->ifr.ifr_flags = (short)i.flags;
	return err;
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

static long set_flags(unsigned long request, unsigned index, union argument *arg, uint32_t length)
{
	(void)request, (void)index, (void)length;
	struct net_interface i;
	long err = named(&arg->ifr, &i);
	if (err || i.which != NET_ETH)
		return err;
	uint32_t flags = (net_kept->config.flags & ~(uint32_t)IFF_UP) |
			 ((uint16_t)arg->ifr.ifr_flags & IFF_UP);
	return config_change(&i, &net_kept->config.flags, flags);
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
	case SIOCGIFADDR: return i->addr;
	case SIOCGIFNETMASK: return i->netmask;
	default: return i->addr | ~i->netmask;	// SIOCGIFBRDADDR
	}
}

static long get_address(unsigned long request, unsigned index, union argument *arg,
                        uint32_t length)
{
	(void)index, (void)length;
	struct net_interface i;
	long err = named(&arg->ifr, &i);
	if (err)
		return err;
	if (!i.addr)
		return -EADDRNOTAVAIL;
	address_set(&arg->ifr.ifr_addr, interface_field(&i, request));
	return 0;
}

// An address set by hand ends DHCP's hold on the interface; a new address brings its
// class's mask, as Linux's SIOCSIFADDR does.
static long set_address(unsigned long request, unsigned index, union argument *arg,
                        uint32_t length)
{
	(void)index, (void)length;
	struct net_interface i;
	long err = named(&arg->ifr, &i);
	struct sockaddr_in in;
	memcpy(&in, &arg->ifr.ifr_addr, sizeof(in));
	if (err)
		return err;
	if (in.sin_family != AF_INET)
		return -EINVAL;
	if (i.which != NET_ETH)
		return in.sin_addr.s_addr == interface_field(&i, request) ? 0 : -EPERM;
	keep_change(&net_kept->config, sizeof(net_kept->config));
	net_kept->config.from_dhcp = 0;
	net_kept->config.netmask = i.netmask;
	if (request == SIOCSIFADDR) {
		uint32_t host = ntohl(in.sin_addr.s_addr);
		net_kept->config.netmask = htonl(host < 0x80000000u ? 0xff000000u
						 : host < 0xc0000000u ? 0xffff0000u : 0xffffff00u);
		net_kept->config.gateway = i.gateway;
		if (net_kept->config.addr == 0)
			net_kept->config.gateway = 0;
	}
	return config_change(&i, config_field(request), in.sin_addr.s_addr);
}

static long get_hwaddr(unsigned long request, unsigned index, union argument *arg, uint32_t length)
{
	(void)request, (void)index, (void)length;
	struct net_interface i;
	long err = named(&arg->ifr, &i);
	if (err)
		return err;
	memset(&arg->ifr.ifr_hwaddr, 0, sizeof(arg->ifr.ifr_hwaddr));
	arg->ifr.ifr_hwaddr.sa_family = i.hwtype;
	memcpy(arg->ifr.ifr_hwaddr.sa_data, i.hwaddr, sizeof(i.hwaddr));
	return 0;
}

// The plain numbers of an interface, and its device map (none: all zeros).
static long get_number(unsigned long request, unsigned index, union argument *arg,
                       uint32_t length)
{
	(void)index, (void)length;
	struct net_interface i;
	long err = named(&arg->ifr, &i);
	if (err)
		return err;
	switch (request) {
	case SIOCGIFMTU: arg->ifr.ifr_mtu = (int)i.mtu; break;
	case SIOCGIFINDEX: arg->ifr.ifr_ifindex = (int)i.index; break;
	case SIOCGIFTXQLEN: arg->ifr.ifr_qlen = TXQLEN; break;
	case SIOCGIFMAP: memset(&arg->ifr.ifr_map, 0, sizeof(arg->ifr.ifr_map)); break;
	default: arg->ifr.ifr_metric = 0; break;	// SIOCGIFMETRIC
	}
	return 0;
}

static long get_name(unsigned long request, unsigned index, union argument *arg, uint32_t length)
{
	(void)request, (void)index, (void)length;
	struct net_interface i;
	unsigned which = (unsigned)arg->ifr.ifr_ifindex - 1;
	if (!net_interface(which, &i))
		return -ENODEV;
	memset(arg->ifr.ifr_name, 0, IFNAMSIZ);
	strncpy(arg->ifr.ifr_name, i.name, IFNAMSIZ - 1);
	return 0;
}

// The interfaces with an address, as many as the room takes (ifc_len bytes after the
// struct ifconf); ifc_len becomes the bytes written.
static long get_conf(unsigned long request, unsigned index, union argument *arg, uint32_t length)
{
	(void)request, (void)index;
	int room = arg->list.conf.ifc_len;
	uint32_t after = length - (uint32_t)sizeof(arg->list.conf);
	if (room < 0)
		return -EINVAL;
	int used = 0;
	for (unsigned w = 0; w < NET_INTERFACES; w++) {
		struct net_interface i;
		if (!net_interface(w, &i) || !i.addr)
			continue;
		if (used + (int)sizeof(struct ifreq) > room ||
		    (uint32_t)used + sizeof(struct ifreq) > after)
			break;
		struct ifreq *r = &arg->list.records[used / sizeof(struct ifreq)];
		memset(r, 0, sizeof(*r));
		strncpy(r->ifr_name, i.name, IFNAMSIZ - 1);
		address_set(&r->ifr_addr, i.addr);
		used += sizeof(struct ifreq);
	}
	arg->list.conf.ifc_len = used;
	return 0;
}

// Routes: the default route through eth0's gateway is the one that can change (lwIP
// routes by interface); the others are eth0's and lo's own networks.
static long route_change(unsigned long request, unsigned index, union argument *arg,
                         uint32_t length)
{
	(void)index, (void)length;
	struct sockaddr_in dst, gateway, mask;
	memcpy(&dst, &arg->route.rt_dst, sizeof(dst));
	memcpy(&gateway, &arg->route.rt_gateway, sizeof(gateway));
	memcpy(&mask, &arg->route.rt_genmask, sizeof(mask));
	struct net_interface eth;
	if (dst.sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if (dst.sin_addr.s_addr || mask.sin_addr.s_addr)
		return -EOPNOTSUPP;	// only the default route
	if (!net_interface(NET_ETH, &eth))
		return -ENETUNREACH;
	bool adding = request == SIOCADDRT;
	if (adding && !(arg->route.rt_flags & RTF_GATEWAY))
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
static long readable(unsigned long request, unsigned index, union argument *arg, uint32_t length)
{
	(void)request, (void)length;
	const struct net_live *live = &net_live[index];
	if (net_kept->sockets[index].state == NET_LISTENING)
		return -EINVAL;
	arg->value = net_kept->sockets[index].type == SOCK_STREAM ? (int)live->queued
		     : live->count ? live->datagrams[live->first].data->tot_len : 0;
	return 0;
}

static const struct ioctl_row rows[] = {
	{ SIOCGIFCONF, sizeof(struct ifconf), get_conf },
	{ SIOCGIFFLAGS, sizeof(struct ifreq), get_flags },
	{ SIOCSIFFLAGS, sizeof(struct ifreq), set_flags },
	{ SIOCGIFADDR, sizeof(struct ifreq), get_address },
	{ SIOCSIFADDR, sizeof(struct ifreq), set_address },
	{ SIOCGIFNETMASK, sizeof(struct ifreq), get_address },
	{ SIOCSIFNETMASK, sizeof(struct ifreq), set_address },
	{ SIOCGIFBRDADDR, sizeof(struct ifreq), get_address },
	{ SIOCGIFHWADDR, sizeof(struct ifreq), get_hwaddr },
	{ SIOCGIFMTU, sizeof(struct ifreq), get_number },
	{ SIOCGIFINDEX, sizeof(struct ifreq), get_number },
	{ SIOCGIFNAME, sizeof(struct ifreq), get_name },
	{ SIOCGIFMETRIC, sizeof(struct ifreq), get_number },
	{ SIOCGIFTXQLEN, sizeof(struct ifreq), get_number },
	{ SIOCGIFMAP, sizeof(struct ifreq), get_number },
	{ SIOCADDRT, sizeof(struct rtentry), route_change },
	{ SIOCDELRT, sizeof(struct rtentry), route_change },
	{ FIONREAD, sizeof(int), readable },
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
	long err = ipc_copy_from(vfs, &arg, call.at, length);
	if (!err)
		err = row->handle(row->request, index, &arg, length);
	if (!err)
		err = ipc_copy_to(vfs, call.at, &arg, length);
	net_answer(reply, index);
	return err;
}
