// AF_UNIX sockets (docs/vfs.md, Sockets), run as PID 1 (tests/boot/unix_sockets.sh):
// stream echo over a socketpair and over a bound path, datagrams, packets' boundaries,
// SCM_RIGHTS passing a pipe's fd, poll and epoll readiness, EPIPE with SIGPIPE and
// MSG_NOSIGNAL, the errors of bad input, non-blocking sockets, options, and last 8 MiB
// through a socketpair between two processes (the transfer during which the test's
// second run kills VFS); then unix_sockets_mmsg.c's and unix_sockets_kept.c's checks. It
// prints each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_PREFIX "unix_sockets: "
#include "check.h"
#include "unix_sockets.h"

#define BAD_POINTER ((void *)16)	// below every mapping

static volatile sig_atomic_t caught;
static void on_signal(int signal) { caught = signal; }

// A child that echoes what fd gives until the end, then exits.
static pid_t echo_child(int fd, int other)
{
	pid_t child = fork();
	if (child == 0) {
		close(other);
		char buffer[512];
		ssize_t n;
		while ((n = read(fd, buffer, sizeof(buffer))) > 0)
			if (write(fd, buffer, (size_t)n) != n)
				_exit(1);
		_exit(n == 0 ? 0 : 2);
	}
	return child;
}

static void pairs(void)
{
	int sv[2];
	check(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0 &&
	      fcntl(sv[0], F_GETFD) == FD_CLOEXEC && fcntl(sv[1], F_GETFD) == FD_CLOEXEC,
	      "socketpair with SOCK_CLOEXEC");
	struct stat st;
	check(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode) && lseek(sv[0], 0, SEEK_SET) == -1 &&
	      errno == ESPIPE, "a socket is S_IFSOCK, not seekable");
	char link[64] = { 0 }, path[32];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", sv[0]);
	check(readlink(path, link, sizeof(link) - 1) > 0 && strncmp(link, "socket:[", 8) == 0,
	      "/proc/self/fd/N of a socket: socket:[inode]");
	pid_t child = echo_child(sv[1], sv[0]);
	close(sv[1]);
	char buffer[64] = { 0 };
	check(write(sv[0], "hello", 5) == 5 && read(sv[0], buffer, sizeof(buffer)) == 5 &&
	      memcmp(buffer, "hello", 5) == 0, "stream echo over a socketpair with another process");
	check(send(sv[0], "again", 5, 0) == 5 && recv(sv[0], buffer, 5, MSG_WAITALL) == 5 &&
	      memcmp(buffer, "again", 5) == 0, "send and recv over it");
	close(sv[0]);
	check(exited_well(child), "the echo ends at the end of the stream");
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	int available = -1;
	check(write(sv[0], "abcdef", 6) == 6 && recv(sv[1], buffer, 3, MSG_PEEK) == 3 &&
	      ioctl(sv[1], FIONREAD, &available) == 0 && available == 6 &&
	      read(sv[1], buffer, 6) == 6 && memcmp(buffer, "abcdef", 6) == 0,
	      "MSG_PEEK leaves the bytes, FIONREAD counts them");
	check(shutdown(sv[0], SHUT_WR) == 0 && read(sv[1], buffer, 6) == 0 &&
	      write(sv[1], "back", 4) == 4 && read(sv[0], buffer, 4) == 4,
	      "shutdown(SHUT_WR): the peer reads the end, and still writes back");
	close(sv[0]);
	close(sv[1]);
}

static void waitall(void)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid_t child = fork();
	if (child == 0) {
		for (int i = 0; i < 4; i++) {
			usleep(20000);
			write(sv[1], "ab", 2);
		}
		_exit(0);
	}
	char buffer[8];
	check(recv(sv[0], buffer, 8, MSG_WAITALL) == 8 && memcmp(buffer, "abababab", 8) == 0 &&
	      exited_well(child), "MSG_WAITALL: all 8 bytes of four writes");
	close(sv[0]);
	close(sv[1]);
}

static void named(void)
{
	socklen_t length;
	struct sockaddr_un a = path_address("/tmp/listener", &length);
	int listener = socket(AF_UNIX, SOCK_STREAM, 0);
	check(listener >= 0 && bind(listener, (struct sockaddr *)&a, length) == 0 &&
	      listen(listener, 4) == 0, "socket, bind to a path, listen");
	struct stat st;
	check(stat("/tmp/listener", &st) == 0 && S_ISSOCK(st.st_mode), "bind made an S_IFSOCK node");
	int again = socket(AF_UNIX, SOCK_STREAM, 0);
	check(bind(again, (struct sockaddr *)&a, length) == -1 && errno == EADDRINUSE,
	      "a second bind to the path: EADDRINUSE");
	check(bind(listener, (struct sockaddr *)&a, length) == -1 && errno == EINVAL,
	      "binding a bound socket again: EINVAL");
	pid_t child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, length) != 0)
			_exit(1);
		char buffer[16];
		if (write(c, "ping", 4) != 4 || read(c, buffer, sizeof(buffer)) != 4 ||
		    memcmp(buffer, "pong", 4) != 0)
			_exit(2);
		_exit(0);
	}
	struct sockaddr_un peer;
	socklen_t peer_length = sizeof(peer);
	int served = accept4(listener, (struct sockaddr *)&peer, &peer_length, SOCK_CLOEXEC);
	char buffer[16];
	check(served >= 0 && peer_length == sizeof(sa_family_t) && peer.sun_family == AF_UNIX &&
	      fcntl(served, F_GETFD) == FD_CLOEXEC, "accept4: an unnamed peer, SOCK_CLOEXEC");
	check(read(served, buffer, sizeof(buffer)) == 4 && memcmp(buffer, "ping", 4) == 0 &&
	      write(served, "pong", 4) == 4 && exited_well(child),
	      "echo over a bound path with listen, accept, connect");
	struct sockaddr_un name;
	socklen_t name_length = sizeof(name);
	check(getsockname(served, (struct sockaddr *)&name, &name_length) == 0 &&
	      name_length == length && strcmp(name.sun_path, "/tmp/listener") == 0,
	      "getsockname of the accepted socket: the listener's path");
	struct ucred cred;
	socklen_t cred_length = sizeof(cred);
	check(getsockopt(served, SOL_SOCKET, SO_PEERCRED, &cred, &cred_length) == 0 &&
	      cred_length == sizeof(cred) && cred.pid == child && cred.uid == 0,
	      "SO_PEERCRED: the connecting process");
	close(served);
	int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int filled = 0;
	while (connect(c, (struct sockaddr *)&a, length) == 0 && filled < 20) {
		filled++;
		close(c);
		c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	}
	check(filled == 5 && errno == EAGAIN, "a full backlog with O_NONBLOCK: EAGAIN");
	close(c);
	close(listener);
	check(connect(again, (struct sockaddr *)&a, length) == -1 && errno == ECONNREFUSED,
	      "connect to a path whose socket is closed: ECONNREFUSED");
	check(unlink("/tmp/listener") == 0 && bind(again, (struct sockaddr *)&a, length) == 0 &&
	      unlink("/tmp/listener") == 0, "unlink takes the name away: bind again");
	close(again);
	struct sockaddr_un none = path_address("/tmp/nobody", &length);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	check(connect(c, (struct sockaddr *)&none, length) == -1 && errno == ENOENT,
	      "connect to no such path: ENOENT");
	close(c);
}

static void abstract(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "\0xinim-test" };
	socklen_t length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 11);
	int listener = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	check(connect(c, (struct sockaddr *)&a, length) == -1 && errno == ECONNREFUSED,
	      "connect to an abstract name nobody has: ECONNREFUSED");
	check(bind(listener, (struct sockaddr *)&a, length) == 0 && listen(listener, 1) == 0 &&
	      connect(c, (struct sockaddr *)&a, length) == 0, "an abstract name: bind, connect");
	int served = accept(listener, NULL, NULL);
	struct sockaddr_un name;
	socklen_t name_length = sizeof(name);
	check(getpeername(c, (struct sockaddr *)&name, &name_length) == 0 && name_length == length &&
	      memcmp(name.sun_path, "\0xinim-test", 11) == 0, "getpeername: the abstract name");
	char buffer[16];
	check(send(c, "one", 3, 0) == 3 && send(c, "two!", 4, 0) == 4 &&
	      recv(served, buffer, sizeof(buffer), 0) == 3 && recv(served, buffer, 2, 0) == 2,
	      "SOCK_SEQPACKET keeps each packet's bounds");
	struct iovec v = { buffer, 2 };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };
	check(send(c, "three", 5, 0) == 5 && recvmsg(served, &m, 0) == 2 && (m.msg_flags & MSG_TRUNC),
	      "a packet cut short: MSG_TRUNC");
	close(c);
	check(recv(served, buffer, sizeof(buffer), 0) == 0, "the peer gone: the end");
	close(served);
	close(listener);
}

static void datagrams(void)
{
	int sv[2];
	char buffer[64];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	check(send(sv[0], "a", 1, 0) == 1 && send(sv[0], "bcd", 3, 0) == 3 &&
	      recv(sv[1], buffer, sizeof(buffer), 0) == 1 && recv(sv[1], buffer, sizeof(buffer), 0) == 3,
	      "SOCK_DGRAM over a socketpair: each datagram whole");
	check(send(sv[0], "truncated", 9, 0) == 9 && recv(sv[1], buffer, 4, MSG_TRUNC) == 9,
	      "recv with MSG_TRUNC gives a datagram's whole length");
	struct iovec parts[3] = { { "one", 3 }, { "three", 5 }, { "two", 3 } };
	struct mmsghdr out[3] = { { .msg_hdr = { .msg_iov = &parts[0], .msg_iovlen = 1 } },
				  { .msg_hdr = { .msg_iov = &parts[1], .msg_iovlen = 1 } },
				  { .msg_hdr = { .msg_iov = &parts[2], .msg_iovlen = 1 } } };
	char room[3][8];
	struct iovec rooms[3] = { { room[0], 8 }, { room[1], 8 }, { room[2], 8 } };
	struct mmsghdr in[3] = { { .msg_hdr = { .msg_iov = &rooms[0], .msg_iovlen = 1 } },
				 { .msg_hdr = { .msg_iov = &rooms[1], .msg_iovlen = 1 } },
				 { .msg_hdr = { .msg_iov = &rooms[2], .msg_iovlen = 1 } } };
	check(sendmmsg(sv[0], out, 3, 0) == 3 && out[1].msg_len == 5 &&
	      recvmmsg(sv[1], in, 3, MSG_WAITFORONE, NULL) == 3 && in[0].msg_len == 3 &&
	      in[1].msg_len == 5 && in[2].msg_len == 3 && memcmp(room[1], "three", 5) == 0,
	      "sendmmsg and recvmmsg: three datagrams, each its length");
	check(recvmmsg(sv[1], in, 3, MSG_DONTWAIT, NULL) == -1 && errno == EAGAIN,
	      "recvmmsg with nothing queued, MSG_DONTWAIT: EAGAIN");
	close(sv[0]);
	close(sv[1]);
	socklen_t length, from_length;
	struct sockaddr_un server = path_address("/tmp/dgram-server", &length);
	struct sockaddr_un client = path_address("/tmp/dgram-client", &from_length);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), c = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(s, (struct sockaddr *)&server, length);
	bind(c, (struct sockaddr *)&client, from_length);
	struct sockaddr_un from;
	socklen_t got_length = sizeof(from);
	check(sendto(c, "hi", 2, 0, (struct sockaddr *)&server, length) == 2 &&
	      recvfrom(s, buffer, sizeof(buffer), 0, (struct sockaddr *)&from, &got_length) == 2 &&
	      got_length == from_length && strcmp(from.sun_path, "/tmp/dgram-client") == 0,
	      "sendto a bound path, recvfrom names the sender");
	check(sendto(s, "back", 4, 0, (struct sockaddr *)&from, got_length) == 4 &&
	      recv(c, buffer, sizeof(buffer), 0) == 4, "and the answer goes back to it");
	check(send(c, "x", 1, 0) == -1 && errno == ENOTCONN, "send without a peer: ENOTCONN");
	close(s);
	check(sendto(c, "x", 1, 0, (struct sockaddr *)&server, length) == -1 && errno == ECONNREFUSED,
	      "sendto a name whose socket is closed: ECONNREFUSED");
	close(c);
	unlink("/tmp/dgram-server");
	unlink("/tmp/dgram-client");
}

static void rights(void)
{
	int sv[2], p[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	union {
		struct cmsghdr h;
		char room[CMSG_SPACE(sizeof(int))];
	} control = { 0 };
	struct iovec v = { "r", 1 };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = control.room,
			    .msg_controllen = sizeof(control.room) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &p[0], sizeof(int));
	check(sendmsg(sv[0], &m, 0) == 1, "sendmsg with SCM_RIGHTS of a pipe's read end");
	close(p[0]);	// in flight: the pipe keeps its reader
	check(write(p[1], "through", 7) == 7, "the pipe's reader lives on in flight");
	char byte, text[16] = { 0 };
	memset(&control, 0, sizeof(control));
	v = (struct iovec){ &byte, 1 };
	m = (struct msghdr){ .msg_iov = &v, .msg_iovlen = 1, .msg_control = control.room,
			     .msg_controllen = sizeof(control.room) };
	ssize_t n = recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC);
	h = CMSG_FIRSTHDR(&m);
	int fd = -1;
	if (h && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(fd));
	check(n == 1 && fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC && read(fd, text, 7) == 7 &&
	      strcmp(text, "through") == 0, "recvmsg installs it: the pipe's bytes read through it");
	close(fd);
	memset(&control, 0, sizeof(control));
	v = (struct iovec){ "s", 1 };
	m = (struct msghdr){ .msg_iov = &v, .msg_iovlen = 1, .msg_control = control.room,
			     .msg_controllen = sizeof(control.room) };
	h = CMSG_FIRSTHDR(&m);
	*h = (struct cmsghdr){ .cmsg_len = CMSG_LEN(sizeof(int)), .cmsg_level = SOL_SOCKET,
			       .cmsg_type = SCM_RIGHTS };
	int bad = 99;
	memcpy(CMSG_DATA(h), &bad, sizeof(int));
	check(sendmsg(sv[0], &m, 0) == -1 && errno == EBADF, "SCM_RIGHTS of an fd not open: EBADF");
	pipe(p);
	memcpy(CMSG_DATA(h), &p[0], sizeof(int));
	sendmsg(sv[0], &m, 0);
	close(p[0]);
	check(recv(sv[1], &byte, 1, 0) == 1, "a receive without room for rights");
	struct pollfd writer = { p[1], POLLOUT, 0 };
	check(poll(&writer, 1, 0) == 1 && (writer.revents & POLLERR),
	      "closes them: the pipe has no reader left");
	close(p[1]);
	pipe(p);
	memcpy(CMSG_DATA(h), &p[0], sizeof(int));
	sendmsg(sv[0], &m, 0);
	close(p[0]);
	close(sv[1]);	// its queue held the right
	writer = (struct pollfd){ p[1], POLLOUT, 0 };
	check(poll(&writer, 1, 0) == 1 && (writer.revents & POLLERR),
	      "a socket closed with rights unread closes them");
	close(p[1]);
	close(sv[0]);
}

static void readiness(void)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct pollfd fds[2] = { { sv[0], POLLIN | POLLOUT, 0 }, { sv[1], POLLIN, 0 } };
	check(poll(fds, 2, 0) == 1 && fds[0].revents == POLLOUT && fds[1].revents == 0,
	      "poll: writable, nothing to read");
	write(sv[0], "x", 1);
	check(poll(fds, 2, 0) == 2 && fds[1].revents == POLLIN, "poll: readable once written");
	int e = epoll_create1(0);
	struct epoll_event event = { .events = EPOLLIN | EPOLLRDHUP, .data.u32 = 7 }, got;
	epoll_ctl(e, EPOLL_CTL_ADD, sv[1], &event);
	check(epoll_wait(e, &got, 1, 0) == 1 && got.events == EPOLLIN && got.data.u32 == 7,
	      "epoll: readable");
	char byte;
	read(sv[1], &byte, 1);
	check(epoll_wait(e, &got, 1, 0) == 0, "epoll: nothing once read");
	pid_t child = fork();
	if (child == 0) {
		usleep(50000);
		write(sv[0], "y", 1);
		_exit(0);
	}
	check(epoll_wait(e, &got, 1, 5000) == 1 && got.events == EPOLLIN && exited_well(child),
	      "epoll_wait woken by another process's write");
	read(sv[1], &byte, 1);
	close(sv[0]);
	check(epoll_wait(e, &got, 1, 0) == 1 && (got.events & EPOLLRDHUP) && (got.events & EPOLLHUP),
	      "the peer gone: EPOLLRDHUP and EPOLLHUP");
	close(e);
	close(sv[1]);
}

static void broken(void)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[1]);
	signal(SIGPIPE, on_signal);
	caught = 0;
	check(write(sv[0], "x", 1) == -1 && errno == EPIPE && caught == SIGPIPE,
	      "a write to a stream whose peer is gone: SIGPIPE, then EPIPE");
	caught = 0;
	check(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE && caught == 0,
	      "MSG_NOSIGNAL: EPIPE without SIGPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(sv[0]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[1], "unread", 6);
	close(sv[0]);	// with bytes unread: the peer is reset
	char byte;
	check(read(sv[1], &byte, 1) == -1 && errno == ECONNRESET,
	      "a peer closed with bytes unread: ECONNRESET");
	close(sv[1]);
}

static void nonblocking(void)
{
	int sv[2];
	char byte;
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	check(read(sv[0], &byte, 1) == -1 && errno == EAGAIN &&
	      (fcntl(sv[0], F_GETFL) & O_NONBLOCK), "SOCK_NONBLOCK: an empty socket's read is EAGAIN");
	static char block[4096];
	long total = 0, n;
	while ((n = write(sv[0], block, sizeof(block))) > 0)
		total += n;
	check(n == -1 && errno == EAGAIN && total > 0, "a full socket: EAGAIN");
	close(sv[0]);
	close(sv[1]);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	check(recv(sv[0], &byte, 1, MSG_DONTWAIT) == -1 && errno == EAGAIN, "MSG_DONTWAIT: EAGAIN");
	int on = 1;
	check(ioctl(sv[0], FIONBIO, &on) == 0 && (fcntl(sv[0], F_GETFL) & O_NONBLOCK) &&
	      recv(sv[0], &byte, 1, 0) == -1 && errno == EAGAIN, "FIONBIO sets O_NONBLOCK");
	struct timeval t = { 0, 50000 };
	check(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &t, sizeof(t)) == 0 &&
	      recv(sv[1], &byte, 1, 0) == -1 && errno == EAGAIN, "SO_RCVTIMEO: EAGAIN after the time");
	struct sigaction action = { .sa_handler = on_signal };
	sigaction(SIGALRM, &action, NULL);	// no SA_RESTART
	caught = 0;
	alarm(1);
	int s2[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, s2);
	check(read(s2[0], &byte, 1) == -1 && errno == EINTR && caught == SIGALRM,
	      "a blocked read cut short by a signal: EINTR");
	close(s2[0]);
	close(s2[1]);
	close(sv[0]);
	close(sv[1]);
}

static void options(void)
{
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), value = 0;
	socklen_t length = sizeof(value);
	check(getsockopt(s, SOL_SOCKET, SO_TYPE, &value, &length) == 0 && value == SOCK_DGRAM &&
	      length == sizeof(int), "SO_TYPE");
	value = 4096;
	check(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &value, sizeof(value)) == 0 &&
	      getsockopt(s, SOL_SOCKET, SO_RCVBUF, &value, &length) == 0 && value == 8192,
	      "SO_RCVBUF set is doubled, as Linux's");
	check(getsockopt(s, SOL_SOCKET, SO_ERROR, &value, &length) == 0 && value == 0, "SO_ERROR");
	check(setsockopt(s, SOL_SOCKET, 9999, &value, sizeof(value)) == -1 && errno == ENOPROTOOPT,
	      "an unknown option: ENOPROTOOPT");
	check(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &value, 2) == -1 && errno == EINVAL,
	      "an option too short: EINVAL");
	close(s);
}

static void bad_input(void)
{
	check(socket(AF_INET6, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT &&
	      socket(AF_PACKET, SOCK_RAW, 0) == -1 && errno == EAFNOSUPPORT &&
	      socket(AF_NETLINK, SOCK_RAW, 0) == -1 && errno == EAFNOSUPPORT,
	      "AF_INET6, AF_PACKET, AF_NETLINK: EAFNOSUPPORT");
	check(socket(AF_UNIX, 0x7fff0, 0) == -1 && errno == EINVAL, "unknown type flags: EINVAL");
	check(socket(AF_UNIX, SOCK_STREAM, 7) == -1 && errno == EPROTONOSUPPORT,
	      "an unknown protocol: EPROTONOSUPPORT");
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	char byte;
	check(send(fd, "x", 1, 0) == -1 && errno == ENOTSOCK && listen(fd, 1) == -1 &&
	      errno == ENOTSOCK, "a file that is no socket: ENOTSOCK");
	close(fd);
	check(send(99, "x", 1, 0) == -1 && errno == EBADF && shutdown(99, SHUT_RD) == -1 &&
	      errno == EBADF, "an fd not open: EBADF");
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	check(send(sv[0], BAD_POINTER, 4, 0) == -1 && errno == EFAULT &&
	      recv(sv[1], &byte, 1, MSG_DONTWAIT) == -1 && errno == EAGAIN,
	      "send from a bad pointer: EFAULT, nothing sent");
	write(sv[0], "z", 1);
	check(recv(sv[1], BAD_POINTER, 1, 0) == -1 && errno == EFAULT && read(sv[1], &byte, 1) == 1 &&
	      byte == 'z', "recv into a bad pointer: EFAULT, the byte still there");
	check(shutdown(sv[0], 7) == -1 && errno == EINVAL, "shutdown's bad how: EINVAL");
	check(socketpair(AF_UNIX, SOCK_STREAM, 0, BAD_POINTER) == -1 && errno == EFAULT,
	      "socketpair into a bad pointer: EFAULT");
	close(sv[0]);
	close(sv[1]);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	check(bind(s, BAD_POINTER, sizeof(a)) == -1 && errno == EFAULT, "bind of a bad pointer: EFAULT");
	check(bind(s, (struct sockaddr *)&a, 200) == -1 && errno == EINVAL &&
	      connect(s, (struct sockaddr *)&a, 1) == -1 && errno == EINVAL,
	      "addresses too long or short: EINVAL");
	a.sun_family = AF_INET;
	check(connect(s, (struct sockaddr *)&a, sizeof(a)) == -1 && errno == EINVAL,
	      "an address of another family: EINVAL");
	check(listen(socket(AF_UNIX, SOCK_DGRAM, 0), 1) == -1 && errno == EOPNOTSUPP,
	      "listen on a datagram socket: EOPNOTSUPP");
	check(accept(s, NULL, NULL) == -1 && errno == EINVAL, "accept on a socket not listening: EINVAL");
	close(s);
}

// 200 connections opened and closed: the fds and the sockets come back.
static void many(void)
{
	socklen_t length;
	struct sockaddr_un a = path_address("/tmp/many", &length);
	int listener = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(listener, (struct sockaddr *)&a, length);
	listen(listener, 8);
	int first = -1, last = -1, bad = 0;
	for (int i = 0; i < 200; i++) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		bad += connect(c, (struct sockaddr *)&a, length) != 0;
		int s = accept(listener, NULL, NULL);
		char byte = (char)i, got = 0;
		bad += write(c, &byte, 1) != 1 || read(s, &got, 1) != 1 || got != byte;
		close(c);
		close(s);
		first = i == 0 ? c : first;
		last = c;
	}
	check(!bad && first == last, "200 connections opened and closed, no fd left behind");
	close(listener);
	unlink("/tmp/many");
}

// 8 MiB through a socketpair from a child that writes in odd sizes: every byte in order.
static void streaming(void)
{
	int sv[2];
	const uint32_t total = 8u << 20;
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid_t child = fork();
	if (child == 0) {
		close(sv[0]);
		static uint8_t chunk[70000];
		uint32_t at = 0;
		for (int sizes[] = { 1, 4096, 70000, 333 }, i = 0; at < total; i = (i + 1) % 4) {
			uint32_t n = (uint32_t)sizes[i] < total - at ? (uint32_t)sizes[i] : total - at;
			for (uint32_t j = 0; j < n; j++)
				chunk[j] = (uint8_t)((at + j) * 7 + 3);
			if (send(sv[1], chunk, n, 0) != (ssize_t)n)
				_exit(1);
			at += n;
		}
		_exit(0);
	}
	close(sv[1]);
	static uint8_t got[65536];
	uint32_t at = 0, wrong = 0;
	ssize_t n;
	while ((n = recv(sv[0], got, sizeof(got), 0)) > 0)
		for (ssize_t j = 0; j < n; j++, at++)
			wrong += got[j] != (uint8_t)(at * 7 + 3);
	check(at == total && !wrong && exited_well(child),
	      "8 MiB between two processes, in order, each send whole");
	close(sv[0]);
}

int main(void)
{
	mkdir("/tmp", 01777);
	pairs();
	waitall();
	named();
	abstract();
	datagrams();
	rights();
	readiness();
	broken();
	nonblocking();
	options();
	bad_input();
	many();
	streaming();
	failures += mmsg_checks();
	failures += kept_checks();
	return check_summary();
}
