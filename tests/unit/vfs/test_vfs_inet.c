// AF_INET sockets in VFS (servers/vfs/inet.c) against a fake NET at PID 5 that answers as
// include/xinim/ipc/net.h says: socket(AF_INET) without NET, NET's ids and readiness in
// the socket's record, bytes both ways through grants on the caller's buffers, a
// nonblocking connect, readiness fetched at NET's notification, an ioctl's argument
// copied both ways, NET told of the close.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <libipc/server.h>
#include <xinim/ipc/net.h>
#include <xinim/ipc/syscalls.h>
#include <vfs/vfs.h>
#include "archive.h"
#include "harness.h"

#define CALL(name, ...) SYSCALL(vfs.endpoint, who, name, __VA_ARGS__)
#define FIRST_ID 7
#define NET_ROUTE(type, handler, payload) [type - XINIM_MSG_NET_FIRST] = { handler, sizeof(payload) }

static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
};
static struct proc vfs, net;
static xinim_endpoint_t who;

// The fake NET's state: what it was sent, what it has to give, what it was told.
static struct {
	uint32_t next_id;
	uint8_t sent[64];
	uint32_t sent_length;
	char pending[64];	// bytes a receive gets
	uint32_t event_id;	// the socket whose readiness the next XINIM_NET_EVENTS reports
	atomic_uint events;	// that readiness (0: none)
	atomic_uint closed;
	uint32_t closed_id;	// the last close's socket
	bool close_fails;	// the next close finds NET gone (the transport's -EIO)
	uint64_t tell;		// what fake_tell_vfs notifies VFS of
	bool connect_later;
} fake;

// Every answer carries the socket's readiness.
static long answered(struct xinim_msg *reply, uint32_t ready, long result)
{
	struct xinim_net_answer a = { .ready = ready };
	memcpy(reply->payload, &a, sizeof(a));
	reply->header.length = sizeof(a);
	return result;
}

static long fake_socket(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request;
	return answered(reply, POLLOUT, fake.next_id++);
}

static long fake_connect(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request;
	return fake.connect_later ? answered(reply, 0, -EINPROGRESS) : answered(reply, POLLOUT, 0);
}

// The request's segments, from VFS's memory.
static uint32_t segments_of(const struct ipc_request *request, struct xinim_net_io *io,
			    struct xinim_net_segment *segments)
{
	memcpy(io, request->msg.payload, sizeof(*io));
	ipc_copy_from(request->msg.header.source, segments, io->segments,
		      io->count * sizeof(segments[0]));
	return io->count;
}

static long fake_send(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_io io;
	struct xinim_net_segment segments[XINIM_GRANTS_PER_CALL];
	uint32_t count = segments_of(request, &io, segments);
	fake.sent_length = 0;
	for (uint32_t i = 0; i < count; i++) {
		if (ipc_grant_copy(segments[i].grant, 0, fake.sent + fake.sent_length,
				   segments[i].length, XINIM_GRANT_READ))
			return answered(reply, POLLOUT, -EFAULT);
		fake.sent_length += (uint32_t)segments[i].length;
	}
	return answered(reply, POLLOUT, fake.sent_length);
}

static long fake_receive(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_io io;
	struct xinim_net_segment segments[XINIM_GRANTS_PER_CALL];
	segments_of(request, &io, segments);
	uint32_t n = (uint32_t)strlen(fake.pending);
	if (!n)
		return answered(reply, POLLOUT, -EAGAIN);
	n = n < segments[0].length ? n : (uint32_t)segments[0].length;
	if (ipc_grant_copy(segments[0].grant, 0, fake.pending, n, XINIM_GRANT_WRITE))
		return answered(reply, POLLOUT, -EFAULT);
	fake.pending[0] = '\0';
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(80),
				    .sin_addr.s_addr = htonl(0x0a000202) };
	long result = answered(reply, POLLOUT, n);
	struct xinim_net_answer *a = (struct xinim_net_answer *)reply->payload;
	a->addr_length = sizeof(from);
	memcpy(a->addr, &from, sizeof(from));
	return result;
}

static long fake_getopt(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request;
	return answered(reply, POLLOUT, 0);	// SO_ERROR: 0 (the value zeroed)
}

static long fake_ioctl(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_net_ioctl req;
	struct ifreq ifr;
	memcpy(&req, request->msg.payload, sizeof(req));
	if (req.request != SIOCGIFADDR || req.length != sizeof(ifr))
		return answered(reply, 0, -ENOTTY);
	ipc_copy_from(request->msg.header.source, &ifr, req.at, sizeof(ifr));
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x0a00020f) };
	memcpy(&ifr.ifr_addr, &addr, sizeof(addr));
	ipc_copy_to(request->msg.header.source, req.at, &ifr, sizeof(ifr));
	return answered(reply, 0, 0);
}

static long fake_close(const struct ipc_request *request, struct xinim_msg *reply)
{
	if (fake.close_fails) {
		fake.close_fails = false;
		return -EIO;
	}
	memcpy(&fake.closed_id, request->msg.payload, sizeof(fake.closed_id));
	atomic_fetch_add(&fake.closed, 1);
	return answered(reply, 0, 0);
}

static long fake_events(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_net_buffer req;
	memcpy(&req, request->msg.payload, sizeof(req));
	struct xinim_net_event e = { fake.event_id, atomic_exchange(&fake.events, 0) };
	if (!e.ready)
		return 0;
	ipc_copy_to(request->msg.header.source, req.at, &e, sizeof(e));
	return 1;
}

// The test's own ask (as PM, with a type VFS does not use): NET tells VFS of events, or
// what fake.tell says.
static long fake_tell_vfs(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)request, (void)reply;
	return ipc_notify(vfs.endpoint, fake.tell ? fake.tell : XINIM_NOTE_NET_EVENTS);
}

static const struct ipc_route fake_routes[XINIM_NET_MSG_END - XINIM_MSG_NET_FIRST] = {
	NET_ROUTE(XINIM_NET_SOCKET, fake_socket, struct xinim_net_socket),
	NET_ROUTE(XINIM_NET_CONNECT, fake_connect, struct xinim_net_addr),
	NET_ROUTE(XINIM_NET_SEND, fake_send, struct xinim_net_io),
	NET_ROUTE(XINIM_NET_RECEIVE, fake_receive, struct xinim_net_io),
	NET_ROUTE(XINIM_NET_GETOPT, fake_getopt, struct xinim_net_option),
	NET_ROUTE(XINIM_NET_IOCTL, fake_ioctl, struct xinim_net_ioctl),
	NET_ROUTE(XINIM_NET_CLOSE, fake_close, struct xinim_net_sock),
	NET_ROUTE(XINIM_NET_EVENTS, fake_events, struct xinim_net_buffer),
	[XINIM_NET_PROC - XINIM_MSG_NET_FIRST] = { fake_tell_vfs, 0 },
};
static const struct ipc_table fake_net = {
	.first = XINIM_MSG_NET_FIRST, .count = XINIM_NET_MSG_END - XINIM_MSG_NET_FIRST,
	.routes = fake_routes,
};

static long proc_message(int32_t type, xinim_endpoint_t process, xinim_endpoint_t parent)
{
	struct xinim_vfs_proc proc = { .who = process, .parent = parent };
	struct xinim_msg msg = { .header = { .type = type, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
}

static int group_setup(void **state)
{
	if (archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0])))
		return -1;
	host_ipc_grant(XINIM_PID_VFS, XINIM_PID_NET, 0);
	host_ipc_grant(XINIM_PID_NET, XINIM_PID_VFS, 0);
	host_ipc_grant(XINIM_PID_PM, XINIM_PID_NET, 0);	// the test's fake_tell_vfs
	return 0;
}

static int group_teardown(void **state)
{
	server_group_teardown(state);	// its stop ends NET's loop too
	if (net.pid)
		proc_join(&net);
	return 0;
}

static int start(void **state)
{
	(void)state;
	who = fresh_endpoint();
	fake.sent_length = 0;
	fake.pending[0] = '\0';
	atomic_store(&fake.closed, 0);
	fake.close_fails = false;
	fake.tell = 0;
	fake.connect_later = false;
	fake.next_id = fake.next_id ? fake.next_id : FIRST_ID;	// NET's ids are never reused here
	return (int)proc_message(XINIM_VFS_PROC_START, who, XINIM_ENDPOINT_NONE);
}

static int start_with_net(void **state)
{
	if (!net.pid)
		proc_start(&net, XINIM_PID_NET, serve_table, (void *)&fake_net);
	return start(state);
}

static long inet_socket(int flags)
{
	return CALL(socket, AF_INET, (uint64_t)(SOCK_STREAM | flags), 0);
}

static void test_without_net_af_inet_is_not_supported(void **state)
{
	(void)state;
	assert_int_equal(inet_socket(0), -EAFNOSUPPORT);
}

static void test_a_socket_keeps_nets_id_and_readiness(void **state)
{
	(void)state;
	long fd = inet_socket(SOCK_CLOEXEC);
	assert_int_equal(fd, 3);
	struct sock *s = sock_of(file_node(fd_get(who, (uint64_t)fd)));
	assert_non_null(s);
	assert_int_equal(s->net_id, fake.next_id - 1);
	assert_int_equal(s->net_ready, POLLOUT);
	struct pollfd p = { (int)fd, POLLIN | POLLOUT, 0 };
	assert_int_equal(CALL(ppoll, ADDR(&p), 1, ADDR(&(struct timespec){ 0 }), 0, 8), 1);
	assert_int_equal(p.revents, POLLOUT);
}

static void test_bytes_go_both_ways_through_grants(void **state)
{
	(void)state;
	long fd = inet_socket(SOCK_NONBLOCK);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(80) };
	assert_int_equal(CALL(connect, (uint64_t)fd, ADDR(&to), sizeof(to)), 0);
	char first[] = "hel", second[] = "lo";
	struct iovec v[2] = { { first, 3 }, { second, 2 } };
	assert_int_equal(CALL(writev, (uint64_t)fd, ADDR(v), 2), 5);
	assert_int_equal(fake.sent_length, 5);
	assert_memory_equal(fake.sent, "hello", 5);
	char buffer[16] = { 0 };
	assert_int_equal(CALL(read, (uint64_t)fd, ADDR(buffer), sizeof(buffer)), -EAGAIN);
	strcpy(fake.pending, "answer");
	struct sockaddr_in from;
	uint32_t from_length = sizeof(from);
	assert_int_equal(CALL(recvfrom, (uint64_t)fd, ADDR(buffer), sizeof(buffer), 0,
			      ADDR(&from), ADDR(&from_length)), 6);
	assert_string_equal(buffer, "answer");
	assert_int_equal(from_length, sizeof(from));
	assert_int_equal(ntohs(from.sin_port), 80);
}

static void test_a_nonblocking_connect_is_in_progress_until_net_says_writable(void **state)
{
	(void)state;
	fake.connect_later = true;
	long fd = inet_socket(SOCK_NONBLOCK);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(80) };
	assert_int_equal(CALL(connect, (uint64_t)fd, ADDR(&to), sizeof(to)), -EINPROGRESS);
	struct sock *s = sock_of(file_node(fd_get(who, (uint64_t)fd)));
	assert_int_equal(s->net_ready, 0);
	fake.event_id = s->net_id;
	atomic_store(&fake.events, POLLOUT | POLLIN);
	struct xinim_msg msg = { .header = { .type = XINIM_NET_PROC } };
	long told = ipc_call(net.endpoint, &msg, CALL_TIMEOUT_US);
	assert_int_equal(told, 0);
	// VFS takes the notification in its own time: a bounded number of looks, no clock.
	struct pollfd p = { (int)fd, POLLIN, 0 };
	for (int look = 0; look < 100000 && !p.revents; look++)
		CALL(ppoll, ADDR(&p), 1, ADDR(&(struct timespec){ 0 }), 0, 8);
	assert_int_equal(atomic_load(&fake.events), 0);	// VFS asked for them
	assert_int_equal(s->net_ready, POLLOUT | POLLIN);
	assert_int_equal(p.revents, POLLIN);
}

static void test_an_ioctls_argument_goes_to_net_and_back(void **state)
{
	(void)state;
	long fd = inet_socket(0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "eth0");
	assert_int_equal(CALL(ioctl, (uint64_t)fd, SIOCGIFADDR, ADDR(&ifr)), 0);
	struct sockaddr_in got;
	memcpy(&got, &ifr.ifr_addr, sizeof(got));
	assert_int_equal(ntohl(got.sin_addr.s_addr), 0x0a00020f);
	assert_string_equal(ifr.ifr_name, "eth0");
	assert_int_equal(CALL(ioctl, (uint64_t)fd, SIOCGIFFLAGS + 0x1000, ADDR(&ifr)), -ENOTTY);
}

static void test_the_last_close_tells_net(void **state)
{
	(void)state;
	long fd = inet_socket(0);
	long again = CALL(dup, (uint64_t)fd);
	assert_int_equal(CALL(close, (uint64_t)fd), 0);
	assert_int_equal(atomic_load(&fake.closed), 0);
	assert_int_equal(CALL(close, (uint64_t)again), 0);
	assert_int_equal(atomic_load(&fake.closed), 1);
}

// A close that finds NET gone is told to the next NET when it says it serves: else that
// NET would keep the socket (and a listener's port) for ever.
static void test_a_close_while_net_is_gone_reaches_the_next_net(void **state)
{
	(void)state;
	long fd = inet_socket(0);
	uint32_t id = sock_of(file_node(fd_get(who, (uint64_t)fd)))->net_id;
	fake.close_fails = true;
	assert_int_equal(CALL(close, (uint64_t)fd), 0);
	assert_int_equal(atomic_load(&fake.closed), 0);
	assert_int_equal(vfs_sockets()->net_closes_owed[0], id);
	fake.tell = XINIM_NOTE_SERVING;
	struct xinim_msg msg = { .header = { .type = XINIM_NET_PROC } };
	assert_int_equal(ipc_call(net.endpoint, &msg, CALL_TIMEOUT_US), 0);
	// VFS takes the notification in its own time: a bounded number of looks, no clock.
	for (int look = 0; look < 100000 && !atomic_load(&fake.closed); look++)
		CALL(close, 999);	// a round trip, while VFS takes its notes
	CALL(close, 999);	// answered once VFS has done with the note (and its record)
	assert_int_equal(atomic_load(&fake.closed), 1);
	assert_int_equal(fake.closed_id, id);
	assert_int_equal(vfs_sockets()->net_closes_owed[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_without_net_af_inet_is_not_supported, start),
		cmocka_unit_test_setup(test_a_socket_keeps_nets_id_and_readiness, start_with_net),
		cmocka_unit_test_setup(test_bytes_go_both_ways_through_grants, start_with_net),
		cmocka_unit_test_setup(test_a_nonblocking_connect_is_in_progress_until_net_says_writable,
				       start_with_net),
		cmocka_unit_test_setup(test_an_ioctls_argument_goes_to_net_and_back, start_with_net),
		cmocka_unit_test_setup(test_the_last_close_tells_net, start_with_net),
		cmocka_unit_test_setup(test_a_close_while_net_is_gone_reaches_the_next_net,
				       start_with_net),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
