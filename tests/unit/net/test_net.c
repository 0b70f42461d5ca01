// NET's handlers driven as VFS drives them (include/xinim/ipc/net.h), over lwIP's
// loopback: TCP and UDP between two sockets, readiness events, Linux's errors, and the
// take-over of a kept state by a restarted NET.
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <libipc/keep.h>
#include <net/net.h>
#include "harness.h"
#include "net_calls.h"

#define LOOPBACK INADDR_LOOPBACK
#define PORT 5555

static struct net_state_kept kept;

static int setup(void **state)
{
	(void)state;
	memset(&kept, 0, sizeof(kept));
	net_start(&kept, KEEP_FRESH);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NET_SOCKETS; i++)	// what a test left open
		if (kept.sockets[i].state != NET_FREE && !kept.sockets[i].parent)
			net_sock_call(XINIM_NET_CLOSE, net_id(i), 0, NULL);
	net_stop();
	return 0;
}

// A listener on PORT and a connection to it, accepted: *client and *server.
static uint32_t connected_pair(uint32_t *client, uint32_t *server)
{
	long listener = net_open(SOCK_STREAM);
	assert_true(listener > 0);
	assert_int_equal(net_bind_to(listener, LOOPBACK, PORT), 0);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, listener, 8, NULL), 0);
	long c = net_open(SOCK_STREAM);
	assert_true(c > 0);
	assert_int_equal(net_connect_to(c, LOOPBACK, PORT), -EINPROGRESS);
	assert_true(net_wait_ready(listener, XINIM_NET_IN));
	struct xinim_net_answer answer;
	long s = net_sock_call(XINIM_NET_ACCEPT, listener, 0, &answer);
	assert_true(s > 0);
	assert_int_equal(answer.addr_length, sizeof(struct sockaddr_in));
	assert_true(net_wait_ready(c, XINIM_NET_OUT));
	*client = c;
	*server = s;
	return listener;
}

static void test_tcp_loopback_carries_bytes_both_ways(void **state)
{
	(void)state;
	uint32_t c, s;
	uint32_t listener = connected_pair(&c, &s);
	assert_int_equal(net_send_bytes(c, "hello", 5, 0, 0), 5);
	assert_true(net_wait_ready(s, XINIM_NET_IN));
	char got[16] = { 0 };
	assert_int_equal(net_receive_bytes(s, got, 3, MSG_PEEK, NULL), 3);
	assert_int_equal(net_receive_bytes(s, got, sizeof(got), 0, NULL), 5);
	assert_memory_equal(got, "hello", 5);
	assert_int_equal(net_receive_bytes(s, got, sizeof(got), 0, NULL), -EAGAIN);
	assert_int_equal(net_send_bytes(s, "world!", 6, 0, 0), 6);
	assert_true(net_wait_ready(c, XINIM_NET_IN));
	assert_int_equal(net_receive_bytes(c, got, sizeof(got), 0, NULL), 6);
	assert_memory_equal(got, "world!", 6);
	// The client closes: the server reads the end of the stream.
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, c, 0, NULL), 0);
	assert_true(net_wait_ready(s, XINIM_NET_IN | XINIM_NET_RDHUP));
	assert_int_equal(net_receive_bytes(s, got, sizeof(got), 0, NULL), 0);
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, s, 0, NULL), 0);
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, listener, 0, NULL), 0);
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, listener, 0, NULL), -EBADF);
}

// More than a window's bytes: sent as room comes, received whole and in order.
static void test_tcp_streams_more_than_a_window(void **state)
{
	(void)state;
	uint32_t c, s;
	connected_pair(&c, &s);
	static uint8_t out[256 * 1024], in[sizeof(out)];
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + i / 251);
	size_t sent = 0, got = 0;
	while (got < sizeof(in)) {
		if (sent < sizeof(out)) {
			long n = net_send_bytes(c, out + sent, sizeof(out) - sent, 0, 0);
			assert_true(n > 0 || n == -EAGAIN);
			sent += n > 0 ? (size_t)n : 0;
		}
		long n = net_receive_bytes(s, in + got, sizeof(in) - got, 0, NULL);
		assert_true(n > 0 || n == -EAGAIN);
		got += n > 0 ? (size_t)n : 0;
		if (n == -EAGAIN && !(net_ready_now(c) & XINIM_NET_OUT))
			assert_true(net_wait_ready(s, XINIM_NET_IN));
	}
	assert_memory_equal(in, out, sizeof(out));
}

static void test_udp_loopback_datagrams(void **state)
{
	(void)state;
	long a = net_open(SOCK_DGRAM), b = net_open(SOCK_DGRAM);
	assert_true(a > 0 && b > 0);
	assert_int_equal(net_bind_to(b, LOOPBACK, 6000), 0);
	assert_int_equal(net_send_bytes(a, "ping", 4, 0, 0), -EDESTADDRREQ);
	assert_int_equal(net_send_bytes(a, "ping", 4, 6000, 0), 4);
	assert_int_equal(net_send_bytes(a, "second", 6, 6000, 0), 6);
	assert_true(net_wait_ready(b, XINIM_NET_IN));
	char got[16] = { 0 };
	struct xinim_net_answer answer;
	// A short buffer truncates the datagram (MSG_TRUNC) and the rest of it is gone.
	assert_int_equal(net_receive_bytes(b, got, 2, 0, &answer), 2);
	assert_true(answer.flags & MSG_TRUNC);
	assert_int_equal(answer.addr_length, sizeof(struct sockaddr_in));
	struct sockaddr_in from;
	memcpy(&from, answer.addr, sizeof(from));
	assert_int_equal(from.sin_addr.s_addr, htonl(LOOPBACK));
	assert_int_equal(net_receive_bytes(b, got, sizeof(got), 0, NULL), 6);
	assert_memory_equal(got, "second", 6);
	assert_int_equal(net_receive_bytes(b, got, sizeof(got), 0, NULL), -EAGAIN);
	// The echo back, to the sender's own port.
	assert_int_equal(net_send_bytes(b, "pong", 4, ntohs(from.sin_port), 0), 4);
	assert_true(net_wait_ready(a, XINIM_NET_IN));
	assert_int_equal(net_receive_bytes(a, got, sizeof(got), 0, NULL), 4);
	assert_memory_equal(got, "pong", 4);
}

// Connect to a closed port: a reset, told as ECONNREFUSED once (SO_ERROR), then 0.
static void test_connect_to_closed_port_is_refused_once(void **state)
{
	(void)state;
	long c = net_open(SOCK_STREAM);
	assert_int_equal(net_connect_to(c, LOOPBACK, 1), -EINPROGRESS);
	assert_true(net_wait_ready(c, XINIM_NET_ERR));
	int error = -1;
	assert_int_equal(net_option_int(XINIM_NET_GETOPT, c, SOL_SOCKET, SO_ERROR, &error), 0);
	assert_int_equal(error, ECONNREFUSED);
	assert_int_equal(net_option_int(XINIM_NET_GETOPT, c, SOL_SOCKET, SO_ERROR, &error), 0);
	assert_int_equal(error, 0);
}

// A second bind of a port in use fails; SO_REUSEADDR binds one only TIME_WAIT holds.
static void test_bind_in_use_and_reuse_after_time_wait(void **state)
{
	(void)state;
	uint32_t c, s;
	uint32_t listener = connected_pair(&c, &s);
	long other = net_open(SOCK_STREAM);
	assert_int_equal(net_bind_to(other, LOOPBACK, PORT), -EADDRINUSE);
	long u1 = net_open(SOCK_DGRAM), u2 = net_open(SOCK_DGRAM);
	assert_int_equal(net_bind_to(u1, LOOPBACK, 7000), 0);
	assert_int_equal(net_bind_to(u2, LOOPBACK, 7000), -EADDRINUSE);
	// The server closes first: its side of the connection waits in TIME_WAIT.
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, s, 0, NULL), 0);
	assert_true(net_wait_ready(c, XINIM_NET_IN));
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, c, 0, NULL), 0);
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, listener, 0, NULL), 0);
	assert_int_equal(net_bind_to(other, LOOPBACK, PORT), -EADDRINUSE);
	long again = net_open(SOCK_STREAM);
	int on = 1;
	assert_int_equal(net_option_int(XINIM_NET_SETOPT, again, SOL_SOCKET, SO_REUSEADDR, &on), 0);
	assert_int_equal(net_bind_to(again, LOOPBACK, PORT), 0);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, again, 4, NULL), 0);
}

static void test_bad_input_changes_nothing(void **state)
{
	(void)state;
	long c = net_open(SOCK_STREAM);
	struct xinim_net_socket raw = { AF_INET, SOCK_RAW, 0 };
	struct xinim_net_socket inet6 = { AF_INET6, SOCK_STREAM, 0 };
	struct xinim_net_socket udp_tcp = { AF_INET, SOCK_DGRAM, IPPROTO_TCP };
	assert_int_equal(net_call(XINIM_NET_SOCKET, &raw, sizeof(raw), NULL), -ESOCKTNOSUPPORT);
	assert_int_equal(net_call(XINIM_NET_SOCKET, &inet6, sizeof(inet6), NULL), -EAFNOSUPPORT);
	assert_int_equal(net_call(XINIM_NET_SOCKET, &udp_tcp, sizeof(udp_tcp), NULL),
			 -EPROTONOSUPPORT);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, c + 1, 1, NULL), -EBADF);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, c + (1 << 16), 1, NULL), -EBADF);
	struct xinim_net_addr short_addr = { .sock = (uint32_t)c, .length = 4 };
	short_addr.addr[0] = AF_INET;
	assert_int_equal(net_call(XINIM_NET_BIND, &short_addr, sizeof(short_addr), NULL), -EINVAL);
	struct xinim_net_addr inet6_addr = { .sock = (uint32_t)c, .length = 16 };
	inet6_addr.addr[0] = AF_INET6;
	assert_int_equal(net_call(XINIM_NET_BIND, &inet6_addr, sizeof(inet6_addr), NULL),
			 -EAFNOSUPPORT);
	assert_int_equal(net_bind_to(c, 0x0a000063, 80), -EADDRNOTAVAIL);
	char buffer[8];
	assert_int_equal(net_receive_bytes(c, buffer, sizeof(buffer), 0, NULL), -ENOTCONN);
	assert_int_equal(net_send_bytes(c, "x", 1, 0, 0), -EPIPE);
	assert_int_equal(net_sock_call(XINIM_NET_SHUTDOWN, c, 7, NULL), -EINVAL);
	assert_int_equal(net_sock_call(XINIM_NET_SHUTDOWN, c, SHUT_WR, NULL), -ENOTCONN);
	assert_int_equal(net_sock_call(XINIM_NET_NAME, c, 1, NULL), -ENOTCONN);
	int value = 1;
	assert_int_equal(net_option_int(XINIM_NET_SETOPT, c, SOL_SOCKET, SO_RCVTIMEO, &value),
			 -ENOPROTOOPT);
	struct xinim_net_option short_option = { (uint32_t)c, SOL_SOCKET, SO_KEEPALIVE, 2, { 0 } };
	assert_int_equal(net_call(XINIM_NET_SETOPT, &short_option, sizeof(short_option), NULL),
			 -EINVAL);
	// A grant that is no grant, and more segments than a call may have.
	struct xinim_net_segment segment = { 999, 4 };
	struct xinim_net_io io = { .sock = (uint32_t)c, .segments = (uint64_t)(uintptr_t)&segment,
				   .count = 1 };
	long u = net_open(SOCK_DGRAM);
	io.sock = (uint32_t)u;
	struct xinim_net_addr to = { 0 };
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr.s_addr = htonl(LOOPBACK) };
	memcpy(to.addr, &in, sizeof(in));
	memcpy(io.addr, to.addr, sizeof(io.addr));
	io.addr_length = sizeof(in);
	assert_int_equal(net_call(XINIM_NET_SEND, &io, sizeof(io), NULL), -EFAULT);
	io.count = XINIM_GRANTS_PER_CALL + 1;
	assert_int_equal(net_call(XINIM_NET_SEND, &io, sizeof(io), NULL), -EINVAL);
	// Only VFS calls NET.
	struct call other = { .dest = net_endpoint(), .type = XINIM_NET_SOCKET,
			      .length = sizeof(struct xinim_net_socket),
			      .value = AF_INET | (uint64_t)SOCK_STREAM << 32 };
	struct proc client;
	proc_start(&client, CLIENT, caller, &other);
	proc_join(&client);
	assert_int_equal(other.result, -EPERM);
	// The socket is as it was: it still binds.
	assert_int_equal(net_bind_to(c, LOOPBACK, PORT + 1), 0);
}

// A bound socket binds no more (Linux: -EINVAL), and binding goes on for the others.
static void test_a_second_bind_is_einval(void **state)
{
	(void)state;
	long c = net_open(SOCK_STREAM), other = net_open(SOCK_STREAM);
	assert_int_equal(net_bind_to(c, LOOPBACK + 1, PORT), 0);
	assert_int_equal(net_bind_to(c, LOOPBACK, PORT), -EINVAL);
	assert_int_equal(net_bind_to(c, LOOPBACK + 1, PORT + 1), -EINVAL);
	assert_int_equal(net_bind_to(other, LOOPBACK, PORT + 2), 0);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, c, 1, NULL), 0);
}

// A slot used NET_GENERATIONS - 1 times: its next socket's id is still a positive result,
// and names that socket.
static void test_socket_ids_stay_positive_as_a_slot_is_reused(void **state)
{
	(void)state;
	net_stop();
	kept.sockets[0].generation = NET_GENERATIONS - 1;
	net_lwip.waiting = 1;
	net_start(&kept, KEEP_INHERITED);
	long c = net_open(SOCK_STREAM);
	assert_true(c > 0);
	assert_int_equal(c & 0xffff, 1);
	assert_int_equal(net_bind_to(c, LOOPBACK, PORT), 0);
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, c, 0, NULL), 0);
}

static void test_options_read_back_as_linux_shows_them(void **state)
{
	(void)state;
	long c = net_open(SOCK_STREAM);
	int value = 1000;
	assert_int_equal(net_option_int(XINIM_NET_SETOPT, c, SOL_SOCKET, SO_RCVBUF, &value), 0);
	assert_int_equal(net_option_int(XINIM_NET_GETOPT, c, SOL_SOCKET, SO_RCVBUF, &value), 0);
	assert_int_equal(value, 2304);	// doubled, at least SOCK_MIN_RCVBUF
	value = 1;
	assert_int_equal(net_option_int(XINIM_NET_SETOPT, c, IPPROTO_TCP, TCP_NODELAY, &value), 0);
	value = 0;
	assert_int_equal(net_option_int(XINIM_NET_GETOPT, c, IPPROTO_TCP, TCP_NODELAY, &value), 0);
	assert_int_equal(value, 1);
	assert_int_equal(net_option_int(XINIM_NET_GETOPT, c, SOL_SOCKET, SO_TYPE, &value), 0);
	assert_int_equal(value, SOCK_STREAM);
	assert_int_equal(net_option_int(XINIM_NET_GETOPT, c, SOL_SOCKET, SO_ACCEPTCONN, &value), 0);
	assert_int_equal(value, 0);
	long u = net_open(SOCK_DGRAM);
	assert_int_equal(net_option_int(XINIM_NET_GETOPT, u, IPPROTO_TCP, TCP_NODELAY, &value),
			 -ENOPROTOOPT);
}

// 200 connections opened and closed, more than lwIP has PCBs: none is ever refused, and
// every socket slot is free again at the end.
static void test_two_hundred_connections_leak_nothing(void **state)
{
	(void)state;
	long listener = net_open(SOCK_STREAM);
	assert_int_equal(net_bind_to(listener, LOOPBACK, PORT), 0);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, listener, 16, NULL), 0);
	for (int i = 0; i < 200; i++) {
		long c = net_open(SOCK_STREAM);
		assert_true(c > 0);
		assert_int_equal(net_connect_to(c, LOOPBACK, PORT), -EINPROGRESS);
		assert_true(net_wait_ready(listener, XINIM_NET_IN));
		long s = net_sock_call(XINIM_NET_ACCEPT, listener, 0, NULL);
		assert_true(s > 0);
		assert_true(net_wait_ready(c, XINIM_NET_OUT));
		assert_int_equal(net_send_bytes(c, "x", 1, 0, 0), 1);
		assert_int_equal(net_sock_call(XINIM_NET_CLOSE, c, 0, NULL), 0);
		assert_true(net_wait_ready(s, XINIM_NET_IN));
		char byte;
		assert_int_equal(net_receive_bytes(s, &byte, 1, 0, NULL), 1);
		assert_int_equal(net_sock_call(XINIM_NET_CLOSE, s, 0, NULL), 0);
	}
	assert_int_equal(net_sock_call(XINIM_NET_CLOSE, listener, 0, NULL), 0);
	for (unsigned i = 0; i < NET_SOCKETS; i++)
		assert_int_equal(kept.sockets[i].state, NET_FREE);
}

// After a restart: the listener accepts a new connection; the UDP socket (bound to 6001)
// receives on its port.
static void still_serve(uint32_t listener, long udp)
{
	long c = net_open(SOCK_STREAM);
	assert_int_equal(net_connect_to(c, LOOPBACK, PORT), -EINPROGRESS);
	assert_true(net_wait_ready(listener, XINIM_NET_IN));
	assert_true(net_sock_call(XINIM_NET_ACCEPT, listener, 0, NULL) > 0);
	long sender = net_open(SOCK_DGRAM);
	char buffer[8];
	assert_int_equal(net_send_bytes(sender, "kept", 4, 6001, 0), 4);
	assert_true(net_wait_ready(udp, XINIM_NET_IN));
	assert_int_equal(net_receive_bytes(udp, buffer, sizeof(buffer), 0, NULL), 4);
}

// A restarted NET whose last instance died half way through its work (lwIP's memory
// torn): the listener listens again, the connection is reset (ECONNRESET, and VFS hears
// its readiness at once), records that do not check out are dropped.
static void test_takeover_keeps_listeners_and_resets_connections(void **state)
{
	(void)state;
	uint32_t c, s;
	uint32_t listener = connected_pair(&c, &s);
	long udp = net_open(SOCK_DGRAM);
	assert_int_equal(net_bind_to(udp, LOOPBACK, 6001), 0);
	long broken = net_open(SOCK_DGRAM), odd = net_open(SOCK_STREAM);
	net_stop();
	kept.sockets[(odd & 0xffff) - 1].shut = 0x80;
	kept.sockets[(broken & 0xffff) - 1].type = 77;	// records that do not check out
	net_lwip.waiting = 0;	// it died running
	net_start(&kept, KEEP_INHERITED);
	assert_true(net_wait_ready(c, XINIM_NET_ERR | XINIM_NET_HUP | XINIM_NET_IN));
	assert_true(net_wait_ready(s, XINIM_NET_ERR | XINIM_NET_HUP));
	char buffer[8];
	assert_int_equal(net_receive_bytes(c, buffer, sizeof(buffer), 0, NULL), -ECONNRESET);
	assert_int_equal(net_receive_bytes(c, buffer, sizeof(buffer), 0, NULL), 0);
	assert_int_equal(net_send_bytes(s, "x", 1, 0, 0), -ECONNRESET);
	assert_int_equal(net_send_bytes(s, "x", 1, 0, 0), -EPIPE);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, broken, 1, NULL), -EBADF);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, odd, 1, NULL), -EBADF);
	still_serve(listener, udp);
}

// A restarted NET whose last instance died waiting for a message: it goes on in lwIP's
// memory, so the connection carries bytes both ways, bytes sent before the death and not
// read yet are still there, the listener and the UDP socket serve; a record that does not
// check out is dropped, its socket with it.
static void test_takeover_between_messages_keeps_connections(void **state)
{
	(void)state;
	uint32_t c, s;
	uint32_t listener = connected_pair(&c, &s);
	long udp = net_open(SOCK_DGRAM);
	assert_int_equal(net_bind_to(udp, LOOPBACK, 6001), 0);
	long broken = net_open(SOCK_STREAM);
	assert_int_equal(net_send_bytes(c, "before", 6, 0, 0), 6);
	assert_true(net_wait_ready(s, XINIM_NET_IN));
	net_stop();
	kept.sockets[(broken & 0xffff) - 1].type = 77;
	net_lwip.waiting = 1;	// it died waiting
	net_start(&kept, KEEP_INHERITED);
	char buffer[8];
	assert_int_equal(net_receive_bytes(s, buffer, sizeof(buffer), 0, NULL), 6);
	assert_memory_equal(buffer, "before", 6);
	assert_int_equal(net_send_bytes(s, "after", 5, 0, 0), 5);
	assert_true(net_wait_ready(c, XINIM_NET_IN));
	assert_int_equal(net_receive_bytes(c, buffer, sizeof(buffer), 0, NULL), 5);
	assert_memory_equal(buffer, "after", 5);
	assert_int_equal(net_sock_call(XINIM_NET_LISTEN, broken, 1, NULL), -EBADF);
	still_serve(listener, udp);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		TEST(test_tcp_loopback_carries_bytes_both_ways),
		TEST(test_tcp_streams_more_than_a_window),
		TEST(test_udp_loopback_datagrams),
		TEST(test_connect_to_closed_port_is_refused_once),
		TEST(test_bind_in_use_and_reuse_after_time_wait),
		TEST(test_bad_input_changes_nothing),
		TEST(test_a_second_bind_is_einval),
		TEST(test_socket_ids_stay_positive_as_a_slot_is_reused),
		TEST(test_options_read_back_as_linux_shows_them),
		TEST(test_two_hundred_connections_leak_nothing),
		TEST(test_takeover_keeps_listeners_and_resets_connections),
		TEST(test_takeover_between_messages_keeps_connections),
	};

	return cmocka_run_group_tests(tests, net_group_setup, net_group_teardown);
}
