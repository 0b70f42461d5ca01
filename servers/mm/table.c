// MM's routes: its own messages by type, and the memory system calls by number.
#include <xinim/ipc/syscalls.h>
#include "mm.h"

#define MESSAGE(type, handler, payload) [type - XINIM_MSG_MM_FIRST] = { handler, sizeof(payload) }

static const struct ipc_route messages[XINIM_MM_MSG_END - XINIM_MSG_MM_FIRST] = {
	MESSAGE(XINIM_MM_FAULT, mm_fault, struct xinim_mm_fault),
	MESSAGE(XINIM_MM_EXEC_BEGIN, mm_exec_begin, struct xinim_mm_exec),
	MESSAGE(XINIM_MM_EXEC_REGION, mm_exec_region, struct xinim_mm_exec),
	MESSAGE(XINIM_MM_EXEC_WRITE, mm_exec_write, struct xinim_mm_exec),
	MESSAGE(XINIM_MM_EXEC_BRK, mm_exec_brk, struct xinim_mm_exec),
	MESSAGE(XINIM_MM_RELEASE, mm_release, struct xinim_mm_exec),
	MESSAGE(XINIM_MM_FORK, mm_fork, struct xinim_mm_fork),
	MESSAGE(XINIM_MM_LIMITS, mm_limits, struct xinim_mm_limits),
	MESSAGE(XINIM_MM_USAGE, mm_usage, struct xinim_mm_usage_ask),
	MESSAGE(XINIM_MM_EXEC_VVAR, mm_exec_vvar, struct xinim_mm_exec),
	MESSAGE(XINIM_MM_VVAR_SET, mm_vvar_set, struct xinim_vvar_set),
};

// Each memory system call goes through mm_managed, which refuses a caller MM does not
// manage before the call's handler runs.
#define MEMORY(name) \
	static long name##_route(const struct ipc_request *request, struct xinim_msg *reply) \
	{ \
		(void)reply; \
		return mm_managed(request, mm_##name); \
	}
MEMORY(brk)
MEMORY(mmap)
MEMORY(munmap)
MEMORY(mprotect)
MEMORY(madvise)
MEMORY(mremap)
MEMORY(mlock)
MEMORY(mlock2)
MEMORY(munlock)
MEMORY(mlockall)
MEMORY(munlockall)
MEMORY(mincore)
MEMORY(msync)
MEMORY(shmget)
MEMORY(shmctl)
MEMORY(shmat)
MEMORY(shmdt)

static const struct ipc_route syscalls[XINIM_SYSCALL_NUMBERS] = {
	IPC_SYSCALL(brk, brk_route),
	IPC_SYSCALL(mmap, mmap_route),
	IPC_SYSCALL(munmap, munmap_route),
	IPC_SYSCALL(mprotect, mprotect_route),
	IPC_SYSCALL(madvise, madvise_route),
	IPC_SYSCALL(mremap, mremap_route),
	IPC_SYSCALL(mlock, mlock_route),
	IPC_SYSCALL(mlock2, mlock2_route),
	IPC_SYSCALL(munlock, munlock_route),
	IPC_SYSCALL(mlockall, mlockall_route),
	IPC_SYSCALL(munlockall, munlockall_route),
	IPC_SYSCALL(mincore, mincore_route),
	IPC_SYSCALL(msync, msync_route),
	IPC_SYSCALL(shmget, shmget_route),
	IPC_SYSCALL(shmctl, shmctl_route),
	IPC_SYSCALL(shmat, shmat_route),
	IPC_SYSCALL(shmdt, shmdt_route),
};

const struct ipc_table mm_table = {
	.first = XINIM_MSG_MM_FIRST,
	.count = XINIM_MM_MSG_END - XINIM_MSG_MM_FIRST,
	.routes = messages,
	.syscalls = syscalls,
};
