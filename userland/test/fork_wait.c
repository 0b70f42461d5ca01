// fork, wait4 and zombies as Linux programs use them, run as PID 1 (tests/boot/fork.sh):
// copy-on-write isolation, getppid, every end a parent sees (exit status, a signal),
// 200 children forked and reaped in a loop, an orphan reaped by init, ECHILD, process
// groups and sessions. It prints
// each check and exits 0 only if all went right.
#define _GNU_SOURCE	// CLONE_VM, CLONE_VFORK, environ
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILDREN 200

#define CHECK_PREFIX "fork_wait: "
#include "check.h"

static char page[4096] __attribute__((aligned(4096)));

// The child writes its own value over the parent's; each sees its own.
static void copy_on_write(void)
{
	memset(page, 'P', sizeof(page));
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		int saw_parent = page[100] == 'P';
		memset(page, 'C', sizeof(page));
		int sees_own = page[4095] == 'C' && page[0] == 'C';
		_exit(saw_parent && sees_own && getppid() == parent && getpid() != parent ? 7 : 1);
	}
	int status = 0;
	check(pid > 0 && waitpid(pid, &status, 0) == pid, "fork, then waitpid for the child");
	check(WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "the child saw the parent's page, wrote its own, and knew its parent");
	check(page[0] == 'P' && page[4095] == 'P', "the parent's page is still its own");
}

static void ends(void)
{
	int status = 0;
	pid_t pid = fork();
	if (pid == 0)
		*(volatile int *)0 = 1;	// killed by SIGSEGV
	check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGSEGV && !WCOREDUMP(status),
	      "a child killed by SIGSEGV: WIFSIGNALED, WTERMSIG SIGSEGV");
	pid = fork();
	if (pid == 0)
		exit(300);	// the low 8 bits
	check(wait(&status) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 300 % 256,
	      "exit(300): WEXITSTATUS 44");
	check(wait(&status) == -1 && errno == ECHILD, "wait with no children: ECHILD");
	check(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "WNOHANG, no children: ECHILD");
	check(waitpid(-1, &status, 0x1000) == -1 && errno == EINVAL, "an unknown option: EINVAL");
}

static void many(void)
{
	int right = 0;
	for (int i = 0; i < CHILDREN; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(i & 0xff);
		int status;
		right += pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
			 WEXITSTATUS(status) == (i & 0xff);
	}
	printf("fork_wait: %d of %d children forked and reaped with their status\n", right,
	       CHILDREN);
	check(right == CHILDREN, "200 children forked and reaped");
}

// A child that forks and ends at once: its child, an orphan, goes to init (this
// program, PID 1), which reaps it.
static void orphan(void)
{
	pid_t child = fork();
	if (child == 0) {
		pid_t grandchild = fork();
		if (grandchild == 0) {
			// Waits for its parent's end by yielding, not by a count of spins that a
			// loaded host can outrun.
			for (int tries = 0; getppid() != 1 && tries < 1000000; tries++)
				sched_yield();
			_exit(getppid() == 1 ? 5 : 6);
		}
		_exit(grandchild > 0 ? 0 : 1);
	}
	int status;
	check(waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 0,
	      "a child that forks and ends");
	pid_t pid = wait(&status);
	check(pid > 0 && pid != child && WIFEXITED(status) && WEXITSTATUS(status) == 5,
	      "its orphan went to init (getppid 1) and init reaped it");
}

// Groups and sessions: init leads group and session 1; a child makes a group of its
// own (its parent sees it, and waits for the group), another a session of its own.
static void groups(void)
{
	check(getpgid(0) == 1 && getsid(0) == 1, "init leads group 1 and session 1");
	check(setsid() == -1 && errno == EPERM, "setsid of a group leader: EPERM");
	check(setpgid(2, 0) == -1 && errno == ESRCH, "setpgid of a process not its child: ESRCH");
	check(setpgid(0, -1) == -1 && errno == EINVAL, "setpgid to a negative group: EINVAL");
	// The child tells through "made" that its group exists and stays until the parent
	// has looked (it reads "looked" to its end), so the check waits on no timing.
	int made[2], looked[2];
	check(pipe(made) == 0 && pipe(looked) == 0, "pipes to step with a child");
	pid_t child = fork();
	if (child == 0) {
		int own = setpgid(0, 0) == 0 && getpgid(0) == getpid() && getsid(0) == 1;
		char byte = own;
		close(made[0]);
		close(looked[1]);
		write(made[1], &byte, 1);
		while (read(looked[0], &byte, 1) > 0)
			;
		_exit(own ? 0 : 1);
	}
	close(made[1]);
	close(looked[0]);
	char byte;
	check(read(made[0], &byte, 1) == 1, "the child made its group");
	int status = 0;
	check(getpgid(child) == child, "the child's own group, seen by its parent");
	close(looked[1]);
	close(made[0]);
	check(waitpid(-child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "waitpid for the child's group");
	child = fork();
	if (child == 0) {
		pid_t sid = setsid();
		_exit(sid == getpid() && getsid(0) == sid && getpgid(0) == sid &&
		      setpgid(0, 0) == -1 && errno == EPERM ? 0 : 1);
	}
	check(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a child's setsid: a session and a group of its own, led by it");
	check(getpgid(99999) == -1 && errno == ESRCH, "getpgid of no process: ESRCH");
}

// After an execve, a close-on-exec fd is closed and the others are open; a caught
// signal's action is back to the default, an ignored one's stays. Run as the program
// the child of exec_keeps executes: "fork_wait --after-exec CLOEXEC_FD OPEN_FD".
static int after_exec(char **argv)
{
	char byte;
	struct sigaction term, pipe;
	sigaction(SIGTERM, NULL, &term);
	sigaction(SIGPIPE, NULL, &pipe);
	int cloexec_closed = read(atoi(argv[2]), &byte, 1) == -1 && errno == EBADF;
	int other_open = read(atoi(argv[3]), &byte, 1) == 1;
	return cloexec_closed && other_open && term.sa_handler == SIG_DFL &&
			       pipe.sa_handler == SIG_IGN ? 0 : 1;
}

static void on_term(int signal) { (void)signal; }

static void exec_keeps(void)
{
	int cloexec = open("/etc/issue", O_RDONLY | O_CLOEXEC), plain = open("/etc/issue", O_RDONLY);
	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	pid_t pid = fork();
	if (pid == 0) {
		char a[16], b[16];
		snprintf(a, sizeof(a), "%d", cloexec);
		snprintf(b, sizeof(b), "%d", plain);
		execl("/bin/fork_wait", "fork_wait", "--after-exec", a, b, (char *)NULL);
		_exit(2);
	}
	int status = 0;
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "fork and execve: O_CLOEXEC fds closed, the others open, a caught signal back to "
	      "its default, an ignored one still ignored");
	close(cloexec);
	close(plain);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}

// vfork as glibc makes it (musl's vfork is a fork): clone(CLONE_VM | CLONE_VFORK |
// SIGCHLD, 0), the child doing nothing but _exit or execve. The parent goes on only once
// its child has ended or made an execve.
static pid_t raw_vfork(void)
{
	return (pid_t)syscall(SYS_clone, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

static void vforks(void)
{
	int status = 0;
	pid_t pid = raw_vfork();
	if (pid == 0)
		syscall(SYS_exit, 7);
	check(pid > 0 && waitpid(pid, &status, WNOHANG) == pid && WEXITSTATUS(status) == 7,
	      "vfork: the parent goes on once its child has ended");
	pid = raw_vfork();
	if (pid == 0) {
		static char *const args[] = { "fork_wait", "--exit", "9", NULL };
		syscall(SYS_execve, "/bin/fork_wait", args, environ);
		syscall(SYS_exit, 2);
	}
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 9, "vfork, then execve in the child");
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

// nanosleep and clock_nanosleep: at least the time asked passes; a child sleeps while
// its parent waits for it.
static void sleeps(void)
{
	uint64_t start = now_ns();
	check(nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL) == 0 &&
	      now_ns() - start >= 20000000, "nanosleep 20 ms: at least 20 ms passed");
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_nsec += 30000000;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	check(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == 0 &&
	      now_ns() >= (uint64_t)at.tv_sec * 1000000000u + (uint64_t)at.tv_nsec,
	      "clock_nanosleep to an absolute time");
	check(sched_yield() == 0, "sched_yield: 0");
	check(nanosleep(&(struct timespec){ .tv_nsec = 1000000000 }, NULL) == -1 && errno == EINVAL,
	      "nanosleep of a bad timespec: EINVAL");
	check(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &at, NULL) == EINVAL,
	      "clock_nanosleep on a thread's CPU clock: EINVAL");
	start = now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		nanosleep(&(struct timespec){ .tv_nsec = 50000000 }, NULL);
		_exit(3);
	}
	int status;
	check(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 3 &&
	      now_ns() - start >= 50000000, "a child sleeps 50 ms while its parent waits for it");
}

// fexecve (execveat with AT_EMPTY_PATH) runs the program open at an fd; execveat finds
// a path relative to a directory fd; flags it does not know are -EINVAL.
static void fd_exec(void)
{
	int fd = open("/bin/fork_wait", O_RDONLY), dir = open("/bin", O_RDONLY | O_DIRECTORY);
	char *const argv[] = { "fork_wait", "--exit", "21", NULL };
	int status = 0;
	pid_t pid = fork();
	if (pid == 0) {
		fexecve(fd, argv, environ);
		_exit(2);
	}
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 21,
	      "fexecve: the program open at an fd runs");
	pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, dir, "fork_wait", argv, environ, 0);
		_exit(2);
	}
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 21,
	      "execveat: a path relative to a directory fd");
	check(syscall(SYS_execveat, dir, "", argv, environ, 0) == -1 && errno == ENOENT &&
	      syscall(SYS_execveat, fd, "", argv, environ, 0x10000) == -1 && errno == EINVAL &&
	      syscall(SYS_execveat, 99, "x", argv, environ, 0) == -1 && errno == EBADF,
	      "execveat refuses an empty path without AT_EMPTY_PATH, unknown flags, a bad fd");
	close(fd);
	close(dir);
}

// The working directory and the umask: relative paths start there, a child inherits
// both, errors as Linux's.
static void directories(void)
{
	char here[64] = "";
	int fd = -1;
	check(chdir("/bin") == 0 && getcwd(here, sizeof(here)) && strcmp(here, "/bin") == 0 &&
	      (fd = open("fork_wait", O_RDONLY)) >= 0 && close(fd) == 0,
	      "chdir, getcwd, and a relative path from there");
	check(umask(027) == 022, "umask: 022 at first");
	pid_t pid = fork();
	if (pid == 0)
		_exit(getcwd(here, sizeof(here)) && strcmp(here, "/bin") == 0 && umask(0) == 027
		      ? 0 : 1);
	int status = 1;
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a child inherits the working directory and the umask");
	int root = open("/", O_RDONLY | O_DIRECTORY);
	check(chdir("/etc/issue") == -1 && errno == ENOTDIR && chdir("/no/such") == -1 &&
	      errno == ENOENT && getcwd(here, 2) == NULL && errno == ERANGE,
	      "chdir and getcwd refuse as Linux (ENOTDIR, ENOENT, ERANGE)");
	check(fchdir(root) == 0 && getcwd(here, sizeof(here)) && strcmp(here, "/") == 0 &&
	      umask(022) == 027, "fchdir to the root; umask gives the old mask");
	check(access("bin/fork_wait", X_OK) == 0 && access("/dev/null", R_OK | W_OK) == 0 &&
	      access("/etc/issue", W_OK) == 0 && access("/no/such", F_OK) == -1 &&
	      errno == ENOENT && access("/etc/issue", 8) == -1 && errno == EINVAL,
	      "access: X_OK, R_OK|W_OK on a device, W_OK for root, ENOENT, EINVAL");
	char target[16] = "";
	check(readlink("/bin/sh", target, sizeof(target)) == 12 &&
	      memcmp(target, "/bin/busybox", 12) == 0 && readlink("/bin/sh", target, 3) == 3 &&
	      readlink("/etc/issue", target, 9) == -1 && errno == EINVAL,
	      "readlink: /bin/sh is /bin/busybox; cut to the size; EINVAL for a file");
	struct statfs fs;
	check(statfs("/bin", &fs) == 0 && fs.f_type == 0x01021994 && fs.f_bsize == 4096 &&
	      fs.f_blocks > 1000 && fs.f_bfree > 0 && fs.f_bfree <= fs.f_blocks && fs.f_files > 10 &&
	      fs.f_ffree < fs.f_files && !(fs.f_flags & ST_RDONLY) && fstatfs(99, &fs) == -1 &&
	      errno == EBADF, "statfs: the tree's blocks and files, in all and free; fstatfs of a bad fd: EBADF");
	int file = open("/etc/issue", O_RDONLY), null = open("/dev/null", O_WRONLY);
	sync();
	check(fsync(file) == 0 && fdatasync(file) == 0 && syncfs(file) == 0 &&
	      fsync(null) == -1 && errno == EINVAL && fsync(99) == -1 && errno == EBADF,
	      "sync, fsync, fdatasync, syncfs: done; a device's fsync EINVAL; EBADF");
	close(file);
	close(null);
	close(root);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--after-exec") == 0)
		return after_exec(argv);
	if (argc == 3 && strcmp(argv[1], "--exit") == 0)
		return atoi(argv[2]);
	check(getpid() == 1, "running as PID 1");
	copy_on_write();
	ends();
	many();
	orphan();
	groups();
	exec_keeps();
	fd_exec();
	directories();
	vforks();
	sleeps();
	return check_summary();
}
