// System V semaphores and message queues for real (docs/processes.md), run as PID 1
// (tests/boot/sysv_ipc.sh): a parent and child taking turns on a semaphore across fork,
// SEM_UNDO giving back a killed child's hold, semtimedop's timeout, messages of several
// types across fork, a blocked msgrcv interrupted by a handler (EINTR, even under
// SA_RESTART), IPC_RMID waking waiters with EIDRM, and nothing left at the end. It prints
// each check and exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PREFIX "sysv_ipc: "
#include "check.h"

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;
};

// The child's exit status, or -1.
static int child_end(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int sem_change(int id, int num, int by, int flags)
{
	struct sembuf op = { .sem_num = (unsigned short)num, .sem_op = (short)by,
			     .sem_flg = (short)flags };
	return semop(id, &op, 1);
}

static void pause_ms(long ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };
	nanosleep(&t, NULL);
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

// Parent and child take 100 turns each: semaphore 0 is the parent's turn, 1 the child's.
static void ping_pong(void)
{
	enum { TURNS = 100 };
	int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	check(id >= 0, "semget(IPC_PRIVATE) of two semaphores");
	pid_t pid = fork();
	if (pid == 0) {
		int turns = 0;
		while (turns < TURNS && !sem_change(id, 1, -1, 0) && !sem_change(id, 0, 1, 0))
			turns++;
		_exit(turns == TURNS ? 0 : 1);
	}
	int turns = 0;
	for (bool go = !sem_change(id, 1, 1, 0); go && turns < TURNS; turns++)
		go = !sem_change(id, 0, -1, 0) && (turns + 1 == TURNS || !sem_change(id, 1, 1, 0));
	check(child_end(pid) == 0 && turns == TURNS,
	      "a parent and its child take 100 turns each on two semaphores");
	struct semid_ds ds;
	check(!semctl(id, 0, IPC_STAT, (union semun){ .buf = &ds }) && ds.sem_nsems == 2 &&
	      semctl(id, 0, GETVAL) == 0 && semctl(id, 1, GETVAL) == 0 &&
	      semctl(id, 1, GETPID) == pid, "IPC_STAT, GETVAL and GETPID after the turns");
	check(!semctl(id, 0, IPC_RMID), "IPC_RMID of the set");
}

// A child holds the semaphore with SEM_UNDO and is killed: its hold goes back.
static void undo_at_death(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600);
	semctl(id, 0, SETVAL, (union semun){ .val = 1 });
	pid_t pid = fork();
	if (pid == 0) {
		if (sem_change(id, 0, -1, SEM_UNDO) || sem_change(id, 1, 1, 0))
			_exit(1);
		for (;;)
			pause();
	}
	sem_change(id, 1, -1, 0);	// it holds it now
	int held = semctl(id, 0, GETVAL) == 0 &&
		   sem_change(id, 0, -1, IPC_NOWAIT) == -1 && errno == EAGAIN;
	kill(pid, SIGKILL);
	int status = child_end(pid);
	struct timespec wait = { .tv_sec = 5 };
	struct sembuf take = { .sem_num = 0, .sem_op = -1 };
	check(held && status == 128 + SIGKILL && !semtimedop(id, &take, 1, &wait),
	      "SEM_UNDO: a killed child's hold is given back");
	semctl(id, 0, IPC_RMID);
}

static void timeouts(void)
{
	int id = semget(IPC_PRIVATE, 1, 0600);
	struct sembuf take = { .sem_num = 0, .sem_op = -1 };
	struct timespec wait = { .tv_nsec = 50 * 1000000 };
	long before = now_ms();
	int r = semtimedop(id, &take, 1, &wait);
	long took = now_ms() - before;
	check(r == -1 && errno == EAGAIN && took >= 50 && semctl(id, 0, GETNCNT) == 0,
	      "semtimedop times out with EAGAIN after its timeout");
	struct sembuf both[] = { { 0, 1, 0 }, { 0, -2, IPC_NOWAIT } };
	check(semop(id, both, 2) == -1 && errno == EAGAIN && semctl(id, 0, GETVAL) == 0,
	      "an array that cannot complete changes nothing");
	semctl(id, 0, IPC_RMID);
}

struct message {
	long type;
	char text[64];
};

static int send_text(int q, long type, const char *text)
{
	struct message m = { .type = type };
	strcpy(m.text, text);
	return msgsnd(q, &m, strlen(text) + 1, 0);
}

// The child sends types 3, 1, 2 and waits for the parent's answer of type 10.
static void messages_across_fork(void)
{
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	check(q >= 0, "msgget(IPC_PRIVATE)");
	pid_t pid = fork();
	if (pid == 0) {
		struct message m;
		if (send_text(q, 3, "three") || send_text(q, 1, "one") || send_text(q, 2, "two"))
			_exit(1);
		ssize_t n = msgrcv(q, &m, sizeof(m.text), 10, 0);
		_exit(n == 6 && !strcmp(m.text, "reply") ? 0 : 2);
	}
	struct message a, b, c;
	int got = msgrcv(q, &a, sizeof(a.text), 2, 0) == 4 &&	// waits for the child's
		  msgrcv(q, &b, sizeof(b.text), -3, 0) == 4 &&
		  msgrcv(q, &c, sizeof(c.text), 0, 0) == 6;
	check(got && !strcmp(a.text, "two") && !strcmp(b.text, "one") && b.type == 1 &&
	      !strcmp(c.text, "three"),
	      "msgrcv by type: 2, then the lowest up to 3, then the oldest");
	send_text(q, 10, "reply");
	check(child_end(pid) == 0, "the child received the parent's reply of type 10");
	struct message big = { .type = 5 };
	send_text(q, 5, "a longer text");
	check(msgrcv(q, &big, 4, 0, IPC_NOWAIT) == -1 && errno == E2BIG &&
	      msgrcv(q, &big, 4, 0, IPC_NOWAIT | MSG_NOERROR) == 4 && !memcmp(big.text, "a lo", 4),
	      "E2BIG, then MSG_NOERROR truncates");
	check(msgrcv(q, &big, 4, 0, IPC_NOWAIT) == -1 && errno == ENOMSG, "IPC_NOWAIT: ENOMSG");
	struct msqid_ds ds;
	check(!msgctl(q, IPC_STAT, &ds) && ds.msg_qnum == 0 && ds.msg_qbytes == 16384 &&
	      ds.msg_lspid == getpid(), "IPC_STAT of the queue");
	msgctl(q, IPC_RMID, NULL);
}

static volatile sig_atomic_t handled;

static void on_signal(int signal) { handled = signal; }

// A child signals the parent until it is killed; the parent's msgrcv fails with EINTR.
static void interrupted(void)
{
	int q = msgget(IPC_PRIVATE, 0600);
	struct sigaction a = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	sigaction(SIGUSR1, &a, NULL);
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		for (;;) {
			pause_ms(20);
			kill(parent, SIGUSR1);
		}
	}
	struct message m;
	handled = 0;
	ssize_t n = msgrcv(q, &m, sizeof(m.text), 0, 0);
	int err = errno;
	kill(pid, SIGKILL);
	child_end(pid);
	check(n == -1 && err == EINTR && handled == SIGUSR1,
	      "a blocked msgrcv: the handler runs and it fails with EINTR, even under SA_RESTART");
	signal(SIGUSR1, SIG_DFL);
	msgctl(q, IPC_RMID, NULL);
}

// Children wait on a set and a queue; IPC_RMID answers them EIDRM.
static void removed(void)
{
	int id = semget(IPC_PRIVATE, 1, 0600), q = msgget(IPC_PRIVATE, 0600);
	pid_t waiter = fork();
	if (waiter == 0)
		_exit(sem_change(id, 0, -1, 0) == -1 && errno == EIDRM ? 0 : 1);
	while (semctl(id, 0, GETNCNT) != 1)
		pause_ms(1);
	semctl(id, 0, IPC_RMID);
	check(child_end(waiter) == 0, "IPC_RMID of a set: its waiter fails with EIDRM");
	waiter = fork();
	if (waiter == 0) {
		struct message m;
		_exit(msgrcv(q, &m, sizeof(m.text), 0, 0) == -1 && errno == EIDRM ? 0 : 1);
	}
	pause_ms(100);	// time for the child to block
	msgctl(q, IPC_RMID, NULL);
	check(child_end(waiter) == 0, "IPC_RMID of a queue: its waiter fails with EIDRM");
}

static void nothing_left(void)
{
	struct seminfo si;
	struct msginfo mi;
	int sets = semctl(0, 0, SEM_INFO, (union semun){ .info = &si });
	int queues = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
	check(sets >= 0 && si.semusz == 0 && queues >= 0 && mi.msgpool == 0 && mi.msgmap == 0,
	      "SEM_INFO and MSG_INFO: no set, queue or message left");
}

int main(void)
{
	ping_pong();
	undo_at_death();
	timeouts();
	messages_across_fork();
	interrupted();
	removed();
	nothing_left();
	return check_summary();
}
