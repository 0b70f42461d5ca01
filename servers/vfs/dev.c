// The devices: /dev/console and /dev/tty (the console's terminal, console.c: the only
// terminal, so every process's controlling terminal is it), /dev/null, /dev/zero,
// /dev/full, /dev/random and /dev/urandom (the kernel's CSPRNG), and their ioctls. Long
// reads of these are served a slice at a time (parked.c), as every transfer is.
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define CHUNK 4096

// /dev/null: a read finds the end of the input.
static long nothing_to_read(struct node *node, xinim_endpoint_t caller, uint64_t to,
			    uint64_t n, uint64_t offset)
{
	(void)node, (void)caller, (void)to, (void)n, (void)offset;
	return 0;
}

static long swallow(struct node *node, xinim_endpoint_t caller, uint64_t from, uint64_t n,
		    uint64_t offset)
{
	(void)node, (void)caller, (void)from, (void)offset;
	return (long)n;
}

// Reads that make their bytes: fill makes n (at most `most`) at once, 0 or -errno, and they
// go to the caller's `to` a batch at a time.
static long made_bytes(xinim_endpoint_t caller, uint64_t to, uint64_t n, size_t most,
		       long (*fill)(uint8_t *bytes, size_t n))
{
	uint8_t bytes[CHUNK];
	uint64_t done = 0;
	while (done < n) {
		size_t chunk = n - done < most ? n - done : most;
		long err = fill(bytes, chunk);
		if (!err)
			err = ipc_copy_to(caller, to + done, bytes, chunk);
		if (err)
			return done ? (long)done : err;
		done += chunk;
	}
	return (long)done;
}

static long fill_zeros(uint8_t *bytes, size_t n)
{
	memset(bytes, 0, n);
	return 0;
}

static long zeros(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
		  uint64_t offset)
{
	(void)node, (void)offset;
	return made_bytes(caller, to, n, CHUNK, fill_zeros);
}

static long no_space(struct node *node, xinim_endpoint_t caller, uint64_t from, uint64_t n,
		    uint64_t offset)
{
	(void)node, (void)caller, (void)from, (void)n, (void)offset;
	return -ENOSPC;
}

// The kernel's CSPRNG, RANDOM_CALL bytes a kernel call (KCALL_RANDOM), as Linux's
// /dev/urandom; /dev/random too, which Linux (5.6 on) no longer blocks once seeded.
#define RANDOM_CALL 256

static long fill_random(uint8_t *bytes, size_t n)
{
	return xinim_kcall(KCALL_RANDOM, (long)bytes, (long)n) == (long)n ? 0 : -EIO;
}

static long random_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
			uint64_t offset)
{
	(void)node, (void)offset;
	return made_bytes(caller, to, n, RANDOM_CALL, fill_random);
}

static const struct node_ops null_ops = { .read = nothing_to_read, .write = swallow,
					  .seekable = true };
static const struct node_ops zero_ops = { .read = zeros, .write = swallow, .seekable = true };
static const struct node_ops full_ops = { .read = zeros, .write = no_space, .seekable = true };
// Writes are taken and dropped, as Linux does for a writer without CAP_SYS_ADMIN's ioctls.
static const struct node_ops random_ops = { .read = random_read, .write = swallow,
					    .seekable = true };

static const struct {
	const char *name;
	mode_t mode;
	unsigned major, minor;
	const struct node_ops *ops;
} devices[] = {
	{ "console", S_IFCHR | 0600, 5, 1, &console_ops },
	{ "null", S_IFCHR | 0666, 1, 3, &null_ops },
	{ "zero", S_IFCHR | 0666, 1, 5, &zero_ops },
	{ "full", S_IFCHR | 0666, 1, 7, &full_ops },
	{ "random", S_IFCHR | 0666, 1, 8, &random_ops },
	{ "urandom", S_IFCHR | 0666, 1, 9, &random_ops },
	{ "tty", S_IFCHR | 0666, 5, 0, &console_ops },	// the console: the only terminal
};

const struct node_ops *dev_ops(uint64_t rdev)
{
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (rdev == makedev(devices[i].major, devices[i].minor))
			return devices[i].ops;
	return NULL;
}

int dev_populate(void)
{
	struct node *dev = ramfs_provide(ramfs_root(), "dev", S_IFDIR | 0755);
	if (!dev)
		return -ENOSPC;
	if (!S_ISDIR(dev->mode))
		return -ENOTDIR;
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		struct node *n = ramfs_provide(dev, devices[i].name, devices[i].mode);
		if (!n)
			return -ENOSPC;
		n->mode = devices[i].mode;
		n->rdev = makedev(devices[i].major, devices[i].minor);
	}
	// The links udev and Debian's /dev have into /proc (bash's process substitution,
	// cat /dev/stdin).
	static const char *const links[][2] = { { "fd", "/proc/self/fd" },
						{ "stdin", "/proc/self/fd/0" },
						{ "stdout", "/proc/self/fd/1" },
						{ "stderr", "/proc/self/fd/2" } };
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		struct node *n = ramfs_provide(dev, links[i][0], S_IFLNK | 0777);
		if (!n)
			return -ENOSPC;
		if (S_ISLNK(n->mode) && !n->size && file_put(n, links[i][1], strlen(links[i][1])))
			return -ENOSPC;	// a new link; one the archive has keeps its target
	}
	return 0;
}

// FIONBIO, which Linux's do_vfs_ioctl answers for every file: O_NONBLOCK set as the int at
// arg says.
static long file_nonblocking(xinim_endpoint_t caller, struct open_file *file, uint64_t arg)
{
	int on;
	long err = ipc_copy_from(caller, &on, arg, sizeof(on));
	if (err)
		return err;
	keep_change(&file->flags, sizeof(file->flags));
	file->flags = on ? file->flags | O_NONBLOCK : file->flags & ~O_NONBLOCK;
	return 0;
}

long vfs_ioctl(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	if (!file)
		return -EBADF;
	unsigned command = (unsigned)call.args[1];	// Linux takes an unsigned int
	if (command == FIONBIO)
		return file_nonblocking(call.caller, file, call.args[2]);
	const struct node_ops *ops = node_ops(file_node(file));
	if (!ops || !ops->ioctl)
		return -ENOTTY;
	tty_call(request);
	return ops->ioctl(file_node(file), call.caller, command, call.args[2]);
}
