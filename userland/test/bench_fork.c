// Instructions per fork + the child's exit + the parent's wait (fork_exit_wait), the same
// with an execve of a static hello in the child (fork_exec_wait: this program with
// --hello, its line written to /dev/null), and for one fork of a process that has touched
// 64 MiB (fork_64mib: page-table work, not a copy of 64 MiB), as an unmodified musl
// program makes them (bench.h).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

#define ROUNDS 200
#define EXEC_ROUNDS 200
#define BIG (64u << 20)

// rounds of fork and wait, the child exiting at once or (exec) executing this program
// as a hello: the counter ticks they took, 0 if any went wrong.
static uint64_t fork_rounds(int rounds, bool exec)
{
	int status, right = 0;
	static char *const args[] = { "bench_fork", "--hello", NULL };
	uint64_t start = counter_ticks();
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			if (exec)
				execv("/bin/bench_fork", args);
			_exit(exec ? 1 : 0);
		}
		right += pid > 0 && waitpid(pid, &status, 0) == pid && status == 0;
	}
	uint64_t ticks = counter_ticks() - start;
	return right == rounds ? ticks : 0;
}

static bool fork_exit_wait(void)
{
	uint64_t ticks = fork_rounds(ROUNDS, false);
	if (ticks)
		bench_report("fork_exit_wait", ticks, ROUNDS);
	return ticks;
}

// The children's standard output on /dev/null, this one's kept for the report.
static bool fork_exec_wait(void)
{
	fflush(stdout);
	int out = dup(1), null = open("/dev/null", O_WRONLY);
	if (out < 0 || null < 0 || dup2(null, 1) != 1)
		return false;
	close(null);
	uint64_t ticks = fork_rounds(EXEC_ROUNDS, true);
	if (dup2(out, 1) != 1 || close(out))
		return false;
	if (ticks)
		bench_report("fork_exec_wait", ticks, EXEC_ROUNDS);
	return ticks;
}

static bool fork_big(void)
{
	char *m = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return false;
	for (unsigned at = 0; at < BIG; at += 4096)
		m[at] = 1;
	uint64_t start = counter_ticks();
	pid_t pid = fork();
	if (pid == 0)
		_exit(m[BIG - 4096] == 1 ? 0 : 1);
	uint64_t ticks = counter_ticks() - start;
	int status;
	bool right = pid > 0 && waitpid(pid, &status, 0) == pid && status == 0;
	bench_report("fork_64mib", ticks, 1);
	return right;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--hello") == 0) {
		puts("hello");	// the program fork_exec_wait executes
		return 0;
	}
	bench_pin(0);	// and the children: where they run is the same from boot to boot
	return fork_exit_wait() && fork_exec_wait() && fork_big() ? 0 : 1;
}
