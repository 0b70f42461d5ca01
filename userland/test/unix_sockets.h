#pragma once
// userland/test/unix_sockets.c's helpers, shared with the files of its further checks.
// Each file counts its own checks (check.h); its part returns the failures it counted.
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

static inline struct sockaddr_un path_address(const char *path, socklen_t *length)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	strcpy(a.sun_path, path);
	*length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
	return a;
}

static inline bool exited_well(pid_t child)
{
	int status = 1;
	return waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

// unix_sockets_mmsg.c: sendmmsg and recvmmsg wait for each entry, as Linux's.
int mmsg_checks(void);
// unix_sockets_kept.c: rights a peek leaves in the queue, the name of a peer that went.
int kept_checks(void);
