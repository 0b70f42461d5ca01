// AF_INET sockets between processes of this machine (docs/net.md), run as PID 1
// (tests/boot/net.sh, net_tcp): TCP and UDP over 127.0.0.1, as socket(7), tcp(7), udp(7)
// and ip(7) say Linux does -- the same binary passes on Linux. It prints each check and
// exits 0 only if all went right.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_PREFIX "inet: "
#include "check.h"

#define BAD_POINTER ((void *)8)
#define WAIT_MS 10000	// a bound against a hang only: every wait ends on an event

static volatile sig_atomic_t caught;
static void on_signal(int signal) { caught = signal; }

static struct sockaddr_in loopback(unsigned port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
}

// A listening TCP socket on 127.0.0.1 at a port the system picks; *port gets it.
static int listener(unsigned *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in at = loopback(0);
	socklen_t length = sizeof(at);
	if (s < 0 || bind(s, (struct sockaddr *)&at, sizeof(at)) != 0 || listen(s, 16) != 0 ||
	    getsockname(s, (struct sockaddr *)&at, &length) != 0)
		return -1;
	*port = ntohs(at.sin_port);
	return s;
}

static int connected(unsigned port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in at = loopback(port);
	if (s >= 0 && connect(s, (struct sockaddr *)&at, sizeof(at)) != 0) {
		close(s);
		return -1;
	}
	return s;
}

static short wait_for(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	return poll(&p, 1, WAIT_MS) == 1 ? p.revents : 0;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

// Linux brings no interface up by itself; XINIM's loopback is up from the start.
static void loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq request = { .ifr_name = "lo" };
	if (ioctl(s, SIOCGIFFLAGS, &request) == 0 && !(request.ifr_flags & IFF_UP)) {
		request.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &request);
	}
	close(s);
}

static uint32_t pattern(size_t i) { return (uint32_t)(i * 2654435761u >> 7); }

static void stream_basics(void)
{
	unsigned port;
	int l = listener(&port);
	struct stat st;
	check(l >= 0 && fstat(l, &st) == 0 && S_ISSOCK(st.st_mode) && port != 0,
	      "a listening socket on 127.0.0.1, its port from getsockname, S_IFSOCK");
	int c = connected(port);
	struct sockaddr_in peer, own;
	socklen_t peer_length = sizeof(peer), own_length = sizeof(own);
	int a = accept4(l, (struct sockaddr *)&peer, &peer_length, SOCK_CLOEXEC);
	check(c >= 0 && a >= 0 && fcntl(a, F_GETFD) == FD_CLOEXEC &&
	      getsockname(c, (struct sockaddr *)&own, &own_length) == 0 &&
	      peer_length == sizeof(peer) && peer.sin_port == own.sin_port &&
	      peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "connect and accept4: the peer's address is the client's own");
	char buffer[64];
	check(write(c, "ping", 4) == 4 && read(a, buffer, sizeof(buffer)) == 4 &&
	      memcmp(buffer, "ping", 4) == 0 && send(a, "pong", 4, 0) == 4 &&
	      recv(c, buffer, sizeof(buffer), 0) == 4 && memcmp(buffer, "pong", 4) == 0,
	      "bytes both ways: write/read and send/recv");
	check(send(c, "peek", 4, 0) == 4 && (wait_for(a, POLLIN) & POLLIN) &&
	      recv(a, buffer, 4, MSG_PEEK) == 4 && recv(a, buffer, 4, 0) == 4 &&
	      memcmp(buffer, "peek", 4) == 0, "MSG_PEEK leaves the bytes to read");
	check(recv(a, buffer, sizeof(buffer), MSG_DONTWAIT) == -1 && errno == EAGAIN,
	      "MSG_DONTWAIT with nothing to read: EAGAIN");
	struct timeval timeout = { .tv_usec = 100000 };
	check(setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) == 0 &&
	      recv(a, buffer, sizeof(buffer), 0) == -1 && (errno == EAGAIN || errno == EWOULDBLOCK),
	      "SO_RCVTIMEO: a blocking recv gives up with EAGAIN");
	int one = 1, value = 0;
	socklen_t length = sizeof(value);
	check(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0 &&
	      getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &value, &length) == 0 && value != 0 &&
	      length == sizeof(int), "TCP_NODELAY set and read back");
	length = sizeof(value);
	check(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) == 0 &&
	      getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &value, &length) == 0 && value == 1,
	      "SO_KEEPALIVE set and read back");
	length = sizeof(value);
	check(getsockopt(c, SOL_SOCKET, SO_TYPE, &value, &length) == 0 && value == SOCK_STREAM &&
	      getsockopt(c, SOL_SOCKET, SO_ERROR, &value, &length) == 0 && value == 0 &&
	      getsockopt(c, SOL_SOCKET, SO_RCVBUF, &value, &length) == 0 && value > 0 &&
	      getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0 && value == 1,
	      "SO_TYPE, SO_ERROR, SO_RCVBUF, SO_ACCEPTCONN");
	check(send(c, "abc", 3, 0) == 3 && send(c, "defg", 4, 0) == 4 &&
	      recv(a, buffer, 7, MSG_WAITALL) == 7 && memcmp(buffer, "abcdefg", 7) == 0,
	      "MSG_WAITALL gathers two sends");
	int d = dup(a);
	check(shutdown(c, SHUT_WR) == 0 && read(d, buffer, sizeof(buffer)) == 0 &&
	      write(d, "after", 5) == 5 && read(c, buffer, sizeof(buffer)) == 5,
	      "shutdown(SHUT_WR): the peer reads end of file and still sends (through a dup)");
	close(d);
	close(a);
	close(c);
	close(l);
}

// A megabyte from a child to its parent, echoed back whole.
static void stream_between_processes(void)
{
	enum { SIZE = 1 << 20 };
	unsigned port;
	int l = listener(&port);
	pid_t child = fork();
	if (child == 0) {
		int c = connected(port);
		uint32_t *data = malloc(SIZE);
		for (size_t i = 0; i < SIZE / 4; i++)
			data[i] = pattern(i);
		size_t sent = 0, got = 0;
		while (sent < SIZE) {
			ssize_t n = write(c, (char *)data + sent, SIZE - sent);
			if (n <= 0)
				_exit(2);
			sent += (size_t)n;
		}
		shutdown(c, SHUT_WR);
		char *back = malloc(SIZE);
		ssize_t n;
		while ((n = read(c, back + got, SIZE - got)) > 0)
			got += (size_t)n;
		_exit(got == SIZE && memcmp(back, data, SIZE) == 0 ? 0 : 3);
	}
	int a = accept(l, NULL, NULL);
	char *buffer = malloc(SIZE);
	size_t got = 0;
	ssize_t n;
	while (a >= 0 && got < SIZE && (n = read(a, buffer + got, SIZE - got)) > 0)
		got += (size_t)n;
	int intact = got == SIZE && read(a, buffer, 1) == 0;
	for (size_t i = 0; intact && i < SIZE / 4; i++)
		intact = ((uint32_t *)buffer)[i] == pattern(i);
	check(intact, "1 MiB from a child, in order, then end of file");
	size_t sent = 0;
	while (sent < got && (n = write(a, buffer + sent, got - sent)) > 0)
		sent += (size_t)n;
	close(a);
	int status = -1;
	waitpid(child, &status, 0);
	check(sent == SIZE && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "echoed back whole to the child");
	free(buffer);
	close(l);
}

static void refusals(void)
{
	unsigned port;
	int l = listener(&port);
	close(l);	// nobody listens at port now
	int c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in at = loopback(port);
	check(connect(c, (struct sockaddr *)&at, sizeof(at)) == -1 && errno == ECONNREFUSED,
	      "connect to a closed port: ECONNREFUSED");
	close(c);

	l = listener(&port);
	int second = socket(AF_INET, SOCK_STREAM, 0);
	at = loopback(port);
	check(bind(second, (struct sockaddr *)&at, sizeof(at)) == -1 && errno == EADDRINUSE,
	      "bind to a port another socket listens on: EADDRINUSE");
	close(second);

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int r = connect(c, (struct sockaddr *)&at, sizeof(at));
	int error = -1;
	socklen_t length = sizeof(error);
	check((r == 0 || errno == EINPROGRESS) && (wait_for(c, POLLOUT) & POLLOUT) &&
	      getsockopt(c, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0,
	      "a non-blocking connect: EINPROGRESS, writable once connected, SO_ERROR 0");
	int a = accept(l, NULL, NULL);
	close(a);
	close(c);
	close(l);

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r = connect(c, (struct sockaddr *)&at, sizeof(at));
	if (r == -1 && errno == EINPROGRESS) {
		wait_for(c, POLLOUT);
		length = sizeof(error);
		r = getsockopt(c, SOL_SOCKET, SO_ERROR, &error, &length) == 0 ? -1 : 0;
		errno = error;
	}
	check(r == -1 && errno == ECONNREFUSED,
	      "a non-blocking connect to a closed port: ECONNREFUSED, at once or in SO_ERROR");
	close(c);
}

// A peer that resets the connection (SO_LINGER 0): the reader sees ECONNRESET, then a
// write EPIPE with SIGPIPE, and with MSG_NOSIGNAL EPIPE alone.
static void peer_vanishes(void)
{
	unsigned port;
	int l = listener(&port);
	int c = connected(port);
	int a = accept(l, NULL, NULL);
	struct linger abort_close = { .l_onoff = 1, .l_linger = 0 };
	setsockopt(a, SOL_SOCKET, SO_LINGER, &abort_close, sizeof(abort_close));
	close(a);
	char buffer[8];
	short revents = wait_for(c, POLLIN);
	check((revents & (POLLIN | POLLERR | POLLHUP)) && read(c, buffer, sizeof(buffer)) == -1 &&
	      errno == ECONNRESET, "the peer resets: poll wakes, read gives ECONNRESET");
	signal(SIGPIPE, on_signal);
	caught = 0;
	check(write(c, "x", 1) == -1 && errno == EPIPE && caught == SIGPIPE,
	      "then a write: EPIPE and SIGPIPE");
	caught = 0;
	check(send(c, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE && caught == 0,
	      "send with MSG_NOSIGNAL: EPIPE, no signal");
	signal(SIGPIPE, SIG_DFL);
	close(c);

	// A peer that exits with the connection open: end of file, as its close sends FIN.
	pid_t child = fork();
	if (child == 0)
		_exit(connected(port) >= 0 ? 0 : 1);
	a = accept(l, NULL, NULL);
	check(a >= 0 && read(a, buffer, sizeof(buffer)) == 0, "a peer that exits: end of file");
	waitpid(child, NULL, 0);
	close(a);
	close(l);
}

static void bad_input(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in at = loopback(0);
	check(bind(s, (struct sockaddr *)&at, 3) == -1 && errno == EINVAL,
	      "bind with a short address length: EINVAL");
	check(bind(s, BAD_POINTER, sizeof(at)) == -1 && errno == EFAULT,
	      "bind with a bad address pointer: EFAULT");
	check(connect(s, BAD_POINTER, sizeof(at)) == -1 && errno == EFAULT,
	      "connect with a bad address pointer: EFAULT");
	check(socket(AF_INET, 999, 0) == -1 && errno == EINVAL, "socket of an unknown type: EINVAL");
	check(socket(12345, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT,
	      "socket of an unknown family: EAFNOSUPPORT");
	check(accept(s, NULL, NULL) == -1 && errno == EINVAL,
	      "accept on a socket that does not listen: EINVAL");
	check(listen(u, 1) == -1 && errno == EOPNOTSUPP, "listen on a UDP socket: EOPNOTSUPP");
	struct sockaddr_in peer;
	socklen_t length = sizeof(peer);
	check(getpeername(s, (struct sockaddr *)&peer, &length) == -1 && errno == ENOTCONN,
	      "getpeername of an unconnected socket: ENOTCONN");
	int one = 1;
	check(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, 2) == -1 && errno == EINVAL,
	      "setsockopt with a short option: EINVAL");
	check(getsockopt(s, SOL_SOCKET, SO_TYPE, &one, BAD_POINTER) == -1 && errno == EFAULT,
	      "getsockopt with a bad length pointer: EFAULT");
	int p[2];
	pipe(p);
	check(bind(p[0], (struct sockaddr *)&at, sizeof(at)) == -1 && errno == ENOTSOCK &&
	      bind(999, (struct sockaddr *)&at, sizeof(at)) == -1 && errno == EBADF,
	      "a file that is not a socket: ENOTSOCK; no file: EBADF");
	close(p[0]);
	close(p[1]);

	unsigned port;
	int l = listener(&port);
	int c = connected(port), a = accept(l, NULL, NULL);
	check(send(c, BAD_POINTER, 16, 0) == -1 && errno == EFAULT,
	      "send from a bad buffer: EFAULT");
	send(a, "data", 4, 0);
	wait_for(c, POLLIN);
	char buffer[8];
	check(recv(c, BAD_POINTER, 4, 0) == -1 && errno == EFAULT &&
	      recv(c, buffer, sizeof(buffer), 0) == 4, "recv into a bad buffer: EFAULT, nothing lost");
	close(a);
	close(c);
	close(l);
	close(s);
	close(u);
}

static void datagrams(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in at_a = loopback(0), at_b = loopback(0), from;
	socklen_t length = sizeof(at_a);
	bind(a, (struct sockaddr *)&at_a, sizeof(at_a));
	getsockname(a, (struct sockaddr *)&at_a, &length);
	bind(b, (struct sockaddr *)&at_b, sizeof(at_b));
	length = sizeof(at_b);
	getsockname(b, (struct sockaddr *)&at_b, &length);
	char buffer[64];
	length = sizeof(from);
	check(sendto(a, "hello", 5, 0, (struct sockaddr *)&at_b, sizeof(at_b)) == 5 &&
	      recvfrom(b, buffer, sizeof(buffer), 0, (struct sockaddr *)&from, &length) == 5 &&
	      memcmp(buffer, "hello", 5) == 0 && from.sin_port == at_a.sin_port,
	      "UDP: sendto and recvfrom with the sender's address");
	check(sendto(b, "echo", 4, 0, (struct sockaddr *)&from, length) == 4 &&
	      recv(a, buffer, sizeof(buffer), 0) == 4 && memcmp(buffer, "echo", 4) == 0,
	      "UDP echo back to the sender");
	check(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&at_b, sizeof(at_b)) == 10 &&
	      recv(b, buffer, 4, MSG_PEEK) == 4 && recv(b, buffer, 4, MSG_TRUNC) == 10 &&
	      recv(b, buffer, sizeof(buffer), MSG_DONTWAIT) == -1 && errno == EAGAIN,
	      "UDP: MSG_PEEK, MSG_TRUNC gives the whole length and drops the rest");
	check(connect(a, (struct sockaddr *)&at_b, sizeof(at_b)) == 0 && send(a, "c", 1, 0) == 1 &&
	      recv(b, buffer, sizeof(buffer), 0) == 1,
	      "UDP: a connected socket sends without an address");
	struct msghdr message = { 0 };
	struct iovec pieces[2] = { { "ab", 2 }, { "cd", 2 } };
	message.msg_iov = pieces;
	message.msg_iovlen = 2;
	char one[3] = "", two[3] = "";
	struct iovec into[2] = { { one, 2 }, { two, 2 } };
	struct msghdr received = { .msg_iov = into, .msg_iovlen = 2 };
	check(sendmsg(a, &message, 0) == 4 && recvmsg(b, &received, 0) == 4 &&
	      strcmp(one, "ab") == 0 && strcmp(two, "cd") == 0,
	      "UDP: sendmsg and recvmsg gather and scatter");
	close(a);
	close(b);
}

static void readiness(void)
{
	unsigned port;
	int l = listener(&port);
	int e = epoll_create1(0);
	struct epoll_event event = { .events = EPOLLIN, .data.fd = l }, out;
	epoll_ctl(e, EPOLL_CTL_ADD, l, &event);
	check(epoll_wait(e, &out, 1, 0) == 0, "epoll: a listener with nobody waiting is not ready");
	int c = connected(port);
	check(epoll_wait(e, &out, 1, WAIT_MS) == 1 && out.data.fd == l,
	      "epoll: readable once a connection waits");
	int a = accept(l, NULL, NULL);
	check((wait_for(c, POLLOUT) & POLLOUT) && !(wait_for(a, 0) & POLLIN),
	      "poll: connected is writable, not readable");
	write(c, "x", 1);
	check(wait_for(a, POLLIN) & POLLIN, "poll: readable once data came");
	close(e);
	close(a);
	close(c);
	close(l);
}

// 200 connections opened and closed leave no fd behind and keep working.
static void many_connections(void)
{
	unsigned port;
	int l = listener(&port);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	int fds = open_fds(), ok = 0;
	for (int i = 0; i < 200; i++) {
		int c = connected(port), a = accept(l, NULL, NULL);
		char byte = 0;
		ok += c >= 0 && a >= 0 && write(c, "z", 1) == 1 && read(a, &byte, 1) == 1 &&
		      byte == 'z';
		close(a);
		close(c);
	}
	check(ok == 200, "200 connections opened, used and closed");
	check(open_fds() == fds, "no fd left behind");
	close(l);
	// The port is free again once its listener is closed (the connections' TIME_WAIT
	// does not keep a socket with SO_REUSEADDR from it).
	int again = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in at = loopback(port);
	setsockopt(again, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	check(bind(again, (struct sockaddr *)&at, sizeof(at)) == 0 && listen(again, 1) == 0,
	      "SO_REUSEADDR: the port binds again while its connections are in TIME_WAIT");
	close(again);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	loopback_up();
	stream_basics();
	stream_between_processes();
	refusals();
	peer_vanishes();
	bad_input();
	datagrams();
	readiness();
	many_connections();
	return check_summary();
}
