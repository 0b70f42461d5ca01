// PM's routes: its own messages by type, and Linux system call number -> handler.
#include <xinim/ipc/pm.h>
#include <xinim/ipc/syscalls.h>
#include "pm.h"

#define MESSAGE(type, handler, payload) [type - XINIM_MSG_PM_FIRST] = { handler, sizeof(payload) }

static const struct ipc_route messages[XINIM_PM_MSG_END - XINIM_MSG_PM_FIRST] = {
	MESSAGE(XINIM_PM_DEATH, pm_death, struct xinim_pm_death),
	MESSAGE(XINIM_PM_CREDENTIALS, pm_credentials, struct xinim_pm_who),
	MESSAGE(XINIM_PM_VFORK_WAIT, pm_vfork_wait, struct xinim_pm_vfork),
};

static const struct ipc_route syscalls[XINIM_SYSCALL_NUMBERS] = {
	IPC_SYSCALL(getpid, pm_getpid),
	IPC_SYSCALL(getppid, pm_getppid),
	IPC_SYSCALL(gettid, pm_gettid),
	IPC_SYSCALL(getuid, pm_getuid),
	IPC_SYSCALL(geteuid, pm_geteuid),
	IPC_SYSCALL(getgid, pm_getgid),
	IPC_SYSCALL(getegid, pm_getegid),
	IPC_SYSCALL(setuid, pm_setuid),
	IPC_SYSCALL(setgid, pm_setgid),
	IPC_SYSCALL(setreuid, pm_setreuid),
	IPC_SYSCALL(setregid, pm_setregid),
	IPC_SYSCALL(setresuid, pm_setresuid),
	IPC_SYSCALL(setresgid, pm_setresgid),
	IPC_SYSCALL(getresuid, pm_getresuid),
	IPC_SYSCALL(getresgid, pm_getresgid),
	IPC_SYSCALL(setfsuid, pm_setfsuid),
	IPC_SYSCALL(setfsgid, pm_setfsgid),
	IPC_SYSCALL(getgroups, pm_getgroups),
	IPC_SYSCALL(setgroups, pm_setgroups),
	IPC_SYSCALL(uname, pm_uname),
	IPC_SYSCALL(set_tid_address, pm_set_tid_address),
	IPC_SYSCALL(execve, pm_execve),
	IPC_SYSCALL(exit, pm_exit),
	IPC_SYSCALL(exit_group, pm_exit),
	IPC_SYSCALL(clock_gettime, pm_clock_gettime),
	IPC_SYSCALL(clock_getres, pm_clock_getres),
	IPC_SYSCALL(times, pm_times),
	IPC_SYSCALL(getrusage, pm_getrusage),
	IPC_SYSCALL(sched_setaffinity, pm_sched_setaffinity),
	IPC_SYSCALL(sched_getaffinity, pm_sched_getaffinity),
	IPC_SYSCALL(sysinfo, pm_sysinfo),
	IPC_SYSCALL(getrandom, pm_getrandom),
	IPC_SYSCALL(rt_sigaction, pm_rt_sigaction),
	IPC_SYSCALL(rt_sigprocmask, pm_rt_sigprocmask),
	IPC_SYSCALL(prlimit64, pm_prlimit64),
	IPC_SYSCALL(getrlimit, pm_getrlimit),
	IPC_SYSCALL(setrlimit, pm_setrlimit),
	IPC_SYSCALL(clone, pm_clone),
	IPC_SYSCALL(wait4, pm_wait4),
	IPC_SYSCALL(sched_yield, pm_sched_yield),
	IPC_SYSCALL(nanosleep, pm_nanosleep),
	IPC_SYSCALL(clock_nanosleep, pm_clock_nanosleep),
	IPC_SYSCALL(setpgid, pm_setpgid),
	IPC_SYSCALL(getpgid, pm_getpgid),
	IPC_SYSCALL(setsid, pm_setsid),
	IPC_SYSCALL(getsid, pm_getsid),
};

const struct ipc_table pm_table = {
	.first = XINIM_MSG_PM_FIRST,
	.count = XINIM_PM_MSG_END - XINIM_MSG_PM_FIRST,
	.routes = messages,
	.syscalls = syscalls,
	.unrouted_syscall = pm_unserved,
	.notified = pm_notified,
	.resume = random_resume,
	.timer = sleep_timer,
};
