// dup, dup3 and fcntl: fds as Linux's fs/fcntl.c and fs/file.c handle them. An fd is a
// slot of its process's table naming an open file (offset, status flags) that dup'ed
// fds share; close-on-exec belongs to the fd.
#include <errno.h>
#include <fcntl.h>
#include "vfs.h"

#define O_LARGEFILE_ARM64 0400000	// every open file has it on a 64-bit Linux (F_GETFL)
#define SETFL_FLAGS (O_APPEND | O_NONBLOCK)	// what F_SETFL changes (O_ASYNC, O_DIRECT and
						// O_NOATIME are not served: ignored)

long vfs_dup(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return fd_dup(call.caller, call.args[0], 0, false);
}

long vfs_dup3(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint32_t flags = (uint32_t)call.args[2];
	if (flags & ~(uint32_t)O_CLOEXEC)
		return -EINVAL;
	return fd_dup_to(call.caller, call.args[0], call.args[1], flags & O_CLOEXEC);
}

// One fcntl call: the caller, its fd's slot and open file, and the argument.
struct fcntl_call {
	xinim_endpoint_t who;
	uint64_t fd;
	struct fd_slot *slot;
	struct open_file *file;
	uint64_t arg;
};
typedef long fcntl_command(const struct fcntl_call *c);

static long dupfd(const struct fcntl_call *c, bool cloexec)
{
	if ((uint32_t)c->arg >= fd_limit(c->who))
		return -EINVAL;	// RLIMIT_NOFILE
	return fd_dup(c->who, c->fd, (uint32_t)c->arg, cloexec);
}

static long cmd_dupfd(const struct fcntl_call *c) { return dupfd(c, false); }
static long cmd_dupfd_cloexec(const struct fcntl_call *c) { return dupfd(c, true); }

static long cmd_getfd(const struct fcntl_call *c)
{
	return c->slot->cloexec ? FD_CLOEXEC : 0;
}

static long cmd_setfd(const struct fcntl_call *c)
{
	keep_change(c->slot, sizeof(*c->slot));
	c->slot->cloexec = c->arg & FD_CLOEXEC;
	return 0;
}

static long cmd_getfl(const struct fcntl_call *c)
{
	return c->file->flags | (c->file->flags & O_PATH ? 0 : O_LARGEFILE_ARM64);
}

static long cmd_setfl(const struct fcntl_call *c)
{
	struct open_file *file = c->file;
	if (file->flags & O_PATH)
		return -EBADF;
	keep_change(&file->flags, sizeof(file->flags));
	file->flags = (file->flags & ~SETFL_FLAGS) | ((int)c->arg & SETFL_FLAGS);
	return 0;
}

// Linux's commands that VFS does not serve yet answer -ENOSYS (docs/syscalls.md):
// record locks, owners and signals, leases, notifications, pipe sizes, seals.
static long cmd_unserved(const struct fcntl_call *c)
{
	(void)c;
	return -ENOSYS;
}

static const struct {
	unsigned cmd;
	fcntl_command *run;
	bool on_path;		// allowed on an O_PATH fd
} commands[] = {
	{ F_DUPFD, cmd_dupfd, true },
	{ F_DUPFD_CLOEXEC, cmd_dupfd_cloexec, true },
	{ F_GETFD, cmd_getfd, true },
	{ F_SETFD, cmd_setfd, true },
	{ F_GETFL, cmd_getfl, true },
	{ F_SETFL, cmd_setfl, false },
	{ F_GETLK, cmd_unserved, false }, { F_SETLK, cmd_unserved, false },
	{ F_SETLKW, cmd_unserved, false }, { F_OFD_GETLK, cmd_unserved, false },
	{ F_OFD_SETLK, cmd_unserved, false }, { F_OFD_SETLKW, cmd_unserved, false },
	{ F_SETOWN, cmd_unserved, false }, { F_GETOWN, cmd_unserved, false },
	{ F_SETSIG, cmd_unserved, false }, { F_GETSIG, cmd_unserved, false },
	{ F_SETOWN_EX, cmd_unserved, false }, { F_GETOWN_EX, cmd_unserved, false },
	{ F_SETLEASE, cmd_unserved, false }, { F_GETLEASE, cmd_unserved, false },
	{ F_NOTIFY, cmd_unserved, false }, { F_SETPIPE_SZ, cmd_unserved, false },
	{ F_GETPIPE_SZ, cmd_unserved, false }, { F_ADD_SEALS, cmd_unserved, false },
	{ F_GET_SEALS, cmd_unserved, false },
};

long vfs_fcntl(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	unsigned cmd = (unsigned)call.args[1];
	struct fcntl_call c = { .who = call.caller, .fd = call.args[0], .arg = call.args[2],
				.slot = fd_slot_of(call.caller, call.args[0]) };
	if (!c.slot)
		return -EBADF;
	c.file = fd_get(call.caller, call.args[0]);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].cmd != cmd)
			continue;
		if ((c.file->flags & O_PATH) && !commands[i].on_path)
			return -EBADF;
		return commands[i].run(&c);
	}
	return -EINVAL;
}
