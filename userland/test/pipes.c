// Pipes and FIFOs (docs/vfs.md), run as PID 1 (tests/boot/pipes.sh): pipe2's flags,
// end of file, EPIPE with SIGPIPE, O_NONBLOCK, PIPE_BUF atomicity, 4 MiB through a pipe
// between two processes, a blocked read cut short by a signal, poll, FIONREAD and a
// named FIFO. It prints each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_PREFIX "pipes: "
#include "check.h"

static volatile sig_atomic_t caught;
static void on_signal(int signal) { caught = signal; }

static void basics(void)
{
	int p[2];
	char buffer[16];
	check(pipe2(p, O_CLOEXEC) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC &&
	      (fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "pipe2 with O_CLOEXEC");
	struct stat st;
	check(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode) && lseek(p[0], 0, SEEK_SET) == -1 &&
	      errno == ESPIPE, "a pipe is a FIFO, not seekable");
	int available = -1;
	check(write(p[1], "abc", 3) == 3 && ioctl(p[0], FIONREAD, &available) == 0 &&
	      available == 3 && read(p[0], buffer, sizeof(buffer)) == 3 &&
	      memcmp(buffer, "abc", 3) == 0, "bytes through, FIONREAD");
	check(read(p[0], buffer, 0) == 0 && write(p[1], "", 0) == 0,
	      "a read or write of 0 bytes: 0 at once, empty pipe or not");
	close(p[1]);
	check(read(p[0], buffer, sizeof(buffer)) == 0, "end of file once the writer is gone");
	close(p[0]);
	check(pipe2(p, 0x1000000) == -1 && errno == EINVAL, "pipe2's unknown flags: EINVAL");
	check(pipe2(p, 0) == 0 && close(p[0]) == 0, "a pipe whose reader is gone");
	signal(SIGPIPE, on_signal);
	caught = 0;
	check(write(p[1], "x", 1) == -1 && errno == EPIPE && caught == SIGPIPE,
	      "writing to it: SIGPIPE, then EPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	pid_t child = fork();
	if (child == 0) {
		pipe(p);
		close(p[0]);
		write(p[1], "x", 1);
		_exit(0);
	}
	int status = 0;
	waitpid(child, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "SIGPIPE's default ends the writer");
}

static void nonblocking(void)
{
	int p[2];
	char byte;
	pipe2(p, O_NONBLOCK);
	check(read(p[0], &byte, 1) == -1 && errno == EAGAIN, "O_NONBLOCK: an empty pipe's read is EAGAIN");
	static char block[65536];
	long total = 0, n;
	while ((n = write(p[1], block, 1000)) > 0)
		total += n;
	check(n == -1 && errno == EAGAIN && total == 65000, "a full pipe: 64 KiB, then EAGAIN");
	check(write(p[1], block, 536) == 536 && write(p[1], block, 1) == -1 && errno == EAGAIN,
	      "to the last byte");
	read(p[0], block, 100);
	check(write(p[1], block, 200) == -1 && errno == EAGAIN,
	      "PIPE_BUF: a write of 200 bytes with 100 free goes in whole or not at all");
	struct pollfd fds[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	check(poll(fds, 2, 0) == 1 && fds[0].revents == POLLIN && fds[1].revents == 0,
	      "poll: readable, not writable when full");
	close(p[0]);
	close(p[1]);
}

// 4 MiB through a pipe from a child that writes in odd sizes: every byte in order.
static void streaming(void)
{
	int p[2];
	pipe(p);
	pid_t child = fork();
	if (child == 0) {
		close(p[0]);
		static uint8_t chunk[70000];
		uint32_t at = 0;
		for (int sizes[] = { 1, 4096, 70000, 333 }, i = 0; at < (4u << 20); i = (i + 1) % 4) {
			uint32_t n = (uint32_t)sizes[i] < (4u << 20) - at ? (uint32_t)sizes[i] : (4u << 20) - at;
			for (uint32_t j = 0; j < n; j++)
				chunk[j] = (uint8_t)((at + j) * 7 + 3);
			if (write(p[1], chunk, n) != (ssize_t)n)
				_exit(1);
			at += n;
		}
		_exit(0);
	}
	close(p[1]);
	static uint8_t got[65536];
	uint32_t at = 0, wrong = 0;
	ssize_t n;
	while ((n = read(p[0], got, sizeof(got))) > 0)
		for (ssize_t j = 0; j < n; j++, at++)
			wrong += got[j] != (uint8_t)(at * 7 + 3);
	int status = 1;
	waitpid(child, &status, 0);
	check(at == (4u << 20) && !wrong && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "4 MiB between two processes, in order, each write whole");
	close(p[0]);
}

static void interrupted(void)
{
	int p[2];
	pipe(p);
	struct sigaction action = { .sa_handler = on_signal };
	sigaction(SIGALRM, &action, NULL);	// no SA_RESTART
	caught = 0;
	alarm(1);
	char byte;
	check(read(p[0], &byte, 1) == -1 && errno == EINTR && caught == SIGALRM,
	      "a blocked read cut short by a signal: EINTR");
	action.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &action, NULL);
	pid_t child = fork();
	if (child == 0) {
		sleep(2);
		write(p[1], "r", 1);
		_exit(0);
	}
	caught = 0;
	alarm(1);
	check(read(p[0], &byte, 1) == 1 && byte == 'r' && caught == SIGALRM,
	      "with SA_RESTART the read goes on after the handler");
	waitpid(child, NULL, 0);
	close(p[0]);
	close(p[1]);
}

// select (pselect6): readiness of a pipe's ends, a timeout that passes, EBADF.
static void selecting(void)
{
	int p[2];
	pipe(p);
	fd_set in, out;
	FD_ZERO(&in);
	FD_ZERO(&out);
	FD_SET(p[0], &in);
	FD_SET(p[1], &out);
	struct timeval none = { 0, 0 }, short_wait = { 0, 100000 };
	int first = select(p[1] + 1, &in, &out, NULL, &none);
	int in_ready = FD_ISSET(p[0], &in), out_ready = FD_ISSET(p[1], &out);
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	int waited = select(p[0] + 1, &in, NULL, NULL, &short_wait);
	write(p[1], "s", 1);
	FD_SET(p[0], &in);
	int readable = select(p[0] + 1, &in, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &in);
	check(first == 1 && !in_ready && out_ready && waited == 0 && readable,
	      "select: an empty pipe writable not readable, a timeout, then readable");
	close(p[0]);
	close(p[1]);
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	check(select(p[0] + 1, &in, NULL, NULL, &none) == -1 && errno == EBADF,
	      "select of a closed fd: EBADF");
}

static void fifo(void)
{
	mkdir("/tmp", 01777);
	check(mkfifo("/tmp/fifo", 0600) == 0, "mkfifo");
	check(open("/tmp/fifo", O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO,
	      "a writer without a reader, O_NONBLOCK: ENXIO");
	pid_t child = fork();
	if (child == 0) {
		int fd = open("/tmp/fifo", O_WRONLY);	// waits for the reader
		_exit(fd >= 0 && write(fd, "fifo", 4) == 4 ? 0 : 1);
	}
	int fd = open("/tmp/fifo", O_RDONLY);
	char text[8] = "";
	ssize_t n = read(fd, text, sizeof(text));
	int status = 1;
	waitpid(child, &status, 0);
	check(fd >= 0 && n == 4 && memcmp(text, "fifo", 4) == 0 && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "a FIFO's two ends meet by name");
	close(fd);
	unlink("/tmp/fifo");
}

int main(void)
{
	basics();
	nonblocking();
	streaming();
	interrupted();
	selecting();
	fifo();
	return check_summary();
}
