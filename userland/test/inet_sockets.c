// AF_INET sockets through VFS and NET (docs/net.md), run by tests/boot/net_sockets.sh:
// UDP echo, TCP between two processes, Linux's errors (ECONNREFUSED, EADDRINUSE, EPIPE
// with SIGPIPE unless MSG_NOSIGNAL, ECONNRESET, EFAULT, EINVAL), a nonblocking connect,
// and 200 connections opened and closed without an fd left behind. Each check prints a
// line; it exits 0 only if all went right.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#define CHECK_PREFIX "inet_sockets: "
#include "check.h"

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int signal) { (void)signal, sigpipes++; }

static struct sockaddr_in loopback(unsigned port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
}

#define SA(a) ((struct sockaddr *)&(a))

static int listener(unsigned port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	struct sockaddr_in a = loopback(port);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(s, SA(a), sizeof(a)) != 0 || listen(s, 16) != 0)
		return -1;
	return s;
}

static int connected(unsigned port)
{
	int c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = loopback(port);
	return connect(c, SA(a), sizeof(a)) == 0 ? c : -1;
}

static void udp_echo(void)
{
	int server = socket(AF_INET, SOCK_DGRAM, 0), client = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = loopback(9000), from;
	socklen_t length = sizeof(from);
	char buffer[64] = { 0 };
	check(bind(server, SA(a), sizeof(a)) == 0, "UDP bind to 127.0.0.1:9000");
	check(sendto(client, "ping", 4, 0, SA(a), sizeof(a)) == 4, "UDP sendto");
	check(recvfrom(server, buffer, sizeof(buffer), 0, SA(from), &length) == 4 &&
	      !memcmp(buffer, "ping", 4), "UDP recvfrom: the datagram");
	check(sendto(server, "pong", 4, 0, SA(from), length) == 4, "UDP echo back to the sender");
	check(recv(client, buffer, sizeof(buffer), 0) == 4 && !memcmp(buffer, "pong", 4),
	      "UDP: the echo comes back");
	close(server);
	close(client);
}

// A child echoes what it reads until the end of the stream; the parent checks it.
static void tcp_two_processes(void)
{
	int l = listener(7100);
	pid_t child = fork();
	if (child == 0) {
		int s = accept(l, NULL, NULL);
		char buffer[4096];
		ssize_t n;
		while ((n = read(s, buffer, sizeof(buffer))) > 0)
			write(s, buffer, (size_t)n);
		_exit(n == 0 ? 0 : 1);
	}
	int c = connected(7100);
	static char out[200000], in[sizeof(out)];
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 31 + i / 977);
	size_t sent = 0, got = 0;
	while (sent < sizeof(out)) {	// the child echoes as we go: read as we write
		ssize_t n = write(c, out + sent, sizeof(out) - sent < 8192 ? sizeof(out) - sent : 8192);
		sent += n > 0 ? (size_t)n : 0;
		n = recv(c, in + got, sizeof(in) - got, MSG_DONTWAIT);
		got += n > 0 ? (size_t)n : 0;
		if (n < 0 && errno != EAGAIN)
			break;
	}
	shutdown(c, SHUT_WR);
	ssize_t n;
	while (got < sizeof(in) && (n = read(c, in + got, sizeof(in) - got)) > 0)
		got += (size_t)n;
	check(got == sizeof(in) && !memcmp(in, out, sizeof(in)),
	      "TCP between two processes: 200000 bytes echoed intact");
	int status = -1;
	waitpid(child, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child read the end of the stream");
	close(c);
	close(l);
}

static void errors(void)
{
	struct sockaddr_in closed = loopback(1);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	check(connect(c, SA(closed), sizeof(closed)) == -1 && errno == ECONNREFUSED,
	      "connect to a closed port: ECONNREFUSED");
	close(c);
	int l = listener(7200), other = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = loopback(7200);
	check(bind(other, SA(a), sizeof(a)) == -1 && errno == EADDRINUSE, "bind of a port in use: EADDRINUSE");
	check(bind(other, SA(a), 4) == -1 && errno == EINVAL, "bind with a short address: EINVAL");
	check(bind(other, (struct sockaddr *)8, sizeof(a)) == -1 && errno == EFAULT,
	      "bind with a bad pointer: EFAULT");
	check(send(other, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE,
	      "send on a socket never connected: EPIPE");
	close(other);
	// The peer goes with bytes unread: a reset. Then EPIPE, with SIGPIPE unless asked not.
	c = connected(7200);
	int s = accept(l, NULL, NULL);
	write(c, "unread", 6);
	usleep(100000);
	close(s);	// with bytes unread: Linux resets the connection
	usleep(100000);
	char byte;
	check(read(c, &byte, 1) == -1 && errno == ECONNRESET, "read after the peer's reset: ECONNRESET");
	signal(SIGPIPE, on_sigpipe);
	check(send(c, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE && sigpipes == 0,
	      "send after the reset with MSG_NOSIGNAL: EPIPE, no SIGPIPE");
	check(write(c, "x", 1) == -1 && errno == EPIPE && sigpipes == 1, "write after it: EPIPE and SIGPIPE");
	check(write(c, (void *)8, 1) == -1 && (errno == EFAULT || errno == EPIPE),
	      "write from a bad pointer: an error, nothing sent");
	close(c);
	close(l);
}

static void nonblocking_connect(void)
{
	int l = listener(7300), c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = loopback(7300);
	int r = connect(c, SA(a), sizeof(a));
	check(r == 0 || errno == EINPROGRESS, "nonblocking connect: EINPROGRESS (or at once)");
	struct pollfd p = { c, POLLOUT, 0 };
	check(poll(&p, 1, 5000) == 1 && (p.revents & POLLOUT), "poll: writable once connected");
	int error = -1;
	socklen_t length = sizeof(error);
	check(getsockopt(c, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0,
	      "SO_ERROR: 0");
	struct sockaddr_in peer;
	length = sizeof(peer);
	check(getpeername(c, SA(peer), &length) == 0 && peer.sin_port == htons(7300),
	      "getpeername: the listener's port");
	close(c);
	close(l);
}

// 200 connections opened and closed: no fd and no socket left behind.
static void many_connections(void)
{
	int l = listener(7400), failed = 0;
	int before = dup(0);
	close(before);
	for (int i = 0; i < 200 && !failed; i++) {
		int c = connected(7400), s = accept(l, NULL, NULL);
		failed = c < 0 || s < 0 || write(c, "x", 1) != 1;
		close(c);
		char byte;
		failed |= read(s, &byte, 1) != 1;
		close(s);
	}
	check(!failed, "200 connections opened, used and closed");
	int after = dup(0);
	close(after);
	check(after == before, "no fd left behind");
	close(l);
}

int main(void)
{
	udp_echo();
	tcp_two_processes();
	errors();
	nonblocking_connect();
	many_connections();
	return check_summary();
}
