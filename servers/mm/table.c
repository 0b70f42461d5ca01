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
};

static const struct ipc_route syscalls[XINIM_SYSCALL_NUMBERS] = {
	IPC_SYSCALL(brk, mm_brk),
	IPC_SYSCALL(mmap, mm_mmap),
	IPC_SYSCALL(munmap, mm_munmap),
	IPC_SYSCALL(mprotect, mm_mprotect),
	IPC_SYSCALL(madvise, mm_madvise),
};

const struct ipc_table mm_table = {
	.first = XINIM_MSG_MM_FIRST,
	.count = XINIM_MM_MSG_END - XINIM_MSG_MM_FIRST,
	.routes = messages,
	.syscalls = syscalls,
};
