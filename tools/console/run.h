#pragma once
// The run supervisor: boots the guest with boot/run.sh --trace-ram, shows its UART with
// the host's time, notices a kernel panic and QEMU's exit, boots again with --restart,
// and traces meanwhile into the session (docs/console.md, "run").
#include "options.h"
#include "session.h"

#define RUN_PANIC_GRACE_MS 1000	// after a panic line, QEMU is stopped this much later
#define RUN_STATUS_PANIC 3	// run's exit status after a kernel panic

// QEMU's last exit status (128 + signal if killed), or RUN_STATUS_PANIC after a panic;
// 2 if boot/run.sh cannot be started.
int run_supervise(struct session *s, const struct options *o);
