// The live loop of trace, stats, record and export.
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "follow.h"
#include "qemu_find.h"

volatile sig_atomic_t follow_stop;

static void on_stop_signal(int signal)
{
	(void)signal;
	follow_stop = 1;
}

void follow_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

long long monotonic_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int follow_ram_path(const struct options *o, char *path, size_t size, pid_t *pid)
{
	*pid = 0;
	if (o->ram) {
		snprintf(path, size, "%s", o->ram);
		return 0;
	}
	*pid = o->pid ? o->pid : qemu_find();
	if (*pid == 0)
		fprintf(stderr, "xinim-console: no QEMU with traced RAM is running "
				"(boot/run.sh --trace-ram, or xinim-console run)\n");
	if (*pid < 0)
		fprintf(stderr, "xinim-console: several QEMUs have traced RAM: choose with --pid\n");
	if (*pid <= 0)
		return -1;
	snprintf(path, size, QEMU_RAM_FD_PATH, (int)*pid);
	return 0;
}

void follow_redraw_stats(struct session *s, FILE *out)
{
	long long now = monotonic_ms();
	if (!s->stats || !isatty(fileno(out)) || now - s->stats_drawn_ms < STATS_REFRESH_MS)
		return;
	s->stats_drawn_ms = now;
	fputs("\033[H\033[2J", out);	// home, clear: the table is drawn again in place
	stats_print(s->stats, out, &s->decoder.names);
	fflush(out);
}

static bool time_is_up(const struct options *o, long long started_ms)
{
	return o->duration > 0 && monotonic_ms() - started_ms >= (long long)(o->duration * 1000);
}

int follow(struct session *s, const struct options *o)
{
	char path[4096];
	pid_t pid;
	if (follow_ram_path(o, path, sizeof(path), &pid))
		return 1;
	struct live_source live;
	int err = live_open(&live, path, o->from_now);
	if (err) {
		fprintf(stderr, "xinim-console: %s: %s\n", path, strerror(-err));
		return 1;
	}
	long long started_ms = monotonic_ms();
	bool ever_attached = false;
	for (;;) {
		// Whether QEMU was running before the pass: then its last records are read too.
		bool qemu_gone = pid && !process_running(pid);
		live_poll(&live, session_take, s);
		ever_attached |= live.attached;
		if (s->trace_out)
			fflush(s->trace_out);
		if (s->recorder)
			recorder_flush(s->recorder);
		follow_redraw_stats(s, stdout);
		if (o->once || qemu_gone || follow_stop || time_is_up(o, started_ms))
			break;
		usleep(POLL_MS * 1000);
	}
	live_close(&live);
	if (!ever_attached)
		fprintf(stderr, "xinim-console: no trace directory in %s\n", path);
	return ever_attached ? 0 : 1;
}
