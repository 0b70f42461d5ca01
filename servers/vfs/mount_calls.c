// mount(2) and umount2(2) as Linux's fs/namespace.c, in its order of checks: what the
// caller asks is copied in and resolved first, then checked (root only), then one
// change of the mount table (mount.c). Every mount is private: nothing propagates.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "vfs.h"

#define MOUNT_OWN_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | \
			 MS_NOSYMFOLLOW)
#define PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define DATA_BYTES 4096	// a page, as Linux copies mount options

// The per-mount flags of mount(2)'s flags: relatime unless told otherwise, as Linux.
static uint32_t own_flags(unsigned long flags)
{
	uint32_t own = (uint32_t)flags & (MOUNT_OWN_FLAGS | MS_RDONLY);
	return own | (flags & (MS_NOATIME | MS_STRICTATIME) ? 0 : MS_RELATIME);
}

// What a mount(2) call asks for, copied in and resolved.
struct mount_call {
	xinim_endpoint_t caller;
	unsigned long flags;
	struct last target;
	char source[PATH_MAX_BYTES];
	bool has_source, has_type;
	char type[PATH_MAX_BYTES];
	char data[DATA_BYTES];
	uint64_t source_at;
};

// Whether node is in a file system some mount shows (Linux's check_mnt): not in one
// a lazy umount took away.
static bool attached(const struct node *node)
{
	const struct file_system *fs = fs_of(node->dev);
	return fs && !fs->released;
}

// Where a new file system may go, once its options are read (Linux's graft_tree): a
// directory (-ENOTDIR), attached, not "/" (-EINVAL: not served, docs/syscalls.md).
static long new_target(const struct node *target)
{
	if (!S_ISDIR(target->mode))
		return -ENOTDIR;
	return target == ramfs_root() || !attached(target) ? -EINVAL : 0;
}

// The source a new mount shows in /proc/mounts ("none" for none).
static const char *source_shown(const struct mount_call *c)
{
	return c->has_source ? c->source : "none";
}

static long tmpfs_mount(struct mount_call *c)
{
	struct file_system limits = { .mode = 01777 };
	long err = tmpfs_options(c->data, &limits);
	if (!err)
		err = new_target(c->target.node);
	if (err)
		return err;
	if (!mount_room())
		return -ENOSPC;
	limits.read_only = (c->flags & MS_RDONLY) != 0;
	long dev = fs_new(FS_TMPFS, &limits);
	if (dev < 0)
		return dev;
	struct node *root = ramfs_node_at(fs_of((uint32_t)dev)->root);
	return mount_add((uint32_t)dev, root, c->target.node, own_flags(c->flags),
			 source_shown(c));
}

// A mount of the one file system of kind there is (made with the tree: proc's, the
// message queues').
static long single_mount(struct mount_call *c, enum fs_kind kind)
{
	if (c->data[0])
		return -EINVAL;	// hidepid=, subset=; queues_max...: not served (docs/syscalls.md)
	long err = new_target(c->target.node);
	if (err)
		return err;
	for (uint32_t dev = ROOT_DEV; dev < FS_MAX; dev++) {
		const struct file_system *fs = fs_of(dev);
		if (fs && fs->kind == kind)
			return mount_add(dev, ramfs_node_at(fs->root), c->target.node,
					 own_flags(c->flags), source_shown(c));
	}
	return -ENODEV;
}

static long proc_mount(struct mount_call *c) { return single_mount(c, FS_PROC); }
static long mqueue_mount(struct mount_call *c) { return single_mount(c, FS_MQUEUE); }

static const struct {
	const char *name;
	long (*mount)(struct mount_call *c);
} fs_types[] = { { "tmpfs", tmpfs_mount }, { "proc", proc_mount }, { "mqueue", mqueue_mount } };

static long new_mount(struct mount_call *c)
{
	if (!c->has_type)
		return -EINVAL;
	if (strlen(source_shown(c)) >= MOUNT_SOURCE_MAX)
		return -ENAMETOOLONG;	// longer than the table keeps
	for (size_t i = 0; i < sizeof(fs_types) / sizeof(fs_types[0]); i++)
		if (strcmp(c->type, fs_types[i].name) == 0)
			return fs_types[i].mount(c);
	return -ENODEV;
}

// MS_REMOUNT: the file system's read-only state and tmpfs bounds, and the mount's flags.
static long remount(struct mount_call *c)
{
	struct mount *m = mount_named(&c->target);
	struct file_system *fs = m ? fs_of(m->dev) : NULL;
	if (!fs)
		return -EINVAL;
	struct file_system changed = *fs;
	long err = fs->kind == FS_TMPFS ? tmpfs_options(c->data, &changed)
					: c->data[0] ? -EINVAL : 0;
	if (err)
		return err;
	if ((changed.blocks_max && changed.blocks_max < fs_used(m->dev, FS_BLOCKS)) ||
	    (changed.nodes_max && changed.nodes_max < fs_used(m->dev, FS_NODES)))
		return -EINVAL;	// smaller than what it holds, as Linux's tmpfs
	changed.read_only = (c->flags & MS_RDONLY) != 0;
	if (changed.read_only && !fs->read_only && fd_writer_in(m->dev))
		return -EBUSY;
	keep_change(fs, sizeof(*fs));
	fs->blocks_max = changed.blocks_max;
	fs->nodes_max = changed.nodes_max;
	fs->read_only = changed.read_only;
	keep_change(&m->flags, sizeof(m->flags));
	m->flags = own_flags(c->flags);
	return 0;
}

// MS_REMOUNT | MS_BIND: the mount's own flags; a mount's own read-only state is not
// served (only a file system's is: docs/syscalls.md).
static long reconfigure(struct mount_call *c)
{
	struct mount *m = mount_named(&c->target);
	if (!m || (c->flags & MS_RDONLY))
		return -EINVAL;
	keep_change(&m->flags, sizeof(m->flags));
	m->flags = own_flags(c->flags);
	return 0;
}

// MS_BIND: a directory shown at another as well.
static long bind(struct mount_call *c)
{
	struct node *from;
	int err = caller_lookup(c->caller, (uint64_t)(int64_t)AT_FDCWD, c->source_at, LOOKUP_FOLLOW,
				&from);
	if (err)
		return err;
	struct node *to = c->target.node;
	if (!S_ISDIR(from->mode))
		return S_ISDIR(to->mode) ? -ENOTDIR : -EINVAL;	// files: not served
	if (!S_ISDIR(to->mode))
		return -ENOTDIR;
	if (from == to || to == ramfs_root() || !attached(from) || !attached(to))
		return -EINVAL;	// detached (as Linux); onto itself, over "/": not served
	const struct mount *of = mount_of_dev(from->dev);
	return mount_add(from->dev, from, to, of ? of->flags & ~(uint32_t)MS_RDONLY : MS_RELATIME,
			 of ? of->source : "none");
}

// MS_PRIVATE (every mount is): nothing to do; shared, slave and unbindable mounts are
// not served.
static long change_type(struct mount_call *c)
{
	unsigned long type = c->flags & PROPAGATION;
	if (!mount_named(&c->target) || (type & (type - 1)))
		return -EINVAL;
	return type == MS_PRIVATE ? 0 : -EINVAL;
}

// Copies mount(2)'s strings in: 0 or -EFAULT, -ENAMETOOLONG. Data is read as a string
// of at most a page (Linux copies a page and ends it with a NUL).
static long mount_strings(struct mount_call *c, const struct xinim_syscall *call)
{
	long n = 0;
	c->has_type = call->args[2] != 0;
	c->has_source = call->args[0] != 0;
	if (c->has_type && (n = ipc_caller_string(c->caller, c->type, call->args[2],
						  sizeof(c->type))) < 0)
		return n;
	if (c->has_source && (n = ipc_caller_string(c->caller, c->source, call->args[0],
						    sizeof(c->source))) < 0)
		return n;
	c->data[0] = '\0';
	if (call->args[4] && (n = ipc_caller_string(c->caller, c->data, call->args[4],
						    sizeof(c->data))) < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	return 0;
}

static bool caller_is_root(xinim_endpoint_t caller)
{
	const struct process_creds *c = fd_creds(caller);
	return !c || c->euid == 0;	// CAP_SYS_ADMIN: the effective user's
}

// mount(source, target, fstype, flags, data), as Linux's path_mount.
long vfs_mount(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	static struct mount_call c;
	c = (struct mount_call){ .caller = call.caller, .flags = call.args[3],
				 .source_at = call.args[0] };
	long err = mount_strings(&c, &call);
	if (!err)
		err = caller_last(call.caller, (uint64_t)(int64_t)AT_FDCWD, call.args[1],
				  LOOKUP_FOLLOW, &c.target);
	struct node *target;
	if (!err)
		err = last_found(&c.target, &target);
	if (err)
		return err;
	c.target.node = target;
	if ((c.flags & MS_MGC_MSK) == MS_MGC_VAL)
		c.flags &= ~(unsigned long)MS_MGC_MSK;
	if (c.flags & MS_NOUSER)
		return -EINVAL;
	if (!caller_is_root(call.caller))
		return -EPERM;
	if ((c.flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND))
		return reconfigure(&c);
	if (c.flags & MS_REMOUNT)
		return remount(&c);
	if (c.flags & MS_BIND)
		return bind(&c);
	if (c.flags & PROPAGATION)
		return change_type(&c);
	if (c.flags & MS_MOVE)
		return -EINVAL;	// not served (docs/syscalls.md)
	return new_mount(&c);
}

// The root cannot go: as Linux's do_umount_root, it becomes read-only (-EBUSY while a
// file is open for writing in it).
static long root_read_only(void)
{
	struct file_system *fs = fs_of(ROOT_DEV);
	if (!fs || fs->read_only)
		return 0;
	if (fd_writer_in(ROOT_DEV))
		return -EBUSY;
	keep_change(&fs->read_only, sizeof(fs->read_only));
	fs->read_only = 1;
	return 0;
}

// umount2(target, flags), as Linux's ksys_umount and do_umount.
long vfs_umount2(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags = (int)call.args[1];
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	static struct last at;
	struct node *node;
	int err = caller_last(call.caller, (uint64_t)(int64_t)AT_FDCWD, call.args[0],
			      flags & UMOUNT_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &at);
	if (!err)
		err = last_found(&at, &node);
	if (err)
		return err;
	if (!caller_is_root(call.caller))
		return -EPERM;
	struct mount *m = mount_named(&at);
	if (!m)
		return -EINVAL;	// not a mount's root
	if (flags & MNT_EXPIRE) {
		if (!m->point || (flags & (MNT_FORCE | MNT_DETACH)))
			return -EINVAL;
		if (!m->expired) {
			keep_change(&m->expired, sizeof(m->expired));
			m->expired = 1;
			return -EAGAIN;	// marked; a second call unmounts it if unused
		}
	}
	if (!m->point)
		return flags & MNT_DETACH ? -EBUSY : root_read_only();
	if (!(flags & MNT_DETACH) && mount_busy(m))
		return -EBUSY;
	mount_detach(m);
	return 0;
}
