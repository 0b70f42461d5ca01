// The supervisor: one QEMU at a time, its output read line by line through a pipe while
// its RAM is polled for trace records.
#include <errno.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "follow.h"
#include "qemu_find.h"
#include "run.h"

#define LINE_MAX_BYTES 4096

struct boot {
	pid_t qemu;		// run.sh, which execs QEMU
	int uart;		// the read end of QEMU's stdout
	char line[LINE_MAX_BYTES];
	size_t line_length;
	bool panicked;
	const regex_t *until;	// --until: a matching line stops QEMU; NULL: none
	long long stop_at_ms;	// when to stop QEMU (after a panic or --duration); 0: not
	bool live_open;
	struct live_source live;
};

// The path of boot/run.sh: under --top, else the source tree this was built from.
static void run_script(const struct options *o, char *path, size_t size)
{
	snprintf(path, size, "%s/boot/run.sh", o->top ? o->top : XINIM_TOP);
}

static int start(struct boot *b, const struct options *o, const regex_t *until)
{
	char script[4096];
	run_script(o, script, sizeof(script));
	int fds[2];
	if (pipe(fds))
		return -errno;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		char **argv = calloc((size_t)o->rest_count + 3, sizeof(*argv));
		argv[0] = script;
		argv[1] = "--trace-ram";
		memcpy(argv + 2, o->rest, (size_t)o->rest_count * sizeof(*argv));
		execv(script, argv);
		fprintf(stderr, "xinim-console: %s: %s\n", script, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	*b = (struct boot){ .qemu = pid, .uart = fds[0], .until = until };
	return 0;
}

static void write_wall_time(FILE *out)
{
	struct timeval now;
	gettimeofday(&now, NULL);
	struct tm tm;
	localtime_r(&now.tv_sec, &tm);
	fprintf(out, "[%02d:%02d:%02d.%03ld] ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		(long)now.tv_usec / 1000);
}

static void show_line(struct boot *b)
{
	while (b->line_length && b->line[b->line_length - 1] == '\r')
		b->line_length--;
	b->line[b->line_length] = '\0';
	write_wall_time(stdout);
	printf("%s\n", b->line);
	if (strstr(b->line, "panic") && !b->panicked) {
		b->panicked = true;
		b->stop_at_ms = monotonic_ms() + RUN_PANIC_GRACE_MS;
		printf("console: kernel panic\n");
	}
	if (b->until && !b->stop_at_ms && !regexec(b->until, b->line, 0, NULL, 0)) {
		b->stop_at_ms = monotonic_ms();
		printf("console: the line --until waits for: stopping QEMU\n");
	}
	b->line_length = 0;
}

// Reads what QEMU wrote; false at its end.
static bool read_uart(struct boot *b)
{
	char chunk[1024];
	ssize_t n = read(b->uart, chunk, sizeof(chunk));
	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0) {
		if (b->line_length)
			show_line(b);
		return false;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (chunk[i] == '\n' || b->line_length == LINE_MAX_BYTES - 1)
			show_line(b);
		if (chunk[i] != '\n')
			b->line[b->line_length++] = chunk[i];
	}
	return true;
}

// Opens QEMU's RAM once it runs (before, descriptor 4 of the child is anything), then
// reads the rings.
static void trace_poll(struct boot *b, struct session *s, const struct options *o)
{
	char path[64];
	if (!b->live_open && process_is_qemu(b->qemu)) {
		snprintf(path, sizeof(path), QEMU_RAM_FD_PATH, (int)b->qemu);
		b->live_open = live_open(&b->live, path, o->from_now) == 0;
	}
	if (b->live_open)
		live_poll(&b->live, session_take, s);
	if (s->trace_out)
		fflush(s->trace_out);
	if (s->recorder)
		recorder_flush(s->recorder);
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs one boot to QEMU's end; its exit status.
static int supervise_boot(struct boot *b, struct session *s, const struct options *o,
			  long long end_ms)
{
	for (;;) {
		struct pollfd p = { .fd = b->uart, .events = POLLIN };
		int ready = poll(&p, 1, POLL_MS);
		bool more = ready <= 0 || read_uart(b);
		trace_poll(b, s, o);
		if (!more)
			break;
		long long now = monotonic_ms();
		if (!b->stop_at_ms && (follow_stop || (end_ms && now >= end_ms)))
			b->stop_at_ms = now;
		if (b->stop_at_ms && now >= b->stop_at_ms) {
			kill(b->qemu, SIGTERM);
			b->stop_at_ms = now + RUN_PANIC_GRACE_MS;	// and again if need be
		}
		fflush(stdout);
	}
	int status = 0;
	while (waitpid(b->qemu, &status, 0) < 0 && errno == EINTR)
		;
	if (b->live_open) {
		live_poll(&b->live, session_take, s);	// what the last moments wrote
		live_close(&b->live);
	}
	close(b->uart);
	if (WIFEXITED(status))
		printf("console: QEMU exited with status %d\n", WEXITSTATUS(status));
	else
		printf("console: QEMU killed by signal %d\n", WTERMSIG(status));
	fflush(stdout);
	return exit_status(status);
}

int run_supervise(struct session *s, const struct options *o)
{
	char script[4096];
	run_script(o, script, sizeof(script));
	if (access(script, X_OK)) {
		fprintf(stderr, "xinim-console: %s: %s (use --top DIR)\n", script, strerror(errno));
		return 2;
	}
	regex_t until;
	if (o->until && regcomp(&until, o->until, REG_EXTENDED | REG_NOSUB)) {
		fprintf(stderr, "xinim-console: --until %s: not a regular expression\n", o->until);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	// UART and trace lines interleave in order
	long long end_ms = o->duration > 0 ? monotonic_ms() + (long long)(o->duration * 1000) : 0;
	bool panicked = false;
	int status;
	struct boot b;
	do {
		if (start(&b, o, o->until ? &until : NULL)) {
			fprintf(stderr, "xinim-console: cannot start %s: %s\n", script, strerror(errno));
			return 2;
		}
		status = supervise_boot(&b, s, o, end_ms);
		panicked |= b.panicked;
		if (o->restart && !follow_stop && !(end_ms && monotonic_ms() >= end_ms))
			printf("console: booting again\n");
	} while (o->restart && !follow_stop && !(end_ms && monotonic_ms() >= end_ms));
	if (o->until)
		regfree(&until);
	return panicked ? RUN_STATUS_PANIC : status;
}
