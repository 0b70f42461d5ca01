// Instructions per file operation, as an unmodified musl program makes it (bench.h):
//   pipe_rtt_same_cpu, pipe_rtt_cross_cpu  a byte to a child and back over two pipes,
//                                           both pinned to one CPU, or to two;
//   open_close                              open and close of a file in a writable tree;
//   stat                                    stat of that file's path.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

#define ROUND_TRIPS 500
#define CALLS 1000
#define PATH "/bench_files.tmp"

// ROUND_TRIPS bytes to a child that sends each back, the child on CPU child_cpu
// (the parent on 0).
static int pipe_rtt(const char *name, int child_cpu)
{
	int there[2], back[2];
	char byte = 'x';
	if (pipe(there) || pipe(back))
		return -1;
	bench_pin(0);
	pid_t child = fork();
	if (child == 0) {
		bench_pin(child_cpu);
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
	bench_report(name, ticks, ROUND_TRIPS);
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
	bench_report("open_close", ticks, CALLS);
	struct stat st;
	start = counter_ticks();
	for (int i = 0; i < CALLS && ok; i++)
		ok = stat(PATH, &st) == 0 && st.st_size == 5;
	ticks = counter_ticks() - start;
	unlink(PATH);
	if (!ok)
		return -1;
	bench_report("stat", ticks, CALLS);
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
