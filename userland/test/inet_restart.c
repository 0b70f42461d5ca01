// Killing NET under AF_INET sockets (docs/net.md, What a restart keeps; The VFS side),
// run as PID 1 (tests/boot/inet_sockets.sh restart): `rs kill net` while a listener, an
// open connection and a blocked receive stand; the fds stay valid, the listener listens
// on, the connection ends with ECONNRESET (NET does not keep lwIP's connections), the
// blocked receive is answered rather than left hanging, and new connections work.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
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

static struct sockaddr_in loopback(uint16_t port)
{
	return (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(port),
				     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
}

static bool echoed(int listener, uint16_t port)
{
	struct sockaddr_in a = loopback(port);
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

int main(void)
{
	struct sockaddr_in a = loopback(7100);
	int l = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	check(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 4) == 0 &&
	      echoed(l, 7100), "a listener serves before NET's death");
	int c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof(a));
	int s = accept(l, NULL, NULL);
	pid_t child = fork();
	if (child == 0) {	// blocked in a receive across the death
		char byte;
		ssize_t n = read(s, &byte, 1);
		_exit(n == -1 && errno == ECONNRESET ? 0 : n == 0 ? 3 : 2);
	}
	usleep(50000);
	check(syscall(XINIM_SYSCALL_RS, XINIM_RS_KILL, XINIM_PID_NET, 0) == 0, "rs kill net");
	int status = -1;
	check(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a receive blocked across the death ends: ECONNRESET");
	check(fcntl(l, F_GETFD) == 0 && fcntl(c, F_GETFD) == 0, "the socket fds stay valid");
	char byte;
	check(read(c, &byte, 1) == -1 && errno == ECONNRESET, "the open connection: ECONNRESET");
	check(echoed(l, 7100), "the listener listens on: a new connection echoes");
	close(s);
	close(c);
	close(l);
	return check_summary();
}
