#pragma once
// MM's messages (besides the system calls the kernel delegates to it): page faults from
// the kernel, and the building of a process's address space by PM for execve.
// Each is a call; the reply's result (header.type) is 0 or a negative errno.
#include <stdint.h>
#include <xinim/ipc/endpoints.h>
#include <xinim/ipc/message.h>

enum xinim_mm_msg {
	// Kernel -> MM: a thread of `who` touched `address` (access: XINIM_MM_READ...) where
	// nothing lets it. 0: resolved, the access is retried; -EFAULT: it is not allowed.
	XINIM_MM_FAULT = XINIM_MSG_MM_FIRST,	// struct xinim_mm_fault

	// PM -> MM, each a struct xinim_mm_exec about `target`, a process PM made:
	XINIM_MM_EXEC_BEGIN,	// forget target's regions and empty its address space
	XINIM_MM_EXEC_REGION,	// a private region [va, va + length) with prot
	XINIM_MM_EXEC_WRITE,	// copy length bytes (<= XINIM_COPY_MAX) from PM's `source`
				//   to va, inside a region made before, whatever its prot
	XINIM_MM_EXEC_BRK,	// the program break starts at va
	XINIM_MM_RELEASE,	// target is gone: forget it
	// PM -> MM, a struct xinim_mm_fork: child's space becomes a copy of parent's, its
	// regions and break the same and its pages shared copy-on-write (KCALL_SPACE_SHARE).
	// Whatever child had is dropped first, so that the request done again is the same.
	XINIM_MM_FORK,
	// PM -> MM, a struct xinim_mm_limits: who's RLIMIT_AS and RLIMIT_DATA, which brk and
	// mmap enforce (-ENOMEM). Kept in its space, copied at fork, kept at exec.
	XINIM_MM_LIMITS,
	// PM -> MM, a struct xinim_mm_usage_ask: each space's figures (struct
	// xinim_mm_usage, at most count, written to PM's `at`; the result is how many) and
	// the /proc/PID/maps text of maps_pid (at most maps_size bytes at maps_at; the
	// reply's payload is its length as a uint32_t).
	XINIM_MM_USAGE,
	// PM -> MM, a struct xinim_mm_exec about target: the clock page (vvar,
	// <xinim/vdso.h>) shared read-only into target's space at XINIM_VVAR.
	XINIM_MM_EXEC_VVAR,
	// PM -> MM, a struct xinim_vvar_set: what the clock page holds (the real time's base
	// and offset); sent at every change and whenever PM or MM starts again.
	XINIM_MM_VVAR_SET,
	XINIM_MM_MSG_END
};

// User addresses are below this (the kernel's USER_LIMIT); the stack's top.
#define XINIM_USER_TOP (UINT64_C(1) << 47)
// Every program's sigreturn trampoline (`mov x8, #139; svc #0`, read and execute only):
// the return address of a handler installed without SA_RESTORER (glibc's way), the
// vDSO's __kernel_rt_sigreturn (<xinim/vdso.h>). A page 1 MiB under the 8 MiB stack region.
#define XINIM_SIGRETURN_TRAMPOLINE (XINIM_USER_TOP - (UINT64_C(9) << 20))
// XINIM_MM_EXEC_BRK's va must be below this (MM's mmap area begins there: -EINVAL).
#define XINIM_MM_BRK_LIMIT (UINT64_C(1) << 32)

enum xinim_mm_access {
	XINIM_MM_READ = 1,
	XINIM_MM_WRITE = 2,
	XINIM_MM_EXEC = 4,
};

struct xinim_mm_fault {
	xinim_endpoint_t who;
	uint32_t access;	// one of enum xinim_mm_access
	uint64_t address;
};

struct xinim_mm_exec {
	xinim_endpoint_t target;
	uint32_t prot;		// PROT_READ | PROT_WRITE | PROT_EXEC
	uint64_t va;
	uint64_t length;
	uint64_t source;	// in PM's address space
};

struct xinim_mm_fork {
	xinim_endpoint_t parent;
	xinim_endpoint_t child;		// a process PM made, whose space MM has not built
	uint64_t settid_at;		// CLONE_CHILD_SETTID: tid goes there in the child's
	uint32_t tid;			// copy (0: nowhere; not writable: nowhere, as Linux)
	uint32_t reserved;
};

struct xinim_vvar_set {
	uint64_t epoch_seconds;		// KCALL_TIME_BASE's, as PM has it
	uint64_t counter;
	int64_t realtime_offset;	// clock_settime's (PM's kept state)
};

struct xinim_mm_usage_ask {
	uint64_t at;
	uint32_t count;
	uint32_t maps_pid;
	uint64_t maps_at;
	uint32_t maps_size, reserved;
};

struct xinim_mm_usage {
	uint32_t pid, reserved;
	uint64_t vm_bytes, rss_pages;
	uint64_t brk_start, brk;
};

struct xinim_mm_limits {
	xinim_endpoint_t who;
	uint32_t reserved;
	uint64_t as, data;	// bytes; UINT64_MAX: RLIM_INFINITY
};

_Static_assert(sizeof(struct xinim_mm_limits) <= XINIM_PAYLOAD_MAX, "limits fit a payload");
_Static_assert(sizeof(struct xinim_mm_fault) <= XINIM_PAYLOAD_MAX, "fault fits a payload");
_Static_assert(sizeof(struct xinim_mm_exec) <= XINIM_PAYLOAD_MAX, "exec fits a payload");
