// reboot(2), as Linux's kernel/reboot.c answers it: CAP_SYS_BOOT (an effective uid 0)
// first (-EPERM), then the magic numbers (-EINVAL), then the command. POWER_OFF,
// RESTART(2) and HALT go to the kernel (KCALL_POWER_OFF: PSCI SYSTEM_OFF, SYSTEM_RESET,
// every CPU halted) after the line Linux logs; they do not return. Without PSCI, POWER_OFF
// halts, as Linux does without a power-off handler. CAD_ON and CAD_OFF are taken (0) and
// kept nowhere: the serial console has no Ctrl-Alt-Del to act on. SW_SUSPEND and KEXEC
// are -EINVAL, as in a Linux built without hibernation and kexec.
#include <errno.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "pm.h"

#define RESTART2_ARG_MAX 256	// Linux's buffer for RESTART2's command

// Linux's include/uapi/linux/reboot.h (musl's <sys/reboot.h> has the commands but not
// the magic numbers, nor RESTART2).
enum {
	LINUX_REBOOT_MAGIC1 = 0xfee1dead,
	LINUX_REBOOT_MAGIC2 = 672274793,
	LINUX_REBOOT_MAGIC2A = 85072278,
	LINUX_REBOOT_MAGIC2B = 369367448,
	LINUX_REBOOT_MAGIC2C = 537993216,
};
enum {
	LINUX_REBOOT_CMD_RESTART = 0x01234567,
	LINUX_REBOOT_CMD_HALT = 0xCDEF0123,
	LINUX_REBOOT_CMD_CAD_ON = 0x89ABCDEF,
	LINUX_REBOOT_CMD_CAD_OFF = 0x00000000,
	LINUX_REBOOT_CMD_POWER_OFF = 0x4321FEDC,
	LINUX_REBOOT_CMD_RESTART2 = 0xA1B2C3D4,
};

static bool magic_sound(uint32_t magic1, uint32_t magic2)
{
	return magic1 == LINUX_REBOOT_MAGIC1 &&
	       (magic2 == LINUX_REBOOT_MAGIC2 || magic2 == LINUX_REBOOT_MAGIC2A ||
		magic2 == LINUX_REBOOT_MAGIC2B || magic2 == LINUX_REBOOT_MAGIC2C);
}

static const struct {
	uint32_t cmd;
	enum xinim_power how;
	const char *line;	// Linux's, at KERN_EMERG
} machine_commands[] = {
	{ LINUX_REBOOT_CMD_POWER_OFF, XINIM_POWER_OFF, "reboot: Power down" },
	{ LINUX_REBOOT_CMD_RESTART, XINIM_POWER_RESET, "reboot: Restarting system" },
	{ LINUX_REBOOT_CMD_RESTART2, XINIM_POWER_RESET, "reboot: Restarting system" },
	{ LINUX_REBOOT_CMD_HALT, XINIM_POWER_HALT, "reboot: System halted" },
};

static void machine_do(enum xinim_power how, const char *line)
{
	klog(LOGLEVEL_EMERG, "%s\n", line);
	long err = xinim_kcall(KCALL_POWER_OFF, how, 0);
	if (how != XINIM_POWER_HALT) {
		klog(LOGLEVEL_EMERG, "reboot: no PSCI (error %ld): System halted\n", err);
		xinim_kcall(KCALL_POWER_OFF, XINIM_POWER_HALT, 0);
	}
}

long pm_reboot(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint32_t magic1 = (uint32_t)call.args[0], magic2 = (uint32_t)call.args[1];
	uint32_t cmd = (uint32_t)call.args[2];
	const struct process *p = process_of(call.caller);
	if (!p || !credentials_privileged(p))
		return -EPERM;
	if (!magic_sound(magic1, magic2))
		return -EINVAL;
	if (cmd == LINUX_REBOOT_CMD_CAD_ON || cmd == LINUX_REBOOT_CMD_CAD_OFF)
		return 0;
	if (cmd == LINUX_REBOOT_CMD_RESTART2) {
		char command[RESTART2_ARG_MAX];
		long err = ipc_caller_string(call.caller, command, call.args[3], sizeof(command));
		if (err < 0 && err != -ENAMETOOLONG)	// a long one Linux cuts, and restarts
			return err;
	}
	for (size_t i = 0; i < sizeof(machine_commands) / sizeof(machine_commands[0]); i++) {
		if (machine_commands[i].cmd == cmd) {
			machine_do(machine_commands[i].how, machine_commands[i].line);
			return -EIO;	// only a host without a machine to stop gets here
		}
	}
	return -EINVAL;
}
