// /proc/net/dev and /proc/net/route, in Linux's text (net/core/net-procfs.c,
// net/ipv4/fib_trie.c): VFS serves the files and asks NET for their bytes from an offset.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <net/route.h>
#include <libipc/ipc.h>
#include "interfaces.h"
#include "net.h"

#define PROC_TEXT_MAX 2048
#define ROUTE_LINE 127	// Linux pads each line of /proc/net/route to this width

struct text {
	char bytes[PROC_TEXT_MAX];
	size_t used;
};

static void text_add(struct text *t, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void text_add(struct text *t, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int n = vsnprintf(t->bytes + t->used, sizeof(t->bytes) - t->used, format, args);
	va_end(args);
	size_t room = sizeof(t->bytes) - t->used;
	if (n > 0)	// vsnprintf cut a text longer than the room: what it wrote counts
		t->used += (size_t)n < room ? (size_t)n : room - 1;
}

static void dev_text(struct text *t)
{
	text_add(t, "Inter-|   Receive                                                |  Transmit\n"
		    " face |bytes    packets errs drop fifo frame compressed multicast|"
		    "bytes    packets errs drop fifo colls carrier compressed\n");
	for (unsigned w = 0; w < NET_INTERFACES; w++) {
		struct net_interface i;
		if (!net_interface(w, &i))
			continue;
		const struct net_counts *c = &net_counts[w];
		text_add(t, "%6s: %7llu %7llu %4u %4llu %4u %5u %10u %9u "
			    "%8llu %7llu %4u %4llu %4u %5u %7u %10u\n", i.name,
			 (unsigned long long)c->rx_bytes, (unsigned long long)c->rx_packets, 0u,
			 (unsigned long long)c->rx_dropped, 0u, 0u, 0u, 0u,
			 (unsigned long long)c->tx_bytes, (unsigned long long)c->tx_packets, 0u,
			 (unsigned long long)c->tx_dropped, 0u, 0u, 0u, 0u);
	}
}

static void route_line(struct text *t, const char *name, uint32_t dst, uint32_t gateway,
		       unsigned flags, uint32_t mask)
{
	char line[ROUTE_LINE + 1];
	snprintf(line, sizeof(line), "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u", name,
		 dst, gateway, flags, 0, 0u, 0, mask, 0, 0u, 0u);
	text_add(t, "%-*s\n", ROUTE_LINE, line);
}

// eth0's routes (lo's live in Linux's local table, which this file does not show): the
// default route through its gateway, then its own network.
static void route_text(struct text *t)
{
	static const char header[] = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\t"
				     "Metric\tMask\t\tMTU\tWindow\tIRTT";
	text_add(t, "%-*s\n", ROUTE_LINE, header);
	struct net_interface i;
	if (!net_interface(NET_ETH, &i) || !i.addr || !(i.flags & IFF_UP))
		return;
	if (i.gateway)
		route_line(t, i.name, 0, i.gateway, RTF_UP | RTF_GATEWAY, 0);
	route_line(t, i.name, i.addr & i.netmask, 0, RTF_UP, i.netmask);
}

long net_proc(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_net_buffer call;
	memcpy(&call, request->msg.payload, sizeof(call));
	if (!net_from_vfs(request))
		return -EPERM;
	static struct text t;
	t.used = 0;
	if (call.which == XINIM_NET_PROC_DEV)
		dev_text(&t);
	else if (call.which == XINIM_NET_PROC_ROUTE)
		route_text(&t);
	else
		return -EINVAL;
	if (call.offset >= t.used)
		return 0;
	size_t n = t.used - call.offset < call.max ? t.used - call.offset : call.max;
	long err = ipc_copy_to(request->msg.header.source, call.at, t.bytes + call.offset, n);
	return err ? err : (long)n;
}
