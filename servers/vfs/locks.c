// Advisory locks, as Linux keeps them (fcntl(2), flock(2)): POSIX record locks owned by a
// process (F_GETLK, F_SETLK, F_SETLKW), open file description locks owned by an open file
// (F_OFD_*), both over byte ranges and conflicting with each other; and flock's
// whole-file locks, owned by an open file, apart from the other two. The table is in
// VFS's kept state (struct vfs_state.locks), pointer-free; a lock that must wait parks
// its call (wait.c) until a lock on the node goes.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "vfs.h"

#define TO_END UINT64_MAX

static struct file_lock *table(void) { return vfs_locks(); }

// Whether l stands against a lock of (node, kind, owner) over [start, end] that writes or
// not: of the same domain (flock's, or the record locks'), another owner's, overlapping,
// one of the two a write lock.
static bool against(const struct file_lock *l, uint32_t node, uint32_t kind, uint32_t owner,
		    bool write, uint64_t start, uint64_t end)
{
	if (!l->node || l->node != node ||
	    (l->kind == LOCK_KIND_FLOCK) != (kind == LOCK_KIND_FLOCK))
		return false;
	if (l->kind == kind && l->owner == owner)
		return false;
	return l->start <= end && start <= l->end && (l->write || write);
}

const struct file_lock *lock_conflict(uint32_t node, uint32_t kind, uint32_t owner, bool write,
				      uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < LOCKS_MAX; i++)
		if (against(&table()[i], node, kind, owner, write, start, end))
			return &table()[i];
	return NULL;
}

static unsigned free_slots(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < LOCKS_MAX; i++)
		n += !table()[i].node;
	return n;
}

static void lock_put(const struct file_lock *lock)
{
	for (unsigned i = 0; i < LOCKS_MAX; i++)
		if (!table()[i].node) {
			keep_change(&table()[i], sizeof(table()[i]));
			table()[i] = *lock;
			return;
		}
}

// The owner's locks on node give up [start, end]: cut short, split in two, or gone.
// Whether any changed.
static bool lock_clear(uint32_t node, uint32_t kind, uint32_t owner, uint64_t start, uint64_t end)
{
	bool changed = false;
	for (unsigned i = 0; i < LOCKS_MAX; i++) {
		struct file_lock *l = &table()[i];
		if (l->node != node || l->kind != kind || l->owner != owner || l->start > end ||
		    start > l->end)
			continue;
		struct file_lock before = *l, after = *l;
		keep_change(l, sizeof(*l));
		*l = (struct file_lock){ 0 };
		if (before.start < start) {
			before.end = start - 1;
			lock_put(&before);
		}
		if (end != TO_END && after.end > end) {
			after.start = end + 1;
			lock_put(&after);
		}
		changed = true;
	}
	return changed;
}

long lock_set(uint32_t node, uint32_t kind, uint32_t owner, uint32_t pid, int type,
	      uint64_t start, uint64_t end)
{
	if (type != F_UNLCK && lock_conflict(node, kind, owner, type == F_WRLCK, start, end))
		return -EAGAIN;
	if (free_slots() < 2)
		return -ENOLCK;	// a split and a new lock may take two
	bool changed = lock_clear(node, kind, owner, start, end);
	if (type != F_UNLCK)
		lock_put(&(struct file_lock){ .node = node, .kind = (uint8_t)kind,
					      .write = type == F_WRLCK, .owner = owner, .pid = pid,
					      .start = start, .end = end });
	if (changed && ramfs_node_at(node - 1))
		wait_ready(ramfs_node_at(node - 1));	// a lock went: waiters try again
	return 0;
}

void locks_release(uint32_t kind, uint32_t owner, uint32_t node)
{
	for (unsigned i = 0; i < LOCKS_MAX; i++) {
		struct file_lock *l = &table()[i];
		if (!l->node || l->kind != kind || l->owner != owner || (node && l->node != node))
			continue;
		struct node *n = ramfs_node_at(l->node - 1);
		keep_change(l, sizeof(*l));
		*l = (struct file_lock){ 0 };
		if (n)
			wait_ready(n);
	}
}

bool lock_sound(const struct file_lock *l)
{
	return !l->node || (ramfs_node_at(l->node - 1) && l->kind <= LOCK_KIND_FLOCK &&
			    l->start <= l->end && l->write <= 1);
}

// flock(fd, operation): LOCK_SH, LOCK_EX or LOCK_UN, with LOCK_NB not to wait
// (EWOULDBLOCK); one lock per open file, converted in place (not atomically, as Linux).
long vfs_flock(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	unsigned op = (unsigned)call.args[1];
	if (!file || (file->flags & O_PATH))
		return -EBADF;
	unsigned what = op & ~(unsigned)LOCK_NB;
	if (what != LOCK_SH && what != LOCK_EX && what != LOCK_UN)
		return -EINVAL;
	int type = what == LOCK_SH ? F_RDLCK : what == LOCK_EX ? F_WRLCK : F_UNLCK;
	uint32_t node = file->node + 1, owner = open_file_index(file) + 1;
	long err = lock_set(node, LOCK_KIND_FLOCK, owner, xinim_endpoint_pid(call.caller), type,
			    0, TO_END);
	if (err == -EAGAIN && !(op & LOCK_NB))
		return wait_park(request, vfs_flock, file_node(file), -XINIM_ERESTARTSYS);
	return err;
}
