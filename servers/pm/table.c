// PM's routes: Linux system call number -> handler.
#include <xinim/ipc/syscalls.h>
#include "pm.h"

#define SYSCALL(name, handler) \
	[XINIM_SYSCALL_NUMBER_##name] = { handler, sizeof(struct xinim_syscall) }

enum {
#define NUMBER(name, number, server) XINIM_SYSCALL_NUMBER_##name = number,
	XINIM_LINUX_SYSCALLS(NUMBER)
#undef NUMBER
};

static const struct ipc_route syscalls[XINIM_SYSCALL_NUMBERS] = {
	SYSCALL(getpid, pm_getpid),
	SYSCALL(getppid, pm_getppid),
	SYSCALL(gettid, pm_gettid),
	SYSCALL(getuid, pm_getuid),
	SYSCALL(geteuid, pm_getuid),
	SYSCALL(getgid, pm_getuid),
	SYSCALL(getegid, pm_getuid),
	SYSCALL(uname, pm_uname),
	SYSCALL(set_tid_address, pm_set_tid_address),
};

const struct ipc_table pm_table = {
	.syscalls = syscalls,
	.unrouted_syscall = pm_unserved,
};
