// reboot(2), run as PID 1 (tests/boot/reboot.sh): uid 1000 gets EPERM (before the magic
// numbers are looked at), bad magic numbers and an unknown command EINVAL, CAD_OFF and
// CAD_ON 0; then the command named by argv[1] (poweroff, restart, halt), which does not
// return. It prints each check; a FAILED line or "reboot: returned" is a failure.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// Linux's magic numbers (include/uapi/linux/reboot.h), which musl does not define.
#define MAGIC1 0xfee1deadu
#define MAGIC2 672274793u
#define MAGIC2C 537993216u

#define CHECK_PREFIX "reboot: "
#include "check.h"

// The raw call, so that the magic numbers are ours; its result or -errno.
static long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd)
{
	long r = syscall(SYS_reboot, magic1, magic2, cmd, 0);
	return r < 0 ? -errno : r;
}

static void refusals(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(1000) != 0)
			_exit(2);
		_exit(sys_reboot(MAGIC1, MAGIC2,
				 RB_POWER_OFF) == -EPERM &&
		      sys_reboot(0, 0, RB_POWER_OFF) == -EPERM ? 0 : 1);
	}
	int status;
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0, "uid 1000: EPERM, whatever the magic");
	check(sys_reboot(MAGIC1 + 1, MAGIC2, RB_POWER_OFF) ==
		      -EINVAL, "a bad first magic number: EINVAL");
	check(sys_reboot(MAGIC1, 12345, RB_POWER_OFF) == -EINVAL,
	      "a bad second magic number: EINVAL");
	check(sys_reboot(MAGIC1, MAGIC2C, 0x12345678) == -EINVAL,
	      "an unknown command: EINVAL");
	check(sys_reboot(MAGIC1, MAGIC2, RB_SW_SUSPEND) ==
		      -EINVAL, "SW_SUSPEND (no hibernation): EINVAL");
	check(reboot(RB_DISABLE_CAD) == 0 && reboot(RB_ENABLE_CAD) == 0, "CAD_OFF and CAD_ON: 0");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int how;
	} commands[] = {
		{ "poweroff", RB_POWER_OFF }, { "restart", RB_AUTOBOOT }, { "halt", RB_HALT_SYSTEM },
	};
	refusals();
	printf("reboot: %d failures\n", failures);
	for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			printf("reboot: %s now\n", commands[i].name);
			reboot(commands[i].how);
			printf("reboot: returned: %s\n", strerror(errno));
		}
	}
	return 1;
}
