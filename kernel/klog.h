#pragma once
// The kernel log (include/xinim/klog.h): the one log function of the kernel, and the
// kernel calls by which servers write to it (KCALL_LOG_WRITE) and PM serves syslog(2)
// (KCALL_SYSLOG).
#include <xinim/klog.h>
#include <kernel/arch/aarch64/trapframe.h>

// The console log level from the command line: `quiet`, then `loglevel=N` (0..8).
void klog_init(const char *cmdline);

// "<level>[    0.004512] " + the formatted text + "\n" into the ring, one line even when
// CPUs race; to the console too (without "<level>") when level passes the console log
// level.
void klog(enum xinim_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

long klog_kcall_write(struct trapframe *frame);
long klog_kcall_syslog(struct trapframe *frame);
