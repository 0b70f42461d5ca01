// Message type -> name (xinim/msgnames.h).
#include <stddef.h>
#include <xinim/ipc/dev.h>
#include <xinim/ipc/message.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/net.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/rs.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/ipc/vfs.h>
#include <xinim/msgnames.h>

#define NAMED(constant) { XINIM_##constant, #constant }

static const struct {
	int32_t type;
	const char *name;
} server_messages[] = {
	{ XINIM_MSG_NOTIFY, "notify" },
	NAMED(VFS_PROC_START),
	NAMED(VFS_PROC_END),
	NAMED(VFS_PROC_EXEC),
	NAMED(VFS_PROC_CREDS),
	NAMED(VFS_INTERRUPT),
	NAMED(VFS_FD_LEND),
	NAMED(VFS_TTY_SIGNALS),
	NAMED(VFS_SIGNALS),
	NAMED(VFS_PROC_WANTS),
	NAMED(VFS_PROC_REPORT),
	NAMED(PM_DEATH),
	NAMED(PM_CREDENTIALS),
	NAMED(PM_VFORK_WAIT),
	NAMED(PM_SIGNAL),
	NAMED(PM_SIGRETURN),
	NAMED(PM_RAISE),
	NAMED(MM_FAULT),
	NAMED(MM_EXEC_BEGIN),
	NAMED(MM_EXEC_REGION),
	NAMED(MM_EXEC_WRITE),
	NAMED(MM_EXEC_BRK),
	NAMED(MM_RELEASE),
	NAMED(MM_FORK),
	NAMED(MM_LIMITS),
	NAMED(MM_USAGE),
	NAMED(MM_EXEC_VVAR),
	NAMED(MM_VVAR_SET),
	NAMED(NET_SOCKET),
	NAMED(NET_CLOSE),
	NAMED(NET_BIND),
	NAMED(NET_LISTEN),
	NAMED(NET_ACCEPT),
	NAMED(NET_CONNECT),
	NAMED(NET_SEND),
	NAMED(NET_RECEIVE),
	NAMED(NET_SHUTDOWN),
	NAMED(NET_NAME),
	NAMED(NET_SETOPT),
	NAMED(NET_GETOPT),
	NAMED(NET_IOCTL),
	NAMED(NET_EVENTS),
	NAMED(NET_PROC),
	NAMED(RS_INJECT),
	NAMED(RS_PING),
	NAMED(RS_CONTROL),
	NAMED(DEV_INFO),
	NAMED(DEV_SEND),
	NAMED(DEV_RECEIVE),
};

const char *xinim_message_name(int32_t type)
{
	if (type >= XINIM_MSG_SYSCALL_FIRST && type < XINIM_MSG_SYSCALL_OTHER)
		return xinim_syscall_name((unsigned long)(type - XINIM_MSG_SYSCALL_FIRST));
	if (type == XINIM_MSG_SYSCALL_OTHER)
		return "syscall_other";
	for (size_t i = 0; i < sizeof(server_messages) / sizeof(server_messages[0]); i++)
		if (server_messages[i].type == type)
			return server_messages[i].name;
	return NULL;
}
