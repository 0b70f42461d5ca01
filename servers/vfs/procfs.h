#pragma once
// /proc's nodes (procfs.c) and what their files say (procfiles.c). A node of /proc has
// NODE_PROC and an rdev that names what it is: the kind, and the process and fd it is of.
#include "vfs.h"

enum proc_kind {
	// Files of /proc itself, their bytes made at each read.
	PROC_MEMINFO, PROC_UPTIME, PROC_LOADAVG, PROC_MOUNTS, PROC_VERSION, PROC_STAT,
	PROC_CPUINFO, PROC_NET_DEV, PROC_NET_ROUTE,	// /proc/net's: NET's text (inet.c)
	PROC_FILES_END,
	PROC_ROOT = PROC_FILES_END,	// /proc: its PID directories follow VFS's fd tables
	PROC_SELF,			// /proc/self: a link to the reader's own PID
	PROC_NET,			// /proc/net: its files
	// A process's directory and what is in it.
	PID_DIR, PID_STAT, PID_STATUS, PID_CMDLINE, PID_COMM, PID_STATM, PID_MAPS, PID_MOUNTS,
	PID_EXE, PID_CWD,		// links to its program and working directory
	PID_FD,				// its fds: a link each, made to match its table
	FD_LINK,			// a link to the fd's file
};

static inline uint64_t proc_rdev(enum proc_kind kind, uint32_t pid, uint32_t fd)
{
	return (uint64_t)kind | (uint64_t)pid << 8 | (uint64_t)fd << 32;
}
static inline enum proc_kind proc_kind_of(const struct node *n) { return n->rdev & 0xff; }
static inline uint32_t proc_pid_of(const struct node *n) { return (n->rdev >> 8) & 0xffffff; }
static inline uint32_t proc_fd_of(const struct node *n) { return (uint32_t)(n->rdev >> 32); }

// Text a read of /proc is served from.
#define PROC_TEXT_MAX 20480
struct text {
	char bytes[PROC_TEXT_MAX];
	size_t length;
};
void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// The bytes of a file of /proc of the kind node is: 0, or -EAGAIN while PM's process
// table is awaited (proctable.c), -ESRCH for a process that has ended.
long proc_text(const struct node *node, xinim_endpoint_t reader, struct text *t);
