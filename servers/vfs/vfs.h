#pragma once
// The virtual file system (docs/architecture.md, The parts): a ramfs filled from the boot
// archive, devices, and each process's open files. VFS calls no server; it reaches
// callers' memory with the copy kernel calls only.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/uio.h>
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
	// write would do without waiting (NULL: always both, as a regular file), through an
	// open file of those flags (a pipe's read end is never writable: Linux's f_mode).
	unsigned (*poll)(struct node *node, int flags);
	// Each close of an fd of node by who (Linux's f_op->flush); NULL: nothing to do.
	void (*flush)(struct node *node, xinim_endpoint_t who);
};

// The tree (docs/vfs.md) lives in VFS's kept state, pointer-free: nodes (inodes) and
// entries (names in directories) by index, and files' bytes in blocks of a pool. A
// restarted VFS takes the tree over as it was; only indexes derived from it (the name
// hash, the free blocks) are rebuilt (tree.c, blocks.c).
#define NODES_MAX 16384
#define ENTRIES_MAX 16384
#define BLOCK_BYTES 4096
// The pool of blocks follows the state in kept memory: a 32nd of the machine's memory
// (16 MiB of 512), at most BLOCKS_MAX (48 MiB: kept memory is at most 64 MiB), at least
// BLOCKS_MIN. (With 24 MiB and more on 512 MiB, the guest's trace reader of
// boot_first_light and console_trace falls behind a burst of page faults: not yet
// understood, docs/vfs.md.)
#define BLOCKS_MAX 12288
#define BLOCKS_MIN 1024
#define VFS_HOSTED_BLOCKS 2048	// the hosted tests' pool: 8 MiB
#define MAP_SLOTS (BLOCK_BYTES / sizeof(uint32_t))	// a map block's entries

enum node_flags {
	NODE_ARCHIVE = 1 << 0,	// its bytes are the boot archive's, at `archive`, until written
	NODE_MOUNTED = 1 << 1,	// a directory something is mounted on
	NODE_LINKABLE = 1 << 2,	// an O_TMPFILE file that linkat may name
	NODE_PROC = 1 << 3,	// a file of /proc, its bytes made at each read (procfs.c; rdev)
	NODE_EPOLL = 1 << 4,	// an epoll instance: no file type, mode 0600 (Linux's anon inode)
	NODE_ROOT = 1 << 5,	// the unnamed root directory of a file system (fs.c)
	NODE_MQUEUE = 1 << 6,	// a message queue: its messages' bytes in its blocks (mqueue.c)
	NODE_SOCKET = 1 << 7,	// a socket (S_IFSOCK, unnamed): its record in the sockets' table
};

struct node {
	uint32_t mode;		// type and permission bits; 0: a free node
	uint32_t uid, gid;
	uint32_t nlink;
	uint64_t size;
	uint64_t rdev;		// devices: makedev(major, minor)
	int64_t atime, mtime, ctime;	// ns since the epoch
	uint32_t flags;		// enum node_flags
	uint32_t dev;		// the file system it is in (its mount): st_dev
	uint64_t archive;	// NODE_ARCHIVE: where its bytes start in the boot archive
	uint32_t map;		// block + 1 of its bytes' map root (blocks.c); 0: no blocks
	uint32_t height;	// map levels above the data blocks
	// Directories: their entries (entry index + 1) in the order they were made, which
	// getdents follows, the cookie the next one gets, and its own name (0: a root).
	uint32_t first, last;
	uint32_t entries;
	uint32_t own;
	uint64_t next_cookie;
	// FIFOs (pipe.c): where the bytes in the ring start, and how many there are; its
	// open files that may read, and write (counted again at take-over: fd.c).
	uint32_t pipe_head, pipe_bytes;
	uint32_t readers, writers;
};

// A name in a directory.
struct entry {
	uint32_t node;		// node index + 1; 0: a free entry
	uint32_t dir;		// the directory's node index
	uint32_t next, prev;	// its neighbours in dir (entry index + 1)
	uint64_t cookie;	// getdents's d_off of the entry after it, lseek's position
	uint16_t length;
	char name[NAME_MAX_BYTES + 1];
};

struct tree {
	uint32_t whole;		// set once the first instance has loaded the boot archive
	uint32_t pool_blocks;	// the pool's size, which a restarted VFS must find the same
	struct node nodes[NODES_MAX];
	struct entry entries[ENTRIES_MAX];
};
typedef uint8_t block_t[BLOCK_BYTES];

static inline uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }
// How many of n bytes from offset at lie in at's block: a copy goes a block at a time.
static inline uint64_t block_piece(uint64_t at, uint64_t n)
{
	return min_u64(n, BLOCK_BYTES - at % BLOCK_BYTES);
}

// tree.c: nodes and entries. Node 0 is the root.
struct node *ramfs_root(void);
uint32_t ramfs_index(const struct node *node);
struct node *ramfs_node_at(uint32_t index);	// NULL past the tree or for a free node
uint64_t node_ino(const struct node *node);
// node's absolute path, built from its names up to the root, across mounts (getcwd,
// /proc/mounts, /proc's links): its length (out holds it with a NUL), or -ENAMETOOLONG
// when it does not fit size.
long node_path(const struct node *node, char *out, size_t size);
// What a node does (regular_ops, directory_ops, a device's): by its type.
const struct node_ops *node_ops(const struct node *node);
// A directory's parent (a root's: itself; a mounted root's: the mount point's parent).
struct node *node_parent(const struct node *dir);
struct entry *entry_at(uint32_t index);	// index + 1 as nodes hold them; NULL: none
uint32_t entry_number(const struct entry *e);	// its index + 1
struct node *ramfs_child(const struct node *dir, const char *name, size_t length);
struct entry *ramfs_entry(const struct node *dir, const char *name, size_t length);
// A new node of file system dev (st_dev), not yet named (nlink 0), owned by uid:gid,
// with the times now: NULL when the node table, or the file system's nr_inodes, is full.
struct node *node_new(uint32_t dev, uint32_t mode, uint32_t uid, uint32_t gid);
// Names node in dir (which must not hold name): 0, -ENOSPC (entries full). Adds a link.
int entry_add(struct node *dir, const char *name, size_t length, struct node *node);
// Takes the name away; the node goes when it has no links and no open file or working
// directory names it (node_release).
void entry_remove(struct entry *e);
// entry e moves to dir under name (rename): its directory's lists and the hash change.
void entry_move(struct entry *e, struct node *dir, const char *name, size_t length);
// Frees node if nothing holds it any more: no name, open file or working directory.
void node_release(struct node *node);
// Adds a node under dir (which must not hold name) as the archive loader does: NULL
// when the tables are full.
struct node *ramfs_add(struct node *dir, const char *name, size_t length, mode_t mode);
// dir's child name, added with mode when there is none (a fresh tree's /dev and /proc,
// which the archive may hold already): NULL when the tables are full.
struct node *ramfs_provide(struct node *dir, const char *name, mode_t mode);
// What the tree holds (statfs): nodes in use, blocks in use.
void ramfs_usage(unsigned *nodes, unsigned *blocks);
// The time now (CLOCK_REALTIME, from the RTC the kernel read at boot), in ns.
int64_t vfs_now(void);
// Sets the times a change gives: mtime and ctime (which), now.
enum { TIME_A = 1, TIME_M = 2, TIME_C = 4 };
void node_touch(struct node *node, unsigned which);
// The tree as a restarted VFS finds it, checked: whether it is sound (false: VFS starts a
// fresh tree), with its indexes rebuilt. The nodes of the file systems in `released`
// (a bit per st_dev) are wiped first: an unmount's reaping that a crash cut short.
bool tree_take(struct tree *tree, block_t *pool, uint32_t pool_blocks, uint32_t released);
// Every node and entry of file system dev goes (an unmounted tmpfs: fs_reap).
void tree_wipe(uint32_t dev);
// A fresh tree: the root alone, and an empty pool.
void tree_fresh(struct tree *tree, block_t *pool, uint32_t pool_blocks);

// blocks.c: files' bytes, in blocks of the pool under a map per file.
long file_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
	       uint64_t offset);
long file_write(struct node *node, xinim_endpoint_t caller, uint64_t from, uint64_t n,
		uint64_t offset);
// Sets node's size: bytes past it freed, new ones read as zeros. 0, -ENOSPC, -EIO.
int file_resize(struct node *node, uint64_t size);
// The block that holds node's bytes from index * BLOCK_BYTES on, made (zeroed) if make:
// NULL for a hole, or *err (-ENOSPC, -EFBIG).
uint8_t *node_block(struct node *node, uint64_t index, bool make, int *err);
// The blocks node's bytes take (st_blocks).
uint64_t file_blocks(const struct node *node);
// node's bytes become the n bytes at here (a new link's target): 0, -ENOSPC.
int file_put(struct node *node, const void *here, size_t n);
// Frees every block of node (its last link and user went).
void file_free(struct node *node);
// Bytes from node's offset into here, in VFS (symbolic links' targets): count or -errno.
long file_bytes(const struct node *node, uint64_t offset, void *here, size_t n);
// The pool: blocks free and in all; a restarted VFS's rebuild from the maps (false: a
// map that does not check out).
unsigned blocks_free(void);
unsigned blocks_total(void);
bool blocks_take(struct tree *tree, block_t *pool, uint32_t pool_blocks);
void blocks_fresh(struct tree *tree, block_t *pool, uint32_t pool_blocks);
// How many blocks the pool has on this machine (the same for every VFS of a boot).
uint32_t pool_blocks(void);

// archive.c: the boot archive (size bytes read through read_at, attached at each start):
// loaded into a fresh tree (0 or -errno), and read for its files' bytes until they are
// written.
typedef long archive_reader(uint64_t offset, void *to, size_t n);
void archive_attach(archive_reader *read_at, uint64_t size);
int archive_load(void);
long archive_bytes(uint64_t offset, void *here, size_t n);
extern const struct node_ops regular_ops, directory_ops;

// The ids a check of permissions is made for: the file system ids and the groups of the
// caller as PM told VFS (XINIM_VFS_PROC_CREDS).
struct creds {
	uid_t uid;
	gid_t gid;
	uint32_t groups_count;
	const uint32_t *groups;
	uint32_t pid;		// whose they are (/proc/self); 0: a server's
};

extern const struct ipc_table vfs_table;

// path.c: lookup and permissions.
enum lookup_flags {
	LOOKUP_FOLLOW = 1 << 0,		// a link as the last component is followed
};
// The node path names from start (NULL: the root; for a relative path). 0 or -ENOENT,
// -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EACCES.
int path_lookup(struct node *start, const char *path, unsigned flags, const struct creds *who,
		struct node **out);
// A path's last component and the directory it is in, for the calls that make, remove
// or rename names: node is what the name holds now (NULL: nothing), dir where it goes.
struct last {
	struct node *dir, *node;
	struct entry *entry;		// node's name in dir (NULL: none, or "." and "..")
	char name[NAME_MAX_BYTES + 1];
	size_t length;			// 0: the path ends in "/", "." or ".." (no new name)
	bool slash;			// the path ends in "/"
	struct node *point;		// the mount point node covers (NULL: none)
};
// Resolves all of path but its last component (following links on the way, and a link
// in the last with LOOKUP_FOLLOW: O_CREAT's dangling link names what it creates).
int path_last(struct node *start, const char *path, unsigned flags, const struct creds *who,
	      struct last *out);
// A link's target (what readlink gives): at most size bytes of it into out, its length,
// or -errno (one of /proc's whose process or fd is gone: -ENOENT).
long link_target(const struct node *link, const struct creds *who, char *out, size_t size);
// What a resolved last component names: 0 and *out, or -ENOENT (nothing), -ENOTDIR (a
// path ending in "/" that names no directory).
int last_found(const struct last *at, struct node **out);
// Whether gid is who's group or one of its supplementary groups.
bool in_group(const struct creds *who, uint32_t gid);
// Whether who may access node as mask (R_OK | W_OK | X_OK) asks.
bool may_access(const struct node *node, const struct creds *who, int mask);
// Whether who owns node (or is root): what chmod, utimes and a sticky directory ask.
bool owns(const struct node *node, const struct creds *who);
// Whether who may take a name out of dir (write and search on dir, and, if dir is
// sticky, ownership of dir or of node): 0, -EACCES, -EPERM.
int may_unname(const struct node *dir, const struct node *node, const struct creds *who);

// The console's terminal (tty.h), kept with VFS's state (fd.c): its settings, what was
// typed and not yet read, its foreground process group and session.
struct tty *vfs_console(void);

// console.c: /dev/console and /dev/tty, the console's terminal. console_input takes
// what the kernel's ring holds (at start, and at each XINIM_NOTE_CONSOLE_INPUT: table.c's
// notifications); console_sound checks a kept terminal at take-over.
extern const struct node_ops console_ops;
void console_input(void);
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
// What the device rdev names does (NULL: no device of VFS's).
const struct node_ops *dev_ops(uint64_t rdev);
// console.c: the next transfers belong to request id, from position on in its bytes
// (the console shows each byte of a request once: KCALL_CONSOLE_WRITE).
void dev_write_context(uint64_t id, uint64_t position);

// fd.c: per-process tables of open files, kept across VFS's restarts (pointer-free).
struct open_file {
	uint32_t node;		// ramfs_index
	uint32_t refs;		// fds sharing it
	uint64_t offset;	// changed after keep_change (libipc/keep.h)
	int flags;		// the access mode (3: neither), O_PATH, O_APPEND, O_NONBLOCK
	// Where the O_APPEND write of request append_id (from append_caller) started: the
	// same place if the request comes again to a restarted VFS (io.c).
	xinim_endpoint_t append_caller;
	uint64_t append_id, append_at;
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
	// Version 8: the program it runs (ramfs_index + 1; 0: unknown), /proc/PID/exe.
	uint32_t exe;
	uint32_t reserved;
};

// How far a long call got, kept (parked.c): by caller, request id and what it counts (a
// write into a pipe, a stream's send or receive: bytes; sendmmsg, recvmmsg: entries).
#define PROGRESS_MAX 64
enum progress_kind { PROGRESS_BYTES, PROGRESS_ENTRIES, PROGRESS_KINDS };
struct transfer_progress {
	xinim_endpoint_t caller;	// 0: a free record
	uint32_t kind;			// enum progress_kind
	uint64_t id, moved;
};
struct transfer_progress *vfs_progress(void);

// locks.c: advisory locks, kept (struct vfs_state.locks): POSIX record locks (owner: the
// process's endpoint), OFD locks (owner: open file index + 1), flock's (the same).
enum lock_kind { LOCK_KIND_POSIX, LOCK_KIND_OFD, LOCK_KIND_FLOCK };
#define LOCKS_MAX 256
struct file_lock {
	uint32_t node;		// node index + 1; 0: a free slot
	uint8_t kind;		// enum lock_kind
	uint8_t write;		// F_WRLCK (else F_RDLCK)
	uint16_t reserved;
	uint32_t owner;
	uint32_t pid;		// the process that set it (F_GETLK's l_pid)
	uint64_t start, end;	// bytes [start, end]; end UINT64_MAX: to the file's end
};
struct file_lock *vfs_locks(void);
// Sets (F_RDLCK, F_WRLCK) or clears (F_UNLCK) owner's lock on node over [start, end]:
// 0, -EAGAIN (another owner's stands against it), -ENOLCK (the table is full).
long lock_set(uint32_t node, uint32_t kind, uint32_t owner, uint32_t pid, int type,
	      uint64_t start, uint64_t end);
// The first lock that stands against such a one, or NULL.
const struct file_lock *lock_conflict(uint32_t node, uint32_t kind, uint32_t owner, bool write,
				      uint64_t start, uint64_t end);
// Every lock of (kind, owner), on node only if node is not 0, goes.
void locks_release(uint32_t kind, uint32_t owner, uint32_t node);
bool lock_sound(const struct file_lock *l);
ipc_handler vfs_flock;

// epoll (docs/vfs.md, epoll): an instance is a node of no file type (NODE_EPOLL) with
// one open file; what it watches is kept here (interest.c), an entry per (instance,
// open file, fd) as Linux keys an epitem, naming the instance by its node and the
// watched file by its open file.
#define INTERESTS_MAX 1024	// in all: past it epoll_ctl's ADD is -ENOSPC
#define EPOLL_MODE 0600		// an instance's node: Linux's anon inode's mode
#define EPOLL_NESTS_MAX 4	// Linux's EP_MAX_NESTS: instances watching instances
// Bits of an entry's events that are no event (Linux's EP_PRIVATE_BITS).
#define EPOLL_PRIVATE (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
struct interest {
	uint32_t epoll;		// the instance's node index + 1; 0: a free entry
	uint32_t file;		// the watched open file's index + 1
	uint32_t fd;		// the fd it was added by
	uint32_t events;	// asked, with EPOLLERR and EPOLLHUP; a ONESHOT that fired: none
	uint64_t data;		// given back with each event
	// EPOLLET: the watched node changed (wait_ready_for, for an asked event) since the
	// entry was last reported: Linux's epitem on the ready list.
	uint32_t edge;
	uint32_t reserved;
};
// An event as epoll_pwait writes it: AArch64's struct epoll_event (not packed as
// x86-64's, which the hosted tests' C library has).
struct epoll_record {
	uint32_t events;
	uint32_t pad;
	uint64_t data;
};
_Static_assert(sizeof(struct epoll_record) == 16, "AArch64's struct epoll_event");
struct interest *vfs_interests(void);
extern const struct node_ops epoll_ops;
bool node_is_epoll(const struct node *node);
// Whether epoll may watch node: a node with a poll op (Linux's file_can_poll), or an epoll.
bool node_pollable(const struct node *node);
// The entry of (epoll, open file index, fd), or NULL.
struct interest *interest_find(const struct node *epoll, unsigned file, uint32_t fd);
// A new entry, reported at the next wait if ready (as an edge): 0, -ENOSPC (table full).
long interest_add(const struct node *epoll, unsigned file, uint32_t fd, uint32_t events,
		  uint64_t data);
// MOD: the entry asks for events now (a fired ONESHOT is armed again).
void interest_set(struct interest *i, uint32_t events, uint64_t data);
void interest_remove(struct interest *i);
// Whether epoll watching the epoll target would make a loop, or a chain of instances
// longer than EPOLL_NESTS_MAX + 1 (Linux's ep_loop_check: -ELOOP).
bool interest_loops(const struct node *epoll, const struct node *target);
// The events entry i reports now (0: none): its node's readiness of those it asks, and
// for EPOLLET only after an edge.
uint32_t interest_ready(const struct interest *i);
// Entry i was reported: an EPOLLET edge is spent, an EPOLLONESHOT entry disarmed.
void interest_reported(struct interest *i);
// wait_ready_for's part: node changed for events; EPOLLET entries watching it that ask
// for one get an edge, and the instances watching it change in turn.
void interests_changed(const struct node *node, unsigned events);
// The last fd of open file index went: its entries in every instance go, and if it is
// an instance's, the instance's own.
void interests_file_gone(unsigned file);
// A take-over: entries whose instance or open file is gone, or that loop, are dropped.
void interests_take(void);
ipc_handler vfs_epoll_create1, vfs_epoll_ctl, vfs_epoll_pwait, vfs_epoll_pwait2;
// mqueue.c, mqueue_io.c: POSIX message queues (mq_overview(7)), files (NODE_MQUEUE) of a
// file system of their own (FS_MQUEUE, made with the tree) under its root, which no path
// reaches until it is mounted (mount -t mqueue). A queue's record is kept here, its messages' bytes in its
// node's blocks: message slot i of the queue at i * mq_msgsize.
#define MQ_QUEUES_MAX 256	// Linux's fs.mqueue.queues_max: ENOSPC beyond
#define MQ_SLOTS_MAX 4096	// the messages all queues may hold: a queue takes mq_maxmsg
#define MQ_PRIORITIES 32768	// MQ_PRIO_MAX: a priority is below it (-EINVAL)
struct mq_queue {
	uint32_t node;		// node index + 1; 0: a free record
	uint32_t first;		// its mq_maxmsg slots in struct mq_state.slots start here
	uint32_t maxmsg, curmsgs;
	uint64_t msgsize;
	uint64_t bytes;		// in its messages (the file's QSIZE)
	uint64_t sequence;	// the next message's: first in, first out within a priority
	uint32_t creator;	// the uid whose RLIMIT_MSGQUEUE it counts against
	// mq_notify: the registered process (0: none), its sigev_notify, sigev_signo and
	// sigev_value.
	xinim_endpoint_t notify_owner;
	int32_t notify_how, notify_signal;
	uint64_t notify_value;
};
struct mq_slot {
	uint32_t used;		// 0: free
	uint32_t priority;
	uint64_t length;
	uint64_t sequence;	// its queue's sequence when it came
};
struct mq_state {
	uint32_t root;		// the file system's root directory: node index + 1
	uint32_t reserved;
	struct mq_queue queues[MQ_QUEUES_MAX];
	struct mq_slot slots[MQ_SLOTS_MAX];
};
struct mq_state *vfs_mq(void);
extern const struct node_ops mqueue_ops;
// The root of the queues' file system, which a mount at /dev/mqueue is to show (NULL: a
// tree without one).
struct node *mqueue_root(void);
// A fresh tree's mqueue root (0, -ENOSPC); a restarted VFS's check of the queues: a
// record that does not check out goes, with its node's messages.
int mqueue_fresh(void);
void mqueue_take(void);
// node (a queue's) goes: its record and slots with it (node_release).
void mqueue_release(struct node *node);
// who has made an execve: its registrations stay (another process still gets -EBUSY)
// but signal nothing, as Linux's (its notify_self_exec_id).
void mqueue_exec(xinim_endpoint_t who);
// mq_notify's sigev_notify and sigev_signo as Linux's do_mq_notify checks them: 0, or
// -EINVAL, or -ENOSYS (SIGEV_THREAD: a gap).
long mqueue_notification_check(int32_t how, int32_t signal);
// A queue's record of node, NULL for none.
struct mq_queue *mqueue_of(const struct node *node);
// The queue's mq_maxmsg message slots (slot i's bytes are at i * mq_msgsize in its node).
struct mq_slot *mqueue_slots(const struct mq_queue *q);
ipc_handler vfs_mq_open, vfs_mq_unlink, vfs_mq_timedsend, vfs_mq_timedreceive, vfs_mq_notify,
	vfs_mq_getsetattr;

// signals.c: signals for single processes that PM fetches (XINIM_NOTE_SIGNALS, then
// XINIM_VFS_SIGNALS), kept until then; raised as part of a request (its commit keeps
// them). A full table drops the signal.
#define VFS_SIGNALS_KEPT 16
#define SIGNALS_TOP 64	// Linux's _NSIG: the signals are 1 to 64
struct xinim_vfs_signal *vfs_signals_kept(void);
void signal_for(const struct xinim_vfs_signal *signal);
// A restarted VFS's check: entries that do not check out go; PM is told of the rest.
void signals_take(void);
ipc_handler vfs_signals;

// fs.c: file systems, each its own st_dev (a small number: makedev(0, dev) is dev) and
// its own root node; every node belongs to one (node.dev). The root's is ROOT_DEV; a
// tmpfs mount makes a new one; /proc's is made with the tree and outlives its mounts.
#define FS_MAX 16		// st_dev 1 .. FS_MAX - 1
#define ROOT_DEV 1
enum fs_kind { FS_FREE, FS_TMPFS, FS_PROC, FS_MQUEUE };
struct file_system {
	uint32_t kind;		// enum fs_kind; FS_FREE: no file system has this st_dev
	uint32_t root;		// its root directory's node index
	uint32_t released;	// 1: no mount shows it, its nodes go once nothing holds
				// them; 2: they are going (fs.c, fs_wipe)
	uint32_t read_only;	// MS_RDONLY, the superblock's: EROFS on every change
	uint64_t blocks_max;	// tmpfs size= in blocks; 0: the pool's (no limit of its own)
	uint64_t nodes_max;	// nr_inodes=; 0: NODES_MAX
	uint32_t mode, uid, gid;	// tmpfs mode=, uid=, gid= (/proc/mounts shows them)
	uint32_t reserved;
};
// What a file system's nodes and blocks count against.
enum fs_usage { FS_NODES, FS_BLOCKS };
struct file_system *fs_of(uint32_t dev);	// NULL: no file system has dev
// Whether dev may take one more node or block; counting them as they come and go. The
// counts are derived, rebuilt from the tree by each instance (fs_recount).
bool fs_room(uint32_t dev, enum fs_usage what);
uint64_t fs_used(uint32_t dev, enum fs_usage what);
void fs_count(uint32_t dev, enum fs_usage what, int step);
void fs_recount(void);
// 0, or -EROFS when node's file system is read-only.
int fs_writable(const struct node *node);
// A new file system of kind with a root directory (mode, uid, gid): its dev, or -ENOSPC.
long fs_new(enum fs_kind kind, const struct file_system *limits);
// tmpfs's mount options (size=, nr_inodes=, mode=, uid=, gid=, comma-separated) into
// fs: 0 or -EINVAL. The size bounds what its files take, the pool shared underneath.
int tmpfs_options(char *data, struct file_system *fs);
// statfs of node's file system.
struct statfs;
void fs_statfs(const struct node *node, struct statfs *out);
// No mount shows dev any more: its nodes and blocks go (fs_reap, between requests,
// once no open file or working directory is in it; /proc's root stays).
void fs_release(uint32_t dev);
bool fs_reap(void);
bool fs_reap_due(void);
// Whether an open file or a working directory holds a node of dev below dir (dir NULL:
// anywhere in dev).
bool fs_busy(uint32_t dev, const struct node *dir);
// Whether node lies under directory dir (a file: one of its names does).
bool node_under(const struct node *node, const struct node *dir);
// fd.c: whether an open file may write to a regular file of dev (as Linux, devices and
// FIFOs do not count): a remount read-only waits for none.
bool fd_writer_in(uint32_t dev);
// The released file systems, a bit per dev (tree_take wipes them), and the records
// checked after the tree (fs_take): a record whose root is no root directory of its
// dev goes, with its nodes.
uint32_t fs_released_kept(const struct file_system *kept);
void fs_take(void);
// The options /proc/mounts shows after the mount's own (",size=1024k" ...).
size_t fs_options_text(const struct file_system *fs, char *to, size_t room);

// mount.c: the mount table (docs/vfs.md, Mounts). A path that reaches a mount point
// goes on at the root of the mount on it; ".." from a mounted root goes up from its
// point.
#define MOUNTS_MAX 32
#define MOUNT_SOURCE_MAX 64
struct mount {
	uint32_t dev;		// its file system; 0: a free slot
	uint32_t root;		// the node shown at the point: the file system's root, or a
				// directory of it (MS_BIND)
	uint32_t point;		// the node it covers, index + 1; 0: "/" itself
	uint32_t flags;		// MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME...: recorded, shown
	uint32_t made;		// the order of mounting (/proc/mounts follows it)
	uint32_t expired;	// MNT_EXPIRE's mark
	char source[MOUNT_SOURCE_MAX];	// what mount(2) named as its source
};
struct mount_table {
	struct file_system fs[FS_MAX];	// by dev
	struct mount mounts[MOUNTS_MAX];
	uint32_t made;		// the next mount's order
	uint32_t reserved;
};
struct mount_table *vfs_mounts(void);
// Whether a mount shows node index (a bound directory removed from its own place stays).
bool mount_shows(uint32_t index);
// The root of the mount on node if it is a mount point (the topmost of those stacked
// there), else node.
struct node *mount_crossed(struct node *node);
// Where a file system root is mounted: the node it covers (NULL: the root, or unmounted).
struct node *mount_point_of(const struct node *root);
// A fresh tree's mounts: / (tmpfs), /proc (proc, procfs_populate's directory becoming
// its root), /tmp (tmpfs): 0 or -errno.
int mounts_build(void);
// The mount table checked after the tree (a mount whose root or point does not check
// out goes); mount points' NODE_MOUNTED made afresh.
void mounts_take(void);
// /proc/mounts: a getmntent(3) line a mount, in the order they were made.
size_t mounts_text(char *to, size_t room);
// The mount a resolved path names as its root (the topmost there), or NULL.
struct mount *mount_named(const struct last *at);
// The first mount of file system dev (whose source and flags a bind takes), or NULL.
const struct mount *mount_of_dev(uint32_t dev);
// Whether the table has room for one more mount.
bool mount_room(void);
// A new mount of dev's directory root on point (NULL: "/"), logged: 0 or -ENOSPC.
long mount_add(uint32_t dev, struct node *root, struct node *point, uint32_t flags,
	       const char *source);
// Whether an open file, a working directory or another mount is inside m.
bool mount_busy(const struct mount *m);
// m and every mount inside it go; a file system no mount shows is released (fs_release).
void mount_detach(struct mount *m);
// mount_calls.c: mount(2) and umount2(2).
ipc_handler vfs_mount, vfs_umount2;

// socket.c, socket_io.c, unix.c: sockets (docs/vfs.md, Sockets). A socket is a node of
// type S_IFSOCK with NODE_SOCKET, unnamed, held by its open files, and a record here, in
// the kept state; what a socket does is its family's (struct socket_family: AF_UNIX in
// VFS, unix.c). An AF_UNIX socket's queue of records is the ring of its node's blocks
// (ring.c): a stream's bytes, a datagram or a packet each, with the rights they carry.
#define SOCKETS_MAX 512
#define FLIGHTS_MAX 256		// fds in flight in all queues (SCM_RIGHTS): beyond, ETOOMANYREFS
#define SOCK_NAME_MAX 108	// struct sockaddr_un's sun_path
#define SOCK_ADDR_MAX (2 + SOCK_NAME_MAX)	// a whole struct sockaddr_un
enum sock_state { SOCK_UNCONNECTED, SOCK_LISTENING, SOCK_CONNECTED };
enum sock_shut { SHUT_RECEIVE = 1, SHUT_SEND = 2, SHUT_BOTH = 3 };	// Linux's sk_shutdown
enum sock_flags {
	SOCK_PEER_GONE = 1 << 0,	// its peer closed: getpeername names it (peer_name); a
					// datagram socket's next send fails
	SOCK_PASSCRED = 1 << 1,		// SO_PASSCRED: recorded, answered
	SOCK_KEEPALIVE = 1 << 2,	// SO_KEEPALIVE, SO_REUSEADDR: recorded, answered
	SOCK_REUSEADDR = 1 << 3,
	SOCK_BOUND = 1 << 4,		// it owns its name (bind): a path's (bound) or abstract
	SOCK_CONNECTING = 1 << 5,	// AF_INET: a blocking connect waits for its end
};
struct sock_cred {
	uint32_t pid, uid, gid;		// struct ucred (SO_PEERCRED)
};
struct sock {
	uint32_t node;		// its node's index + 1; 0: a free record
	uint16_t family, type;
	uint8_t state;		// enum sock_state
	uint8_t shut;		// enum sock_shut
	uint8_t error;		// the pending error (SO_ERROR): a positive errno, 0: none
	uint8_t flags;		// enum sock_flags
	uint32_t peer;		// the connected socket's record index + 1 (0: none)
	uint32_t listener;	// not yet accepted: the listening socket's record index + 1
	uint32_t bound;		// its path's node index + 1 (0: none, or an abstract name)
	uint32_t backlog;	// listen's
	uint64_t order;		// not yet accepted: accept takes the lowest first
	uint32_t next_seq;	// the next record's number (rights in flight name it)
	uint32_t records;	// in its queue
	uint32_t rcvbuf, sndbuf;	// SO_RCVBUF, SO_SNDBUF as set (the ring is the limit)
	uint64_t rcvtimeo, sndtimeo;	// SO_RCVTIMEO, SO_SNDTIMEO in ns; 0: none
	struct sock_cred cred, peer_cred;	// its maker's (at socket, connect, listen); its peer's
	uint32_t name_length;	// its address's bytes (getsockname): 0 unbound
	char name[SOCK_NAME_MAX];	// sun_path's bytes (an abstract name's first is 0)
	uint32_t peer_name_length;	// SOCK_PEER_GONE: the name its peer had (Linux's
	char peer_name[SOCK_NAME_MAX];	// unix_peer outlives the peer's close)
	// AF_INET (inet.c): NET's socket id, and its readiness as NET last told it (poll's bits).
	uint32_t net_id, net_ready;
};
// An fd in flight (SCM_RIGHTS): an open file held by a record of a socket's queue.
struct flight {
	uint32_t file;		// open file index + 1; 0: a free slot
	uint32_t sock;		// the queue's socket: record index + 1
	uint32_t seq;		// the record's number
	uint32_t reserved;
};
struct socket_state {
	uint64_t order;		// the next connection's place in a listener's queue
	struct sock socks[SOCKETS_MAX];
	struct flight flights[FLIGHTS_MAX];
	// Version 10: NET's ids whose close found NET gone, for the next NET (inet.c); 0: none.
	// NET has fewer sockets than this, and none is made while it is gone.
	uint32_t net_closes_owed[SOCKETS_MAX];
};
struct socket_state *vfs_sockets(void);

// A send or receive as the calls give it (sendmsg's struct msghdr, read's buffer), its
// buffers imported into iov (checked), its name and control data in VFS's memory.
#define SCM_RIGHTS_MAX 253	// Linux's SCM_MAX_FD: fds a message carries
struct sock_io {
	xinim_endpoint_t caller;
	uint64_t id;			// the call's request id (AF_INET's grants name it)
	struct sock *sock;
	int flags;			// MSG_*
	int out_flags;			// receive: MSG_TRUNC, MSG_CTRUNC
	const struct iovec *iov;
	uint32_t count;
	uint64_t total;			// the buffers' bytes
	uint64_t skip;			// bytes an earlier run of this call moved already
	uint8_t name[SOCK_ADDR_MAX];	// send: where to (name_length 0: the peer); receive:
	uint32_t name_length;		// where from (0: unnamed)
	bool want_rights;		// receive: the caller has room for control data
	// The rights (open file index + 1) a send carries, a receive took (each holding a
	// reference for it).
	uint32_t rights_count;
	uint32_t rights[SCM_RIGHTS_MAX];
	uint64_t control_length;	// a send's control data
	uint8_t control[4096];
};
// Moves n bytes between the ring of node at `at` and io's buffers from byte offset on in
// them: n, or -EFAULT.
long sock_io_move(const struct sock_io *io, struct node *node, uint64_t at, uint64_t n,
		  uint64_t offset, bool into_ring);
// An address from the caller (length as the calls take it: at most a struct
// sockaddr_storage, -EINVAL): its length, or -errno; an address to the caller as Linux's
// move_addr_to_user (length_at 0: none wanted): 0 or -errno.
long sock_address_in(xinim_endpoint_t caller, uint64_t at, uint64_t length, uint8_t *addr);
long sock_address_out(xinim_endpoint_t caller, uint64_t at, uint64_t length_at,
		      const uint8_t *addr, uint32_t length);
// What a family does; NULL: the operation is not supported (-EOPNOTSUPP).
struct socket_family {
	// A new socket of type (SOCK_STREAM...) and protocol: 0 or -EPROTONOSUPPORT...
	long (*create)(struct sock *s, int protocol);
	long (*pair)(struct sock *a, struct sock *b);
	long (*bind)(xinim_endpoint_t caller, struct sock *s, const uint8_t *addr, uint32_t length);
	// 0 connected, -EAGAIN (a blocking caller waits on the node *wait), -errno
	// (-EINPROGRESS for a nonblocking caller).
	long (*connect)(xinim_endpoint_t caller, struct sock *s, const uint8_t *addr,
			uint32_t length, bool nonblocking, struct node **wait);
	long (*listen)(struct sock *s, int backlog);
	// The connection accepted (its record), or -EAGAIN, -EINVAL.
	long (*accept)(struct sock *s, struct sock **out);
	// Bytes moved (io.skip already done), or -errno; -EAGAIN with *wait the node to
	// wait on.
	long (*send)(struct sock_io *io, struct node **wait);
	long (*recv)(struct sock_io *io);
	long (*shutdown)(struct sock *s, int how);
	// Its own (peer false) or its peer's address into addr (SOCK_ADDR_MAX): its length.
	long (*name)(const struct sock *s, bool peer, uint8_t *addr);
	unsigned (*poll)(const struct sock *s);
	uint32_t (*readable)(const struct sock *s);	// FIONREAD
	void (*release)(struct sock *s);	// its last open file went
	// An option VFS does not keep itself (NULL: -ENOPROTOOPT): set (value, length in), or
	// get (value out, *length room in, its length out). 0 or -errno.
	long (*option)(struct sock *s, bool set, int level, int name, uint8_t *value,
		       uint32_t *length);
	// An ioctl (NULL: FIONREAD by readable alone): the caller's argument at arg.
	long (*ioctl)(struct sock *s, xinim_endpoint_t caller, unsigned request, uint64_t arg);
};
extern const struct socket_family unix_family, inet_family;
// inet.c: NET's notifications (XINIM_NOTE_NET_EVENTS: readiness fetched; XINIM_NOTE_SERVING:
// calls waiting for NET run again).
void inet_notified(const struct xinim_notification *note);
// /proc/net/NAME's text (which: enum xinim_net_proc) from NET into to: its length (0
// without NET).
size_t inet_proc(unsigned which, char *to, size_t room);
// A call's answer when NET cannot be reached (it died, or restarts): wait for it.
#define SOCK_NET_DOWN (-0x10001L)
// socket.c: result, or, for SOCK_NET_DOWN, the call parked on s until NET serves again.
long net_wait(const struct ipc_request *request, ipc_handler *again, struct sock *s,
	      long result);
extern const struct node_ops socket_ops;
struct sock *sock_of(const struct node *node);	// NULL: no socket
const struct socket_family *sock_family(const struct sock *s);
struct sock *sock_at(uint32_t number);		// record index + 1; NULL: none
uint32_t sock_number(const struct sock *s);	// its index + 1
struct node *sock_node(const struct sock *s);
// A new socket (node and record) of family and type for caller: NULL, -ENFILE.
struct sock *sock_new(xinim_endpoint_t caller, int family, int type);
// Frees a record made by sock_new that no fd holds yet (its node goes with it).
void sock_drop(struct sock *s);
void sock_cred_of(xinim_endpoint_t caller, struct sock_cred *out);
// The pending error (SO_ERROR) as -errno, taken (Linux's sock_error): 0 if none.
long sock_error(struct sock *s);
// The socket behind fd: 0 and *out, -EBADF, -ENOTSOCK.
long sock_fd(xinim_endpoint_t caller, uint64_t fd, struct sock **out);
// The node (index) is a socket's and goes (node_release), or is a bound name that goes.
void socket_node_gone(struct node *node);
// Whether a socket not yet accepted holds node index (node_held).
bool socket_holds(uint32_t index);
// A take-over: records that do not check out go; *refs (per open file) counts the fds in
// flight as references.
void sockets_take(uint32_t *refs);
// unix.c: rights in flight of record s's queue go (closed), and a peer's readiness.
void unix_rights_drop(struct sock *s, uint32_t seq, bool all);
// socket_io.c: the open file's rights in flight: taken into who's table at its lowest fds
// (cloexec), or closed. fd.c: an open file's reference taken (one more, for flight), given
// back (its last: closed as an fd's last close is), installed at who's lowest free fd.
void open_file_hold(struct open_file *file);
void open_file_drop(xinim_endpoint_t who, struct open_file *file);
long fd_install(xinim_endpoint_t who, struct open_file *file, bool cloexec);
// socket_io.c: a sendmsg, recvmsg of the struct msghdr at `at` with flags (again: the
// handler a wait runs again; NULL: it must not wait): bytes, -errno, or IPC_DEFERRED.
long send_message(const struct ipc_request *request, ipc_handler *again, uint64_t at, int flags);
long receive_message(const struct ipc_request *request, ipc_handler *again, uint64_t at,
		     int flags);
// socket_io.c: read, write, readv and writev on a socket's fd (io.c hands them over):
// recv, send without flags, recvmsg, sendmsg without control data.
long socket_transfer(const struct ipc_request *request, ipc_handler *again, bool writing,
		     bool vector);
ipc_handler vfs_socket, vfs_socketpair, vfs_bind, vfs_listen, vfs_accept, vfs_accept4,
	vfs_connect, vfs_getsockname, vfs_getpeername, vfs_shutdown, vfs_setsockopt,
	vfs_getsockopt, vfs_sendto, vfs_recvfrom, vfs_sendmsg, vfs_recvmsg, vfs_sendmmsg,
	vfs_recvmmsg;
// parked.c: how far a call got, kept by (caller, request id): NULL for none (make false),
// or when the table is full; dropped at the call's end.
struct transfer_progress *progress_find(xinim_endpoint_t caller, uint64_t id,
				       enum progress_kind kind, bool make);
void progress_end(xinim_endpoint_t caller, uint64_t id, enum progress_kind kind);
// Every record of the call goes: a signal answered it.
void progress_end_call(xinim_endpoint_t caller, uint64_t id);

// VFS's kept state (docs/resurrection.md): every fd table (one per PID) and open file,
// by index, and the console's settings. Here for the take-over's tests.
struct vfs_state {
	struct fd_table tables[XINIM_PROCS_MAX];
	struct open_file open_files[OPEN_FILES_MAX];
	// Version 5: the console's terminal (was its settings alone).
	struct tty console;
	struct tree tree;	// added in version 6: the files themselves
	struct transfer_progress progress[PROGRESS_MAX];	// long calls' (parked.c)
	struct file_lock locks[LOCKS_MAX];	// advisory locks (locks.c)
	struct interest interests[INTERESTS_MAX];	// version 8: epoll's (interest.c)
	// Version 8: message queues (mqueue.c) and signals for PM to fetch (signals.c).
	struct mq_state mq;
	struct xinim_vfs_signal signals[VFS_SIGNALS_KEPT];
	struct mount_table mounts;	// version 8: file systems and mounts (fs.c, mount.c)
	struct socket_state sockets;	// version 9: sockets (socket.c, unix.c)
};

// VFS's kept state at start (main.c): taken over and checked, or made empty.
#define VFS_STATE_VERSION 11
#define VFS_UNDO_BYTES (256 * 1024)	// a process's end closes its 128 fds
// The kept memory: the state, then the pool of blocks on a page of its own.
#define VFS_STATE_HEAD ((sizeof(struct vfs_state) + 4095) & ~(size_t)4095)
size_t vfs_state_size(void);
void vfs_state_take(void *state, enum keep_start start);
// The state VFS has now made fresh: the tree from the attached archive, no tables.
void vfs_state_build(void);
int fd_table_start(xinim_endpoint_t who, xinim_endpoint_t parent);
void fd_table_end(xinim_endpoint_t who);
// who has made an execve: its close-on-exec fds are closed (done twice, the same).
void fd_table_exec(xinim_endpoint_t who);
// who runs the program PM has open at PM's fd (PM's XINIM_VFS_PROC_START, _EXEC).
void fd_table_program(xinim_endpoint_t who, xinim_endpoint_t pm, uint32_t fd);
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
// Whether who has a free fd and there is room for an open file: 0, -EMFILE, -ENFILE,
// -EBADF.
int fd_room(xinim_endpoint_t who);
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
// How many open files of node may do what access (R_OK, W_OK) asks: a pipe's readers
// and writers.
unsigned node_openers(const struct node *node, int access);
// Whether an open file, a working directory or a mount (its root) holds node index (it
// stays while they do).
bool node_held(uint32_t index);
// each(node, context) for the node of every open file and working directory.
void nodes_held(void (*each)(const struct node *node, void *context), void *context);
// Open files named by index, for tables that keep no pointers (parked.c); NULL: closed.
unsigned open_file_index(const struct open_file *file);
struct open_file *open_file_at(unsigned index);

// io.c: the caller's iovec array of count entries at `at` into iov, checked as Linux's
// import_iovec: its total bytes, or -EINVAL, -EFAULT.
long vector_import(xinim_endpoint_t caller, uint64_t at, uint32_t count, struct iovec *iov);
// io.c: one transfer between an open file and the caller's buffer at *offset (advanced
// for seekable nodes), already checked: bytes moved, or -errno.
long transfer(xinim_endpoint_t caller, struct open_file *file, bool writing, uint64_t buffer,
	      uint64_t n, uint64_t *offset);

// parked.c: long transfers, a slice at a time between other requests (docs/syscalls.md).
struct transfer_job {
	struct ipc_parked_call call;
	uint32_t tid;			// the calling thread (a signal cuts its wait short)
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
// Whether a job of the process at pid sleeps on a pipe.
bool transfer_asleep(uint32_t pid);
// Jobs asleep on node (a pipe's) go on.
void transfer_wake(const struct node *node);
// The thread's jobs asleep on a pipe are answered: what they moved, or the restart code.
bool transfer_interrupt(xinim_endpoint_t who, uint32_t tid);

// files.c: (dirfd, path in the caller's memory) -> node, as openat and stat resolve it.
int caller_lookup(xinim_endpoint_t caller, uint64_t dirfd, uint64_t path_at, unsigned flags,
		  struct node **out);
// The node (dirfd, path, AT_* flags) names, as the *at calls take them: AT_EMPTY_PATH
// with "" names dirfd's file (AT_FDCWD: the working directory), AT_SYMLINK_NOFOLLOW.
int caller_node_at(xinim_endpoint_t caller, uint64_t dirfd, uint64_t path_at, int flags,
		   struct node **out);
// procfs.c: /proc (docs/vfs.md, /proc; procfs.h): its nodes (NODE_PROC), whose bytes
// are made at each read; the processes' directories, made to match the fd tables when
// /proc is looked into (procfs_refresh, for a NODE_PROC directory); its links: the node
// one stands for when followed (exe, cwd, fd/N; NULL: none, or a link of text), and
// their text (readlink; self's is who's PID): its length, or -ENOENT.
extern const struct node_ops proc_ops;
// A text made for a read (a /proc file's, a queue's): at most n of its bytes from offset
// into the caller's `to`, as Linux's simple_read_from_buffer: bytes copied or -EFAULT.
long text_read(xinim_endpoint_t caller, uint64_t to, uint64_t n, uint64_t offset,
	       const char *text, size_t length);
int procfs_populate(void);
void procfs_refresh(struct node *dir);
struct node *procfs_link_node(const struct node *link);
long procfs_link_text(const struct node *link, const struct creds *who, char *out, size_t size);
// proctable.c: what PM and MM hold of the processes, asked of PM while a reader of /proc
// waits: 0 and the record of pid (NULL: PM has none; pid 0: only the table is wanted),
// or -EAGAIN (wait_until named when to give up waiting); one process's maps text the same way; the whole table as it is.
long proc_record(uint32_t pid, const struct xinim_proc_record **out);
long proc_maps(uint32_t pid, const char **text, uint32_t *length);
const struct xinim_proc_record *proc_records(unsigned *count);
ipc_handler vfs_proc_wants, vfs_proc_report;

// ring.c: a ring of RING_BYTES in a node's blocks (node.pipe_head and pipe_bytes say
// where its bytes are): a pipe's, a socket's queue. ring_move copies n bytes between the
// ring at position at (any: taken modulo RING_BYTES) and side, into the ring if in
// (blocks made as needed): bytes moved, or -errno (-ENOSPC: the pool is full).
#define RING_BYTES (16 * BLOCK_BYTES)
struct ring_side {
	xinim_endpoint_t caller;	// 0: VFS's own memory at local
	uint64_t buffer;		// in the caller's memory
	void *local;
};
long ring_move(struct node *node, const struct ring_side *side, uint64_t n, uint64_t at,
	       bool in);

// pipe.c: pipes and FIFOs, a ring in blocks of the pool.
#define PIPE_BYTES RING_BYTES
extern const struct node_ops pipe_ops;
ipc_handler vfs_pipe2;
// An open of the FIFO node by name: 0 to open it, or the answer (IPC_DEFERRED: parked
// until the other end opens; again is the handler to run it again).
long fifo_open(const struct ipc_request *request, ipc_handler *again, struct node *node,
	       int flags);
// Whether a parked open of node (wait.c) waits for the other end, for reading or not.
bool fifo_opener_waiting(const struct node *node, bool reading);

// namespace.c: a new node for caller in dir: mode (less the caller's umask, but for a
// link), the caller's file system ids (the group of a set-group-ID dir); NULL: no room.
struct node *node_made(xinim_endpoint_t caller, struct node *dir, uint32_t mode, uint64_t rdev);
ipc_handler vfs_mkdirat, vfs_mknodat, vfs_symlinkat, vfs_linkat, vfs_unlinkat, vfs_renameat,
	vfs_renameat2;
// attr.c: attributes and sizes.
ipc_handler vfs_fchmod, vfs_fchmodat, vfs_fchown, vfs_fchownat, vfs_utimensat, vfs_truncate,
	vfs_ftruncate, vfs_fallocate;
// path_last for (dirfd, path in the caller's memory).
int caller_last(xinim_endpoint_t caller, uint64_t dirfd, uint64_t path_at, unsigned flags,
		struct last *out);
// The caller's ids for permission checks: its file system ids (real: its real ids).
struct creds caller_creds(xinim_endpoint_t caller, bool real);
ipc_handler vfs_faccessat, vfs_faccessat2, vfs_readlinkat, vfs_statfs, vfs_fstatfs;
ipc_handler vfs_sync, vfs_syncfs, vfs_fsync;

// Handlers: files.c (open, close), io.c (read and write), info.c (stat, getdents64),
// dev.c (ioctl), proc.c (PM's messages).
ipc_handler vfs_openat, vfs_close, vfs_read, vfs_write, vfs_readv, vfs_writev, vfs_pread64,
	vfs_pwrite64, vfs_lseek, vfs_fstat, vfs_newfstatat, vfs_getdents64, vfs_ioctl,
	vfs_proc_start, vfs_proc_end, vfs_proc_exec, vfs_proc_creds, vfs_dup, vfs_dup3, vfs_fcntl;
// poll.c: ppoll, parked (wait.c) until an fd is ready, a signal (vfs_interrupt, PM's
// XINIM_VFS_INTERRUPT) or its timeout.
ipc_handler vfs_ppoll, vfs_pselect6, vfs_interrupt;
// A call with a signal mask (at mask_at, size bytes; 0: none) runs under it, as Linux's
// ppoll, pselect6 and epoll_pwait: the first delivery only reads it (-EINVAL for a size
// but 8, -EFAULT) and asks PM through its answer to put it in place and have the call
// made again (XINIM_RAISE_MASK, XINIM_SYSCALL_AGAIN); that one runs (run, which parks it
// with the handler that called masked), and its answer has PM put the old mask back.
long masked(const struct ipc_request *request, uint64_t mask_at, uint64_t size,
	    ipc_handler *run, struct xinim_msg *reply);
// The deadline (counter ticks) of a struct timespec timeout at `at` in caller's memory,
// counted from when the call first waited (0: none given): 0, -EFAULT, -EINVAL.
long timeout_of(xinim_endpoint_t caller, uint64_t at, uint64_t *deadline);
// The poll events an open file is ready for (its node's poll op, or always both).
unsigned file_poll(const struct open_file *file);

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
// Before a call of several parts (recvmmsg's entries) runs a part that may park it, it
// names what a signal answers then instead of the part's own answer: what the parts
// before had done (0: the part's own).
void wait_interrupted_answer(long answer);
// When the call being run first waited (counter ticks): now for one not parked yet.
uint64_t wait_since(void);
void wait_ready(struct node *node);
// Every parked call runs again (what they wait for is not a node: /proc's table).
void wait_ready_every(void);
// Whether the process at pid waits in a call VFS parked (/proc's state letter).
bool wait_parked_process(uint32_t pid);
// wait_ready for a change that concerns only events (POLLIN, POLLOUT, ...): an EPOLLET
// entry that asks for none of them gets no edge (Linux's wake-up key).
void wait_ready_for(struct node *node, unsigned events);
// Runs again the calls parked on nodes made ready since (ipc_table.resume, between
// requests): whether more were made ready meanwhile (wait_due: whether any are).
bool wait_resume(void);
bool wait_due(void);
// Whether a call parked on node is one match says yes to.
bool wait_parked_on(const struct node *node, bool (*match)(const struct ipc_request *request));
// A call of who's parked with the handler again (the first found), or NULL.
const struct ipc_request *wait_parked_call(xinim_endpoint_t who, ipc_handler *again);
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
// The table of the process at pid, or NULL.
const struct fd_table *fd_table_at(uint32_t pid);
// proc.c: PM's XINIM_VFS_FD_LEND; a request's payload (size bytes, the table checked its
// length) into payload, and whether PM sent it (PM's messages are PM's alone).
ipc_handler vfs_fd_lend;
bool pm_sent(const struct ipc_request *request, void *payload, size_t size);

