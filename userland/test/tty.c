// The console as a terminal, run as PID 1 while tests/boot/tty.py types at the serial
// line (docs/vfs.md, The terminal): a canonical line with erasing, a line killed, raw
// single bytes without echo, VMIN 0 / VTIME's timeout, ^C raising SIGINT in the
// foreground process group (the program's own) and cutting a read short, a background
// read's SIGTTIN (and an orphaned group's EIO), ^Z stopping the foreground group, and
// ^D's end of input.
// Each step prints "tty: ... >" when it waits for keys, and a check line after; it
// exits 0 only if all went right.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define CHECK_PREFIX "tty: "
#include "check.h"

// Asks for keys: the harness waits for the prompt, then types.
static void prompt(const char *what)
{
	printf("tty: %s >\n", what);
	fflush(stdout);
}

static volatile sig_atomic_t interrupts;

static void on_interrupt(int signal)
{
	(void)signal;
	interrupts++;
}

static void canonical_lines(void)
{
	char line[128];
	prompt("type a line");
	ssize_t n = read(0, line, sizeof(line));
	check(n == 12 && memcmp(line, "hello world\n", 12) == 0, "a line, edited with erase");
	prompt("type a killed line");
	n = read(0, line, sizeof(line));
	check(n == 5 && memcmp(line, "kept\n", 5) == 0, "a line killed with ^U, then typed anew");
	prompt("type two lines");
	n = read(0, line, sizeof(line));
	ssize_t second = read(0, line + (n > 0 ? n : 0), sizeof(line) - 64);
	check(n == 4 && second == 4 && memcmp(line, "one\ntwo\n", 8) == 0,
	      "one line a read");
}

static void raw_bytes(const struct termios *cooked)
{
	struct termios raw = *cooked;
	cfmakeraw(&raw);
	raw.c_oflag |= OPOST;	// keep ONLCR for this program's own lines
	raw.c_cc[VMIN] = 1, raw.c_cc[VTIME] = 0;
	check(tcsetattr(0, TCSANOW, &raw) == 0, "tcsetattr raw");
	prompt("type three raw bytes");
	char got[3] = { 0 };
	int singles = 1;
	for (int i = 0; i < 3; i++)
		singles &= read(0, &got[i], 1) == 1;
	check(singles && memcmp(got, "q\x03\r", 3) == 0, "raw bytes one at a time, ^C and CR as they are");
	raw.c_cc[VMIN] = 0, raw.c_cc[VTIME] = 2;
	tcsetattr(0, TCSANOW, &raw);
	char byte;
	check(read(0, &byte, 1) == 0, "VMIN 0, VTIME 2: nothing typed, 0 after the time");
	check(tcsetattr(0, TCSANOW, cooked) == 0, "tcsetattr cooked again");
}

// poll: no line yet, then the line typed.
static void polled_line(void)
{
	struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = -1, .events = POLLIN } };
	check(poll(fds, 2, 100) == 0, "poll: no line, 0 after the timeout");
	prompt("type a polled line");
	char line[16];
	check(poll(fds, 2, -1) == 1 && fds[0].revents == POLLIN && fds[1].revents == 0 &&
	      read(0, line, sizeof(line)) == 7 && memcmp(line, "polled\n", 7) == 0,
	      "poll: POLLIN once a line is typed");
}

static void keyboard_interrupt(void)
{
	struct sigaction action = { .sa_handler = on_interrupt };	// no SA_RESTART
	sigaction(SIGINT, &action, NULL);
	check(tcsetpgrp(0, getpgrp()) == 0 && tcgetpgrp(0) == getpgrp(),
	      "tcsetpgrp: the foreground group is ours");
	prompt("type ^C");
	char line[16];
	errno = 0;
	ssize_t n = read(0, line, sizeof(line));
	check(n == -1 && errno == EINTR && interrupts == 1, "^C: SIGINT, the read cut short");
}

// Runs body in a child of this program (init), whose group (init's) is not orphaned
// when a child of its own makes a group: Linux counts no member whose parent is init,
// so a group of init's children alone is orphaned. Its failures count here.
static void in_child(void (*body)(void))
{
	pid_t child = fork();
	if (child == 0) {
		body();
		_exit(failures);
	}
	int status = 0;
	waitpid(child, &status, 0);
	failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// A child in a group of its own that reads the terminal; 3 if the read returned.
static pid_t background_reader(void)
{
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		char byte;
		_exit(read(0, &byte, 1) < 0 && errno == EIO ? 4 : 3);
	}
	setpgid(child, child);
	return child;
}

// A background group's read: SIGTTIN stops the reader.
static void background_read(void)
{
	int status = 0;
	pid_t reader = background_reader();
	pid_t got = waitpid(reader, &status, WUNTRACED);
	check(got == reader && WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN,
	      "a background read: SIGTTIN stops the reader");
	kill(reader, SIGKILL);
	waitpid(reader, &status, 0);
}

// An orphaned group's read (init's child's group): -EIO, no signal (Linux).
static void orphaned_read(void)
{
	int status = 0;
	pid_t reader = background_reader();
	waitpid(reader, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 4, "an orphaned group's read: EIO");
}

// ^Z stops the foreground group: a child's, put there by this process, which is then
// in the background (a write goes through: no TOSTOP) until it takes the terminal back.
static void keyboard_stop(void)
{
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		char line[16];
		read(0, line, sizeof(line));
		_exit(0);
	}
	setpgid(child, child);
	check(tcsetpgrp(0, child) == 0, "tcsetpgrp: a child's group in the foreground");
	prompt("type ^Z");
	int status = 0;
	pid_t got = waitpid(child, &status, WUNTRACED);
	check(got == child && WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP,
	      "^Z: SIGTSTP stops the foreground group");
	signal(SIGTTOU, SIG_IGN);	// as a shell taking the terminal back
	check(tcsetpgrp(0, getpgrp()) == 0 && tcgetpgrp(0) == getpgrp(),
	      "tcsetpgrp from the background with SIGTTOU ignored");
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
}

static void end_of_input(void)
{
	char line[16];
	prompt("type ^D");
	check(read(0, line, sizeof(line)) == 0, "^D at a line's start: the end of input");
}

int main(void)
{
	struct termios cooked;
	struct winsize size;
	setvbuf(stdout, NULL, _IONBF, 0);
	check(tcgetattr(0, &cooked) == 0 && (cooked.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO),
	      "a cooked, echoing console");
	check(ioctl(0, TIOCGWINSZ, &size) == 0 && size.ws_col == 80, "80 columns");
	canonical_lines();
	raw_bytes(&cooked);
	polled_line();
	check(getsid(0) == 1 && ioctl(0, TIOCSCTTY, 0) == 0, "TIOCSCTTY: the console is ours");
	pid_t sid = 0;
	check(ioctl(0, TIOCGSID, &sid) == 0 && sid == 1, "TIOCGSID: session 1");
	keyboard_interrupt();
	orphaned_read();
	in_child(background_read);
	in_child(keyboard_stop);
	tcsetpgrp(0, getpgrp());	// the foreground is this program's again
	end_of_input();
	return check_summary();
}
