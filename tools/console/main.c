// xinim-console: the host console that reads the guest's IPC trace out of its RAM
// (docs/console.md). One row per subcommand; each sets up a session's outputs and
// hands it to the live loop, a record file, or the run supervisor.
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "follow.h"
#include "kmsg.h"
#include "options.h"
#include "run.h"
#include "session.h"

// The outputs opened for a command, and their closing: the first error wins.
struct outputs {
	FILE *export_file;
	int status;
};

static void fail(struct outputs *out, const char *what, int err)
{
	fprintf(stderr, "xinim-console: %s: %s\n", what, strerror(err));
	if (!out->status)
		out->status = 1;
}

static void open_export(struct session *s, struct outputs *out, const char *path)
{
	out->export_file = fopen(path, "we");
	if (!out->export_file) {
		fail(out, path, errno);
		return;
	}
	s->exporter = exporter_create(out->export_file);
	if (!s->exporter)
		fail(out, path, ENOMEM);
}

static void open_record(struct session *s, struct outputs *out, const char *path)
{
	s->recorder = recorder_create(path);
	if (!s->recorder)
		fail(out, path, errno);
}

// Ends every output: stats printed, export and record file completed.
static int finish(struct session *s, struct outputs *out, int status)
{
	if (s->stats) {
		if (isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		stats_print(s->stats, stdout, &s->decoder.names);
	}
	if (s->exporter && exporter_finish(s->exporter))
		fail(out, "export", EIO);
	if (out->export_file && fclose(out->export_file))
		fail(out, "export", errno);
	if (s->recorder) {
		int err = recorder_close(s->recorder);
		if (err)
			fail(out, "record", -err);
	}
	session_free(s);
	fflush(stdout);
	return status ? status : out->status;
}

static int cmd_trace(struct session *s, struct options *o, struct outputs *out)
{
	s->trace_out = stdout;
	return finish(s, out, follow(s, o));
}

static int cmd_stats(struct session *s, struct options *o, struct outputs *out)
{
	s->stats = stats_new();
	int status = follow(s, o);
	if (status) {	// nothing was read: no table of nothing
		stats_free(s->stats);
		s->stats = NULL;
	}
	return finish(s, out, status);
}

static int cmd_record(struct session *s, struct options *o, struct outputs *out)
{
	if (o->operand_count != 1) {
		fprintf(stderr, "xinim-console: record FILE\n");
		return 2;
	}
	open_record(s, out, o->operands[0]);
	s->trace_out = o->quiet ? NULL : stdout;
	return out->status ? finish(s, out, 0) : finish(s, out, follow(s, o));
}

static int replay_into(struct session *s, struct outputs *out, const char *path)
{
	int err = replay_file(path, session_take, s);
	if (err)
		fail(out, path, err == -EINVAL ? EILSEQ : -err);
	return finish(s, out, 0);
}

// replay FILE [trace | stats | export OUT.json]
static int cmd_replay(struct session *s, struct options *o, struct outputs *out)
{
	const char *view = o->operand_count > 1 ? o->operands[1] : "trace";
	if (o->operand_count < 1 || (!strcmp(view, "export") && o->operand_count != 3)) {
		fprintf(stderr, "xinim-console: replay FILE [trace|stats|export OUT.json]\n");
		return 2;
	}
	if (!strcmp(view, "trace"))
		s->trace_out = stdout;
	else if (!strcmp(view, "stats"))
		s->stats = stats_new();
	else if (!strcmp(view, "export"))
		open_export(s, out, o->operands[2]);
	else {
		fprintf(stderr, "xinim-console: replay shows trace, stats or export, not %s\n", view);
		return 2;
	}
	return out->status ? finish(s, out, 0) : replay_into(s, out, o->operands[0]);
}

// export FILE.json [--from REC]: live, or from a record file.
static int cmd_export(struct session *s, struct options *o, struct outputs *out)
{
	if (o->operand_count != 1) {
		fprintf(stderr, "xinim-console: export FILE.json [--from REC]\n");
		return 2;
	}
	open_export(s, out, o->operands[0]);
	if (out->status)
		return finish(s, out, 0);
	return o->from ? replay_into(s, out, o->from) : finish(s, out, follow(s, o));
}

static int cmd_run(struct session *s, struct options *o, struct outputs *out)
{
	if (o->trace_to) {
		s->trace_out = fopen(o->trace_to, "we");
		if (!s->trace_out)
			fail(out, o->trace_to, errno);
	} else {
		s->trace_out = stdout;
	}
	if (o->record_to)
		open_record(s, out, o->record_to);
	if (o->stats)
		s->stats = stats_new();
	int status = out->status ? 0 : run_supervise(s, o);
	if (s->trace_out != stdout && s->trace_out && fclose(s->trace_out))
		fail(out, o->trace_to, errno);
	return finish(s, out, status);
}

// dmesg [--ram FILE | --pid PID]: the kernel log as the guest holds it now.
static int cmd_dmesg(struct session *s, struct options *o, struct outputs *out)
{
	static struct kmsg_copy copy;
	char path[PATH_MAX];
	pid_t pid;
	struct guest_ram ram;
	if (follow_ram_path(o, path, sizeof(path), &pid))
		return finish(s, out, 1);
	int err = ram_open(&ram, path);
	if (err) {
		fail(out, path, -err);
		return finish(s, out, 0);
	}
	bool found = kmsg_find(&ram, &copy);
	ram_close(&ram);
	if (!found) {
		fprintf(stderr, "xinim-console: no kernel log in %s\n", path);
		return finish(s, out, 1);
	}
	kmsg_print(&copy, stdout, false);
	return finish(s, out, 0);
}

static const struct command {
	const char *name;
	int (*run)(struct session *, struct options *, struct outputs *);
	const char *usage;
} commands[] = {
	{ "trace", cmd_trace, "trace [--ram FILE | --pid PID] [FILTERS] [--duration S] "
			      "[--until-exit] [--from-now] [--once]" },
	{ "stats", cmd_stats, "stats [--ram FILE | --pid PID] [FILTERS] [--duration S] ..." },
	{ "record", cmd_record, "record FILE [-q] [--ram FILE | --pid PID] [FILTERS] ..." },
	{ "replay", cmd_replay, "replay FILE [trace | stats | export OUT.json] [FILTERS]" },
	{ "export", cmd_export, "export FILE.json [--from REC] [FILTERS] ..." },
	{ "run", cmd_run, "run [--restart] [--trace-to FILE] [--record FILE] [--stats] "
			  "[--duration S] [--top DIR] [FILTERS] [-- boot/run.sh arguments]" },
	{ "dmesg", cmd_dmesg, "dmesg [--ram FILE | --pid PID]" },
};
#define COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int usage(void)
{
	fprintf(stderr, "usage: xinim-console COMMAND ...  (docs/console.md)\n");
	for (size_t i = 0; i < COMMANDS; i++)
		fprintf(stderr, "  xinim-console %s\n", commands[i].usage);
	fprintf(stderr, "FILTERS: --process NAME|PID --server NAME|PID --type NAME "
			"--verdict NAME --cpu N\n");
	return 2;
}

int main(int argc, char **argv)
{
	const struct command *command = NULL;
	for (size_t i = 0; argc > 1 && i < COMMANDS; i++)
		if (!strcmp(commands[i].name, argv[1]))
			command = &commands[i];
	if (!command)
		return usage();
	struct options o;
	if (options_parse(&o, argc - 2, argv + 2))
		return 2;
	if (o.until_exit && o.ram) {
		fprintf(stderr, "xinim-console: --until-exit needs a QEMU (--pid, or none of "
				"--ram)\n");
		return 2;
	}
	struct session s;
	if (session_init(&s)) {
		fprintf(stderr, "xinim-console: out of memory\n");
		return 1;
	}
	s.filter = o.filter;
	follow_catch_signals();
	struct outputs out = { 0 };
	return command->run(&s, &o, &out);
}
