// dup, dup3 and fcntl: fds as Linux's fs/fcntl.c and fs/file.c handle them. An fd is a
// slot of its process's table naming an open file (offset, status flags) that dup'ed
// fds share; close-on-exec belongs to the fd.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
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

// One fcntl call: the request, the caller, its fd's slot and open file, and the argument.
struct fcntl_call {
	const struct ipc_request *request;
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

// The range a struct flock names for file: [*start, *end] (end TO_END: to the end, however
// far it grows), as Linux's flock_to_posix_lock; -EINVAL for one before the start.
static long range_of(const struct flock *f, const struct open_file *file, uint64_t *start,
		     uint64_t *end)
{
	int64_t base = f->l_whence == SEEK_SET ? 0
		       : f->l_whence == SEEK_CUR ? (int64_t)file->offset
		       : f->l_whence == SEEK_END ? (int64_t)file_node(file)->size : -1;
	if (base < 0 || (f->l_start < 0 && base + f->l_start < 0) ||
	    (f->l_start > 0 && base > INT64_MAX - f->l_start))
		return -EINVAL;
	int64_t from = base + f->l_start, len = f->l_len;
	if (len < 0) {
		if (from + len < 0)
			return -EINVAL;
		*start = (uint64_t)(from + len);
		*end = (uint64_t)from - 1;
	} else {
		*start = (uint64_t)from;
		*end = len == 0 || from > INT64_MAX - len ? UINT64_MAX : (uint64_t)(from + len - 1);
	}
	return 0;
}

// The caller's struct flock, checked: 0, -EFAULT, -EINVAL (a type, whence or range that is
// none; an OFD lock's l_pid not 0).
static long flock_in(const struct fcntl_call *c, bool ofd, struct flock *f, uint64_t *start,
		     uint64_t *end)
{
	long err = ipc_copy_from(c->who, f, c->arg, sizeof(*f));
	if (err)
		return err;
	if ((f->l_type != F_RDLCK && f->l_type != F_WRLCK && f->l_type != F_UNLCK) ||
	    (ofd && f->l_pid != 0))
		return -EINVAL;
	return range_of(f, c->file, start, end);
}

// Who owns the locks of a call: the process (POSIX) or the open file (OFD).
static uint32_t owner_of(const struct fcntl_call *c, bool ofd)
{
	return ofd ? open_file_index(c->file) + 1 : (uint32_t)c->who;
}

static long getlk(const struct fcntl_call *c, bool ofd)
{
	struct flock f;
	uint64_t start, end;
	long err = flock_in(c, ofd, &f, &start, &end);
	if (err)
		return err;
	if (f.l_type == F_UNLCK)
		return -EINVAL;
	const struct file_lock *l = lock_conflict(c->file->node + 1, ofd ? LOCK_KIND_OFD
									 : LOCK_KIND_POSIX,
						  owner_of(c, ofd), f.l_type == F_WRLCK, start, end);
	if (!l) {
		f.l_type = F_UNLCK;
	} else {
		f = (struct flock){ .l_type = l->write ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET,
				    .l_start = (off_t)l->start,
				    .l_len = l->end == UINT64_MAX ? 0 : (off_t)(l->end - l->start + 1),
				    .l_pid = l->kind == LOCK_KIND_OFD ? -1 : (pid_t)l->pid };
	}
	return ipc_copy_to(c->who, c->arg, &f, sizeof(f));
}

// The POSIX record lock the process owner waits for in a parked F_SETLKW, read again
// from its struct flock (it is blocked in the call): its node and range, or false.
static bool lock_awaited(uint32_t owner, uint32_t *node, bool *write, uint64_t *start,
			 uint64_t *end)
{
	const struct ipc_request *r = wait_parked_call((xinim_endpoint_t)owner, vfs_fcntl);
	struct xinim_syscall call = r ? ipc_syscall_of(r) : (struct xinim_syscall){ 0 };
	struct open_file *file = r ? fd_get(call.caller, call.args[0]) : NULL;
	if (!file || (int)call.args[1] != F_SETLKW)
		return false;
	const struct fcntl_call c = { .request = r, .who = call.caller, .fd = call.args[0],
				      .file = file, .arg = call.args[2] };
	struct flock f;
	if (flock_in(&c, false, &f, start, end))
		return false;
	*node = file->node + 1;
	*write = f.l_type == F_WRLCK;
	return true;
}

// Linux's posix_locks_deadlock: whether waiting for blocker would close a cycle of
// processes each waiting in F_SETLKW for a POSIX lock of the next (followed 10 deep, as
// Linux's MAX_DEADLK_ITERATIONS).
static bool deadlock(uint32_t caller, const struct file_lock *blocker)
{
	for (int hops = 0; blocker && blocker->kind == LOCK_KIND_POSIX && hops < 10; hops++) {
		if (blocker->owner == caller)
			return true;
		uint32_t node;
		bool write;
		uint64_t start, end;
		if (!lock_awaited(blocker->owner, &node, &write, &start, &end))
			return false;
		blocker = lock_conflict(node, LOCK_KIND_POSIX, blocker->owner, write, start, end);
	}
	return false;
}

// F_SETLK and F_SETLKW (and their OFD kin): the lock set, or -EAGAIN, or the call parked
// (-EDEADLK: a POSIX lock's wait that would never end).
static long setlk(const struct fcntl_call *c, bool ofd, bool wait)
{
	struct flock f;
	uint64_t start, end;
	long err = flock_in(c, ofd, &f, &start, &end);
	if (err)
		return err;
	int mode = c->file->flags & OPEN_ACCESS;
	if ((f.l_type == F_RDLCK && mode != O_RDONLY && mode != O_RDWR) ||
	    (f.l_type == F_WRLCK && mode != O_WRONLY && mode != O_RDWR))
		return -EBADF;
	err = lock_set(c->file->node + 1, ofd ? LOCK_KIND_OFD : LOCK_KIND_POSIX, owner_of(c, ofd),
		       xinim_endpoint_pid(c->who), f.l_type, start, end);
	if (err != -EAGAIN || !wait)
		return err;
	if (!ofd && deadlock(owner_of(c, false),
			     lock_conflict(c->file->node + 1, LOCK_KIND_POSIX, owner_of(c, false),
					   f.l_type == F_WRLCK, start, end)))
		return -EDEADLK;
	return wait_park(c->request, vfs_fcntl, file_node(c->file), -XINIM_ERESTARTSYS);
}

static long cmd_getlk(const struct fcntl_call *c) { return getlk(c, false); }
static long cmd_setlk(const struct fcntl_call *c) { return setlk(c, false, false); }
static long cmd_setlkw(const struct fcntl_call *c) { return setlk(c, false, true); }
static long cmd_ofd_getlk(const struct fcntl_call *c) { return getlk(c, true); }
static long cmd_ofd_setlk(const struct fcntl_call *c) { return setlk(c, true, false); }
static long cmd_ofd_setlkw(const struct fcntl_call *c) { return setlk(c, true, true); }

// A pipe's size: 64 KiB, which F_SETPIPE_SZ keeps (any size up to it; more: -EBUSY, as
// for a pipe Linux cannot grow); other files: -EBADF.
static long cmd_getpipe_sz(const struct fcntl_call *c)
{
	return S_ISFIFO(file_node(c->file)->mode) ? PIPE_BYTES : -EBADF;
}

static long cmd_setpipe_sz(const struct fcntl_call *c)
{
	if (!S_ISFIFO(file_node(c->file)->mode))
		return -EBADF;
	return (uint32_t)c->arg <= PIPE_BYTES ? PIPE_BYTES : -EBUSY;
}

// Linux's commands that VFS does not serve yet answer -ENOSYS (docs/syscalls.md): owners
// and signals, leases, notifications, seals.
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
	{ F_GETLK, cmd_getlk, false }, { F_SETLK, cmd_setlk, false },
	{ F_SETLKW, cmd_setlkw, false }, { F_OFD_GETLK, cmd_ofd_getlk, false },
	{ F_OFD_SETLK, cmd_ofd_setlk, false }, { F_OFD_SETLKW, cmd_ofd_setlkw, false },
	{ F_SETOWN, cmd_unserved, false }, { F_GETOWN, cmd_unserved, false },
	{ F_SETSIG, cmd_unserved, false }, { F_GETSIG, cmd_unserved, false },
	{ F_SETOWN_EX, cmd_unserved, false }, { F_GETOWN_EX, cmd_unserved, false },
	{ F_SETLEASE, cmd_unserved, false }, { F_GETLEASE, cmd_unserved, false },
	{ F_NOTIFY, cmd_unserved, false }, { F_SETPIPE_SZ, cmd_setpipe_sz, false },
	{ F_GETPIPE_SZ, cmd_getpipe_sz, false }, { F_ADD_SEALS, cmd_unserved, false },
	{ F_GET_SEALS, cmd_unserved, false },
};

long vfs_fcntl(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	unsigned cmd = (unsigned)call.args[1];
	struct fcntl_call c = { .request = request, .who = call.caller, .fd = call.args[0],
				.arg = call.args[2],
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
