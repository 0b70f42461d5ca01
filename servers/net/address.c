// Socket addresses as VFS passes them: struct sockaddr_in's bytes (ip(7)).
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "lwip/netif.h"
#include "net.h"

// The caller's address: -EINVAL if shorter than a sockaddr_in, -EAFNOSUPPORT if not
// AF_INET (bind(2), connect(2) on Linux's inet sockets).
long net_address_in(const uint8_t *addr, uint32_t length, struct net_endpoint *out)
{
	struct sockaddr_in in;
	if (length < sizeof(sa_family_t))
		return -EINVAL;
	memcpy(&in, addr, length < sizeof(in) ? length : sizeof(in));
	if (in.sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if (length < sizeof(in))
		return -EINVAL;
	*out = (struct net_endpoint){ .addr = in.sin_addr.s_addr, .port = ntohs(in.sin_port) };
	return 0;
}

void net_address_out(const struct net_endpoint *e, struct xinim_net_answer *answer)
{
	struct sockaddr_in in = {
		.sin_family = AF_INET, .sin_port = htons(e->port), .sin_addr.s_addr = e->addr,
	};
	memcpy(answer->addr, &in, sizeof(in));
	answer->addr_length = sizeof(in);
}

// Whether a socket may bind to addr: any, loopback, or an interface's own (EADDRNOTAVAIL
// otherwise, as Linux without ip_nonlocal_bind).
bool net_address_local(uint32_t addr)
{
	if (addr == htonl(INADDR_ANY) || (ntohl(addr) >> 24) == IN_LOOPBACKNET)
		return true;
	struct netif *n;
	NETIF_FOREACH(n)
		if (ip4_addr_get_u32(netif_ip4_addr(n)) == addr)
			return true;
	return false;
}
