#pragma once
// What RS (PID 7, docs/resurrection.md) learns from the kernel about the servers it
// supervises: how each instance ended (KCALL_PROC_DEATH), after the kernel's
// XINIM_NOTE_GONE notification says one is gone whole.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/pm.h>

enum xinim_rs_msg {
	// RS -> a server it supervises, answered by libipc for every server: a fault to
	// inject, for tests (the boot option inject=, docs/resurrection.md). Only RS may.
	XINIM_RS_INJECT = XINIM_MSG_RS_FIRST,	// struct xinim_rs_inject
	// RS -> a server it supervises, answered 0 by libipc at once: whether it still
	// serves. No answer in time is a hang: RS ends and restarts it.
	XINIM_RS_PING,		// no payload
	// Kernel -> RS: the rs command's system call (XINIM_SYSCALL_RS), payload struct
	// xinim_syscall, answered as a system call. Root only (RS asks PM).
	XINIM_RS_CONTROL,
	XINIM_RS_MSG_END
};

// The rs command's system call (userland/rs): a number of XINIM's own, far past Linux's
// (which gives -ENOSYS for it), that the kernel routes to RS. x0 is the command, x1
// and x2 its arguments; -EPERM unless the caller's effective user is root.
#define XINIM_SYSCALL_RS 0x5253

enum xinim_rs_command {
	XINIM_RS_STATUS = 1,	// (unsigned index, struct xinim_rs_status *out) -> 0; -ENOENT
				// past the last server
	XINIM_RS_RESTART = 2,	// (unsigned pid) -> 0: ended, and started again at once
	XINIM_RS_KILL = 3,	// (unsigned pid) -> 0: ended as a crash would end it; it
				// comes back as after any death, back-off included
};

// One supervised server as RS sees it (RS itself the last).
struct xinim_rs_status {
	char name[8];
	uint32_t pid;
	uint32_t generation;		// of the live instance; 0 while it is down
	uint32_t restarts;		// since boot
	uint32_t up;			// 1: it serves; 0: dead, waiting for its restart
	uint64_t uptime_us;		// of the live instance
	uint64_t backoff_us;		// what its next quick death would wait
	char last_death[96];		// why its last instance died, in words; "" if none did
};

enum xinim_inject_kind {
	XINIM_INJECT_CRASH = 1,		// a null-pointer write while handling the request
	XINIM_INJECT_HANG = 2,		// spins without answering, until RS ends it
	XINIM_INJECT_MIDWAY = 3,	// a crash in the middle of the request's changes to the
					// kept state (libipc/keep.h), which the restart rolls back
	XINIM_INJECT_POISON = 4,	// a crash at the request, and again when it is delivered
					// to the next instance (RS asks it again): a request that
					// kills the server each time, answered -EIO at its third
};

struct xinim_rs_inject {
	uint32_t kind;			// enum xinim_inject_kind
	uint32_t at;			// at the server's at-th request from now (1: the next)
	uint32_t changes;		// XINIM_INJECT_MIDWAY: at the request's changes-th change
					// of the kept state (0: the 3rd)
	uint32_t reserved;
};

struct xinim_death {
	xinim_endpoint_t who;		// the instance that ended
	uint16_t cause;			// enum xinim_pm_death_cause
	uint16_t signal;		// a fault's: as Linux would kill with it
	uint64_t esr, pc, address;	// a fault's report (address 0 where there is none)
	xinim_endpoint_t ender;		// XINIM_DEATH_ENDED: who ended it (itself: an exit)
	int32_t status;			// XINIM_DEATH_ENDED: the exit status, if it exited
	uint64_t time;			// CNTVCT when it ended
};
