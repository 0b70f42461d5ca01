// AF_INET sockets through VFS and NET over lwIP's loopback (docs/net.md), run as PID 1
// (tests/boot/inet_sockets.sh): TCP echo between two processes, UDP echo, a connect to a
// closed port (ECONNREFUSED), EADDRINUSE, a peer gone (EPIPE with SIGPIPE, MSG_NOSIGNAL),
// poll and epoll readiness, 1 MiB through a connection, 200 connections opened and closed,
// bad input. It prints each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_PREFIX "inet_sockets: "
#include "check.h"

#define BAD_POINTER ((void *)16)

static volatile sig_atomic_t caught;
static void on_signal(int signal) { caught = signal; }

static struct sockaddr_in loopback(uint16_t port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
}

static bool exited_well(pid_t child)
{
	int status = 1;
	return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int listener_on(uint16_t port)
{
	struct sockaddr_in a = loopback(port);
	int s = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 8))
		return -1;
	return s;
}

static void tcp_echo(void)
{
	int l = listener_on(7000);
	check(l >= 0, "socket, bind 127.0.0.1:7000, listen");
	pid_t child = fork();
	if (child == 0) {
		struct sockaddr_in a = loopback(7000);
		int c = socket(AF_INET, SOCK_STREAM, 0);
		char buffer[16];
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) || write(c, "ping", 4) != 4 ||
		    read(c, buffer, sizeof(buffer)) != 4 || memcmp(buffer, "pong", 4))
			_exit(1);
		_exit(0);
	}
	struct sockaddr_in peer;
	socklen_t length = sizeof(peer);
	int s = accept(l, (struct sockaddr *)&peer, &length);
	char buffer[16];
	check(s >= 0 && length == sizeof(peer) && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "accept: the peer's address");
	check(read(s, buffer, sizeof(buffer)) == 4 && memcmp(buffer, "ping", 4) == 0 &&
	      write(s, "pong", 4) == 4 && exited_well(child),
	      "TCP echo between two processes over the loopback");
	close(s);
	close(l);
}

static void udp_echo(void)
{
	struct sockaddr_in a = loopback(7001), from;
	int s = socket(AF_INET, SOCK_DGRAM, 0), c = socket(AF_INET, SOCK_DGRAM, 0);
	bind(s, (struct sockaddr *)&a, sizeof(a));
	char buffer[16];
	socklen_t length = sizeof(from);
	check(sendto(c, "hi", 2, 0, (struct sockaddr *)&a, sizeof(a)) == 2 &&
	      recvfrom(s, buffer, sizeof(buffer), 0, (struct sockaddr *)&from, &length) == 2 &&
	      sendto(s, "ho", 2, 0, (struct sockaddr *)&from, length) == 2 &&
	      recv(c, buffer, sizeof(buffer), 0) == 2 && memcmp(buffer, "ho", 2) == 0,
	      "UDP echo");
	close(s);
	close(c);
}

static void refusals(void)
{
	struct sockaddr_in a = loopback(7999);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	check(connect(c, (struct sockaddr *)&a, sizeof(a)) == -1 && errno == ECONNREFUSED,
	      "connect to a closed port: ECONNREFUSED");
	close(c);
	int l = listener_on(7002);
	struct sockaddr_in b = loopback(7002);
	int other = socket(AF_INET, SOCK_STREAM, 0);
	check(bind(other, (struct sockaddr *)&b, sizeof(b)) == -1 && errno == EADDRINUSE,
	      "a second bind to a port in use: EADDRINUSE");
	close(other);
	close(l);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	check(connect(c, (struct sockaddr *)&a, sizeof(a)) == -1 &&
	      (errno == EINPROGRESS || errno == ECONNREFUSED), "a nonblocking connect: EINPROGRESS");
	close(c);
}

static void broken(void)
{
	int l = listener_on(7003);
	struct sockaddr_in a = loopback(7003);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	int s = accept(l, NULL, NULL);
	close(s);
	close(l);
	signal(SIGPIPE, on_signal);
	caught = 0;
	ssize_t n = 0;
	for (int i = 0; i < 50 && n >= 0; i++) {
		n = send(c, "x", 1, MSG_NOSIGNAL);
		usleep(1000);
	}
	check(n == -1 && (errno == EPIPE || errno == ECONNRESET) && caught == 0,
	      "a peer gone: EPIPE or ECONNRESET, no SIGPIPE with MSG_NOSIGNAL");
	caught = 0;
	n = write(c, "x", 1);
	check(n == -1 && errno == EPIPE && caught == SIGPIPE, "and SIGPIPE without it");
	signal(SIGPIPE, SIG_DFL);
	close(c);
}

static void readiness(void)
{
	int l = listener_on(7004);
	struct pollfd p = { l, POLLIN, 0 };
	check(poll(&p, 1, 0) == 0, "poll: a listener with nothing to accept");
	pid_t child = fork();
	if (child == 0) {
		struct sockaddr_in a = loopback(7004);
		int c = socket(AF_INET, SOCK_STREAM, 0);
		usleep(20000);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) || write(c, "r", 1) != 1)
			_exit(1);
		usleep(100000);
		_exit(0);
	}
	check(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "poll: a connection to accept");
	int s = accept(l, NULL, NULL);
	int e = epoll_create1(0);
	struct epoll_event event = { .events = EPOLLIN, .data.fd = s }, got;
	epoll_ctl(e, EPOLL_CTL_ADD, s, &event);
	check(epoll_wait(e, &got, 1, 5000) == 1 && got.data.fd == s, "epoll: bytes to read");
	char byte;
	check(read(s, &byte, 1) == 1 && exited_well(child), "read them");
	close(e);
	close(s);
	close(l);
}

// 1 MiB from a child: every byte in order.
static void bulk(void)
{
	const uint32_t total = 1u << 20;
	int l = listener_on(7005);
	pid_t child = fork();
	if (child == 0) {
		struct sockaddr_in a = loopback(7005);
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)))
			_exit(1);
		static uint8_t chunk[10000];
		for (uint32_t at = 0; at < total;) {
			uint32_t n = total - at < sizeof(chunk) ? total - at : sizeof(chunk);
			for (uint32_t j = 0; j < n; j++)
				chunk[j] = (uint8_t)((at + j) * 7 + 3);
			if (write(c, chunk, n) != (ssize_t)n)
				_exit(2);
			at += n;
		}
		close(c);
		_exit(0);
	}
	int s = accept(l, NULL, NULL);
	static uint8_t got[65536];
	uint32_t at = 0, wrong = 0;
	ssize_t n;
	while ((n = read(s, got, sizeof(got))) > 0)
		for (ssize_t j = 0; j < n; j++, at++)
			wrong += got[j] != (uint8_t)(at * 7 + 3);
	check(at == total && !wrong && exited_well(child), "1 MiB through a connection, in order");
	close(s);
	close(l);
}

static void many(void)
{
	int l = listener_on(7006), bad = 0, first = -1, last = -1;
	struct sockaddr_in a = loopback(7006);
	for (int i = 0; i < 200; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		bad += connect(c, (struct sockaddr *)&a, sizeof(a)) != 0;
		int s = accept(l, NULL, NULL);
		char byte = (char)i, got = 0;
		bad += write(c, &byte, 1) != 1 || read(s, &got, 1) != 1 || got != byte;
		close(s);
		close(c);
		first = i == 0 ? c : first;
		last = c;
	}
	check(!bad && first == last, "200 connections opened and closed, no fd left behind");
	close(l);
}

static void bad_input(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	check(bind(s, BAD_POINTER, sizeof(struct sockaddr_in)) == -1 && errno == EFAULT,
	      "bind of a bad pointer: EFAULT");
	struct sockaddr_in a = loopback(7007);
	check(bind(s, (struct sockaddr *)&a, 3) == -1 && errno == EINVAL, "a short address: EINVAL");
	int on = 1;
	check(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0, "TCP_NODELAY");
	close(s);
}

int main(void)
{
	tcp_echo();
	udp_echo();
	refusals();
	broken();
	readiness();
	bulk();
	many();
	bad_input();
	return check_summary();
}
