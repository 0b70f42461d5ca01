// sendmmsg and recvmmsg as Linux's (recvmmsg(2), sendmmsg(2)), for unix_sockets.c: each
// entry waits as its recvmsg or sendmsg would, MSG_WAITFORONE waits for the first alone,
// a timeout is looked at after each datagram, a recvmmsg waiting across a restart of VFS
// (the rs command's call, which Linux answers ENOSYS) gets each datagram once, in order,
// a signal answers the entries done, an error after a datagram is kept for the next call.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/rs.h>

#define CHECK_PREFIX "unix_sockets: "
#include "check.h"
#include "unix_sockets.h"

#define ENTRIES 3
#define ROOM 8

struct receipt {
	char room[ENTRIES][ROOM];
	struct iovec rooms[ENTRIES];
	struct mmsghdr entries[ENTRIES];
};

static void receipt_ready(struct receipt *r)
{
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < ENTRIES; i++) {
		r->rooms[i] = (struct iovec){ r->room[i], ROOM };
		r->entries[i].msg_hdr = (struct msghdr){ .msg_iov = &r->rooms[i], .msg_iovlen = 1 };
	}
}

// Whether entry i of r holds the one byte `byte`.
static bool got(const struct receipt *r, int i, char byte)
{
	return r->entries[i].msg_len == 1 && r->room[i][0] == byte;
}

// Waits until fd's queue is empty: a receiver took what was sent.
static void until_taken(int fd)
{
	int queued = 1;
	while (ioctl(fd, FIONREAD, &queued) == 0 && queued > 0)
		usleep(1000);
}

// A child that sends each byte of bytes as a datagram on fd once the last was taken from
// taker; before the second, it kills VFS when kill_vfs (Linux: -ENOSYS).
static pid_t sender(int fd, int taker, const char *bytes, bool kill_vfs)
{
	pid_t child = fork();
	if (child == 0) {
		for (int i = 0; bytes[i]; i++) {
			if (i)
				until_taken(taker);
			if (i == 1 && kill_vfs)
				syscall(XINIM_SYSCALL_RS, XINIM_RS_KILL, XINIM_PID_VFS, 0);
			if (send(fd, &bytes[i], 1, 0) != 1)
				_exit(1);
		}
		_exit(0);
	}
	return child;
}

// A blocking recvmmsg on sv[1] of as many entries as a child sends bytes on sv[0], each
// once the last was taken: each in its entry, in order.
static void each_waited_for(int sv[2], const char bytes[ENTRIES + 1], bool kill_vfs,
			    const char *what)
{
	struct receipt r;
	receipt_ready(&r);
	pid_t child = sender(sv[0], sv[1], bytes, kill_vfs);
	check(recvmmsg(sv[1], r.entries, ENTRIES, 0, NULL) == ENTRIES && got(&r, 0, bytes[0]) &&
	      got(&r, 1, bytes[1]) && got(&r, 2, bytes[2]) && exited_well(child), what);
}

static void on_signal(int signal) { (void)signal; }

// A signal (its handler without SA_RESTART) while a recvmmsg on sv[1] waits for its second
// entry: the count of the first. (Linux then keeps the signal's error as the socket's,
// sk_err: nothing may receive on sv[1] after this.)
static void cut_short(int sv[2])
{
	struct sigaction action = { .sa_handler = on_signal }, before;
	sigaction(SIGUSR1, &action, &before);
	struct receipt r;
	receipt_ready(&r);
	pid_t parent = getpid(), child = fork();
	if (child == 0) {
		send(sv[0], "s", 1, 0);
		until_taken(sv[1]);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	check(recvmmsg(sv[1], r.entries, ENTRIES, 0, NULL) == 1 && got(&r, 0, 's') &&
	      exited_well(child), "a signal while a later entry waits: the count of those before");
	sigaction(SIGUSR1, &before, NULL);
}

static void receives_wait(void)
{
	int sv[2];
	struct receipt r;
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	each_waited_for(sv, "123", false,
			"recvmmsg waits for each entry, each datagram sent once the last was taken");
	receipt_ready(&r);
	send(sv[0], "a", 1, 0);
	check(recvmmsg(sv[1], r.entries, ENTRIES, MSG_WAITFORONE, NULL) == 1 && got(&r, 0, 'a'),
	      "MSG_WAITFORONE: the first, then only what is queued");
	receipt_ready(&r);
	send(sv[0], "b", 1, 0);
	send(sv[0], "c", 1, 0);
	struct timespec expired = { 0, 0 };
	char byte = 0;
	check(recvmmsg(sv[1], r.entries, ENTRIES, 0, &expired) == 1 && got(&r, 0, 'b') &&
	      expired.tv_sec == 0 && expired.tv_nsec == 0 &&
	      recv(sv[1], &byte, 1, MSG_DONTWAIT) == 1 && byte == 'c',
	      "a timeout is looked at after each datagram: one gone returns the first alone");
	each_waited_for(sv, "xyz", true,
			"a recvmmsg waiting while VFS restarts: each datagram once, in order");
	cut_short(sv);
	close(sv[0]);
	close(sv[1]);
}

// The second entry on a page not mapped: the first datagram is the count, -EFAULT is kept
// for the next receive (Linux's sk_err), then the second datagram comes. (The system call
// itself: musl's recvmmsg writes to every entry before it.)
static void error_kept(void)
{
	int sv[2];
	long page = sysconf(_SC_PAGESIZE);
	char *pages = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pages + page, (size_t)page);
	struct mmsghdr *entry = (struct mmsghdr *)(pages + page) - 1;
	char room[ROOM], byte = 0;
	struct iovec v = { room, ROOM };
	*entry = (struct mmsghdr){ .msg_hdr = { .msg_iov = &v, .msg_iovlen = 1 } };
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	send(sv[0], "d", 1, 0);
	send(sv[0], "e", 1, 0);
	int error = -1;
	socklen_t length = sizeof(error);
	check(syscall(SYS_recvmmsg, sv[1], entry, 2, MSG_DONTWAIT, NULL) == 1 && entry->msg_len == 1 &&
	      room[0] == 'd' && recv(sv[1], &byte, 1, MSG_DONTWAIT) == -1 && errno == EFAULT &&
	      getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0 &&
	      recv(sv[1], &byte, 1, MSG_DONTWAIT) == 1 && byte == 'e',
	      "an error after a datagram: the count, the error kept for the next receive");
	send(sv[0], "f", 1, 0);
	check(syscall(SYS_recvmmsg, sv[1], entry, 2, MSG_DONTWAIT, NULL) == 1 &&
	      recvmmsg(sv[1], entry, 1, MSG_DONTWAIT, NULL) == -1 && errno == EFAULT,
	      "and recvmmsg answers the kept error first");
	munmap(pages, (size_t)page);
	close(sv[0]);
	close(sv[1]);
}

// A full queue: each entry of a blocking sendmmsg waits for room, as sendmsg would. The
// datagrams are so big that XINIM's queue (64 KiB) holds one: the second entry finds it
// full whenever the first went, and must wait. (The system call itself: musl's sendmmsg
// is a loop of sendmsg.)
static void sends_wait(void)
{
	int sv[2], sent = 0;
	static char block[40000];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	while (send(sv[0], block, sizeof(block), MSG_DONTWAIT) == (ssize_t)sizeof(block))
		sent++;
	bool full = errno == EAGAIN;
	pid_t child = fork();
	if (child == 0) {
		int taken = 0;
		while (taken < sent + 2 && recv(sv[1], block, sizeof(block), 0) == sizeof(block))
			taken++;
		_exit(taken == sent + 2 ? 0 : 1);
	}
	struct iovec v = { block, sizeof(block) };
	struct mmsghdr out[2] = { { .msg_hdr = { .msg_iov = &v, .msg_iovlen = 1 } },
				  { .msg_hdr = { .msg_iov = &v, .msg_iovlen = 1 } } };
	check(full && syscall(SYS_sendmmsg, sv[0], out, 2, 0) == 2 && out[0].msg_len == sizeof(block) &&
	      out[1].msg_len == sizeof(block) && exited_well(child),
	      "sendmmsg into a full queue: each entry waits for room");
	close(sv[0]);
	close(sv[1]);
}

int mmsg_checks(void)
{
	receives_wait();
	error_kept();
	sends_wait();
	return failures;
}
