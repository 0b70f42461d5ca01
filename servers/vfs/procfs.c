// /proc's tree (docs/vfs.md, /proc): nodes of the kept tree flagged NODE_PROC, whose
// bytes are made at each read (procfiles.c). /proc holds a directory for each process VFS
// keeps an fd table of, made or taken away to match the tables whenever /proc is looked
// into (procfs_refresh), as /proc/PID/fd's links follow the process's fds: so a
// restarted VFS, which keeps the tree, needs nothing more than the next look. The links
// exe, cwd and fd/N stand for the node itself when followed, as Linux's "magic" links
// do (a pipe's fd/N opens the pipe); /proc/self is a link to the reader's PID.
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <xinim/format.h>
#include "procfs.h"

void put(struct text *t, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	t->length += kvsnprintf(t->bytes + t->length, PROC_TEXT_MAX - t->length, fmt, args);
	va_end(args);
}

static long proc_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
		      uint64_t offset)
{
	static struct text t;
	t.length = 0;
	long err = proc_text(node, caller, &t);
	return err ? err : text_read(caller, to, n, offset, t.bytes, t.length);
}

long text_read(xinim_endpoint_t caller, uint64_t to, uint64_t n, uint64_t offset,
	       const char *text, size_t length)
{
	if (offset >= length)
		return 0;
	n = min_u64(n, length - offset);
	long err = ipc_copy_to(caller, to, text + offset, n);
	return err ? err : (long)n;
}

const struct node_ops proc_ops = { .read = proc_read, .seekable = true };

struct proc_name {
	const char *name;
	enum proc_kind kind;
	uint32_t mode;
};

static const struct proc_name system_files[] = {
	{ "meminfo", PROC_MEMINFO, S_IFREG | 0444 }, { "uptime", PROC_UPTIME, S_IFREG | 0444 },
	{ "loadavg", PROC_LOADAVG, S_IFREG | 0444 }, { "mounts", PROC_MOUNTS, S_IFREG | 0444 },
	{ "version", PROC_VERSION, S_IFREG | 0444 }, { "stat", PROC_STAT, S_IFREG | 0444 },
	{ "cpuinfo", PROC_CPUINFO, S_IFREG | 0444 }, { "self", PROC_SELF, S_IFLNK | 0777 },
};

static const struct proc_name net_files[] = {
	{ "dev", PROC_NET_DEV, S_IFREG | 0444 }, { "route", PROC_NET_ROUTE, S_IFREG | 0444 },
};

static const struct proc_name process_files[] = {
	{ "stat", PID_STAT, S_IFREG | 0444 },	    { "status", PID_STATUS, S_IFREG | 0444 },
	{ "cmdline", PID_CMDLINE, S_IFREG | 0444 }, { "comm", PID_COMM, S_IFREG | 0444 },
	{ "statm", PID_STATM, S_IFREG | 0444 },	    { "maps", PID_MAPS, S_IFREG | 0444 },
	{ "mounts", PID_MOUNTS, S_IFREG | 0444 },   { "exe", PID_EXE, S_IFLNK | 0777 },
	{ "cwd", PID_CWD, S_IFLNK | 0777 },	    { "fd", PID_FD, S_IFDIR | 0500 },
};

// dir's child name as /proc has it: made (or made over, if the archive held it) with
// its kind; NULL when the tables are full.
static struct node *proc_node(struct node *dir, const char *name, enum proc_kind kind,
			      uint32_t pid, uint32_t fd, uint32_t mode)
{
	struct node *n = ramfs_provide(dir, name, mode);
	if (!n || (n->mode & S_IFMT) != (mode & S_IFMT))
		return NULL;
	keep_change(n, sizeof(*n));
	n->mode = mode;
	n->flags |= NODE_PROC;
	n->rdev = proc_rdev(kind, pid, fd);
	n->uid = dir->uid;
	n->gid = dir->gid;
	return n;
}

int procfs_populate(void)
{
	struct node *proc = ramfs_provide(ramfs_root(), "proc", S_IFDIR | 0555);
	if (!proc)
		return -ENOSPC;
	if (!S_ISDIR(proc->mode))
		return -ENOTDIR;
	keep_change(proc, sizeof(*proc));
	proc->mode = S_IFDIR | 0555;
	proc->flags |= NODE_PROC;
	proc->rdev = proc_rdev(PROC_ROOT, 0, 0);
	for (size_t i = 0; i < sizeof(system_files) / sizeof(system_files[0]); i++)
		if (!proc_node(proc, system_files[i].name, system_files[i].kind, 0, 0,
			       system_files[i].mode))
			return -ENOSPC;
	struct node *net = proc_node(proc, "net", PROC_NET, 0, 0, S_IFDIR | 0555);
	for (size_t i = 0; net && i < sizeof(net_files) / sizeof(net_files[0]); i++)
		if (!proc_node(net, net_files[i].name, net_files[i].kind, 0, 0, net_files[i].mode))
			return -ENOSPC;
	return net ? 0 : -ENOSPC;
}

// Takes e's name away, and first everything below it (a process's directory).
static void subtree_remove(struct entry *e)
{
	struct node *n = ramfs_node_at(e->node - 1);
	while (n && S_ISDIR(n->mode) && entry_at(n->first))
		subtree_remove(entry_at(n->first));
	entry_remove(e);
}

static bool is_kind(const struct node *n, enum proc_kind kind)
{
	return n && (n->flags & NODE_PROC) && proc_kind_of(n) == kind;
}

// The names in dir of the given kind whose number the fd tables no longer hold go.
static void stale_remove(struct node *dir, enum proc_kind kind, bool (*held)(uint32_t pid,
									     uint32_t number))
{
	for (struct entry *e = entry_at(dir->first), *next; e; e = next) {
		next = entry_at(e->next);
		const struct node *n = ramfs_node_at(e->node - 1);
		if (is_kind(n, kind) &&
		    !held(proc_pid_of(n), kind == FD_LINK ? proc_fd_of(n) : proc_pid_of(n)))
			subtree_remove(e);
	}
}

static bool process_held(uint32_t pid, uint32_t number)
{
	(void)number;
	return fd_table_at(pid) != NULL;
}

static bool fd_held(uint32_t pid, uint32_t fd)
{
	const struct fd_table *t = fd_table_at(pid);
	return t && fd_get(t->owner, fd);
}

// pid's directory in /proc, owned by its effective ids (ps's USER), its files made.
static void process_dir(struct node *proc, uint32_t pid, const struct process_creds *c)
{
	char name[12];
	ksnprintf(name, sizeof(name), "%u", pid);
	struct node *dir = ramfs_child(proc, name, strlen(name));
	if (dir && is_kind(dir, PID_DIR) && dir->uid == c->euid && dir->gid == c->egid)
		return;
	if (!dir || !is_kind(dir, PID_DIR)) {
		dir = proc_node(proc, name, PID_DIR, pid, 0, S_IFDIR | 0555);
		if (!dir)
			return;
	}
	keep_change(dir, sizeof(*dir));
	dir->uid = c->euid;
	dir->gid = c->egid;
	for (size_t i = 0; i < sizeof(process_files) / sizeof(process_files[0]); i++)
		proc_node(dir, process_files[i].name, process_files[i].kind, pid, 0,
			  process_files[i].mode);
}

static void fd_links(struct node *dir)
{
	uint32_t pid = proc_pid_of(dir);
	stale_remove(dir, FD_LINK, fd_held);
	const struct fd_table *t = fd_table_at(pid);
	const struct open_file *file;
	for (uint32_t fd = 0; t && fd < FDS_MAX; fd++) {
		if (!(file = fd_get(t->owner, fd)))
			continue;
		char name[12];
		ksnprintf(name, sizeof(name), "%u", fd);
		const struct node *n = ramfs_child(dir, name, strlen(name));
		uint32_t mode = S_IFLNK | ((file->flags & OPEN_ACCESS) == O_RDONLY ? 0500
			      : (file->flags & OPEN_ACCESS) == O_WRONLY	      ? 0300
										      : 0700);
		if (!n || n->mode != mode)
			proc_node(dir, name, FD_LINK, pid, fd, mode);
	}
}

void procfs_refresh(struct node *dir)
{
	if (is_kind(dir, PID_FD)) {
		fd_links(dir);
		return;
	}
	if (!is_kind(dir, PROC_ROOT))
		return;
	stale_remove(dir, PID_DIR, process_held);
	for (uint32_t pid = 1; pid < XINIM_PROCS_MAX; pid++) {
		const struct fd_table *t = fd_table_at(pid);
		if (t)
			process_dir(dir, pid, &t->creds);
	}
}

struct node *procfs_link_node(const struct node *link)
{
	const struct fd_table *t = fd_table_at(proc_pid_of(link));
	const struct open_file *file;
	switch (proc_kind_of(link)) {
	case PID_EXE: return t && t->exe ? ramfs_node_at(t->exe - 1) : NULL;
	case PID_CWD: return t ? (t->cwd ? ramfs_node_at(t->cwd - 1) : ramfs_root()) : NULL;
	case FD_LINK:
		return t && (file = fd_get(t->owner, proc_fd_of(link))) ? file_node(file) : NULL;
	default: return NULL;
	}
}

long procfs_link_text(const struct node *link, const struct creds *who, char *out, size_t size)
{
	if (proc_kind_of(link) == PROC_SELF)
		return who->pid ? (long)ksnprintf(out, size, "%u", who->pid) : -ENOENT;
	const struct node *n = procfs_link_node(link);
	if (!n)
		return -ENOENT;
	if (S_ISFIFO(n->mode) && !n->nlink)
		return (long)ksnprintf(out, size, "pipe:[%lu]", (unsigned long)node_ino(n));
	if (n->flags & NODE_EPOLL)
		return (long)ksnprintf(out, size, "anon_inode:[eventpoll]");
	if (n->flags & NODE_SOCKET)
		return (long)ksnprintf(out, size, "socket:[%lu]", (unsigned long)node_ino(n));
	long length = node_path(n, out, size);
	if (length >= 0 && !n->nlink && !S_ISDIR(n->mode))
		length += (long)ksnprintf(out + length, size - (size_t)length, " (deleted)");
	return length;
}
