// An ordinary musl program: musl's own start-up code reads the initial stack (argc,
// argv, envp, auxv with AT_PHDR for TLS, AT_RANDOM for the stack protector). Linux
// system calls answer -ENOSYS until the servers exist, so it prints and exits through
// the debug kernel calls.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include <xinim/runtime.h>

static _Thread_local int tls_counter = 41;

static void say(const char *line) { xinim_kcall(KCALL_DEBUG_WRITE, (long)line, (long)strlen(line)); }

int main(int argc, char **argv)
{
	char line[160];
	snprintf(line, sizeof(line), "musl_start: argc %d argv[0] %s argv[1] %s\n", argc, argv[0],
		 argc > 1 ? argv[1] : "-");
	say(line);
	const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
	snprintf(line, sizeof(line), "musl_start: pagesz %lu hwcap %#lx random %s execfn %s\n",
		 getauxval(AT_PAGESZ), getauxval(AT_HWCAP), random ? "present" : "missing",
		 (const char *)getauxval(AT_EXECFN));
	say(line);
	tls_counter++;
	ssize_t written = write(1, "x", 1);
	snprintf(line, sizeof(line), "musl_start: tls %d, write %zd errno %d (%s), pi %.3f\n",
		 tls_counter, written, errno, strerror(errno), 3.14159);
	say(line);
	xinim_kcall(KCALL_DEBUG_EXIT, 0, 0);
	return 0;
}
