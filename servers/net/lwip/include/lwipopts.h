#pragma once
// lwIP's configuration for NET (servers/net; docs/net.md): the raw API run from NET's one
// message loop (NO_SYS), IPv4 with TCP, UDP, ICMP, ARP over Ethernet, DHCP, and the
// loopback interface. No threads, no sequential or socket API: NET is the socket layer.

#define NO_SYS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_TIMERS 1
#define SYS_LIGHTWEIGHT_PROT 0

#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_TCP 1
#define LWIP_UDP 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define LWIP_AUTOIP 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_DHCP 1
// QEMU's user network answers at once: an ARP probe of the offered address would only
// delay the lease by seconds.
#define DHCP_DOES_ARP_CHECK 0
#define IP_FORWARD 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1

// lo (127.0.0.1): packets to it are queued and delivered by netif_poll, which NET calls
// after every message (servers/net/netif.c).
#define LWIP_HAVE_LOOPIF 1
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_LOOPBACK_MAX_PBUFS 0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_SINGLE_NETIF 0
#define LWIP_NETIF_HOSTNAME 0

// SO_REUSEADDR (a TIME_WAIT port bound again, as on Linux), SO_KEEPALIVE.
#define SO_REUSE 1
#define LWIP_TCP_KEEPALIVE 1
#define TCP_LISTEN_BACKLOG 1
#define LWIP_CALLBACK_API 1

// Sizing (docs/net.md, NET): windows of 44 segments (64,240 bytes, under the 64 KiB that
// needs no window scaling) so that a 10 MiB transfer streams; enough PCBs that 200
// connections opened and closed in a loop never run out (lwIP takes the oldest TIME_WAIT
// PCB when none is free); the heap and pools to match. All static, in NET's .bss.
#define MEM_ALIGNMENT 8
#define MEM_SIZE (1024 * 1024)
#define TCP_MSS 1460
#define TCP_WND (44 * TCP_MSS)
#define TCP_SND_BUF (44 * TCP_MSS)
#define TCP_SND_QUEUELEN 128
#define TCP_OVERSIZE TCP_MSS
#define MEMP_NUM_TCP_PCB 128
#define MEMP_NUM_TCP_PCB_LISTEN 64
#define MEMP_NUM_UDP_PCB 64
#define MEMP_NUM_TCP_SEG 512
#define MEMP_NUM_PBUF 256
#define MEMP_NUM_REASSDATA 8
#define MEMP_NUM_FRAG_PBUF 32
#define MEMP_NUM_ARP_QUEUE 32
#define MEMP_NUM_SYS_TIMEOUT 16
#define PBUF_POOL_SIZE 512
#define ARP_TABLE_SIZE 16
#define ARP_QUEUEING 1

#define LWIP_STATS 0
#define LWIP_CHECKSUM_ON_COPY 0
// NET includes the C library's <netinet/in.h>: its htons and the like, not lwIP's.
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS 1
