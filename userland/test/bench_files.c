// Instructions per file operation, as an unmodified musl program run as PID 1 makes it,
// from CNTVCT under -icount shift=0 (16 instructions per tick); the same binary runs on
// Linux for the reference (tools/bench_linux.sh):
//   pipe_rtt_same_cpu, pipe_rtt_cross_cpu  a byte to a child and back over two pipes,
//                                           both pinned to one CPU, or to two;
//   open_close                              open and close of a file in a writable tree;
//   stat                                    stat of that file's path.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xinim/runtime.h>

#define ROUND_TRIPS 500
#define CALLS 1000
#define PATH "/bench_files.tmp"

static void pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (getenv("NOPIN") == NULL) sched_setaffinity(0, sizeof(set), &set);
}

static void report(const char *name, uint64_t ticks, int count)
{
	printf("bench %s %llu instructions (%d rounds, %llu ticks)\n", name,
	       (unsigned long long)(ticks * 16 / (uint64_t)count), count, (unsigned long long)ticks);
}

// ROUND_TRIPS bytes to a child that sends each back, the child on child_cpu: 0 or -1.
static int pipe_rtt(const char *name, int child_cpu)
{
	int there[2], back[2];
	char byte = 'x';
	if (pipe(there) || pipe(back))
		return -1;
	pin(0);
	pid_t child = fork();
	if (child == 0) {
		pin(child_cpu);
		close(there[1]);	// the parent's ends: theirs alone, so that closing them ends this
		close(back[0]);
		while (read(there[0], &byte, 1) == 1 && write(back[1], &byte, 1) == 1)
			;
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	int done = write(there[1], &byte, 1) == 1 && read(back[0], &byte, 1) == 1;	// warm
	uint64_t start = counter_ticks();
	for (int i = 0; i < ROUND_TRIPS && done; i++)
		done = write(there[1], &byte, 1) == 1 && read(back[0], &byte, 1) == 1;
	uint64_t ticks = counter_ticks() - start;
	close(there[1]);	// the child reads the end and exits
	int status = 1;
	waitpid(child, &status, 0);
	close(back[0]);
	if (!done || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	report(name, ticks, ROUND_TRIPS);
	return 0;
}

static int open_close(void)
{
	int fd = open(PATH, O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "bench", 5) != 5 || close(fd))
		return -1;
	int ok = 1;
	uint64_t start = counter_ticks();
	for (int i = 0; i < CALLS && ok; i++) {
		fd = open(PATH, O_RDONLY);
		ok = fd >= 0 && close(fd) == 0;
	}
	uint64_t ticks = counter_ticks() - start;
	if (!ok)
		return -1;
	report("open_close", ticks, CALLS);
	struct stat st;
	start = counter_ticks();
	for (int i = 0; i < CALLS && ok; i++)
		ok = stat(PATH, &st) == 0 && st.st_size == 5;
	ticks = counter_ticks() - start;
	unlink(PATH);
	if (!ok)
		return -1;
	report("stat", ticks, CALLS);
	return 0;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	if (pipe_rtt("pipe_rtt_same_cpu", 0) || pipe_rtt("pipe_rtt_cross_cpu", 1) || open_close()) {
		perror("bench_files");
		return 1;
	}
	return 0;
}
