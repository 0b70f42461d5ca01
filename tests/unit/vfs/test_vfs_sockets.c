// AF_UNIX sockets (servers/vfs/socket.c, socket_io.c, unix.c) through the system calls,
// calls that do not wait: queues and their bounds, names, connections, rights in
// flight; and a restarted VFS's take-over of the sockets' kept records (whole when
// sound, a record or a flight that does not check out dropped).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <xinim/ipc/syscalls.h>
#include <vfs/vfs.h>
#include "archive.h"
#include "harness.h"

#define CALL(name, ...) SYSCALL(vfs.endpoint, who, name, __VA_ARGS__)
#define NONBLOCKING (SOCK_NONBLOCK)

static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "tmp", .mode = S_IFDIR | 01777 },
};
static struct proc vfs;
static xinim_endpoint_t who;
static uint8_t kept_region[VFS_STATE_HEAD + VFS_HOSTED_BLOCKS * BLOCK_BYTES]
	__attribute__((aligned(4096)));
#define kept (*(struct vfs_state *)kept_region)

static long proc_message(int32_t type, xinim_endpoint_t process, xinim_endpoint_t parent)
{
	struct xinim_vfs_proc proc = { .who = process, .parent = parent };
	struct xinim_msg msg = { .header = { .type = type, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
}

static int group_setup(void **state)
{
	return archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0]));
}

static int start(void **state)
{
	(void)state;
	memset(&kept, 0, sizeof(kept));
	vfs_state_take(&kept, KEEP_FRESH);
	who = fresh_endpoint();
	return (int)proc_message(XINIM_VFS_PROC_START, who, XINIM_ENDPOINT_NONE);
}

static void pair(int type, int sv[2])
{
	assert_int_equal(CALL(socketpair, AF_UNIX, (uint64_t)type | NONBLOCKING, 0, ADDR(sv)), 0);
}

static long send_text(int fd, const char *text)
{
	return CALL(sendto, (uint64_t)fd, ADDR(text), strlen(text), MSG_NOSIGNAL, 0, 0);
}

static long recv_into(int fd, char *buffer, size_t n, int flags)
{
	memset(buffer, 0, n);
	return CALL(recvfrom, (uint64_t)fd, ADDR(buffer), n - 1, (uint64_t)flags, 0, 0);
}

static struct sockaddr_un path_address(const char *path, uint64_t *length)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, path);
	*length = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
	return a;
}

static void test_a_stream_reads_across_sends_and_keeps_the_rest(void **state)
{
	(void)state;
	int sv[2];
	char buffer[16];
	pair(SOCK_STREAM, sv);
	assert_int_equal(send_text(sv[0], "abc"), 3);
	assert_int_equal(send_text(sv[0], "defg"), 4);
	assert_int_equal(recv_into(sv[1], buffer, 6, 0), 5);
	assert_string_equal(buffer, "abcde");
	assert_int_equal(recv_into(sv[1], buffer, 16, 0), 2);
	assert_string_equal(buffer, "fg");
	assert_int_equal(recv_into(sv[1], buffer, 16, 0), -EAGAIN);
	struct stat st;
	assert_int_equal(CALL(fstat, (uint64_t)sv[0], ADDR(&st)), 0);
	assert_true(S_ISSOCK(st.st_mode));
}

static void test_packets_keep_their_bounds_and_a_full_queue_refuses_one_whole(void **state)
{
	(void)state;
	int sv[2];
	static char big[PIPE_BYTES];
	char buffer[16];
	pair(SOCK_SEQPACKET, sv);
	assert_int_equal(CALL(sendto, (uint64_t)sv[0], ADDR(big), sizeof(big), 0, 0, 0), -EMSGSIZE);
	long sent = 0, n;
	while ((n = CALL(sendto, (uint64_t)sv[0], ADDR(big), 1000, 0, 0, 0)) == 1000)
		sent++;
	assert_int_equal(n, -EAGAIN);
	assert_int_equal(sent, PIPE_BYTES / (1000 + 16));
	assert_int_equal(recv_into(sv[1], buffer, 8, 0), 7);	// the rest of the packet goes
	assert_int_equal(kept.sockets.socks[0].records + kept.sockets.socks[1].records,
			 (uint32_t)sent - 1);
}

static void test_a_peer_gone_is_epipe_and_the_end_of_its_stream(void **state)
{
	(void)state;
	int sv[2];
	char buffer[8];
	pair(SOCK_STREAM, sv);
	assert_int_equal(send_text(sv[1], "x"), 1);
	assert_int_equal(CALL(close, (uint64_t)sv[1]), 0);
	assert_int_equal(send_text(sv[0], "y"), -EPIPE);
	assert_int_equal(recv_into(sv[0], buffer, 8, 0), 1);	// what was sent stays
	assert_int_equal(recv_into(sv[0], buffer, 8, 0), 0);
}

static void test_names_are_taken_once_and_refused_without_a_listener(void **state)
{
	(void)state;
	uint64_t length;
	struct sockaddr_un a = path_address("/tmp/s", &length);
	long s = CALL(socket, AF_UNIX, SOCK_STREAM | NONBLOCKING, 0);
	long t = CALL(socket, AF_UNIX, SOCK_STREAM | NONBLOCKING, 0);
	assert_int_equal(CALL(connect, (uint64_t)t, ADDR(&a), length), -ENOENT);
	assert_int_equal(CALL(bind, (uint64_t)s, ADDR(&a), length), 0);
	assert_int_equal(CALL(bind, (uint64_t)t, ADDR(&a), length), -EADDRINUSE);
	assert_int_equal(CALL(connect, (uint64_t)t, ADDR(&a), length), -ECONNREFUSED);
	assert_int_equal(CALL(listen, (uint64_t)s, 0), 0);
	assert_int_equal(CALL(connect, (uint64_t)t, ADDR(&a), length), 0);
	long u = CALL(socket, AF_UNIX, SOCK_STREAM | NONBLOCKING, 0);
	assert_int_equal(CALL(connect, (uint64_t)u, ADDR(&a), length), -EAGAIN);	// backlog 0
	long served = CALL(accept4, (uint64_t)s, 0, 0, 0);
	assert_true(served >= 0);
	assert_int_equal(CALL(accept4, (uint64_t)s, 0, 0, 0), -EAGAIN);
	assert_int_equal(CALL(unlinkat, (uint64_t)(int64_t)AT_FDCWD, ADDR("/tmp/s"), 0), 0);
	assert_int_equal(kept.sockets.socks[0].bound, 0);	// its name's node went
}

// SCM_RIGHTS of fd on sv[0]: sendmsg's result.
static long send_right(int sv0, int fd)
{
	union {
		struct cmsghdr h;
		char room[CMSG_SPACE(sizeof(int))];
	} control = { 0 };
	struct iovec v = { "r", 1 };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = control.room,
			    .msg_controllen = sizeof(control.room) };
	control.h = (struct cmsghdr){ .cmsg_len = CMSG_LEN(sizeof(int)), .cmsg_level = SOL_SOCKET,
				      .cmsg_type = SCM_RIGHTS };
	memcpy(CMSG_DATA(&control.h), &fd, sizeof(fd));
	return CALL(sendmsg, (uint64_t)sv0, ADDR(&m), 0);
}

static void test_an_fd_in_flight_holds_its_open_file_until_received_or_dropped(void **state)
{
	(void)state;
	int sv[2], p[2];
	pair(SOCK_STREAM, sv);
	assert_int_equal(CALL(pipe2, ADDR(p), 0), 0);
	unsigned file = open_file_index(fd_get(who, (uint64_t)p[0]));
	assert_int_equal(send_right(sv[0], p[0]), 1);
	assert_int_equal(CALL(close, (uint64_t)p[0]), 0);
	assert_int_equal(kept.open_files[file].refs, 1);	// the flight's
	assert_int_equal(CALL(close, (uint64_t)sv[1]), 0);	// unread: closed with its queue
	assert_null(open_file_at(file));
}

// A sound state: a connected pair with bytes queued, a listener with a connection not
// yet accepted, a right in flight. A take-over keeps all of it, counted afresh.
static void build_sockets(int sv[2], long *listener, unsigned *file)
{
	int p[2];
	uint64_t length;
	struct sockaddr_un a = path_address("/tmp/l", &length);
	pair(SOCK_STREAM, sv);
	assert_int_equal(send_text(sv[0], "queued"), 6);
	*listener = CALL(socket, AF_UNIX, SOCK_STREAM | NONBLOCKING, 0);
	assert_int_equal(CALL(bind, (uint64_t)*listener, ADDR(&a), length), 0);
	assert_int_equal(CALL(listen, (uint64_t)*listener, 4), 0);
	long c = CALL(socket, AF_UNIX, SOCK_STREAM | NONBLOCKING, 0);
	assert_int_equal(CALL(connect, (uint64_t)c, ADDR(&a), length), 0);
	assert_int_equal(CALL(pipe2, ADDR(p), 0), 0);
	*file = open_file_index(fd_get(who, (uint64_t)p[0]));
	assert_int_equal(send_right(sv[1], p[0]), 1);
	assert_int_equal(CALL(close, (uint64_t)p[0]), 0);
}

static void test_sockets_survive_a_take_over_whole(void **state)
{
	(void)state;
	int sv[2];
	long listener;
	unsigned file;
	char buffer[16];
	build_sockets(sv, &listener, &file);
	static struct vfs_state before;
	before = kept;
	vfs_state_take(&kept, KEEP_INHERITED);
	vfs_state_take(&kept, KEEP_INHERITED);	// references counted afresh, not added up
	assert_memory_equal(&kept, &before, sizeof(kept));
	assert_int_equal(kept.open_files[file].refs, 1);
	assert_int_equal(recv_into(sv[1], buffer, 16, 0), 6);
	assert_string_equal(buffer, "queued");
	assert_true(CALL(accept4, (uint64_t)listener, 0, 0, 0) >= 0);
	assert_int_equal(recv_into(sv[0], buffer, 16, 0), 1);	// the right's byte
}

static void test_socket_records_and_flights_that_do_not_check_out_are_dropped(void **state)
{
	(void)state;
	int sv[2];
	long listener;
	unsigned file;
	build_sockets(sv, &listener, &file);
	struct sock *s = sock_of(file_node(fd_get(who, (uint64_t)listener)));
	s->state = 9;	// no state a socket has
	struct flight *f = NULL;
	for (unsigned i = 0; i < FLIGHTS_MAX && !f; i++)
		f = kept.sockets.flights[i].file ? &kept.sockets.flights[i] : NULL;
	f->sock = SOCKETS_MAX + 1;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_null(sock_of(file_node(fd_get(who, (uint64_t)listener))));
	assert_int_equal(CALL(accept4, (uint64_t)listener, 0, 0, 0), -ENOTSOCK);
	assert_null(open_file_at(file));	// nothing holds the pipe's reader any more
	char buffer[16];
	assert_int_equal(recv_into(sv[1], buffer, 16, 0), 6);	// the pair serves on
}

// The name of a peer that closed stays (Linux's unix_peer), kept across a take-over; a
// record whose kept name's length does not check out goes.
static void test_a_closed_peers_name_is_kept_and_checked_at_take_over(void **state)
{
	(void)state;
	uint64_t length;
	struct sockaddr_un a = path_address("/tmp/p", &length), name;
	socklen_t name_length = sizeof(name);
	long listener = CALL(socket, AF_UNIX, SOCK_SEQPACKET | NONBLOCKING, 0);
	long c = CALL(socket, AF_UNIX, SOCK_SEQPACKET | NONBLOCKING, 0);
	assert_int_equal(CALL(bind, (uint64_t)listener, ADDR(&a), length), 0);
	assert_int_equal(CALL(listen, (uint64_t)listener, 4), 0);
	assert_int_equal(CALL(connect, (uint64_t)c, ADDR(&a), length), 0);
	long served = CALL(accept4, (uint64_t)listener, 0, 0, 0);
	assert_int_equal(CALL(close, (uint64_t)served), 0);
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(CALL(getpeername, (uint64_t)c, ADDR(&name), ADDR(&name_length)), 0);
	assert_int_equal(name_length, length);
	assert_string_equal(name.sun_path, "/tmp/p");
	struct sock *s = sock_of(file_node(fd_get(who, (uint64_t)c)));
	s->peer_name_length = 1;	// no room for the family
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(CALL(getpeername, (uint64_t)c, ADDR(&name), ADDR(&name_length)),
			 -ENOTSOCK);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup(name, start)
	const struct CMUnitTest tests[] = {
		TEST(test_a_stream_reads_across_sends_and_keeps_the_rest),
		TEST(test_packets_keep_their_bounds_and_a_full_queue_refuses_one_whole),
		TEST(test_a_peer_gone_is_epipe_and_the_end_of_its_stream),
		TEST(test_names_are_taken_once_and_refused_without_a_listener),
		TEST(test_an_fd_in_flight_holds_its_open_file_until_received_or_dropped),
		TEST(test_sockets_survive_a_take_over_whole),
		TEST(test_socket_records_and_flights_that_do_not_check_out_are_dropped),
		TEST(test_a_closed_peers_name_is_kept_and_checked_at_take_over),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
