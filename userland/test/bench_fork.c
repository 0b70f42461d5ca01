// Instructions per fork + the child's exit + the parent's wait (fork_exit_wait), the same
// with an execve of a small static program in the child (fork_exec_wait), and for
// one fork of a process that has touched 64 MiB (fork_64mib: page-table work, not a copy
// of 64 MiB), as an unmodified musl program run as PID 1 makes them, from CNTVCT under
// -icount shift=0 (16 instructions per tick).
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xinim/runtime.h>

#define ROUNDS 200
#define EXEC_ROUNDS 50
#define BIG (64u << 20)

// rounds of fork and wait, the child exiting at once or (exec) executing this program,
// which exits at once: instructions per round, printed as figure name.
static int fork_rounds(const char *name, int rounds, bool exec)
{
	int status, right = 0;
	static char *const args[] = { "bench_fork", "--exit", NULL };
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
	printf("bench %s %llu instructions (%d rounds, %llu ticks)\n", name,
	       (unsigned long long)(ticks * 16 / (uint64_t)rounds), rounds, (unsigned long long)ticks);
	return right == rounds;
}

static int fork_big(void)
{
	char *m = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 0;
	for (unsigned at = 0; at < BIG; at += 4096)
		m[at] = 1;
	uint64_t start = counter_ticks();
	pid_t pid = fork();
	if (pid == 0)
		_exit(m[BIG - 4096] == 1 ? 0 : 1);
	uint64_t ticks = counter_ticks() - start;
	int status;
	int right = pid > 0 && waitpid(pid, &status, 0) == pid && status == 0;
	printf("bench fork_64mib %llu instructions (the fork of a process with 64 MiB touched, "
	       "%llu ticks)\n", (unsigned long long)(ticks * 16), (unsigned long long)ticks);
	return right;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return 0;	// "--exit": the program fork_exec_wait executes
	(void)argv;
	return fork_rounds("fork_exit_wait", ROUNDS, false) &&
			       fork_rounds("fork_exec_wait", EXEC_ROUNDS, true) && fork_big() ? 0 : 1;
}
