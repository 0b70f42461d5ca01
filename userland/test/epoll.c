// epoll (epoll(7), docs/vfs.md), run as PID 1 (tests/boot/epoll.sh): level- and
// edge-triggered entries on a pipe, EPOLLONESHOT, MOD and DEL, epoll_ctl's errors,
// timeouts, a wake-up by another process's write, a signal, an entry going with its
// open file, EPOLLHUP, instances inside instances and in ppoll, the terminal, bad
// pointers. It prints each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif
#define UNMAPPED ((void *)0x1000)	// below 64 KiB: nothing is ever mapped there

#define CHECK_PREFIX "epoll: "
#include "check.h"

static int fails(long result, int error) { return result == -1 && errno == error; }

static int watch(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event event = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &event);
}

static int change(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event event = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &event);
}

// One wait of at most one event: its count, and the event in *got.
static int wait_one(int ep, int timeout, struct epoll_event *got)
{
	*got = (struct epoll_event){ 0 };
	return epoll_wait(ep, got, 1, timeout);
}

// Whether a wait without waiting gives exactly one event, of events and data.
static int reports(int ep, uint32_t events, uint64_t data)
{
	struct epoll_event got;
	return wait_one(ep, 0, &got) == 1 && got.events == events && got.data.u64 == data;
}

static int quiet(int ep)
{
	struct epoll_event got;
	return wait_one(ep, 0, &got) == 0;
}

static long since_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void creating(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct stat st;
	check(ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC && fstat(ep, &st) == 0 &&
	      st.st_mode == 0600, "epoll_create1 with EPOLL_CLOEXEC: an anonymous node, 0600");
	check(fails(epoll_create1(1), EINVAL), "epoll_create1's unknown flags: EINVAL");
	char byte;
	check(fails(read(ep, &byte, 1), EINVAL), "an epoll fd is not read: EINVAL");
	close(ep);
}

static void triggering(void)
{
	int p[2], level = epoll_create1(0), edge = epoll_create1(0);
	pipe(p);
	check(watch(level, p[0], EPOLLIN, 7) == 0 && watch(edge, p[0], EPOLLIN | EPOLLET, 8) == 0 &&
	      quiet(level) && quiet(edge), "an empty pipe: nothing to report");
	write(p[1], "ab", 2);
	check(reports(level, EPOLLIN, 7) && reports(level, EPOLLIN, 7),
	      "level-triggered: reported while readable");
	check(reports(edge, EPOLLIN, 8) && quiet(edge), "edge-triggered: reported once");
	char byte;
	read(p[0], &byte, 1);
	check(quiet(edge), "edge-triggered: a read is no new edge for EPOLLIN");
	write(p[1], "c", 1);
	check(reports(edge, EPOLLIN, 8) && quiet(edge), "edge-triggered: a write is a new edge");
	int shot = epoll_create1(0);
	check(watch(shot, p[0], EPOLLIN | EPOLLONESHOT, 9) == 0 && reports(shot, EPOLLIN, 9) &&
	      quiet(shot), "EPOLLONESHOT: once, then nothing though readable");
	check(change(shot, p[0], EPOLLIN | EPOLLONESHOT, 10) == 0 && reports(shot, EPOLLIN, 10) &&
	      quiet(shot), "MOD arms it again, with its new data");
	check(change(level, p[0], EPOLLOUT, 11) == 0 && quiet(level) &&
	      change(level, p[0], EPOLLIN | EPOLLOUT, 12) == 0 && reports(level, EPOLLIN, 12),
	      "MOD: the events asked change");
	check(epoll_ctl(level, EPOLL_CTL_DEL, p[0], NULL) == 0 && quiet(level),
	      "DEL: the fd is no longer watched");
	close(level);
	close(edge);
	close(shot);
	close(p[0]);
	close(p[1]);
}

static void errors(void)
{
	int p[2], ep = epoll_create1(0), other = epoll_create1(0);
	pipe(p);
	struct epoll_event event = { .events = EPOLLIN };
	check(watch(ep, p[0], EPOLLIN, 0) == 0 && fails(watch(ep, p[0], EPOLLIN, 0), EEXIST),
	      "ADD twice: EEXIST");
	check(fails(change(ep, p[1], EPOLLIN, 0), ENOENT) &&
	      fails(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), ENOENT), "MOD, DEL of no entry: ENOENT");
	check(fails(watch(99, p[0], EPOLLIN, 0), EBADF) && fails(watch(ep, 99, EPOLLIN, 0), EBADF),
	      "an fd that is not open: EBADF");
	check(fails(watch(ep, ep, EPOLLIN, 0), EINVAL) && fails(watch(p[0], p[1], EPOLLIN, 0), EINVAL) &&
	      fails(epoll_ctl(ep, 7, p[1], &event), EINVAL),
	      "the instance itself, no instance, an unknown op: EINVAL");
	check(watch(ep, p[1], EPOLLOUT | EPOLLEXCLUSIVE, 0) == 0 &&
	      fails(change(ep, p[1], EPOLLOUT, 0), EINVAL) &&
	      fails(watch(other, p[1], EPOLLOUT | EPOLLEXCLUSIVE | EPOLLONESHOT, 0), EINVAL),
	      "EPOLLEXCLUSIVE: on ADD; MOD of it, or with EPOLLONESHOT: EINVAL");
	mkdir("/tmp", 01777);
	int file = open("/tmp/epoll_file", O_RDWR | O_CREAT, 0600), dir = open("/", O_RDONLY);
	check(fails(watch(ep, file, EPOLLIN, 0), EPERM) && fails(watch(ep, dir, EPOLLIN, 0), EPERM),
	      "a regular file, a directory: EPERM");
	struct epoll_event got;
	check(fails(epoll_wait(ep, &got, 0, 0), EINVAL) && fails(epoll_wait(p[0], &got, 1, 0), EINVAL) &&
	      fails(epoll_wait(99, &got, 1, 0), EBADF), "epoll_wait: maxevents 0, no instance, EBADF");
	close(file);
	close(dir);
	unlink("/tmp/epoll_file");
	close(ep);
	close(other);
	close(p[0]);
	close(p[1]);
}

static void limits(void)
{
	enum { INSTANCES = 40, PIPES = 20 };
	int eps[INSTANCES], p[PIPES][2], added = 0, error = 0;
	for (int e = 0; e < INSTANCES; e++)
		eps[e] = epoll_create1(0);
	for (int i = 0; i < PIPES; i++)
		pipe(p[i]);
	for (int e = 0; e < INSTANCES && !error; e++)
		for (int i = 0; i < PIPES && !error; i++)
			for (int end = 0; end < 2 && !error; end++) {
				if (watch(eps[e], p[i][end], EPOLLIN, 0) == 0)
					added++;
				else
					error = errno;
			}
	check(added == 1024 && error == ENOSPC, "past 1,024 entries: ENOSPC");
	for (int e = 0; e < INSTANCES; e++)
		close(eps[e]);
	for (int i = 0; i < PIPES; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	int ep = epoll_create1(0), q[2];
	pipe(q);
	check(watch(ep, q[0], EPOLLIN, 0) == 0, "closing the instances gives their entries back");
	close(ep);
	close(q[0]);
	close(q[1]);
}

static volatile sig_atomic_t caught;
static void on_signal(int signal) { caught = signal; }

static void waiting(void)
{
	int p[2], ep = epoll_create1(0);
	pipe(p);
	watch(ep, p[0], EPOLLIN, 1);
	struct epoll_event got;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int n = wait_one(ep, 50, &got);
	long waited = since_ms(&start);
	check(n == 0 && waited >= 50 && waited < 2000, "a timeout of 50 ms passes");
	struct timespec timeout = { 0, 50000000 };
	clock_gettime(CLOCK_MONOTONIC, &start);
	n = (int)syscall(SYS_epoll_pwait2, ep, &got, 1, &timeout, NULL, 8);
	waited = since_ms(&start);
	check(n == 0 && waited >= 50 && waited < 2000, "epoll_pwait2's timespec of 50 ms passes");
	timeout.tv_nsec = 1000000000;
	check(fails(syscall(SYS_epoll_pwait2, ep, &got, 1, &timeout, NULL, 8), EINVAL),
	      "epoll_pwait2's bad timespec: EINVAL");
	pid_t child = fork();
	if (child == 0) {
		usleep(100000);
		write(p[1], "w", 1);
		_exit(0);
	}
	n = wait_one(ep, -1, &got);
	waitpid(child, NULL, 0);
	check(n == 1 && got.events == EPOLLIN && got.data.u64 == 1,
	      "a wait without timeout woken by another process's write");
	char byte;
	read(p[0], &byte, 1);
	struct sigaction action = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	sigaction(SIGALRM, &action, NULL);
	caught = 0;
	alarm(1);
	check(fails(wait_one(ep, -1, &got), EINTR) && caught == SIGALRM,
	      "a signal cuts a wait short: EINTR, even with SA_RESTART");
	close(p[1]);
	check(wait_one(ep, -1, &got) == 1 && (got.events & EPOLLHUP),
	      "the writer gone: EPOLLHUP, without asking");
	close(ep);
	close(p[0]);
}

static void closing(void)
{
	int p[2], ep = epoll_create1(0);
	pipe(p);
	int copy = dup(p[1]);
	watch(ep, p[1], EPOLLOUT, 5);
	close(p[1]);
	check(reports(ep, EPOLLOUT, 5), "closing one of two fds of the open file keeps the entry");
	close(copy);
	check(quiet(ep), "closing its last fd removes the entry");
	close(ep);
	close(p[0]);
}

static void nesting(void)
{
	int p[2], inner = epoll_create1(0), outer = epoll_create1(0);
	pipe(p);
	watch(inner, p[0], EPOLLIN, 1);
	check(watch(outer, inner, EPOLLIN, 2) == 0 && quiet(outer), "an instance inside another");
	struct pollfd poll_inner = { .fd = inner, .events = POLLIN };
	check(poll(&poll_inner, 1, 0) == 0, "ppoll of an instance with nothing ready: 0");
	write(p[1], "n", 1);
	check(reports(outer, EPOLLIN, 2) && poll(&poll_inner, 1, 0) == 1 &&
	      poll_inner.revents == POLLIN, "ready inside: the outer reports it, ppoll sees POLLIN");
	check(fails(watch(inner, outer, EPOLLIN, 0), ELOOP), "a loop of instances: ELOOP");
	int chain[6];
	chain[0] = inner;
	int refused_at = 0, refused = 0;
	for (int i = 1; i < 6; i++) {
		chain[i] = epoll_create1(0);
		if (!refused_at && watch(chain[i], chain[i - 1], EPOLLIN, 0) != 0) {
			refused_at = i;
			refused = errno;
		}
	}
	check(refused_at == 5 && refused == ELOOP, "instances nested deeper than 5: ELOOP");
	for (int i = 1; i < 6; i++)
		close(chain[i]);
	close(outer);
	close(inner);
	close(p[0]);
	close(p[1]);
}

// The console (fd 0) with nothing typed: writable, not readable, edge or level.
static void terminal(void)
{
	int level = epoll_create1(0), edge = epoll_create1(0);
	check(watch(level, 0, EPOLLIN | EPOLLOUT, 4) == 0 && reports(level, EPOLLOUT, 4) &&
	      reports(level, EPOLLOUT, 4), "the terminal: writable, nothing typed to read");
	check(watch(edge, 0, EPOLLOUT | EPOLLET, 5) == 0 && reports(edge, EPOLLOUT, 5) &&
	      quiet(edge), "the terminal, edge-triggered: once");
	close(level);
	close(edge);
}

static void bad_pointers(void)
{
	int p[2], ep = epoll_create1(0);
	pipe(p);
	check(fails(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], UNMAPPED), EFAULT) &&
	      fails(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT),
	      "ADD with an unmapped event: EFAULT, nothing added");
	watch(ep, p[0], EPOLLIN | EPOLLET | EPOLLONESHOT, 3);
	write(p[1], "b", 1);
	check(fails(epoll_wait(ep, UNMAPPED, 1, 0), EFAULT) &&
	      fails(epoll_wait(ep, (void *)(UINT64_C(1) << 48), 1, 0), EFAULT) &&
	      reports(ep, EPOLLIN, 3), "a wait into an unmapped buffer: EFAULT, the event kept");
	close(ep);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	creating();
	triggering();
	errors();
	limits();
	waiting();
	closing();
	nesting();
	terminal();
	bad_pointers();
	return check_summary();
}
