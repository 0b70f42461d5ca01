#pragma once
// Following a live guest: polls its rings into a session until the end the options ask
// for, then ends the outputs (docs/console.md, "When a session ends").
#include <signal.h>
#include "live.h"
#include "options.h"
#include "session.h"

#define POLL_MS 2		// how often the rings are read: a busy guest fills a ring in ms
#define STATS_REFRESH_MS 1000	// how often stats are redrawn on a terminal

// Set by SIGINT and SIGTERM: end the session as if its time was up.
extern volatile sig_atomic_t follow_stop;
void follow_catch_signals(void);

// The RAM file of the options (--ram, --pid, or the QEMU found) in path; its QEMU's PID
// in *pid (0 for --ram). 0, or -1 with the reason printed.
int follow_ram_path(const struct options *o, char *path, size_t size, pid_t *pid);

// Follows the guest until --duration, QEMU's exit, a signal, or after one pass with
// --once. 0, or 1 if no trace directory was ever found.
int follow(struct session *s, const struct options *o);

// Redraws the stats in place if out is a terminal (every STATS_REFRESH_MS).
void follow_redraw_stats(struct session *s, FILE *out);

// Milliseconds of a monotonic clock.
long long monotonic_ms(void);
