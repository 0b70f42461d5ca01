// syslog(2) through musl's klogctl, run as PID 1 (tests/boot/syslog.sh): the buffer's
// size, lines the kernel and PM logged about children it made (each dies of SIGSEGV: the
// kernel's fault line and PM's "killed by" line, both errors), the console log level
// deciding which of them the console shows (CONSOLE_LEVEL, CONSOLE_OFF, CONSOLE_ON),
// READ taking what it read, CLEAR, the rights of a non-root caller, bad arguments, and
// Debian BusyBox's own dmesg. Each check is printed; it exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
	ACTION_READ = 2, ACTION_READ_ALL = 3, ACTION_READ_CLEAR = 4, ACTION_CLEAR = 5,
	ACTION_CONSOLE_OFF = 6, ACTION_CONSOLE_ON = 7, ACTION_CONSOLE_LEVEL = 8,
	ACTION_SIZE_UNREAD = 9, ACTION_SIZE_BUFFER = 10,
};

#define LOG_SIZE (64 * 1024)

#define CHECK_PREFIX "klogctl: "
#include "check.h"

static char text[LOG_SIZE + 1];

// klogctl's result, or -errno.
static int klog(int action, char *buffer, int len)
{
	int r = klogctl(action, buffer, len);
	return r < 0 ? -errno : r;
}

// The whole log (READ_ALL), NUL-terminated in text.
static int read_all(void)
{
	int n = klog(ACTION_READ_ALL, text, LOG_SIZE);
	text[n > 0 ? n : 0] = '\0';
	return n;
}

// A child that dies of SIGSEGV; returns its PID once it is reaped.
static pid_t faulting_child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		*(volatile int *)0 = 1;
		_exit(1);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		return -1;
	return pid;
}

// Whether the log holds PM's line for child pid, at level 3 (an error).
static int logged_killed(pid_t pid)
{
	char line[80];
	snprintf(line, sizeof(line), "] pm: process %d (klogctl) killed by SIGSEGV\n", pid);
	char *at = strstr(text, line);
	if (!at)
		return 0;
	while (at > text && at[-1] != '\n')
		at--;
	return strncmp(at, "<3>[", 4) == 0;
}

static void sizes_and_lines(void)
{
	check(klog(ACTION_SIZE_BUFFER, NULL, 0) == LOG_SIZE, "SIZE_BUFFER is 65536");
	int n = read_all();
	check(n > 0 && text[0] == '<' && text[n - 1] == '\n', "READ_ALL: whole lines");
	check(strstr(text, "<6>[") && strstr(text, "] pm: init /bin/klogctl started as process 1\n"),
	      "READ_ALL: PM's start-up line, at level 6");
	check(strstr(text, "] xinim: booting on cpu 0") != NULL, "READ_ALL: the kernel's first line");
	char small[64];
	n = klog(ACTION_READ_ALL, small, sizeof(small));
	check(n >= 0 && n <= (int)sizeof(small) && (n == 0 || small[n - 1] == '\n'),
	      "READ_ALL of 64 bytes: the newest whole lines that fit");
}

// The console log level: the children's lines are all in the log; the test script
// checks which of them the console showed (the lines printed here name them).
static void console_levels(void)
{
	check(klog(ACTION_CONSOLE_LEVEL, NULL, 1) == 0, "CONSOLE_LEVEL 1");
	pid_t quiet = faulting_child();
	printf("klogctl: quiet child %d\n", quiet);
	check(klog(ACTION_CONSOLE_LEVEL, NULL, 7) == 0, "CONSOLE_LEVEL 7");
	check(klog(ACTION_CONSOLE_OFF, NULL, 0) == 0, "CONSOLE_OFF");
	pid_t off = faulting_child();
	printf("klogctl: console-off child %d\n", off);
	check(klog(ACTION_CONSOLE_ON, NULL, 0) == 0, "CONSOLE_ON");
	pid_t loud = faulting_child();
	printf("klogctl: loud child %d\n", loud);
	read_all();
	check(quiet > 0 && logged_killed(quiet), "the quiet child's end is logged, as an error");
	check(off > 0 && logged_killed(off), "the console-off child's end is logged");
	check(loud > 0 && logged_killed(loud), "the loud child's end is logged");
}

static void read_and_clear(void)
{
	int unread = klog(ACTION_SIZE_UNREAD, NULL, 0);
	check(unread > 0, "SIZE_UNREAD: something unread");
	int taken = 0, n;
	while ((n = klog(ACTION_READ, text, 1000)) > 0)
		taken += n;
	check(n == 0 && taken >= unread, "READ takes it all, a piece at a time");
	check(klog(ACTION_SIZE_UNREAD, NULL, 0) == 0, "then SIZE_UNREAD is 0");
	check(klog(ACTION_READ, text, 1000) == 0, "and READ returns 0 (it does not wait)");
	check(read_all() > 0, "READ_ALL still gives the lines READ took");
	check(klog(ACTION_READ_CLEAR, text, LOG_SIZE) > 0, "READ_CLEAR gives them");
	check(read_all() == 0, "then READ_ALL gives nothing");
	faulting_child();
	check(read_all() > 0 && klog(ACTION_CLEAR, NULL, 0) == 0 && read_all() == 0,
	      "a new line, then CLEAR: READ_ALL gives nothing again");
}

static void refusals(void)
{
	check(klog(ACTION_READ_ALL, NULL, 10) == -EINVAL, "READ_ALL into NULL: EINVAL");
	check(klog(ACTION_READ_ALL, text, -1) == -EINVAL, "READ_ALL of -1 bytes: EINVAL");
	check(klog(ACTION_READ_ALL, text, 0) == 0, "READ_ALL of 0 bytes: 0");
	check(klog(ACTION_READ_ALL, (char *)8, LOG_SIZE) == -EFAULT, "READ_ALL into a bad pointer: EFAULT");
	check(klog(11, NULL, 0) == -EINVAL && klog(-1, NULL, 0) == -EINVAL, "action 11, -1: EINVAL");
	check(klog(ACTION_CONSOLE_LEVEL, NULL, 0) == -EINVAL &&
	      klog(ACTION_CONSOLE_LEVEL, NULL, 9) == -EINVAL, "CONSOLE_LEVEL 0 and 9: EINVAL");
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(2);
		int ok = klog(ACTION_SIZE_BUFFER, NULL, 0) == LOG_SIZE &&
			 klog(ACTION_READ_ALL, text, LOG_SIZE) >= 0 &&
			 klog(ACTION_CLEAR, NULL, 0) == -EPERM &&
			 klog(ACTION_READ, text, 10) == -EPERM &&
			 klog(ACTION_READ_CLEAR, text, 10) == -EPERM &&
			 klog(ACTION_CONSOLE_LEVEL, NULL, 1) == -EPERM &&
			 klog(ACTION_SIZE_UNREAD, NULL, 0) == -EPERM && klog(11, NULL, 0) == -EPERM;
		_exit(ok ? 0 : 1);
	}
	int status;
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0,
	      "uid 1000: READ_ALL and SIZE_BUFFER allowed, the rest EPERM");
}

// BusyBox's dmesg prints the log without the levels; the script checks that it shows
// the quiet child's line, which the console did not.
static void busybox_dmesg(void)
{
	printf("klogctl: dmesg follows\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/busybox", "dmesg", (char *)NULL);
		_exit(127);
	}
	int status;
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0,
	      "busybox dmesg ran and exited 0");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);	// in order with the log lines on the console
	sizes_and_lines();
	console_levels();
	read_and_clear();
	// CLEAR above left READ_ALL nothing older: the quiet child again, for dmesg.
	check(klog(ACTION_CONSOLE_LEVEL, NULL, 1) == 0, "CONSOLE_LEVEL 1 again");
	printf("klogctl: quiet child again %d\n", faulting_child());
	check(klog(ACTION_CONSOLE_LEVEL, NULL, 7) == 0, "CONSOLE_LEVEL 7 again");
	busybox_dmesg();
	refusals();
	return check_summary();
}
