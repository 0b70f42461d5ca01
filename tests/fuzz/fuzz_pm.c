// libFuzzer on PM's handlers (driver.h), PM alone: its calls down to MM and VFS find no
// one (-ESRCH), as on a machine where they died. Each input's process is a new instance
// of one PID, which PM meets with its first call.
#include <string.h>
#include <sys/utsname.h>
#include <xinim/ipc/syscalls.h>
#include <pm/pm.h>
#include "driver.h"

#define N(name) XINIM_SYSCALL_NUMBER_##name

static const uint16_t served[] = {
	N(getpid), N(getppid), N(gettid), N(getuid), N(geteuid), N(getgid), N(getegid),
	N(uname), N(set_tid_address), N(execve), N(exit), N(exit_group), N(clock_gettime),
	N(getrandom), N(rt_sigaction), N(rt_sigprocmask), N(prlimit64),
};

static const xinim_endpoint_t health = (FUZZ_HEALTH_PID | 1u << XINIM_PID_BITS);

static int setup(xinim_endpoint_t server)
{
	(void)server;
	return 0;
}

static void fresh(xinim_endpoint_t server, xinim_endpoint_t who, xinim_endpoint_t last)
{
	(void)server, (void)who, (void)last;
}

// The health process is who it is, and the system is XINIM.
static bool healthy(xinim_endpoint_t server)
{
	bool delivered;
	struct utsname u;
	long pid = fuzz_kernel_syscall(server, health, N(getpid), (const uint64_t[6]){ 0 }, &delivered);
	long named = fuzz_kernel_syscall(server, health, N(uname), (const uint64_t[6]){ (uintptr_t)&u },
					 &delivered);
	return pid == FUZZ_HEALTH_PID && named == 0 && strcmp(u.sysname, "XINIM") == 0;
}

const struct fuzz_server fuzz_target = {
	.name = "pm", .pid = XINIM_PID_PM, .table = &pm_table, .served = served,
	.served_count = sizeof(served) / sizeof(served[0]), .first_type = XINIM_MSG_PM_FIRST,
	.copies = true, .setup = setup, .fresh = fresh, .healthy = healthy,
};
