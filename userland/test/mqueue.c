// POSIX message queues (docs/vfs.md, Message queues), run as PID 1 (tests/boot/mqueue.sh):
// names and attributes, priorities, the limits' errors, a receive that waits for a
// child's send, timeouts, a signal cutting a wait short, mq_notify, unlink while open,
// poll, the queue file's text and bad pointers. It prints each check and exits 0 only
// if all went right. The waits are in mqueue_wait.c; last, VFS is killed
// (XINIM_SYSCALL_RS, as the rs command does) while a child waits on a queue: queues,
// messages, the registration and the wait go on.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "mqueue_test.h"

#define BAD ((void *)8)	// an address nothing is mapped at

static int failures;

void check(int ok, const char *what)
{
	printf("mqueue: %s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

mqd_t make(const char *name, long maxmsg, long msgsize, int flags)
{
	struct mq_attr attr = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
	mq_unlink(name);
	return mq_open(name, O_CREAT | O_EXCL | flags, 0600, &attr);
}

long curmsgs(mqd_t q)
{
	struct mq_attr attr;
	return mq_getattr(q, &attr) ? -1 : attr.mq_curmsgs;
}

int child_passed(pid_t child)
{
	int status = -1;
	waitpid(child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		printf("mqueue: (the child's status: %d, its failed checks' bits)\n", status);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void sleep_ms(long ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };
	nanosleep(&t, NULL);
}

struct timespec from_now(long ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += ms % 1000 * 1000000;
	t.tv_sec += ms / 1000 + t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

static void names_and_attributes(void)
{
	mqd_t q = make("/basic", 4, 64, O_RDWR);
	struct mq_attr attr;
	check(q >= 0 && mq_getattr(q, &attr) == 0 && attr.mq_maxmsg == 4 && attr.mq_msgsize == 64 &&
	      attr.mq_curmsgs == 0 && attr.mq_flags == 0, "a queue made with its attributes");
	check(fcntl(q, F_GETFD) == FD_CLOEXEC, "its fd is close-on-exec");
	struct stat st;
	check(fstat(q, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600 &&
	      st.st_size == 80, "the queue is a file of mode 0600 and 80 bytes");
	check(write(q, "x", 1) == -1 && errno == EINVAL && fallocate(q, 0, 0, 4096) == -1 &&
	      errno == EOPNOTSUPP, "write and fallocate on it: EINVAL, EOPNOTSUPP");
	struct stat root_st;
	stat("/", &root_st);
	struct statfs fs;
	check(st.st_dev != root_st.st_dev && fstatfs(q, &fs) == 0 && fs.f_type == 0x19800202,
	      "on a file system of its own (MQUEUE_MAGIC)");
	check(mq_open("/basic", O_CREAT | O_EXCL | O_RDWR, 0600, NULL) == -1 && errno == EEXIST,
	      "O_CREAT | O_EXCL of an existing queue: EEXIST");
	mqd_t again = mq_open("/basic", O_RDWR);
	check(again >= 0 && again != q, "opened again by name");
	close(again);
	mqd_t defaults = make("/defaults", 10, 8192, O_RDWR);
	mq_close(defaults);
	mq_unlink("/defaults");
	defaults = mq_open("/defaults", O_CREAT | O_RDWR, 0600, NULL);
	check(defaults >= 0 && mq_getattr(defaults, &attr) == 0 && attr.mq_maxmsg == 10 &&
	      attr.mq_msgsize == 8192, "without attributes: 10 messages of 8192 bytes");
	mq_close(defaults);
	mq_unlink("/defaults");
	check(mq_open("/nothing", O_RDWR) == -1 && errno == ENOENT, "no such queue: ENOENT");
	check(mq_open("/", O_CREAT | O_RDWR, 0600, NULL) == -1 && errno == ENOENT,
	      "the name \"/\": ENOENT");
	check(mq_open("/a/b", O_CREAT | O_RDWR, 0600, NULL) == -1 && errno == EACCES,
	      "a name with a second slash: EACCES");
	char longname[300];
	longname[0] = '/';
	memset(longname + 1, 'n', 256);
	longname[257] = '\0';
	check(mq_open(longname, O_CREAT | O_RDWR, 0600, NULL) == -1 && errno == ENAMETOOLONG,
	      "a name of 256 bytes: ENAMETOOLONG");
	struct mq_attr bad[] = { { .mq_maxmsg = 0, .mq_msgsize = 8 },
				 { .mq_maxmsg = 4, .mq_msgsize = 0 },
				 { .mq_maxmsg = -1, .mq_msgsize = 8 },
				 { .mq_maxmsg = 65537, .mq_msgsize = 8 },
				 { .mq_maxmsg = 4, .mq_msgsize = 16 * 1024 * 1024 + 1 } };
	int refused = 0;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused += mq_open("/bad", O_CREAT | O_RDWR, 0600, &bad[i]) == -1 && errno == EINVAL;
	check(refused == 5, "attributes out of range: EINVAL");
	check(mq_open("/basic", O_CREAT | O_RDWR, 0600, &bad[0]) >= 0,
	      "attributes are not looked at for an existing queue");
	check(mq_open("/basic", O_RDWR | O_WRONLY) == -1 && errno == EINVAL,
	      "O_RDWR | O_WRONLY of an existing queue: EINVAL");
	mq_close(q);
}

// A process of another user (uid 1000): permissions and the unprivileged ceilings.
static void other_user(void)
{
	mqd_t q = make("/private", 2, 8, O_RDWR);
	pid_t child = fork();
	if (child == 0) {
		int wrong = setgid(1000) != 0 || setuid(1000) != 0;
		wrong |= !(mq_open("/private", O_RDONLY) == -1 && errno == EACCES) << 1;
		wrong |= !(mq_unlink("/private") == -1 && errno == EACCES) << 2;
		struct mq_attr big = { .mq_maxmsg = 11, .mq_msgsize = 8 };
		struct mq_attr wide = { .mq_maxmsg = 2, .mq_msgsize = 8193 };
		wrong |= !(mq_open("/mine", O_CREAT | O_RDWR, 0600, &big) == -1 && errno == EINVAL &&
			   mq_open("/mine", O_CREAT | O_RDWR, 0600, &wide) == -1 && errno == EINVAL) << 3;
		struct stat st;
		mqd_t mine = mq_open("/mine", O_CREAT | O_RDWR, 0640, NULL);
		wrong |= !(mine >= 0 && fstat(mine, &st) == 0 && st.st_uid == 1000 &&
			   (st.st_mode & 0777) == 0640) << 4;
		// RLIMIT_MSGQUEUE: 819,200 bytes, each default queue 10 * (8192 + 96): 9 fit
		char name[16];
		int made = 1;
		for (; made < 12; made++) {
			snprintf(name, sizeof(name), "/mine%d", made);
			if (mq_open(name, O_CREAT | O_RDWR, 0600, NULL) < 0)
				break;
		}
		wrong |= !(made == 9 && errno == EMFILE) << 5;
		for (int i = 1; i < made; i++) {
			snprintf(name, sizeof(name), "/mine%d", i);
			mq_unlink(name);
		}
		wrong |= (mq_unlink("/mine") != 0) << 6;
		_exit(wrong);
	}
	check(child_passed(child),
	      "another user: EACCES, the ceilings 10 and 8192, its own queue, RLIMIT_MSGQUEUE's EMFILE");
	mq_close(q);
	mq_unlink("/private");
}

static void priorities(void)
{
	mqd_t q = make("/order", 8, 16, O_RDWR);
	static const struct { const char *text; unsigned priority; } sent[] = {
		{ "a1", 1 }, { "b5", 5 }, { "c5", 5 }, { "d0", 0 }, { "e32767", 32767 }, { "f1", 1 },
	};
	for (unsigned i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
		mq_send(q, sent[i].text, strlen(sent[i].text) + 1, sent[i].priority);
	static const char *const expected[] = { "e32767", "b5", "c5", "a1", "f1", "d0" };
	static const unsigned expected_priority[] = { 32767, 5, 5, 1, 1, 0 };
	int right = curmsgs(q) == 6;
	for (unsigned i = 0; i < 6; i++) {
		char buffer[16] = "";
		unsigned priority = 99;
		ssize_t n = mq_receive(q, buffer, sizeof(buffer), &priority);
		right &= n == (ssize_t)strlen(expected[i]) + 1 && strcmp(buffer, expected[i]) == 0 &&
			 priority == expected_priority[i];
	}
	check(right, "highest priority first, first in first out within one");
	char buffer[16];
	check(mq_send(q, "", 0, 3) == 0 && mq_receive(q, buffer, sizeof(buffer), NULL) == 0,
	      "a message of 0 bytes");
	mq_close(q);
	mq_unlink("/order");
}

static void limits(void)
{
	mqd_t q = make("/limits", 2, 8, O_RDWR | O_NONBLOCK);
	char buffer[16];
	check(mq_send(q, "123456789", 9, 0) == -1 && errno == EMSGSIZE,
	      "a message longer than mq_msgsize: EMSGSIZE");
	check(mq_receive(q, buffer, 7, NULL) == -1 && errno == EMSGSIZE,
	      "a buffer shorter than mq_msgsize: EMSGSIZE");
	check(mq_send(q, "x", 1, 32768) == -1 && errno == EINVAL, "priority 32768: EINVAL");
	check(mq_receive(q, buffer, sizeof(buffer), NULL) == -1 && errno == EAGAIN,
	      "O_NONBLOCK: an empty queue's receive is EAGAIN");
	check(mq_send(q, "1", 1, 0) == 0 && mq_send(q, "2", 1, 0) == 0 &&
	      mq_send(q, "3", 1, 0) == -1 && errno == EAGAIN, "O_NONBLOCK: a full queue's send is EAGAIN");
	struct mq_attr set = { .mq_flags = 0 }, old;
	check(mq_setattr(q, &set, &old) == 0 && old.mq_flags == O_NONBLOCK && old.mq_curmsgs == 2 &&
	      mq_getattr(q, &old) == 0 && old.mq_flags == 0, "mq_setattr clears O_NONBLOCK, gives the old");
	set.mq_flags = O_NONBLOCK | O_APPEND;
	check(mq_setattr(q, &set, NULL) == -1 && errno == EINVAL, "mq_setattr of another flag: EINVAL");
	struct timespec bad = { .tv_sec = 0, .tv_nsec = 2000000000 };
	check(mq_timedreceive(q, buffer, sizeof(buffer), NULL, &bad) == 1,
	      "a bad timeout is not looked at when the call need not wait");
	check(mq_timedsend(q, "4", 1, 0, &bad) == 0 && mq_timedsend(q, "5", 1, 0, &bad) == -1 &&
	      errno == EINVAL, "a bad timeout of a call that must wait: EINVAL");
	mqd_t reader = mq_open("/limits", O_RDONLY), writer = mq_open("/limits", O_WRONLY);
	check(mq_send(reader, "x", 1, 0) == -1 && errno == EBADF &&
	      mq_receive(writer, buffer, sizeof(buffer), NULL) == -1 && errno == EBADF,
	      "a send on a read-only fd, a receive on a write-only one: EBADF");
	check(mq_send(0, "x", 1, 0) == -1 && errno == EBADF, "an fd of no queue: EBADF");
	mq_close(reader);
	mq_close(writer);
	mq_close(q);
	mq_unlink("/limits");
}

static void unlink_while_open(void)
{
	mqd_t q = make("/gone", 2, 8, O_RDWR);
	mq_send(q, "kept", 5, 0);
	check(mq_unlink("/gone") == 0, "mq_unlink");
	check(mq_open("/gone", O_RDWR) == -1 && errno == ENOENT, "the name is gone");
	check(mq_unlink("/gone") == -1 && errno == ENOENT, "mq_unlink again: ENOENT");
	mqd_t fresh = mq_open("/gone", O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	char buffer[16] = "";
	check(fresh >= 0 && curmsgs(fresh) == 0, "a new queue of that name is another, empty");
	check(mq_receive(q, buffer, sizeof(buffer), NULL) == 5 && strcmp(buffer, "kept") == 0,
	      "the unlinked queue lives while it is open");
	int copy = dup(q);
	check(copy >= 0 && mq_send(copy, "dup", 4, 0) == 0 && curmsgs(q) == 1, "a dup'd fd is the same queue");
	close(copy);
	mq_close(q);
	mq_close(fresh);
	mq_unlink("/gone");
}

static void polling(void)
{
	mqd_t q = make("/poll", 1, 8, O_RDWR);
	struct pollfd p = { .fd = q, .events = POLLIN | POLLOUT };
	check(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "poll: an empty queue is writable");
	mq_send(q, "x", 1, 0);
	check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "poll: a full queue is readable");
	p.events = POLLIN;
	char buffer[8];
	mq_receive(q, buffer, sizeof(buffer), NULL);
	pid_t child = fork();
	if (child == 0) {
		sleep_ms(50);
		_exit(mq_send(q, "y", 1, 0));
	}
	check(poll(&p, 1, 5000) == 1 && p.revents == POLLIN, "poll waits for a child's message");
	waitpid(child, NULL, 0);
	mq_close(q);
	mq_unlink("/poll");
}

static void bad_pointers(void)
{
	mqd_t q = make("/bad", 2, 8, O_RDWR | O_NONBLOCK);
	char buffer[8];
	unsigned priority;
	check(mq_send(q, BAD, 4, 0) == -1 && errno == EFAULT && curmsgs(q) == 0,
	      "mq_send from a bad buffer: EFAULT, nothing sent");
	mq_send(q, "abc", 4, 9);
	check(mq_receive(q, BAD, sizeof(buffer), NULL) == -1 && errno == EFAULT && curmsgs(q) == 1,
	      "mq_receive into a bad buffer: EFAULT, the message stays");
	check(mq_receive(q, buffer, sizeof(buffer), BAD) == -1 && errno == EFAULT && curmsgs(q) == 1 &&
	      mq_receive(q, buffer, sizeof(buffer), &priority) == 4 && priority == 9,
	      "a bad priority pointer: EFAULT, the message stays");
	check(syscall(SYS_mq_open, BAD, O_RDWR, 0, NULL) == -1 && errno == EFAULT,
	      "mq_open of a bad name: EFAULT");
	check(syscall(SYS_mq_open, "x", O_CREAT | O_RDWR, 0600, BAD) == -1 && errno == EFAULT,
	      "mq_open with bad attributes: EFAULT");
	check(syscall(SYS_mq_getsetattr, q, NULL, BAD) == -1 && errno == EFAULT,
	      "mq_getattr into a bad pointer: EFAULT");
	check(syscall(SYS_mq_notify, q, BAD) == -1 && errno == EFAULT, "mq_notify of a bad pointer: EFAULT");
	check(syscall(SYS_mq_unlink, BAD) == -1 && errno == EFAULT, "mq_unlink of a bad name: EFAULT");
	struct mq_attr attr;
	mq_getattr(q, &attr);
	check(syscall(SYS_mq_getsetattr, q, &(struct mq_attr){ 0 }, BAD) == -1 && errno == EFAULT &&
	      mq_getattr(q, &attr) == 0 && attr.mq_flags == O_NONBLOCK,
	      "mq_setattr with a bad old pointer: EFAULT, the flags as they were");
	mq_close(q);
	mq_unlink("/bad");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "after-exec") == 0)
		return after_exec(atoi(argv[2]));
	names_and_attributes();
	other_user();
	priorities();
	limits();
	waits();
	notification();
	unlink_while_open();
	registration_across_exec();
	polling();
	bad_pointers();
	across_a_restart();
	printf("mqueue: %d failures\n", failures);
	return failures != 0;
}
