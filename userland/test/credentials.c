// Credentials, resource limits and CPU time as Linux programs use them, run as PID 1
// (tests/boot/credentials.sh): uid and gid switches with every get* value and the
// refusals, RLIMIT_NPROC's EAGAIN, forks until the system refuses one, malloc under
// RLIMIT_AS and RLIMIT_DATA until NULL, RLIMIT_NOFILE, RLIMIT_STACK at exec, times,
// getrusage, the CPU-time clocks and CPU affinity. Each check is printed; it exits 0
// only if all went right. "credentials probe N" touches its stack N KiB below its top.
#define _GNU_SOURCE	// getresuid, setfsuid, CPU_COUNT
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PREFIX "credentials: "
#include "check.h"

#define NONE (-1L)
// The raw system calls, so that each answer is the kernel's (musl's wrappers add
// their own synchronisation of threads).
static long sys(long number, long a, long b, long c)
{
	long r = syscall(number, a, b, c);
	return r < 0 ? -errno : r;
}

static int uids_are(uid_t r, uid_t e, uid_t s)
{
	uid_t gr, ge, gs;
	return !getresuid(&gr, &ge, &gs) && gr == r && ge == e && gs == s && getuid() == r &&
	       geteuid() == e;
}

static int gids_are(gid_t r, gid_t e, gid_t s)
{
	gid_t gr, ge, gs;
	return !getresgid(&gr, &ge, &gs) && gr == r && ge == e && gs == s && getgid() == r &&
	       getegid() == e;
}

// Runs body in a child; its exit status, or -1 if it did not exit.
static int in_child(int (*body)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(body());
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int switch_ids(void)
{
	check(uids_are(0, 0, 0) && gids_are(0, 0, 0), "init starts as root");
	gid_t groups[4] = { 0 }, set[3] = { 30, 10, 20 };
	check(getgroups(0, NULL) == 0 && setgroups(3, set) == 0 && getgroups(0, NULL) == 3 &&
	      getgroups(4, groups) == 3 && groups[0] == 10 && groups[2] == 30,
	      "setgroups as root, getgroups sorted");
	check(getgroups(2, groups) == -1 && errno == EINVAL, "getgroups with too small a list: EINVAL");
	check(sys(SYS_setresgid, 100, 200, 300) == 0 && gids_are(100, 200, 300),
	      "setresgid(100, 200, 300)");
	check(sys(SYS_setfsgid, NONE, 0, 0) == 200, "setfsgid(-1) answers the fsgid: the egid");
	check(sys(SYS_setresuid, NONE, 1000, NONE) == 0 && uids_are(0, 1000, 0),
	      "seteuid(1000): real and saved root");
	check(sys(SYS_setuid, 2000, 0, 0) == -EPERM, "setuid(2000) with euid 1000: EPERM");
	check(sys(SYS_setuid, 0, 0, 0) == 0 && uids_are(0, 0, 0),
	      "setuid(0) back to the saved uid: root again");
	check(sys(SYS_setreuid, 1000, 2000, 0) == 0 && uids_are(1000, 2000, 2000),
	      "setreuid(1000, 2000): saved 2000");
	check(sys(SYS_setfsuid, 5, 0, 0) == 2000 && sys(SYS_setfsuid, NONE, 0, 0) == 2000,
	      "setfsuid(5) unprivileged: the old 2000, unchanged");
	check(sys(SYS_setreuid, 3000, NONE, 0) == -EPERM && sys(SYS_setuid, 0, 0, 0) == -EPERM &&
	      sys(SYS_setresuid, 0, 0, 0) == -EPERM && uids_are(1000, 2000, 2000),
	      "unprivileged: setreuid, setuid(0), setresuid(0, 0, 0) refused, EPERM");
	check(sys(SYS_setreuid, 2000, 1000, 0) == 0 && uids_are(2000, 1000, 1000),
	      "setreuid swaps real and effective");
	check(setgroups(0, NULL) == -1 && errno == EPERM && sys(SYS_setgid, 0, 0, 0) == -EPERM &&
	      sys(SYS_setgid, 300, 0, 0) == 0 && gids_are(100, 300, 300),
	      "setgroups, setgid(0) refused; setgid to the saved gid allowed");
	check(sys(SYS_setuid, NONE, 0, 0) == -EINVAL, "setuid(-1): EINVAL");
	pid_t pid = fork();
	if (pid == 0)
		_exit(uids_are(2000, 1000, 1000) && gids_are(100, 300, 300) &&
		      getgroups(0, NULL) == 3 ? 0 : 1);
	int status = -1;
	check(waitpid(pid, &status, 0) == pid && status == 0, "a child inherits every id");
	check(sys(SYS_setresuid, NONE, NONE, 2000) == 0 && uids_are(2000, 1000, 2000),
	      "setresuid(-1, -1, 2000)");
	check(kill(1, 0) == -1 && errno == EPERM, "kill of root's init as uid 2000: EPERM");
	check(kill(1, SIGCONT) == 0, "SIGCONT within its session: allowed");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		for (;;)
			nanosleep(&(struct timespec){ .tv_sec = 10 }, NULL);
	}
	check(kill(pid, SIGTERM) == 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGTERM, "kill of its own uid's child: allowed");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "credentials", "ids", "2000", "1000", "1000", NULL };
		execv("/bin/credentials", argv);
		_exit(2);
	}
	check(waitpid(pid, &status, 0) == pid && status == 0,
	      "execve: the saved uid becomes the effective one");
	return failures;
}

// Forks until a fork fails or max children were made, each running child(parent);
// how many were made, and the failure's errno in *err (0: none).
static int forks_until_refused(int max, void (*child)(pid_t parent), int *err)
{
	pid_t self = getpid();
	int made = 0;
	for (*err = 0; made < max && !*err; made += !*err) {
		pid_t pid = fork();
		if (pid == 0)
			child(self);
		if (pid < 0)
			*err = errno;
	}
	return made;
}

static void exits(pid_t parent)
{
	(void)parent;
	_exit(0);
}

// RLIMIT_NPROC 4 under uid 1000: this process and three children (zombies count).
static int nproc_refused(void)
{
	struct rlimit four = { 4, 4 };
	if (setrlimit(RLIMIT_NPROC, &four) || sys(SYS_setresuid, 1000, 1000, 1000))
		return 100;
	int err, made = forks_until_refused(10, exits, &err);
	printf("credentials: RLIMIT_NPROC 4: %d forks, then %s\n", made, strerror(err));
	check(made == 3 && err == EAGAIN, "RLIMIT_NPROC: the fourth process of the uid is refused, EAGAIN");
	struct rlimit raise = { 8, 8 };
	check(setrlimit(RLIMIT_NPROC, &raise) == -1 && errno == EPERM,
	      "raising a hard limit unprivileged: EPERM");
	while (wait(NULL) > 0)
		;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	check(pid > 0 && waitpid(pid, NULL, 0) == pid, "after the reaping, fork works again");
	return failures;
}

// A child that holds some memory and waits for its parent's end.
static void waits_for_parent(pid_t parent)
{
	char *touched = malloc(64 * 1024);
	if (touched)
		memset(touched, 1, 64 * 1024);
	struct timespec pause = { .tv_nsec = 100 * 1000 * 1000 };
	while (getppid() == parent)
		nanosleep(&pause, NULL);
	_exit(0);
}

// Forks children that wait for this process's end, until a fork fails; then ends, and
// init reaps the orphans.
static int fork_until_refused(void)
{
	int err, made = forks_until_refused(1 << 20, waits_for_parent, &err);
	printf("credentials: %d children forked, then %s\n", made, strerror(err));
	check(made > 100 && (err == EAGAIN || err == ENOMEM), "forks until refused: EAGAIN or ENOMEM");
	return failures;
}

// The rs command as uid 1000: RS asks PM (XINIM_PM_CREDENTIALS) and refuses.
static int rs_unprivileged(void)
{
	if (sys(SYS_setresuid, 1000, 1000, 1000))
		return 100;
	char *argv[] = { "rs", "status", NULL };
	execv("/bin/rs", argv);
	return 101;
}

static void forks(void)
{
	check(in_child(nproc_refused) == 0, "RLIMIT_NPROC checks");
	pid_t forker = fork();
	if (forker == 0)
		_exit(fork_until_refused());
	int status = -1, orphans = 0;
	check(waitpid(forker, &status, 0) == forker && status == 0, "the forker ended well");
	while (wait(NULL) > 0)
		orphans++;
	printf("credentials: init reaped %d orphans\n", orphans);
	check(orphans > 100 && errno == ECHILD, "every orphan reaped by init");
	pid_t pid = fork();
	if (pid == 0)
		_exit(42);
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 42,
	      "the system goes on: a fork after all that");
}

#define MIBS_MAX 4096
static char *volatile mibs[MIBS_MAX];	// volatile: the compiler may not drop the mallocs

// malloc 1 MiB at a time under limit until NULL: how many; -1 if, all freed, a malloc
// fails again.
static int malloc_until_null(int resource, rlim_t limit)
{
	struct rlimit l = { limit, limit };
	if (setrlimit(resource, &l))
		return -1;
	int n = 0;
	for (; n < MIBS_MAX && (mibs[n] = malloc(1 << 20)); n++)
		mibs[n][0] = 1;
	for (int i = 0; i < n; i++)
		free(mibs[i]);
	char *again = malloc(1 << 20);
	free(again);
	return again ? n : -1;
}

static int as_limited(void)
{
	int n = malloc_until_null(RLIMIT_AS, 64 << 20);
	printf("credentials: RLIMIT_AS 64 MiB: %d MiB malloc'd, then NULL\n", n);
	void *big = mmap(NULL, 128 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return n > 8 && n < 64 && big == MAP_FAILED && errno == ENOMEM ? 0 : 1;
}

static int data_limited(void)
{
	int n = malloc_until_null(RLIMIT_DATA, 32 << 20);
	printf("credentials: RLIMIT_DATA 32 MiB: %d MiB malloc'd, then NULL\n", n);
	void *ro = mmap(NULL, 64 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long now = syscall(SYS_brk, 0), past = syscall(SYS_brk, now + (64 << 20));
	long within = syscall(SYS_brk, now + (1 << 20));
	printf("credentials: RLIMIT_DATA 32 MiB: brk +64 MiB %s, +1 MiB %s\n",
	       past == now ? "refused" : "moved", within == now + (1 << 20) ? "moved" : "refused");
	// read-only: not data; brk answers the old break past the limit
	return n > 4 && n < 32 && ro != MAP_FAILED && past == now && within == now + (1 << 20) ? 0 : 1;
}

static int nofile_limited(void)
{
	struct rlimit five = { 5, 5 };
	if (setrlimit(RLIMIT_NOFILE, &five))
		return 1;
	int a = open("/sbin/init", O_RDONLY), b = open("/sbin/init", O_RDONLY);
	int c = open("/sbin/init", O_RDONLY), c_err = errno;
	return a == 3 && b == 4 && c == -1 && c_err == EMFILE && dup2(0, 5) == -1 &&
			       errno == EBADF && fcntl(0, F_DUPFD, 5) == -1 && errno == EINVAL
		       ? 0 : 1;
}

// Runs "credentials probe 512" with RLIMIT_STACK at limit (0: the default's).
static int stack_probe(rlim_t limit)
{
	struct rlimit small = { limit, limit };
	if (limit && setrlimit(RLIMIT_STACK, &small))
		return 1;
	char *argv[] = { "credentials", "probe", "512", NULL };
	execv("/bin/credentials", argv);
	return 2;
}

static int stack_limited(void) { return stack_probe(256 << 10); }
static int stack_default(void) { return stack_probe(0); }

static void limits(void)
{
	check(in_child(as_limited) == 0, "RLIMIT_AS: malloc gets NULL, a bigger mmap ENOMEM");
	check(in_child(data_limited) == 0, "RLIMIT_DATA: malloc gets NULL, read-only mappings go on");
	check(in_child(nofile_limited) == 0, "RLIMIT_NOFILE 5: fd 5 refused (EMFILE, EBADF, EINVAL)");
	check(in_child(stack_default) == 0, "the default 8 MiB stack: 512 KiB down is stack");
	check(in_child(stack_limited) == 128 + SIGSEGV,
	      "RLIMIT_STACK 256 KiB at exec: 512 KiB down is not (SIGSEGV)");
}

static volatile uint64_t sink;

static void busy(void)
{
	for (uint64_t i = 0; i < 20 * 1000 * 1000; i++)
		sink += i;
}

static uint64_t ns_of(struct timespec t) { return (uint64_t)t.tv_sec * 1000000000 + (uint64_t)t.tv_nsec; }

static int busy_child(void)
{
	busy();
	return 0;
}

static void cpu_time(void)
{
	struct tms before, after;
	struct timespec cpu0, cpu1, res;
	clockid_t mine;
	clock_t t0 = times(&before);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
	busy();
	clock_t t1 = times(&after);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
	printf("credentials: a busy loop: utime %ld -> %ld ticks, elapsed %ld ticks\n",
	       (long)before.tms_utime, (long)after.tms_utime, (long)(t1 - t0));
	check(after.tms_utime > before.tms_utime && t1 > t0, "times() grows after a busy loop");
	check(ns_of(cpu1) > ns_of(cpu0), "CLOCK_PROCESS_CPUTIME_ID grows too");
	struct timespec via_id;
	check(clock_getcpuclockid(0, &mine) == 0 && clock_gettime(mine, &via_id) == 0 &&
	      ns_of(via_id) >= ns_of(cpu1) && clock_getres(CLOCK_THREAD_CPUTIME_ID, &res) == 0 &&
	      res.tv_nsec > 0, "clock_getcpuclockid's clock, clock_getres");
	struct rusage self, children, waited;
	getrusage(RUSAGE_SELF, &self);
	check(self.ru_utime.tv_sec || self.ru_utime.tv_usec, "getrusage(RUSAGE_SELF)");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(busy_child());
	int status;
	check(wait4(pid, &status, 0, &waited) == pid &&
	      (waited.ru_utime.tv_sec || waited.ru_utime.tv_usec), "wait4's rusage of a busy child");
	getrusage(RUSAGE_CHILDREN, &children);
	check(children.ru_utime.tv_sec * 1000000 + children.ru_utime.tv_usec >=
	      waited.ru_utime.tv_sec * 1000000 + waited.ru_utime.tv_usec,
	      "getrusage(RUSAGE_CHILDREN) holds the reaped children's");
	check(getrusage(7, &self) == -1 && errno == EINVAL, "getrusage(7): EINVAL");
}

// Whether the caller runs on cpu, and stays there across yields and system calls.
static bool stays_on(int cpu)
{
	for (int i = 0; i < 50; i++) {
		if (sched_getcpu() != cpu)
			return false;
		sched_yield();
	}
	return true;
}

static cpu_set_t only(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return set;
}

static void affinity(void)
{
	cpu_set_t set;
	check(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 4,
	      "sched_getaffinity: 4 CPUs");
	set = only(1);
	check(sched_setaffinity(0, sizeof(set), &set) == 0 && sched_getaffinity(0, sizeof(set), &set) == 0 &&
	      CPU_COUNT(&set) == 1 && CPU_ISSET(1, &set), "sched_setaffinity to CPU 1");
	check(stays_on(1), "it runs on CPU 1 alone from then on");
	pid_t child = fork();
	if (child == 0)
		_exit(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 1 &&
		      CPU_ISSET(1, &set) && stays_on(1) ? 0 : 1);
	int status = -1;
	check(waitpid(child, &status, 0) == child && status == 0,
	      "a forked child inherits CPU 1 and runs there");
	set = only(3);
	check(sched_setaffinity(0, sizeof(set), &set) == 0 && stays_on(3), "moved to CPU 3");
	CPU_ZERO(&set);
	check(sched_setaffinity(0, sizeof(set), &set) == -1 && errno == EINVAL && stays_on(3),
	      "sched_setaffinity to no CPU: EINVAL, nothing changed");
	for (int cpu = 0; cpu < 4; cpu++)
		CPU_SET(cpu, &set);
	check(sched_setaffinity(0, sizeof(set), &set) == 0 && sched_getaffinity(0, sizeof(set), &set) == 0 &&
	      CPU_COUNT(&set) == 4, "back to all 4 CPUs");
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "probe")) {
		volatile char *below = (volatile char *)__builtin_frame_address(0) - atoi(argv[2]) * 1024;
		*below = 1;	// SIGSEGV if the stack region is smaller
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "ids"))
		return !uids_are((uid_t)atoi(argv[2]), (uid_t)atoi(argv[3]), (uid_t)atoi(argv[4]));
	setvbuf(stdout, NULL, _IOLBF, 0);
	check(in_child(switch_ids) == 0, "uid and gid switches in a child");
	check(uids_are(0, 0, 0), "init is still root");
	check(in_child(rs_unprivileged) == 1, "rs status as uid 1000: refused (RS asks PM)");
	forks();
	limits();
	cpu_time();
	affinity();
	return check_summary();
}
