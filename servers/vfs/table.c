// VFS's routes: PM's messages by type, the file system calls by number.
#include <xinim/ipc/syscalls.h>
#include "vfs.h"

#define MESSAGE(type, handler) [type - XINIM_MSG_VFS_FIRST] = { handler, sizeof(struct xinim_vfs_proc) }

static const struct ipc_route messages[XINIM_VFS_MSG_END - XINIM_MSG_VFS_FIRST] = {
	MESSAGE(XINIM_VFS_PROC_START, vfs_proc_start),
	MESSAGE(XINIM_VFS_PROC_END, vfs_proc_end),
	MESSAGE(XINIM_VFS_PROC_EXEC, vfs_proc_exec),
	[XINIM_VFS_PROC_CREDS - XINIM_MSG_VFS_FIRST] = { vfs_proc_creds,
							 sizeof(struct xinim_vfs_creds) },
	[XINIM_VFS_INTERRUPT - XINIM_MSG_VFS_FIRST] = { vfs_interrupt,
							sizeof(struct xinim_vfs_interrupt) },
	[XINIM_VFS_FD_LEND - XINIM_MSG_VFS_FIRST] = { vfs_fd_lend, sizeof(struct xinim_vfs_lend) },
	[XINIM_VFS_TTY_SIGNALS - XINIM_MSG_VFS_FIRST] = { vfs_tty_signals, 0 },
	[XINIM_VFS_SIGNALS - XINIM_MSG_VFS_FIRST] = { vfs_signals, 0 },
	[XINIM_VFS_PROC_WANTS - XINIM_MSG_VFS_FIRST] = { vfs_proc_wants, 0 },
	[XINIM_VFS_PROC_REPORT - XINIM_MSG_VFS_FIRST] = { vfs_proc_report,
							  sizeof(struct xinim_vfs_report) },
};

static const struct ipc_route syscalls[XINIM_SYSCALL_NUMBERS] = {
	IPC_SYSCALL(openat, vfs_openat),
	IPC_SYSCALL(close, vfs_close),
	IPC_SYSCALL(read, vfs_read),
	IPC_SYSCALL(write, vfs_write),
	IPC_SYSCALL(readv, vfs_readv),
	IPC_SYSCALL(writev, vfs_writev),
	IPC_SYSCALL(pread64, vfs_pread64),
	IPC_SYSCALL(pwrite64, vfs_pwrite64),
	IPC_SYSCALL(lseek, vfs_lseek),
	IPC_SYSCALL(fstat, vfs_fstat),
	IPC_SYSCALL(newfstatat, vfs_newfstatat),
	IPC_SYSCALL(getdents64, vfs_getdents64),
	IPC_SYSCALL(ioctl, vfs_ioctl),
	IPC_SYSCALL(dup, vfs_dup),
	IPC_SYSCALL(dup3, vfs_dup3),
	IPC_SYSCALL(fcntl, vfs_fcntl),
	IPC_SYSCALL(ppoll, vfs_ppoll),
	IPC_SYSCALL(pselect6, vfs_pselect6),
	IPC_SYSCALL(chdir, vfs_chdir),
	IPC_SYSCALL(fchdir, vfs_fchdir),
	IPC_SYSCALL(getcwd, vfs_getcwd),
	IPC_SYSCALL(umask, vfs_umask),
	IPC_SYSCALL(faccessat, vfs_faccessat),
	IPC_SYSCALL(faccessat2, vfs_faccessat2),
	IPC_SYSCALL(readlinkat, vfs_readlinkat),
	IPC_SYSCALL(statfs, vfs_statfs),
	IPC_SYSCALL(fstatfs, vfs_fstatfs),
	IPC_SYSCALL(sync, vfs_sync),
	IPC_SYSCALL(syncfs, vfs_syncfs),
	IPC_SYSCALL(fsync, vfs_fsync),
	IPC_SYSCALL(fdatasync, vfs_fsync),
	IPC_SYSCALL(mkdirat, vfs_mkdirat),
	IPC_SYSCALL(mknodat, vfs_mknodat),
	IPC_SYSCALL(symlinkat, vfs_symlinkat),
	IPC_SYSCALL(linkat, vfs_linkat),
	IPC_SYSCALL(unlinkat, vfs_unlinkat),
	IPC_SYSCALL(renameat, vfs_renameat),
	IPC_SYSCALL(renameat2, vfs_renameat2),
	IPC_SYSCALL(fchmod, vfs_fchmod),
	IPC_SYSCALL(fchmodat, vfs_fchmodat),
	IPC_SYSCALL(fchown, vfs_fchown),
	IPC_SYSCALL(fchownat, vfs_fchownat),
	IPC_SYSCALL(utimensat, vfs_utimensat),
	IPC_SYSCALL(truncate, vfs_truncate),
	IPC_SYSCALL(ftruncate, vfs_ftruncate),
	IPC_SYSCALL(fallocate, vfs_fallocate),
	IPC_SYSCALL(pipe2, vfs_pipe2),
	IPC_SYSCALL(flock, vfs_flock),
	IPC_SYSCALL(mq_open, vfs_mq_open),
	IPC_SYSCALL(mq_unlink, vfs_mq_unlink),
	IPC_SYSCALL(mq_timedsend, vfs_mq_timedsend),
	IPC_SYSCALL(mq_timedreceive, vfs_mq_timedreceive),
	IPC_SYSCALL(mq_notify, vfs_mq_notify),
	IPC_SYSCALL(mq_getsetattr, vfs_mq_getsetattr),
	IPC_SYSCALL(epoll_create1, vfs_epoll_create1),
	IPC_SYSCALL(epoll_ctl, vfs_epoll_ctl),
	IPC_SYSCALL(epoll_pwait, vfs_epoll_pwait),
	IPC_SYSCALL(epoll_pwait2, vfs_epoll_pwait2),
	IPC_SYSCALL(mount, vfs_mount),
	IPC_SYSCALL(socket, vfs_socket),
	IPC_SYSCALL(socketpair, vfs_socketpair),
	IPC_SYSCALL(bind, vfs_bind),
	IPC_SYSCALL(listen, vfs_listen),
	IPC_SYSCALL(accept, vfs_accept),
	IPC_SYSCALL(accept4, vfs_accept4),
	IPC_SYSCALL(connect, vfs_connect),
	IPC_SYSCALL(getsockname, vfs_getsockname),
	IPC_SYSCALL(getpeername, vfs_getpeername),
	IPC_SYSCALL(sendto, vfs_sendto),
	IPC_SYSCALL(recvfrom, vfs_recvfrom),
	IPC_SYSCALL(sendmsg, vfs_sendmsg),
	IPC_SYSCALL(recvmsg, vfs_recvmsg),
	IPC_SYSCALL(sendmmsg, vfs_sendmmsg),
	IPC_SYSCALL(recvmmsg, vfs_recvmmsg),
	IPC_SYSCALL(shutdown, vfs_shutdown),
	IPC_SYSCALL(setsockopt, vfs_setsockopt),
	IPC_SYSCALL(getsockopt, vfs_getsockopt),
	IPC_SYSCALL(umount2, vfs_umount2),
};

// Between requests: an unmounted file system's nodes freed, calls parked on nodes made
// ready, then a slice of a long transfer.
static bool vfs_resume(void)
{
	fs_reap();
	bool more = wait_resume();
	return transfer_resume() || more;
}

static bool vfs_resume_due(void) { return wait_due() || fs_reap_due(); }

// Notifications: the kernel's of console input, NET's (inet.c).
static void vfs_notified(const struct xinim_notification *note)
{
	if (note->from == XINIM_ENDPOINT_KERNEL && (note->bits & XINIM_NOTE_CONSOLE_INPUT))
		console_input();
	inet_notified(note);
}

const struct ipc_table vfs_table = {
	.first = XINIM_MSG_VFS_FIRST,
	.count = XINIM_VFS_MSG_END - XINIM_MSG_VFS_FIRST,
	.routes = messages,
	.syscalls = syscalls,
	.resume = vfs_resume,
	.resume_due = vfs_resume_due,
	.timer = wait_timer,
	.notified = vfs_notified,
};
