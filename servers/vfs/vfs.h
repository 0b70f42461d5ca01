#pragma once
// The virtual file system (docs/architecture.md, The parts): a ramfs filled from the boot
// archive, devices, and each process's open files. VFS calls no server; it reaches
// callers' memory with the copy kernel calls only.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <libipc/keep.h>
#include <libipc/parked.h>
#include <libipc/server.h>
#include <xinim/ipc/vfs.h>
#include <xinim/limits.h>
#include "tty.h"

#define NAME_MAX_BYTES 255
#define PATH_MAX_BYTES 4096
#define SYMLINK_HOPS 40

struct node;
struct open_file;

// What a kind of node does with reads, writes and ioctls; NULL: it cannot.
struct node_ops {
	// Copies at most n bytes at offset into the caller's `to`: bytes read or -errno.
	long (*read)(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
		     uint64_t offset);
	long (*write)(struct node *node, xinim_endpoint_t caller, uint64_t from, uint64_t n,
		      uint64_t offset);
	long (*ioctl)(struct node *node, xinim_endpoint_t caller, unsigned request, uint64_t arg);
	bool seekable;
	// The poll events (POLLIN, POLLOUT, ...) the node is ready for now: what a read or
	// write would do without waiting (NULL: always both, as a regular file).
	unsigned (*poll)(struct node *node);
};

struct node {
	uint64_t ino;
	mode_t mode;		// type and permission bits
	uid_t uid;
	gid_t gid;
	unsigned nlink;
	uint64_t size;
	uint64_t mtime;
	uint64_t rdev;		// devices: makedev(major, minor)
	const char *name;
	struct node *parent, *children, *next;	// directories: first child; siblings
	uint64_t data;		// regular files: offset in the boot archive
	const char *target;	// symbolic links
	const struct node_ops *ops;
};

// The ids a check of permissions is made for (every process runs as root until PM
// hands VFS credentials).
struct creds {
	uid_t uid;
	gid_t gid;
};

extern const struct ipc_table vfs_table;

// ramfs.c: the tree. It is built the same at every start of VFS, from the boot archive
// and the devices, so a node's index names the same node in every instance: what VFS
// keeps across its restarts names nodes by index (docs/resurrection.md).
struct node *ramfs_root(void);
uint32_t ramfs_index(const struct node *node);
// What the tree holds: its regular files' bytes, and its nodes (statfs).
void ramfs_usage(uint64_t *bytes, unsigned *files);
struct node *ramfs_node_at(uint32_t index);	// NULL past the tree
struct node *ramfs_child(const struct node *dir, const char *name, size_t length);
// Adds a node under dir (which must not hold name); NULL when the tables are full.
struct node *ramfs_add(struct node *dir, const char *name, size_t length, mode_t mode);
// Fills the tree from a cpio (newc) archive read through read_at; 0 or -errno.
typedef long archive_reader(uint64_t offset, void *to, size_t n);
int ramfs_load(archive_reader *read_at, uint64_t size);
extern const struct node_ops regular_ops, directory_ops;

// path.c: lookup and permissions.
enum lookup_flags { LOOKUP_FOLLOW = 1 << 0, LOOKUP_PARENT = 1 << 1 };
// The node path names from start (for a relative path). 0 or -ENOENT, -ENOTDIR,
// -ELOOP, -ENAMETOOLONG, -EACCES.
int path_lookup(struct node *start, const char *path, unsigned flags, const struct creds *who,
		struct node **out);
// Whether who may access node as mask (R_OK | W_OK | X_OK) asks.
bool may_access(const struct node *node, const struct creds *who, int mask);

// The console's terminal (tty.h), kept with VFS's state (fd.c): its settings, what was
// typed and not yet read, its foreground process group and session.
struct tty *vfs_console(void);

// console.c: /dev/console and /dev/tty, the console's terminal. console_input takes
// what the kernel's ring holds (at start, and at each XINIM_NOTE_CONSOLE_INPUT:
// vfs_notified); console_sound checks a kept terminal at take-over.
extern const struct node_ops console_ops;
void console_input(void);
void vfs_notified(const struct xinim_notification *note);
bool console_sound(const struct tty *t);
// session.c: job control. tty_call notes the request being served (read, write, ioctl)
// first. Whether caller may read, write (TOSTOP) or change the terminal now: 0, or the
// answer to give instead (a background process group's: SIGTTIN, SIGTTOU raised); the
// ioctls of sessions and process groups; the keyboard's signals for process group pgrp,
// kept until PM fetches them (vfs_tty_signals); a session leader's end lets the
// terminal go.
void tty_call(const struct ipc_request *request);
long tty_may_read(const struct tty *t, xinim_endpoint_t caller);
long tty_may_write(const struct tty *t, xinim_endpoint_t caller);
long tty_may_change(const struct tty *t, xinim_endpoint_t caller);
long tty_session_ioctl(struct tty *t, xinim_endpoint_t caller, unsigned request, uint64_t arg);
void tty_signals_raise(struct tty *t, int32_t pgrp, uint32_t signals);
void tty_process_end(struct tty *t, xinim_endpoint_t who);
ipc_handler vfs_tty_signals;

// dev.c: /dev/console, /dev/tty, /dev/null, /dev/zero, /dev/full, /dev/random,
// /dev/urandom.
int dev_populate(void);
// console.c: the next transfers belong to request id, from position on in its bytes
// (the console shows each byte of a request once: KCALL_CONSOLE_WRITE).
void dev_write_context(uint64_t id, uint64_t position);

// fd.c: per-process tables of open files, kept across VFS's restarts (pointer-free).
struct open_file {
	uint32_t node;		// ramfs_index
	uint32_t refs;		// fds sharing it
	uint64_t offset;	// changed after keep_change (libipc/keep.h)
	int flags;		// the access mode (3: neither), O_PATH, O_APPEND, O_NONBLOCK
};
static inline struct node *file_node(const struct open_file *file)
{
	return ramfs_node_at(file->node);
}
#define OPEN_ACCESS 3	// O_RDONLY, O_WRONLY, O_RDWR (musl's O_ACCMODE holds O_PATH too)
// The flags an open file keeps (openat cuts them to these): a kept one with others is
// not VFS's.
#define OPEN_FILE_FLAGS (OPEN_ACCESS | O_PATH | O_APPEND | O_NONBLOCK)
#define FDS_MAX 128
#define OPEN_FILES_MAX 4096

struct fd_slot {
	uint32_t file;		// open_files index + 1; 0: the fd is not open
	bool cloexec;
};

// A process's credentials as PM told them (XINIM_VFS_PROC_CREDS), for the permission
// checks of the next issues; a table without a parent's starts with root's.
struct process_creds {
	uint32_t uid, euid, fsuid, gid, egid, fsgid;
	uint32_t groups_count;
	uint32_t groups[XINIM_GROUPS_MAX];
	// Version 5: its process group and session (a table without a parent's: its PID).
	uint32_t pgid, sid;
};

struct fd_table {
	xinim_endpoint_t owner;	// 0: free
	struct fd_slot fds[FDS_MAX];
	// Added in version 3.
	uint32_t fd_limit;	// RLIMIT_NOFILE, at most FDS_MAX: no fd at or above it
	struct process_creds creds;
	// Added in version 4 (cwd.c): the working directory (ramfs_index + 1; 0: the root)
	// and the file mode creation mask.
	uint32_t cwd;
	uint32_t umask;
};

// VFS's kept state (docs/resurrection.md): every fd table (one per PID) and open file,
// by index, and the console's settings. Here for the take-over's tests.
struct vfs_state {
	struct fd_table tables[XINIM_PROCS_MAX];
	struct open_file open_files[OPEN_FILES_MAX];
	// Version 5: the console's terminal (was its settings alone).
	struct tty console;
};

// VFS's kept state at start (main.c): taken over and checked, or made empty.
#define VFS_STATE_VERSION 5
#define VFS_UNDO_BYTES (256 * 1024)	// a process's end closes its 128 fds
size_t vfs_state_size(void);
void vfs_state_take(void *state, enum keep_start start);
int fd_table_start(xinim_endpoint_t who, xinim_endpoint_t parent);
void fd_table_end(xinim_endpoint_t who);
// who has made an execve: its close-on-exec fds are closed (done twice, the same).
void fd_table_exec(xinim_endpoint_t who);
// who's credentials and fd limit (clamped to FDS_MAX) become what PM says: 0 or -ESRCH.
int fd_table_creds(xinim_endpoint_t who, uint32_t fd_limit, const struct process_creds *creds);
// who's credentials as PM told them (NULL for a process VFS has no table of).
const struct process_creds *fd_creds(xinim_endpoint_t who);
// The session of process group pgid's processes (0: no process is in it).
uint32_t fd_group_session(uint32_t pgid);
// The fd limit of who (0 for a process VFS has no table of).
uint32_t fd_limit(xinim_endpoint_t who);
// fd arguments are taken as Linux takes them, as a 32-bit int: the upper bits of the
// register are ignored (fd 2^32 + 1 is fd 1).
// The open file behind fd of who: NULL when fd is not open (-EBADF).
struct open_file *fd_get(xinim_endpoint_t who, uint64_t fd);
// Puts a new open file of node at who's lowest free fd: the fd, or -EMFILE, -ENFILE, -EBADF.
long fd_open(xinim_endpoint_t who, struct node *node, int flags, bool cloexec);
// A new fd for fd's open file, the lowest free from lowest on (dup, F_DUPFD): it, or
// -EBADF, -EMFILE.
long fd_dup(xinim_endpoint_t who, uint64_t fd, uint64_t lowest, bool cloexec);
// fd_dup from who's table into another's (PM's, for execveat: XINIM_VFS_FD_LEND).
long fd_dup_into(xinim_endpoint_t who, uint64_t fd, xinim_endpoint_t into, uint64_t lowest,
		 bool cloexec);
// fd's open file at fd to, closing what to held (dup3): to, or -EBADF, -EINVAL (the same).
long fd_dup_to(xinim_endpoint_t who, uint64_t fd, uint64_t to, bool cloexec);
// who's open fd, or NULL.
struct fd_slot *fd_slot_of(xinim_endpoint_t who, uint64_t fd);
long fd_close(xinim_endpoint_t who, uint64_t fd);
// Open files named by index, for tables that keep no pointers (parked.c); NULL: closed.
unsigned open_file_index(const struct open_file *file);
struct open_file *open_file_at(unsigned index);

// io.c: one transfer between an open file and the caller's buffer at *offset (advanced
// for seekable nodes), already checked: bytes moved, or -errno.
long transfer(xinim_endpoint_t caller, struct open_file *file, bool writing, uint64_t buffer,
	      uint64_t n, uint64_t *offset);

// parked.c: long transfers, a slice at a time between other requests (docs/syscalls.md).
struct transfer_job {
	struct ipc_parked_call call;
	unsigned file;			// open_file_index
	bool writing, positioned;	// positioned: at offset, not the file's own
	uint64_t offset;
	uint64_t vector;		// readv, writev: the caller's iovec array; 0: one buffer
	uint32_t count, next;		// its entries; the next to start
	uint64_t buffer, left;		// the buffer in progress: where it goes on, bytes left
	uint64_t moved, limit;		// bytes moved; the most this call moves
};
// Runs job's first slice: the call's result, or IPC_DEFERRED when the job was parked
// (its reply comes once it is done; <libipc/parked.h>).
long transfer_start(struct transfer_job *job);
// One slice of a parked job (ipc_table.resume): whether any job remains.
bool transfer_resume(void);
// who has ended: its parked jobs are dropped unanswered.
void transfer_forget(xinim_endpoint_t who);

// files.c: (dirfd, path in the caller's memory) -> node, as openat and stat resolve it.
int caller_lookup(xinim_endpoint_t caller, uint64_t dirfd, uint64_t path_at, unsigned flags,
		  struct node **out);
// The node (dirfd, path, AT_* flags) names, as the *at calls take them: AT_EMPTY_PATH
// with "" names dirfd's file (AT_FDCWD: the working directory), AT_SYMLINK_NOFOLLOW.
int caller_node_at(xinim_endpoint_t caller, uint64_t dirfd, uint64_t path_at, int flags,
		   struct node **out);
ipc_handler vfs_faccessat, vfs_faccessat2, vfs_readlinkat, vfs_statfs, vfs_fstatfs;
ipc_handler vfs_sync, vfs_syncfs, vfs_fsync;

// Handlers: files.c (open, close), io.c (read and write), info.c (stat, getdents64),
// dev.c (ioctl), proc.c (PM's messages).
ipc_handler vfs_openat, vfs_close, vfs_read, vfs_write, vfs_readv, vfs_writev, vfs_pread64,
	vfs_pwrite64, vfs_lseek, vfs_fstat, vfs_newfstatat, vfs_getdents64, vfs_ioctl,
	vfs_proc_start, vfs_proc_end, vfs_proc_exec, vfs_proc_creds, vfs_dup, vfs_dup3, vfs_fcntl;
// poll.c: ppoll, parked (wait.c) until an fd is ready, a signal (vfs_interrupt, PM's
// XINIM_VFS_INTERRUPT) or its timeout.
ipc_handler vfs_ppoll, vfs_interrupt;

// wait.c: calls that wait for a node to become ready, or for a time. A handler whose
// call must wait parks it with wait_park (the handler's result is then IPC_DEFERRED);
// it is run again (again, the same request) when wait_ready says the node's readiness
// changed or its deadline passes, and answered `interrupted` when a signal cuts it short
// (-EINTR's restart codes: XINIM_ERESTARTSYS for reads and writes). node NULL: any
// node's change (ppoll's), or a time. -EAGAIN when every waiter's slot is taken.
long wait_park(const struct ipc_request *request, ipc_handler *again, struct node *node,
	       long interrupted);
// Before it answers -EAGAIN, a node's op names the time (counter ticks; 0: none) at
// which the call is to be run again even if nothing changes (a terminal's VTIME).
void wait_until(uint64_t deadline);
// When the call being run first waited (counter ticks): now for one not parked yet.
uint64_t wait_since(void);
void wait_ready(struct node *node);
// The thread's parked calls are answered with their `interrupted`: whether it had one.
bool wait_interrupt(xinim_endpoint_t who, uint32_t tid);
// who has ended: its parked calls are dropped unanswered.
void wait_forget(xinim_endpoint_t who);
// ipc_table.timer: runs the calls whose deadline passed; the time until the next.
uint64_t wait_timer(bool fire);
// cwd.c: the working directory and the umask of each fd table: chdir, fchdir, getcwd,
// umask. cwd_of is where a relative path of who's starts (NULL: the root); cwd_sound
// checks a kept table's at take-over.
ipc_handler vfs_chdir, vfs_fchdir, vfs_getcwd, vfs_umask;
struct node *cwd_of(xinim_endpoint_t who);
bool cwd_sound(const struct fd_table *t);
struct fd_table *fd_table_of(xinim_endpoint_t who);
// proc.c: PM's XINIM_VFS_FD_LEND; a request's payload (size bytes, the table checked its
// length) into payload, and whether PM sent it (PM's messages are PM's alone).
ipc_handler vfs_fd_lend;
bool pm_sent(const struct ipc_request *request, void *payload, size_t size);
