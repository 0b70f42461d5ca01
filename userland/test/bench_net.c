// Instructions per 1-byte round trip between two processes over TCP on 127.0.0.1
// (tcp_loopback_rtt) and per MiB streamed between them the same way
// (tcp_loopback_instr_per_mib), as an unmodified musl program makes them (bench.h). lo is
// brought up first (SIOCSIFFLAGS), which Linux's initramfs leaves down.
#define _GNU_SOURCE
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

#define ROUNDS 500
#define MIBS 4
#define PORT 7777

static void loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
}

// A connected pair on 127.0.0.1 with TCP_NODELAY: *a the connecting end, *b the accepted.
static int pair(int *a, int *b)
{
	struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(PORT),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int l = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(l, (struct sockaddr *)&at, sizeof(at)) || listen(l, 1))
		return -1;
	*a = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(*a, (struct sockaddr *)&at, sizeof(at)) || (*b = accept(l, NULL, NULL)) < 0)
		return -1;
	setsockopt(*a, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	setsockopt(*b, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	return close(l);
}

// The child echoes (rtt) or drains (stream) b until the end of the stream.
static void child(int b, int echo)
{
	static char buffer[65536];
	ssize_t n;
	while ((n = read(b, buffer, echo ? 1 : sizeof(buffer))) > 0)
		if (echo && write(b, buffer, 1) != 1)
			break;
	_exit(0);
}

static int measure(int echo)
{
	int a, b;
	if (pair(&a, &b))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(a);
		child(b, echo);
	}
	close(b);
	static char buffer[1 << 20];
	char byte = 'x';
	int right = 0, rounds = echo ? ROUNDS : MIBS;
	uint64_t start = counter_ticks();
	for (int i = 0; i < rounds; i++) {
		if (echo)
			right += write(a, &byte, 1) == 1 && read(a, &byte, 1) == 1;
		else
			right += write(a, buffer, sizeof(buffer)) == (ssize_t)sizeof(buffer);
	}
	shutdown(a, SHUT_WR);
	int status;
	waitpid(pid, &status, 0);	// the stream's end read: every byte went through
	uint64_t ticks = counter_ticks() - start;
	close(a);
	if (right != rounds)
		return 1;
	bench_report(echo ? "tcp_loopback_rtt" : "tcp_loopback_instr_per_mib", ticks, rounds);
	return 0;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	bench_pin(0);
	loopback_up();
	return measure(1) | measure(0);
}
