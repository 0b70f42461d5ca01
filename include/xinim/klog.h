#pragma once
// The kernel log (Linux's printk ring, docs/boot.md): lines of the kernel and of the
// servers, each with a level, read by syslog(2) (PM) and by the host console.
#include <stdint.h>

// Linux's levels (include/linux/kern_levels.h): a lower number is more urgent.
enum xinim_log_level {
	LOGLEVEL_EMERG = 0,	// the machine is unusable (a panic)
	LOGLEVEL_ALERT = 1,
	LOGLEVEL_CRIT = 2,
	LOGLEVEL_ERR = 3,	// a fault, a server killed
	LOGLEVEL_WARNING = 4,	// something refused that should not have been asked
	LOGLEVEL_NOTICE = 5,
	LOGLEVEL_INFO = 6,	// routine: start-up, process ends
	LOGLEVEL_DEBUG = 7,
};

// A line reaches the console when its level is below the console log level (Linux's
// console_loglevel): by default 7 (all but debug), 4 with `quiet` on the command line,
// N with `loglevel=N`; syslog(2)'s CONSOLE_LEVEL sets it from 1 to 8.
#define XINIM_CONSOLE_LOGLEVEL_DEFAULT 7
#define XINIM_CONSOLE_LOGLEVEL_QUIET 4
#define XINIM_CONSOLE_LOGLEVEL_MIN 1	// what CONSOLE_OFF leaves: emergencies only
#define XINIM_CONSOLE_LOGLEVEL_MAX 8

// The ring: text, each line "<L>[SSSSS.UUUUUU] line\n" (L its level, the time since the
// counter started), as syslog(2)'s READ_ALL gives it; the oldest lines are dropped to
// make room. A line is cut at XINIM_LOG_LINE_MAX bytes of text.
#define XINIM_LOG_SIZE (64 * 1024)
#define XINIM_LOG_LINE_MAX 512

// syslog(2)'s actions (Linux's include/linux/syslog.h), KCALL_SYSLOG's too.
enum xinim_syslog_action {
	XINIM_SYSLOG_CLOSE = 0,
	XINIM_SYSLOG_OPEN = 1,
	XINIM_SYSLOG_READ = 2,
	XINIM_SYSLOG_READ_ALL = 3,
	XINIM_SYSLOG_READ_CLEAR = 4,
	XINIM_SYSLOG_CLEAR = 5,
	XINIM_SYSLOG_CONSOLE_OFF = 6,
	XINIM_SYSLOG_CONSOLE_ON = 7,
	XINIM_SYSLOG_CONSOLE_LEVEL = 8,
	XINIM_SYSLOG_SIZE_UNREAD = 9,
	XINIM_SYSLOG_SIZE_BUFFER = 10,
	XINIM_SYSLOG_ACTIONS
};

// Where the ring is, for a reader outside the guest (the host console's `dmesg`): a
// page-aligned block of the kernel's memory starting with this magic, as the trace
// directory (include/xinim/ipc/trace.h). The magic is stored once the rest is set.
#define XINIM_LOG_MAGIC "XINIM kernel log"	// 16 bytes, no NUL
#define XINIM_LOG_VERSION 1

struct xinim_log_ring {
	char magic[16];		// XINIM_LOG_MAGIC
	uint32_t version;	// XINIM_LOG_VERSION
	uint32_t size;		// XINIM_LOG_SIZE
	uint64_t written;	// bytes ever written: byte n is text[n % size]
	char text[XINIM_LOG_SIZE];
};
