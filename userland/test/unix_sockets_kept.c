// What an AF_UNIX socket keeps for later, as Linux's af_unix.c does, for unix_sockets.c:
// the rights of a message a MSG_PEEK saw (the peeker gets new fds of the same files, the
// receive after it gets them too: unix_peek_fds), and the name of a peer that closed
// (unix_getname names unix_peer, which the peer's release leaves to the survivor; a
// datagram socket's goes with the send that finds the peer gone).
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK_PREFIX "unix_sockets: "
#include "check.h"
#include "unix_sockets.h"

union rights_room {
	struct cmsghdr h;
	char room[CMSG_SPACE(sizeof(int))];
};

static void send_fd(int sock, int fd)
{
	union rights_room control = { 0 };
	struct iovec v = { "r", 1 };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = control.room,
			    .msg_controllen = sizeof(control.room) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	*h = (struct cmsghdr){ .cmsg_len = CMSG_LEN(sizeof(int)), .cmsg_level = SOL_SOCKET,
			       .cmsg_type = SCM_RIGHTS };
	memcpy(CMSG_DATA(h), &fd, sizeof(fd));
	sendmsg(sock, &m, 0);
}

// The fd a receive with flags got from sock's next message, or -1.
static int received_fd(int sock, int flags)
{
	union rights_room control = { 0 };
	char byte;
	struct iovec v = { &byte, 1 };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = control.room,
			    .msg_controllen = sizeof(control.room) };
	int fd = -1;
	struct cmsghdr *h = recvmsg(sock, &m, flags) == 1 ? CMSG_FIRSTHDR(&m) : NULL;
	if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(fd));
	return fd;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_ino == sb.st_ino &&
	       sa.st_dev == sb.st_dev;
}

static void peeked_rights(int type, const char *peeked_what, const char *taken_what)
{
	int sv[2], p[2];
	char text[8] = { 0 };
	socketpair(AF_UNIX, type, 0, sv);
	pipe(p);
	send_fd(sv[0], p[0]);
	close(p[0]);	// in flight alone
	write(p[1], "kept", 4);
	int peeked = received_fd(sv[1], MSG_PEEK);
	check(peeked >= 0 && same_file(peeked, p[1]), peeked_what);
	close(peeked);
	int taken = received_fd(sv[1], 0);
	check(taken >= 0 && taken != p[1] && same_file(taken, p[1]) && read(taken, text, 4) == 4 &&
	      strcmp(text, "kept") == 0, taken_what);
	close(taken);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

// getpeername's answer: the name's length and path (its family checked), or -1 and errno.
static int peer_name(int sock, char *path)
{
	struct sockaddr_un name = { 0 };
	socklen_t length = sizeof(name);
	if (getpeername(sock, (struct sockaddr *)&name, &length))
		return -1;
	strcpy(path, name.sun_path);
	return name.sun_family == AF_UNIX ? (int)length : -1;
}

// A connection to a listener whose accepted side closes: the connector still names it
// (the listener's path, which the accepted side was given).
static void peer_gone(int type, const char *what)
{
	socklen_t length;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct sockaddr_un a = path_address("/tmp/peer-gone", &length);
	int listener = socket(AF_UNIX, type, 0), c = socket(AF_UNIX, type, 0);
	bind(listener, (struct sockaddr *)&a, length);
	listen(listener, 1);
	connect(c, (struct sockaddr *)&a, length);
	close(accept(listener, NULL, NULL));
	check(peer_name(c, path) == (int)length && strcmp(path, "/tmp/peer-gone") == 0, what);
	close(c);
	close(listener);
	unlink("/tmp/peer-gone");
}

static void names_of_peers_gone(void)
{
	peer_gone(SOCK_STREAM, "getpeername after the peer closed (SOCK_STREAM): still its name");
	peer_gone(SOCK_SEQPACKET, "getpeername after the peer closed (SOCK_SEQPACKET): still its name");
	int sv[2];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[0]);
	check(peer_name(sv[1], path) == sizeof(sa_family_t),
	      "a socketpair's peer closed: getpeername still answers, unnamed");
	close(sv[1]);
	socklen_t length;
	struct sockaddr_un a = path_address("/tmp/dgram-gone", &length);
	int gone = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(gone, (struct sockaddr *)&a, length);
	connect(s, (struct sockaddr *)&a, length);
	close(gone);
	check(peer_name(s, path) == (int)length && strcmp(path, "/tmp/dgram-gone") == 0 &&
	      send(s, "x", 1, 0) == -1 && errno == ECONNREFUSED && peer_name(s, path) == -1 &&
	      errno == ENOTCONN,
	      "a connected SOCK_DGRAM's peer closed: named until a send is refused, then ENOTCONN");
	close(s);
	unlink("/tmp/dgram-gone");
}

int kept_checks(void)
{
	peeked_rights(SOCK_STREAM, "MSG_PEEK with SCM_RIGHTS (SOCK_STREAM): a new fd of the file",
		      "the rights stay queued: the receive after the peek gets them too");
	peeked_rights(SOCK_DGRAM, "MSG_PEEK with SCM_RIGHTS (SOCK_DGRAM): a new fd of the file",
		      "a datagram's rights stay queued for the receive after the peek");
	names_of_peers_gone();
	return failures;
}
