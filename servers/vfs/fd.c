// Each process's fd table: fd -> open file (shared by dup'd fds and, later, by fork).
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "vfs.h"

#ifdef XINIM_HOSTED	// the hosted tests have no kept memory: a state of their own
static uint8_t hosted_state[VFS_STATE_HEAD + VFS_HOSTED_BLOCKS * BLOCK_BYTES]
	__attribute__((aligned(4096)));
static struct vfs_state *vfs = (struct vfs_state *)hosted_state;
#else
static struct vfs_state *vfs;
#endif
#define tables (vfs->tables)
#define open_files (vfs->open_files)

size_t vfs_state_size(void) { return VFS_STATE_HEAD + (size_t)pool_blocks() * BLOCK_BYTES; }

static block_t *pool(void) { return (block_t *)((uint8_t *)vfs + VFS_STATE_HEAD); }

struct tty *vfs_console(void) { return &vfs->console; }

// Whether an fd's slot (open_files index + 1, 0: closed) names an open file that checks
// out: in range, of a node of the tree, with only the flags fd_open keeps.
static bool slot_sound(uint32_t f)
{
	if (!f)
		return true;
	if (f > OPEN_FILES_MAX)
		return false;
	const struct open_file *file = &open_files[f - 1];
	return ramfs_node_at(file->node) && !(file->flags & ~OPEN_FILE_FLAGS);
}

// Whether the table kept at pid checks out: free, or its owner of pid, its fd limit and
// groups in bounds, and every fd sound.
static bool table_sound(const struct fd_table *t, unsigned pid)
{
	if (!t->owner)
		return true;
	if (xinim_endpoint_pid(t->owner) != pid || t->fd_limit > FDS_MAX ||
	    t->creds.groups_count > XINIM_GROUPS_MAX || !cwd_sound(t) ||
	    (t->exe && !ramfs_node_at(t->exe - 1)))
		return false;
	for (unsigned fd = 0; fd < FDS_MAX; fd++)
		if (!slot_sound(t->fds[fd].file))
			return false;
	return true;
}

// Whether an open file may read (access R_OK) or write (W_OK): a pipe's reader, writer.
static bool file_may(const struct open_file *f, int access)
{
	int mode = f->flags & OPEN_ACCESS;
	if (f->flags & O_PATH)
		return false;
	return access == R_OK ? mode == O_RDONLY || mode == O_RDWR : mode == O_WRONLY || mode == O_RDWR;
}

// A FIFO's counts of readers and writers, as file comes (step 1) or goes (-1).
static void openers_add(const struct open_file *file, int step)
{
	struct node *node = file_node(file);
	if (!node || !S_ISFIFO(node->mode))
		return;
	keep_change(&node->readers, sizeof(node->readers) + sizeof(node->writers));
	node->readers += file_may(file, R_OK) ? (uint32_t)step : 0;
	node->writers += file_may(file, W_OK) ? (uint32_t)step : 0;
}

unsigned node_openers(const struct node *node, int access)
{
	return access == R_OK ? node->readers : node->writers;
}

// Every FIFO's readers and writers counted from the open files (a take-over).
static void openers_count(void)
{
	for (uint32_t n = 0; n < NODES_MAX; n++) {
		struct node *node = ramfs_node_at(n);
		if (node && S_ISFIFO(node->mode))
			node->readers = node->writers = 0;
	}
	for (unsigned i = 0; i < OPEN_FILES_MAX; i++) {
		struct node *node = open_files[i].refs ? file_node(&open_files[i]) : NULL;
		if (node && S_ISFIFO(node->mode)) {
			node->readers += file_may(&open_files[i], R_OK);
			node->writers += file_may(&open_files[i], W_OK);
		}
	}
}

// Whether a kept lock's owner is still there: the process's table (POSIX), or the open
// file it names, of the lock's node (OFD, flock).
static bool lock_owned(const struct file_lock *l)
{
	if (l->kind == LOCK_KIND_POSIX)
		return fd_table_of((xinim_endpoint_t)l->owner) != NULL;
	const struct open_file *f = l->owner ? open_file_at(l->owner - 1) : NULL;
	return f && f->node + 1 == l->node;
}

// A fresh state: the tree loaded from the boot archive, the devices made, no tables.
// Built unlogged (nothing to roll back to); the tree says it is whole only at the end,
// so a VFS that dies while it builds leaves a state the next one builds again.
void vfs_state_build(void)
{
	memset(vfs, 0, VFS_STATE_HEAD);	// the pool's blocks are zeroed as they are taken
	keep_unlogged(true);
	tree_fresh(&vfs->tree, pool(), pool_blocks());
	int err = archive_load();
	if (!err)
		err = dev_populate();
	if (!err)
		err = procfs_populate();
	if (!err)
		err = mounts_build();
	if (!err)
		err = mqueue_fresh();
	fs_recount();
	if (err)
		klog(LOGLEVEL_ERR, "vfs: the boot archive could not be unpacked: error %d\n", err);
	vfs->tree.whole = 1;
	keep_unlogged(false);
}

// What a restarted VFS takes over, checked: the tree (tree_take: a tree that does not
// check out is built afresh, and every table with it), each table's owner of its PID,
// each fd an open file, each open file a node of the tree and as many references as
// fds. A table that does not check out is dropped (its process's fds are then closed,
// -EBADF). Nodes that lost their last name while open and are no longer held go.
void vfs_state_take(void *state, enum keep_start start)
{
	vfs = state;
	if (start == KEEP_REFUSED)
		klog(LOGLEVEL_WARNING, "vfs: the kept state did not check out: starting empty\n");
	bool tree_sound = start == KEEP_INHERITED && vfs->tree.whole &&
			  tree_take(&vfs->tree, pool(), pool_blocks(), fs_released_kept(vfs->mounts.fs));
	if (start == KEEP_INHERITED && !tree_sound)
		klog(LOGLEVEL_WARNING, "vfs: the kept tree did not check out: starting from the boot archive\n");
	if (!tree_sound) {
		vfs_state_build();
		return;
	}
	if (!console_sound(&vfs->console)) {
		vfs->console = (struct tty){ 0 };	// set anew as Linux's console starts
		klog(LOGLEVEL_WARNING, "vfs: the console's kept terminal did not check out: reset\n");
	}
	static uint32_t refs[OPEN_FILES_MAX];
	memset(refs, 0, sizeof(refs));	// counted afresh at each take-over (the tests take often)
	unsigned live = 0, dropped = 0, files = 0;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		struct fd_table *t = &tables[pid];
		if (!table_sound(t, pid)) {
			*t = (struct fd_table){ 0 };
			dropped++;
			continue;
		}
		live += t->owner != 0;
		for (unsigned fd = 0; t->owner && fd < FDS_MAX; fd++)
			if (t->fds[fd].file)
				refs[t->fds[fd].file - 1]++;
	}
	sockets_take(refs);
	for (unsigned i = 0; i < OPEN_FILES_MAX; i++) {
		open_files[i].refs = refs[i];	// what the tables and flights say, whatever was written
		files += refs[i] != 0;
	}
	openers_count();
	for (unsigned i = 0; i < LOCKS_MAX; i++)
		if (vfs->locks[i].node && (!lock_sound(&vfs->locks[i]) || !lock_owned(&vfs->locks[i])))
			vfs->locks[i] = (struct file_lock){ 0 };
	fs_take();
	mounts_take();
	fs_recount();
	mqueue_take();
	signals_take();
	for (uint32_t n = 0; n < NODES_MAX; n++)
		if (ramfs_node_at(n) && !ramfs_node_at(n)->nlink)
			node_release(ramfs_node_at(n));
	interests_take();
	klog(LOGLEVEL_INFO, "vfs: took over %u fd tables, %u open files%s\n", live, files,
	      dropped ? " (dropped tables that did not check out)" : "");
}

bool node_held(uint32_t index)
{
	for (unsigned i = 0; i < OPEN_FILES_MAX; i++)
		if (open_files[i].refs && open_files[i].node == index)
			return true;
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		if (tables[pid].owner && (tables[pid].cwd == index + 1 || tables[pid].exe == index + 1))
			return true;
	return mount_shows(index) || socket_holds(index);
}

void nodes_held(void (*each)(const struct node *node, void *context), void *context)
{
	for (unsigned i = 0; i < OPEN_FILES_MAX; i++)
		if (open_files[i].refs && file_node(&open_files[i]))
			each(file_node(&open_files[i]), context);
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++)
		if (tables[pid].owner && tables[pid].cwd && ramfs_node_at(tables[pid].cwd - 1))
			each(ramfs_node_at(tables[pid].cwd - 1), context);
}

struct transfer_progress *vfs_progress(void) { return vfs->progress; }

struct mount_table *vfs_mounts(void) { return &vfs->mounts; }

bool fd_writer_in(uint32_t dev)
{
	for (unsigned i = 0; i < OPEN_FILES_MAX; i++) {
		const struct node *node = open_files[i].refs ? file_node(&open_files[i]) : NULL;
		if (node && node->dev == dev && S_ISREG(node->mode) && file_may(&open_files[i], W_OK))
			return true;
	}
	return false;
}

struct file_lock *vfs_locks(void) { return vfs->locks; }

struct interest *vfs_interests(void) { return vfs->interests; }

struct mq_state *vfs_mq(void) { return &vfs->mq; }

struct xinim_vfs_signal *vfs_signals_kept(void) { return vfs->signals; }

struct socket_state *vfs_sockets(void) { return &vfs->sockets; }


static struct fd_table *table_of(xinim_endpoint_t who)
{
	unsigned pid = xinim_endpoint_pid(who);
	return pid < XINIM_PROCS_MAX && who && tables[pid].owner == who ? &tables[pid] : NULL;
}

struct fd_table *fd_table_of(xinim_endpoint_t who) { return table_of(who); }

static struct open_file *file_at_slot(const struct fd_slot *slot)
{
	return slot->file ? &open_files[slot->file - 1] : NULL;
}

static uint32_t open_file_new(struct node *node, int flags)
{
	for (unsigned i = 0; i < OPEN_FILES_MAX; i++)
		if (!open_files[i].refs) {
			keep_change(&open_files[i], sizeof(open_files[i]));
			open_files[i] = (struct open_file){ .node = ramfs_index(node), .flags = flags,
							    .refs = 1 };
			openers_add(&open_files[i], 1);
			return i + 1;
		}
	return 0;
}

// A reference to file goes, who's (an fd's close; a right in flight: who 0): who's POSIX
// locks on its node go (any close does that, as POSIX says), and with the open file's
// last reference its OFD and flock locks, and its node if nothing else holds it.
static void file_unref(xinim_endpoint_t who, struct open_file *file)
{
	if (who)
		locks_release(LOCK_KIND_POSIX, (uint32_t)who, file->node + 1);
	if (file->refs == 1) {
		locks_release(LOCK_KIND_OFD, open_file_index(file) + 1, 0);
		locks_release(LOCK_KIND_FLOCK, open_file_index(file) + 1, 0);
		interests_file_gone(open_file_index(file));
	}
	keep_change(&file->refs, sizeof(file->refs));
	struct node *node = file_node(file);
	const struct node_ops *ops = node ? node_ops(node) : NULL;
	if (who && ops && ops->flush)
		ops->flush(node, who);
	if (--file->refs == 0 && node && S_ISFIFO(node->mode)) {
		openers_add(file, -1);
		wait_ready(node);	// a pipe's end went: EOF, EPIPE
	}
	if (!file->refs && node)
		node_release(node);	// an unnamed file's last user went
}

static void slot_close(xinim_endpoint_t who, struct fd_slot *slot)
{
	struct open_file *file = file_at_slot(slot);
	keep_change(slot, sizeof(*slot));
	*slot = (struct fd_slot){ 0 };
	if (file)
		file_unref(who, file);
}

void open_file_hold(struct open_file *file)
{
	keep_change(&file->refs, sizeof(file->refs));
	file->refs++;
}

void open_file_drop(xinim_endpoint_t who, struct open_file *file) { file_unref(who, file); }

long fd_install(xinim_endpoint_t who, struct open_file *file, bool cloexec)
{
	struct fd_table *t = table_of(who);
	for (long fd = 0; t && fd < t->fd_limit; fd++)
		if (!t->fds[fd].file) {
			keep_change(&t->fds[fd], sizeof(t->fds[fd]));
			t->fds[fd] = (struct fd_slot){ open_file_index(file) + 1, cloexec };
			return fd;
		}
	return t ? -EMFILE : -EBADF;
}

void fd_table_end(xinim_endpoint_t who)
{
	struct fd_table *t = table_of(who);
	for (unsigned fd = 0; t && fd < FDS_MAX; fd++)
		if (t->fds[fd].file)
			slot_close(who, &t->fds[fd]);
	if (t) {
		struct node *cwd = cwd_of(who);
		struct node *exe = t->exe ? ramfs_node_at(t->exe - 1) : NULL;
		keep_change(&t->owner, sizeof(t->owner));
		t->owner = 0;
		if (cwd)
			node_release(cwd);	// a removed directory it was the last in
		if (exe)
			node_release(exe);
	}
}

const struct fd_table *fd_table_at(uint32_t pid)
{
	return pid < XINIM_PROCS_MAX && tables[pid].owner ? &tables[pid] : NULL;
}

void fd_table_program(xinim_endpoint_t who, xinim_endpoint_t pm, uint32_t fd)
{
	struct fd_table *t = table_of(who);
	struct open_file *program = fd_get(pm, fd);
	if (!t || !program)
		return;
	struct node *old = t->exe ? ramfs_node_at(t->exe - 1) : NULL;
	keep_change(&t->exe, sizeof(t->exe));
	t->exe = program->node + 1;
	if (old && old != file_node(program))
		node_release(old);
}

void fd_table_exec(xinim_endpoint_t who)
{
	struct fd_table *t = table_of(who);
	for (unsigned fd = 0; t && fd < FDS_MAX; fd++)
		if (t->fds[fd].file && t->fds[fd].cloexec)
			slot_close(who, &t->fds[fd]);
	if (t)
		mqueue_exec(who);
}

int fd_table_start(xinim_endpoint_t who, xinim_endpoint_t parent)
{
	unsigned pid = xinim_endpoint_pid(who);
	if (!who || who == XINIM_ENDPOINT_NONE || pid >= XINIM_PROCS_MAX)
		return -EINVAL;
	fd_table_end(tables[pid].owner);	// a stale table of an earlier instance
	struct fd_table *from = table_of(parent), *t = &tables[pid];
	keep_change(t, sizeof(*t));
	*t = (struct fd_table){ .owner = who, .fd_limit = from ? from->fd_limit : FDS_MAX,
				.umask = from ? from->umask : 022, .cwd = from ? from->cwd : 0,
				.exe = from ? from->exe : 0 };
	if (from)
		t->creds = from->creds;
	else	// init: it leads group and session 1 (PM tells of any change)
		t->creds.pgid = t->creds.sid = pid;
	for (unsigned fd = 0; from && fd < FDS_MAX; fd++) {
		t->fds[fd] = from->fds[fd];
		struct open_file *file = file_at_slot(&t->fds[fd]);
		if (file) {
			keep_change(&file->refs, sizeof(file->refs));
			file->refs++;
		}
	}
	if (from)
		return 0;
	struct node *console;
	static const struct creds root = { 0 };
	int err = path_lookup(NULL, "/dev/console", LOOKUP_FOLLOW, &root, &console);
	for (long fd = 0; fd < 3 && !err; fd++)
		err = fd_open(who, console, O_RDWR, false) == fd ? 0 : -ENFILE;
	if (err)
		fd_table_end(who);
	return err;
}

unsigned open_file_index(const struct open_file *file)
{
	return (unsigned)(file - open_files);
}

struct open_file *open_file_at(unsigned index)
{
	return index < OPEN_FILES_MAX && open_files[index].refs ? &open_files[index] : NULL;
}

struct open_file *fd_get(xinim_endpoint_t who, uint64_t arg)
{
	struct fd_table *t = table_of(who);
	uint32_t fd = (uint32_t)arg;
	return t && fd < FDS_MAX ? file_at_slot(&t->fds[fd]) : NULL;
}

int fd_room(xinim_endpoint_t who)
{
	struct fd_table *t = table_of(who);
	if (!t)
		return -EBADF;
	long fd = 0;
	while (fd < t->fd_limit && t->fds[fd].file)
		fd++;
	if (fd == t->fd_limit)
		return -EMFILE;
	for (unsigned i = 0; i < OPEN_FILES_MAX; i++)
		if (!open_files[i].refs)
			return 0;
	return -ENFILE;
}

long fd_open(xinim_endpoint_t who, struct node *node, int flags, bool cloexec)
{
	struct fd_table *t = table_of(who);
	if (!t)
		return -EBADF;	// a process PM never introduced
	for (long fd = 0; fd < t->fd_limit; fd++) {
		if (t->fds[fd].file)
			continue;
		uint32_t file = open_file_new(node, flags);
		if (!file)
			return -ENFILE;
		keep_change(&t->fds[fd], sizeof(t->fds[fd]));
		t->fds[fd] = (struct fd_slot){ file, cloexec };
		if (S_ISFIFO(node->mode))
			wait_ready(node);	// an end came: a FIFO's opener waiting for it
		return fd;
	}
	return -EMFILE;
}

long fd_close(xinim_endpoint_t who, uint64_t arg)
{
	struct fd_table *t = table_of(who);
	uint32_t fd = (uint32_t)arg;
	if (!t || fd >= FDS_MAX || !t->fds[fd].file)
		return -EBADF;
	slot_close(who, &t->fds[fd]);
	return 0;
}

// Makes slot hold what from holds (one more fd of its open file).
static void slot_share(struct fd_slot *slot, const struct fd_slot *from, bool cloexec)
{
	struct open_file *file = file_at_slot(from);
	keep_change(&file->refs, sizeof(file->refs));
	file->refs++;
	keep_change(slot, sizeof(*slot));
	*slot = (struct fd_slot){ from->file, cloexec };
}

long fd_dup_into(xinim_endpoint_t who, uint64_t arg, xinim_endpoint_t into, uint64_t lowest,
		bool cloexec)
{
	struct fd_table *t = table_of(who), *u = table_of(into);
	uint32_t fd = (uint32_t)arg;
	if (!t || !u || fd >= FDS_MAX || !t->fds[fd].file)
		return -EBADF;
	for (uint64_t to = lowest; to < u->fd_limit; to++)
		if (!u->fds[to].file) {
			slot_share(&u->fds[to], &t->fds[fd], cloexec);
			return (long)to;
		}
	return -EMFILE;
}

long fd_dup(xinim_endpoint_t who, uint64_t arg, uint64_t lowest, bool cloexec)
{
	return fd_dup_into(who, arg, who, lowest, cloexec);
}

long fd_dup_to(xinim_endpoint_t who, uint64_t arg, uint64_t arg_to, bool cloexec)
{
	struct fd_table *t = table_of(who);
	uint32_t fd = (uint32_t)arg, to = (uint32_t)arg_to;
	if (!t || fd >= FDS_MAX || !t->fds[fd].file || to >= t->fd_limit)
		return -EBADF;
	if (fd == to)
		return -EINVAL;
	if (t->fds[to].file)
		slot_close(who, &t->fds[to]);	// closed first, silently, as Linux's dup3
	slot_share(&t->fds[to], &t->fds[fd], cloexec);
	return to;
}

struct fd_slot *fd_slot_of(xinim_endpoint_t who, uint64_t arg)
{
	struct fd_table *t = table_of(who);
	uint32_t fd = (uint32_t)arg;
	return t && fd < FDS_MAX && t->fds[fd].file ? &t->fds[fd] : NULL;
}

int fd_table_creds(xinim_endpoint_t who, uint32_t limit, const struct process_creds *creds)
{
	struct fd_table *t = table_of(who);
	if (!t)
		return -ESRCH;
	keep_change(&t->fd_limit, sizeof(t->fd_limit));
	t->fd_limit = limit < FDS_MAX ? limit : FDS_MAX;
	keep_change(&t->creds, sizeof(t->creds));
	t->creds = *creds;
	return 0;
}

const struct process_creds *fd_creds(xinim_endpoint_t who)
{
	const struct fd_table *t = table_of(who);
	return t ? &t->creds : NULL;
}

uint32_t fd_group_session(uint32_t pgid)
{
	for (unsigned pid = 0; pid < XINIM_PROCS_MAX; pid++) {
		if (tables[pid].owner && tables[pid].creds.pgid == pgid)
			return tables[pid].creds.sid;
	}
	return 0;
}

uint32_t fd_limit(xinim_endpoint_t who)
{
	const struct fd_table *t = table_of(who);
	return t ? t->fd_limit : 0;
}
