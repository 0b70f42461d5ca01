// NET's calls as VFS makes them, for the hosted tests (net_calls.h).
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <libipc/server.h>
#include <net/net.h>
#include "harness.h"
#include "net_calls.h"

static struct proc net;
static atomic_bool net_stopping;

// NET's instance: its loop until net_stop (the harness's serve_table stops for good).
static void net_serve(struct proc *p)
{
	(void)p;
	while (!atomic_load(&net_stopping))
		ipc_serve_one(&net_table, 10000);
}
static uint32_t heard[NET_SOCKETS + 1];	// by the id's slot: the readiness last heard

int net_group_setup(void **state)
{
	(void)state;
	if (harness_reset() != 0)
		return -1;
	host_ipc_grant(XINIM_PID_VFS, XINIM_PID_NET, 0);
	host_ipc_grant(CLIENT, XINIM_PID_NET, 0);
	host_ipc_grant(XINIM_PID_NET, XINIM_PID_VFS, 0);
	host_ipc_register(XINIM_PID_VFS);
	return 0;
}

int net_group_teardown(void **state)
{
	(void)state;
	host_ipc_exit();
	return 0;
}

void net_start(struct net_state_kept *kept, int start)
{
	net_take_over(kept, (enum keep_start)start);
	atomic_store(&net_stopping, false);
	proc_start(&net, XINIM_PID_NET, net_serve, NULL);
	memset(heard, 0, sizeof(heard));
}

void net_stop(void)
{
	atomic_store(&net_stopping, true);
	proc_join(&net);
}

xinim_endpoint_t net_endpoint(void) { return net.endpoint; }

long net_call(int32_t type, const void *payload, uint16_t length, struct xinim_net_answer *answer)
{
	struct xinim_msg msg = { .header = { .type = type, .length = length } };
	memcpy(msg.payload, payload, length);
	long result = ipc_call(net.endpoint, &msg, CALL_TIMEOUT_US);
	if (answer)
		memcpy(answer, msg.payload, sizeof(*answer));
	if (msg.header.length == sizeof(struct xinim_net_answer) && result != -ETIMEDOUT) {
		struct xinim_net_answer a;
		memcpy(&a, msg.payload, sizeof(a));
		const struct xinim_net_sock *s = payload;
		if (type != XINIM_NET_SOCKET && type != XINIM_NET_EVENTS)
			heard[s->sock & 0xffff] = a.ready;
		else if (type == XINIM_NET_SOCKET && result > 0)
			heard[result & 0xffff] = a.ready;
	}
	return result;
}

long net_open(int type)
{
	struct xinim_net_socket call = { AF_INET, type, 0 };
	return net_call(XINIM_NET_SOCKET, &call, sizeof(call), NULL);
}

static struct xinim_net_addr address(uint32_t sock, uint32_t addr, uint16_t port)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(addr) };
	struct xinim_net_addr call = { .sock = sock, .length = sizeof(in) };
	memcpy(call.addr, &in, sizeof(in));
	return call;
}

long net_bind_to(uint32_t sock, uint32_t addr, uint16_t port)
{
	struct xinim_net_addr call = address(sock, addr, port);
	return net_call(XINIM_NET_BIND, &call, sizeof(call), NULL);
}

long net_connect_to(uint32_t sock, uint32_t addr, uint16_t port)
{
	struct xinim_net_addr call = address(sock, addr, port);
	return net_call(XINIM_NET_CONNECT, &call, sizeof(call), NULL);
}

long net_sock_call(int32_t type, uint32_t sock, int32_t arg, struct xinim_net_answer *answer)
{
	struct xinim_net_sock call = { sock, arg };
	return net_call(type, &call, sizeof(call), answer);
}

static long transfer(int32_t type, uint32_t sock, void *buffer, size_t n, uint16_t to,
		     uint32_t flags, unsigned access, struct xinim_net_answer *answer)
{
	long grant = ipc_grant_make(xinim_endpoint(CLIENT, 1), 1, net.endpoint,
				    (uint64_t)(uintptr_t)buffer, n, access);
	if (grant < 0)
		return grant;
	struct xinim_net_segment segment = { (uint64_t)grant, n };
	struct xinim_net_io io = { .sock = sock, .flags = flags,
				   .segments = (uint64_t)(uintptr_t)&segment, .count = 1 };
	if (type == XINIM_NET_RECEIVE)
		io.addr_length = sizeof(io.addr);	// the sender's address is wanted
	if (to) {
		struct xinim_net_addr a = address(sock, INADDR_LOOPBACK, to);
		memcpy(io.addr, a.addr, sizeof(io.addr));
		io.addr_length = a.length;
	}
	long result = net_call(type, &io, sizeof(io), answer);
	ipc_grant_end((uint64_t)grant);
	return result;
}

long net_send_bytes(uint32_t sock, const void *buffer, size_t n, uint16_t to, uint32_t flags)
{
	return transfer(XINIM_NET_SEND, sock, (void *)buffer, n, to, flags, XINIM_GRANT_READ, NULL);
}

long net_receive_bytes(uint32_t sock, void *buffer, size_t n, uint32_t flags,
		       struct xinim_net_answer *answer)
{
	return transfer(XINIM_NET_RECEIVE, sock, buffer, n, 0, flags, XINIM_GRANT_WRITE, answer);
}

long net_option_int(int32_t type, uint32_t sock, int level, int name, int *value)
{
	struct xinim_net_option call = { sock, level, name, sizeof(int), { 0 } };
	memcpy(call.value, value, sizeof(int));
	struct xinim_net_answer answer;
	long result = net_call(type, &call, sizeof(call), &answer);
	if (type == XINIM_NET_GETOPT && result == 0)
		memcpy(value, answer.value, sizeof(int));
	return result;
}

static long events_fetch(void)
{
	struct xinim_net_event events[NET_SOCKETS];
	struct xinim_net_buffer call = { .at = (uint64_t)(uintptr_t)events, .max = NET_SOCKETS };
	long n = net_call(XINIM_NET_EVENTS, &call, sizeof(call), NULL);
	for (long i = 0; i < n; i++)
		heard[events[i].sock & 0xffff] = events[i].ready;
	return n;
}

uint32_t net_ready_now(uint32_t sock) { return heard[sock & 0xffff]; }

int net_wait_ready(uint32_t sock, uint32_t bits)
{
	for (;;) {
		events_fetch();
		if ((heard[sock & 0xffff] & bits) == bits)
			return 1;
		struct ipc_request note;
		if (ipc_receive(&note, CALL_TIMEOUT_US) != 0)
			return 0;
	}
}
