// NET's death under AF_INET sockets (docs/net.md, What a restart keeps), run as PID 1
// (tests/boot/inet_restart.sh), a listener, an open connection and a receive blocked on
// it standing:
//   inet_restart        `rs kill net` while NET waits for a message: lwIP's memory is
//                       whole, and the next NET goes on in it. The fds stay valid, the
//                       blocked receive gets the byte sent after the death, the
//                       connection carries bytes both ways, the listener listens on.
//   inet_restart crash  NET crashes at a request it was given (inject=net:crash:N) while
//                       the connection echoes: lwIP's memory was in use, the next NET
//                       starts it again, and the connection ends with ECONNRESET, never
//                       a hang; the fds stay valid and the listener listens on.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/rs.h>

#define CHECK_PREFIX "inet_restart: "
#include "check.h"

#define PORT 7100
#define ECHO_ROUNDS 20000	// more requests to NET than inject=net:crash:N's N

static struct sockaddr_in loopback(uint16_t port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
}

static bool echoed(int listener)
{
	struct sockaddr_in a = loopback(PORT);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)))
		return false;
	int s = accept(listener, NULL, NULL);
	char byte = 0;
	bool ok = s >= 0 && write(c, "e", 1) == 1 && read(s, &byte, 1) == 1 && byte == 'e';
	close(s);
	close(c);
	return ok;
}

// A child blocked in a receive on s across the death: its exit status, 0 if it read the
// byte `want` (or, want 0, ended with ECONNRESET).
static pid_t blocked_receive(int s, char want)
{
	pid_t child = fork();
	if (child == 0) {
		char byte;
		ssize_t n = read(s, &byte, 1);
		bool right = want ? n == 1 && byte == want : n == -1 && errno == ECONNRESET;
		_exit(right ? 0 : n == 0 ? 3 : 2);
	}
	usleep(50000);
	return child;
}

static bool child_ok(pid_t child)
{
	int status = -1;
	return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void killed_waiting(int l, int c, int s)
{
	pid_t child = blocked_receive(s, 'k');
	check(syscall(XINIM_SYSCALL_RS, XINIM_RS_KILL, XINIM_PID_NET, 0) == 0, "rs kill net");
	check(fcntl(l, F_GETFD) == 0 && fcntl(c, F_GETFD) == 0, "the socket fds stay valid");
	check(write(c, "k", 1) == 1 && child_ok(child),
	      "a receive blocked across the death gets the byte sent after it");
	char byte = 0;
	check(write(s, "b", 1) == 1 && read(c, &byte, 1) == 1 && byte == 'b',
	      "the connection carries bytes back");
}

// Echoes a byte each way until the connection fails: the error, 0 if it never did.
static int echo_until_reset(int c, int s)
{
	for (int round = 0; round < ECHO_ROUNDS; round++) {
		char byte;
		if (write(c, "x", 1) != 1 || read(s, &byte, 1) != 1 || write(s, "y", 1) != 1 ||
		    read(c, &byte, 1) != 1)
			return errno;
	}
	return 0;
}

static void crashed_busy(int l, int c, int s)
{
	int err = echo_until_reset(c, s);
	printf("inet_restart: the connection ended: %s\n", strerror(err));
	check(err == ECONNRESET || err == EPIPE, "the echoing connection ends: ECONNRESET");
	check(fcntl(l, F_GETFD) == 0 && fcntl(c, F_GETFD) == 0, "the socket fds stay valid");
	char byte;
	check(read(c, &byte, 1) <= 0 && read(s, &byte, 1) <= 0,
	      "both ends stay ended (no hang)");
}

int main(int argc, char **argv)
{
	bool crash = argc > 1 && strcmp(argv[1], "crash") == 0;
	struct sockaddr_in a = loopback(PORT);
	int l = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	check(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 4) == 0 && echoed(l),
	      "a listener serves before NET's death");
	int c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	int s = accept(l, NULL, NULL);
	(crash ? crashed_busy : killed_waiting)(l, c, s);
	check(echoed(l), "the listener listens on: a new connection echoes");
	close(s);
	close(c);
	close(l);
	return check_summary();
}
