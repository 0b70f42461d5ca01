#pragma once
// VFS's messages (besides the system calls the kernel delegates to it): PM tells it
// when processes begin and end. Each is a call; the reply's result is 0 or -errno.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>

enum xinim_vfs_msg {
	// A new process: its fd table is a copy of parent's, or for a process without one
	// (init) 0, 1 and 2 open on /dev/console.
	XINIM_VFS_PROC_START = XINIM_MSG_VFS_FIRST,	// struct xinim_vfs_proc
	XINIM_VFS_PROC_END,	// every fd of who is closed
	XINIM_VFS_PROC_EXEC,	// who has made an execve: its close-on-exec fds are closed
	// who's credentials and RLIMIT_NOFILE have changed (struct xinim_vfs_creds): kept
	// with its fd table, inherited by a child's table; the groups are copied from PM.
	XINIM_VFS_PROC_CREDS,
	// A signal's handler is to run in the thread (who, tid): a system call of it that
	// VFS has parked is answered at once, cut short as Linux's signal would
	// (struct xinim_vfs_interrupt; PM learns where the thread waits from
	// KCALL_PROC_SIGNAL).
	XINIM_VFS_INTERRUPT,
	// PM gets a copy of who's fd in its own table, close-on-exec (struct xinim_vfs_lend):
	// the reply's result is PM's fd (execveat reads the program, or its path, from it).
	XINIM_VFS_FD_LEND,
	// PM takes the signals the keyboard raised (after VFS's XINIM_NOTE_TTY_SIGNALS): no
	// payload; the reply's payload is a struct xinim_vfs_tty_signals, its result how many
	// of its entries are in use. PM sends each as kill(-pgrp, signal) would.
	XINIM_VFS_TTY_SIGNALS,
	// PM takes the signals VFS raised for single processes (after VFS's
	// XINIM_NOTE_SIGNALS: a message queue's mq_notify): no payload; the reply's payload is
	// a struct xinim_vfs_signals, its result how many of its entries are in use (PM asks
	// again while they all are). PM sends each with its siginfo, as Linux's send_sig_info.
	XINIM_VFS_SIGNALS,
	// PM asks what /proc's readers wait for (after VFS's XINIM_NOTE_PROC_WANTED): no
	// payload; the reply's payload is a struct xinim_vfs_wants, its result 1 when
	// something is wanted, else 0.
	XINIM_VFS_PROC_WANTS,
	// PM hands VFS the process table as PM and MM hold it (struct xinim_vfs_report):
	// count records at records_at in PM's memory, and the text of one process's
	// /proc/PID/maps, which VFS copies while PM waits.
	XINIM_VFS_PROC_REPORT,
	XINIM_VFS_MSG_END
};

// A signal for one process, with the siginfo fields it carries (si_code SI_MESGQ: the
// sender's pid and real uid, the registration's sigev_value).
struct xinim_vfs_signal {
	xinim_endpoint_t who;	// the process; 0: an unused entry
	int32_t signal, code;
	uint32_t pid, uid;
	uint32_t reserved;
	uint64_t value;
};
#define XINIM_VFS_SIGNALS_MAX 2
struct xinim_vfs_signals {
	struct xinim_vfs_signal signal[XINIM_VFS_SIGNALS_MAX];
};
_Static_assert(sizeof(struct xinim_vfs_signals) <= XINIM_PAYLOAD_MAX, "signals fit a payload");

#define XINIM_TTY_SIGNALS_MAX 8
struct xinim_vfs_tty_signals {
	struct xinim_tty_signal {
		int32_t pgrp;
		uint32_t signals;	// 1 << signal for each
	} pending[XINIM_TTY_SIGNALS_MAX];
};

struct xinim_vfs_lend {
	xinim_endpoint_t who;
	uint32_t fd;
};

struct xinim_vfs_interrupt {
	xinim_endpoint_t who;
	uint32_t tid;
};

struct xinim_vfs_proc {
	xinim_endpoint_t who;
	xinim_endpoint_t parent;	// XINIM_ENDPOINT_NONE for none
	// XINIM_VFS_PROC_START of a program PM starts, XINIM_VFS_PROC_EXEC: PM's fd + 1 of
	// the program who runs (/proc/PID/exe); 0: none.
	uint32_t program;
	uint32_t reserved;
};

struct xinim_vfs_wants {
	uint32_t maps_pid;	// whose /proc/PID/maps (0: nobody's); the table is always wanted
	uint32_t reserved;
};

struct xinim_vfs_report {
	uint64_t records_at;	// count struct xinim_proc_record, one per process
	uint32_t count;
	uint32_t maps_pid;	// maps_length bytes of its /proc/PID/maps text at maps_at
	uint64_t maps_at;
	uint32_t maps_length, reserved;
};

// A process as /proc tells it (stat, status, cmdline), from PM's record and the kernel's
// accounting, and MM's figures of its memory.
#define XINIM_CMDLINE_MAX 256	// the first bytes of its arguments, kept at execve
struct xinim_proc_record {
	uint32_t pid, ppid, pgid, sid;
	uint32_t uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
	uint32_t threads;
	char state;			// Linux's letter: R (running), S (waiting), T, Z
	uint8_t reserved;
	uint16_t cmdline_length;	// bytes of cmdline: its arguments, each with its NUL
	uint64_t user_ns, system_ns;	// CPU time, and that of its reaped children
	uint64_t children_user_ns, children_system_ns;
	uint64_t started_ns;		// since boot
	uint64_t pending, blocked, ignored, caught;	// signal sets: bit n - 1 for signal n
	uint64_t vm_bytes, rss_pages;	// MM's: its regions' bytes, its pages present
	uint64_t brk_start, brk;
	char name[16];
	char cmdline[XINIM_CMDLINE_MAX];
};

// The most supplementary groups a process has (setgroups: -EINVAL beyond).
#define XINIM_GROUPS_MAX 32

// A process's ids as Linux's struct cred holds them (filesystem ids included), its
// supplementary groups (groups_count ids at groups_at in PM's memory), its fd limit:
// fds at or above fd_limit are refused (-EMFILE, or as each call says), and its process
// group and session (the terminal's job control); sent again when any of them changes.
struct xinim_vfs_creds {
	xinim_endpoint_t who;
	uint32_t fd_limit;
	uint32_t uid, euid, fsuid, gid, egid, fsgid;
	uint32_t groups_count, reserved;
	uint64_t groups_at;
	uint32_t pgid, sid;
};
_Static_assert(sizeof(struct xinim_vfs_creds) <= XINIM_PAYLOAD_MAX, "creds fit a payload");
