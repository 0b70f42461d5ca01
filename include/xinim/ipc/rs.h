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
	XINIM_RS_MSG_END
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
