// rs: the resurrection server's command (docs/resurrection.md); root only.
//   rs status         each server RS supervises, RS included: its PID, the generation of
//                     its live instance, whether it serves, since when, how often it was
//                     restarted, the back-off its next quick death would wait, and why
//                     its last instance died
//   rs restart NAME   ends NAME and starts it again at once (rs: RS, restarted by the kernel)
//   rs kill NAME      ends NAME as a crash would; RS brings it back, back-off included
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xinim/ipc/rs.h>

#define TRIES 50	// -EAGAIN: RS cannot ask PM now (PM is being restarted)

static long rs_call(long command, long a, long b)
{
	long result = -1;
	for (int i = 0; i < TRIES; i++) {
		result = syscall(XINIM_SYSCALL_RS, command, a, b);
		if (result >= 0 || errno != EAGAIN)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
	}
	return result;
}

static void duration(char *out, size_t size, uint64_t us)
{
	if (us < 1000)
		snprintf(out, size, "%llu us", (unsigned long long)us);
	else if (us < 1000000)
		snprintf(out, size, "%llu ms", (unsigned long long)(us / 1000));
	else
		snprintf(out, size, "%llu.%03llu s", (unsigned long long)(us / 1000000),
			 (unsigned long long)(us / 1000 % 1000));
}

static int status(void)
{
	struct xinim_rs_status s;
	printf("%-4s %4s %4s %-5s %12s %8s %8s  %s\n", "NAME", "PID", "GEN", "STATE", "UPTIME",
	       "RESTARTS", "BACKOFF", "LAST DEATH");
	for (unsigned i = 0; rs_call(XINIM_RS_STATUS, i, (long)&s) == 0; i++) {
		char uptime[24], backoff[24];
		duration(uptime, sizeof(uptime), s.uptime_us);
		duration(backoff, sizeof(backoff), s.backoff_us);
		printf("%-4.8s %4u %4u %-5s %12s %8u %8s  %s\n", s.name, s.pid, s.generation,
		       s.up ? "up" : "down", s.up ? uptime : "-", s.restarts,
		       s.backoff_us ? backoff : "-",
		       s.last_death[0] ? s.last_death : "-");
	}
	if (errno != ENOENT) {
		fprintf(stderr, "rs: status: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

// The PID of the server named name, or 0.
static unsigned pid_named(const char *name)
{
	struct xinim_rs_status s;
	for (unsigned i = 0; rs_call(XINIM_RS_STATUS, i, (long)&s) == 0; i++)
		if (strncmp(s.name, name, sizeof(s.name)) == 0)
			return s.pid;
	return 0;
}

static int end(long command, const char *verb, const char *name)
{
	unsigned pid = pid_named(name);
	if (!pid) {
		fprintf(stderr, "rs: %s %s: %s\n", verb, name,
			errno == ENOENT ? "no such server" : strerror(errno));
		return 1;
	}
	if (rs_call(command, pid, 0) != 0) {
		fprintf(stderr, "rs: %s %s: %s\n", verb, name, strerror(errno));
		return 1;
	}
	printf("rs: %s %s (pid %u): done\n", verb, name, pid);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "status") == 0)
		return status();
	if (argc == 3 && strcmp(argv[1], "restart") == 0)
		return end(XINIM_RS_RESTART, "restart", argv[2]);
	if (argc == 3 && strcmp(argv[1], "kill") == 0)
		return end(XINIM_RS_KILL, "kill", argv[2]);
	fprintf(stderr, "usage: rs status | rs restart NAME | rs kill NAME\n");
	return 2;
}
