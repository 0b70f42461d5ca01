// The waits of message queues for userland/test/mqueue.c (docs/vfs.md, Message queues):
// receives and sends that wait for a child, a timeout or a signal, mq_notify's signal,
// a registration across its owner's execve, and queues across a restart of VFS.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/rs.h>
#include "mqueue_test.h"

static volatile sig_atomic_t caught, caught_code, caught_pid, caught_value, caught_count;

static void on_signal(int signal) { caught = signal; }

static void on_info(int signal, siginfo_t *info, void *context)
{
	(void)context;
	caught = signal;
	caught_code = info->si_code;
	caught_pid = info->si_pid;
	caught_value = info->si_value.sival_int;
	caught_count++;
}

void waits(void)
{
	mqd_t q = make("/waits", 2, 32, O_RDWR);
	pid_t child = fork();
	if (child == 0) {
		sleep_ms(50);
		_exit(mq_send(q, "from the child", 15, 7) == 0 ? 0 : 1);
	}
	char buffer[32] = "";
	unsigned priority = 0;
	ssize_t n = mq_receive(q, buffer, sizeof(buffer), &priority);
	int status = -1;
	waitpid(child, &status, 0);
	check(n == 15 && strcmp(buffer, "from the child") == 0 && priority == 7 && status == 0,
	      "a blocked receive woken by a child's send");
	struct timespec start, end, limit = from_now(100);
	clock_gettime(CLOCK_REALTIME, &start);
	n = mq_timedreceive(q, buffer, sizeof(buffer), NULL, &limit);
	clock_gettime(CLOCK_REALTIME, &end);
	long waited = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
	check(n == -1 && errno == ETIMEDOUT && waited >= 90, "mq_timedreceive: ETIMEDOUT after its time");
	struct timespec past = { .tv_sec = 1, .tv_nsec = 0 };
	check(mq_timedreceive(q, buffer, sizeof(buffer), NULL, &past) == -1 && errno == ETIMEDOUT,
	      "a timeout already past: ETIMEDOUT at once");
	mq_send(q, "1", 1, 0);
	mq_send(q, "2", 1, 0);
	limit = from_now(50);
	check(mq_timedsend(q, "3", 1, 0, &limit) == -1 && errno == ETIMEDOUT,
	      "mq_timedsend to a full queue: ETIMEDOUT");
	child = fork();
	if (child == 0) {
		sleep_ms(50);
		char got[32];
		_exit(mq_receive(q, got, sizeof(got), NULL) == 1 ? 0 : 1);
	}
	int sent = mq_send(q, "3", 1, 0);
	waitpid(child, &status, 0);
	check(sent == 0 && status == 0 && curmsgs(q) == 2, "a blocked send goes in once a child receives");
	while (curmsgs(q) > 0)
		mq_receive(q, buffer, sizeof(buffer), NULL);
	struct sigaction action = { .sa_handler = on_signal };
	sigaction(SIGUSR1, &action, NULL);
	caught = 0;
	pid_t parent = getpid();
	child = fork();
	if (child == 0) {
		sleep_ms(50);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	n = mq_receive(q, buffer, sizeof(buffer), NULL);
	check(n == -1 && errno == EINTR && caught == SIGUSR1, "a blocked receive cut short by a signal: EINTR");
	waitpid(child, NULL, 0);
	action.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &action, NULL);
	caught = 0;
	child = fork();
	if (child == 0) {
		sleep_ms(50);
		kill(parent, SIGUSR1);
		sleep_ms(50);
		_exit(mq_send(q, "late", 5, 0));
	}
	n = mq_receive(q, buffer, sizeof(buffer), NULL);
	check(n == 5 && strcmp(buffer, "late") == 0 && caught == SIGUSR1,
	      "with SA_RESTART the receive goes on after the handler");
	waitpid(child, NULL, 0);
	mq_close(q);
	mq_unlink("/waits");
}

static int wait_caught(int count)
{
	for (int i = 0; i < 200 && caught_count < count; i++)
		sleep_ms(5);
	return caught_count == count;
}

void notification(void)
{
	mqd_t q = make("/notify", 4, 16, O_RDWR);
	struct sigaction action = { .sa_sigaction = on_info, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR2, &action, NULL);
	struct sigevent event = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2,
				  .sigev_value.sival_int = 42 };
	caught_count = 0;
	check(mq_notify(q, &event) == 0, "mq_notify registers");
	pid_t child = fork();
	if (child == 0)
		_exit(mq_notify(q, &event) == -1 && errno == EBUSY ? 0 : 1);
	int status = -1;
	waitpid(child, &status, 0);
	check(status == 0, "another process's registration: EBUSY");
	char buffer[16];
	mq_send(q, "one", 4, 0);
	check(wait_caught(1) && caught == SIGUSR2 && caught_code == SI_MESGQ &&
	      caught_pid == getpid() && caught_value == 42,
	      "a message into the empty queue: the signal, SI_MESGQ, sigev_value");
	mq_receive(q, buffer, sizeof(buffer), NULL);
	mq_send(q, "two", 4, 0);
	sleep_ms(50);
	check(caught_count == 1, "the registration ends when it fires: one signal");
	mq_receive(q, buffer, sizeof(buffer), NULL);
	check(mq_send(q, "a", 2, 0) == 0 && mq_notify(q, &event) == 0 && mq_send(q, "b", 2, 0) == 0 &&
	      (sleep_ms(50), caught_count == 1), "no signal for a message into a queue not empty");
	while (curmsgs(q) > 0)
		mq_receive(q, buffer, sizeof(buffer), NULL);
	check(mq_send(q, "c", 2, 0) == 0 && wait_caught(2), "the next message into the empty queue: the signal");
	mq_receive(q, buffer, sizeof(buffer), NULL);
	check(mq_notify(q, &event) == 0 && mq_notify(q, NULL) == 0 && mq_send(q, "c", 2, 0) == 0 &&
	      (sleep_ms(50), caught_count == 2), "mq_notify(NULL) removes the registration");
	mq_receive(q, buffer, sizeof(buffer), NULL);
	char text[128] = "";
	mq_notify(q, &event);
	mq_send(q, "12345", 5, 0);
	mq_send(q, "123", 3, 0);
	wait_caught(3);
	ssize_t n = read(q, text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = '\0';
	char expected[128];
	snprintf(expected, sizeof(expected), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%d\n", 8ul,
		 0, 0, 0);
	check(strcmp(text, expected) == 0, "reading the queue's file: QSIZE and NOTIFY");
	mq_notify(q, &event);
	n = pread(q, text, sizeof(text) - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	snprintf(expected, sizeof(expected), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%d\n", 8ul,
		 SIGEV_SIGNAL, SIGUSR2, getpid());
	check(strcmp(text, expected) == 0, "and the registration");
	event.sigev_notify = 99;
	check(mq_notify(q, &event) == -1 && errno == EINVAL, "an unknown sigev_notify: EINVAL");
	mq_close(q);
	mq_unlink("/notify");
}

// VFS killed as a crash would end it, while a child waits on an empty queue and another
// queue holds messages and a registration: after its restart the messages come out in
// order, the child gets each message sent to it once, and the registration fires.
void across_a_restart(void)
{
	mqd_t full = make("/kept", 4, 16, O_RDWR), empty = make("/waited", 2, 16, O_RDWR);
	mq_send(full, "second", 7, 1);
	mq_send(full, "first", 6, 2);
	pid_t child = fork();
	if (child == 0) {
		char got[16] = "";
		ssize_t n = mq_receive(empty, got, sizeof(got), NULL);
		_exit(n == 6 && strcmp(got, "hello") == 0 && mq_receive(empty, got, sizeof(got), NULL) == 5 ? 0
														  : 1);
	}
	struct sigevent event = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2,
				  .sigev_value.sival_int = 7 };
	caught_count = 0;
	mq_notify(full, &event);
	sleep_ms(50);	// the child waits in VFS
	long killed = syscall(XINIM_SYSCALL_RS, XINIM_RS_KILL, XINIM_PID_VFS, 0);
	char buffer[16] = "";
	unsigned priority = 0;
	check(killed == 0 && mq_receive(full, buffer, sizeof(buffer), &priority) == 6 &&
	      strcmp(buffer, "first") == 0 && priority == 2 && curmsgs(full) == 1,
	      "after VFS's restart: the queue and its messages, in order");
	mq_receive(full, buffer, sizeof(buffer), NULL);
	mq_send(empty, "hello", 6, 0);
	mq_send(empty, "then", 5, 0);
	int status = -1;
	waitpid(child, &status, 0);
	check(status == 0, "the child's wait went on: it got each message once");
	check(mq_send(full, "x", 2, 0) == 0 && wait_caught(1) && caught_value == 7,
	      "the registration kept across the restart fires");
	mq_close(full);
	mq_close(empty);
	mq_unlink("/kept");
	mq_unlink("/waited");
}

// The registered process has made an execve (argv: "after-exec", the fd): its
// registration stays (EBUSY) and, when it fires, signals nothing, as Linux's.
int after_exec(int fd)
{
	struct sigaction action = { .sa_sigaction = on_info, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR2, &action, NULL);
	struct sigevent event = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
	int wrong = !(mq_notify(fd, &event) == -1 && errno == EBUSY);
	wrong |= (mq_send(fd, "x", 2, 0) != 0) << 1;
	sleep_ms(50);
	wrong |= (caught_count != 0) << 2;
	wrong |= (mq_notify(fd, &event) != 0) << 3;	// it fired, and ended
	return wrong;
}

void registration_across_exec(void)
{
	mqd_t q = make("/exec", 2, 8, O_RDWR);
	pid_t child = fork();
	if (child == 0) {
		int kept = dup(q);	// a dup is not close-on-exec
		close(q);	// (exec's close of it would end the registration, as any close does)
		struct sigevent event = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
		char fd[16];
		snprintf(fd, sizeof(fd), "%d", kept);
		if (mq_notify(kept, &event) == 0)
			execl("/bin/mqueue", "mqueue", "after-exec", fd, (char *)NULL);
		_exit(99);
	}
	check(child_passed(child),
	      "after its owner's execve a registration stays and signals nothing");
	mq_close(q);
	mq_unlink("/exec");
}

