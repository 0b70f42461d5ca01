// The devices: /dev/console (output through the kernel's console; input comes with the
// console's interrupt-driven buffer), /dev/tty (for now the console itself: the
// controlling-terminal logic comes later), /dev/null, /dev/zero, /dev/full, /dev/random
// and /dev/urandom (the kernel's CSPRNG), and their ioctls. Long reads of these are
// served a slice at a time (parked.c), as every transfer is.
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define CHUNK 4096

// The request a transfer belongs to, and where its bytes stand in it (dev_write_context):
// the console shows each byte of a request once, however often a restarted VFS does it.
static uint64_t write_id, write_position;

void dev_write_context(uint64_t id, uint64_t position)
{
	write_id = id;
	write_position = position;
}

static long console_write(struct node *node, xinim_endpoint_t caller, uint64_t from,
			  uint64_t n, uint64_t offset)
{
	(void)node, (void)offset;
	char text[CHUNK];
	uint64_t done = 0;
	while (done < n) {
		size_t chunk = n - done < CHUNK ? n - done : CHUNK;
		long err = ipc_copy_from(caller, text, from + done, chunk);
		if (!err)
			err = xinim_kcall4(KCALL_CONSOLE_WRITE, (long)text, (long)chunk, (long)write_id,
					   (long)(write_position + done)) < 0 ? -EIO : 0;
		if (err)
			return done ? (long)done : err;
		done += chunk;
	}
	return (long)done;
}

// No input yet: a read finds the end of the input.
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

// A cooked tty, as Linux's console starts.
static const struct console_state console_defaults = {
	.termios = {
		.iflag = 0x0500,	// ICRNL | IXON
		.oflag = 0x0005,	// OPOST | ONLCR
		.cflag = 0x00bf,	// B38400 | CS8 | CREAD | HUPCL
		.lflag = 0x8a3b,	// ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN
		.cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 },
	},
	.size = { .ws_row = 24, .ws_col = 80 },
	.set = 1,
};

// The console's settings, in VFS's kept state (a restarted VFS keeps what a program set).
static struct console_state *console(void)
{
	struct console_state *c = vfs_console();
	if (!c->set) {
		keep_change(c, sizeof(*c));
		*c = console_defaults;
	}
	return c;
}

// Copies size bytes from the caller into the kept setting at: whole, or not at all.
static long setting_from(xinim_endpoint_t caller, void *at, uint64_t arg, size_t size)
{
	uint8_t next[sizeof(struct kernel_termios)];
	long err = ipc_copy_from(caller, next, arg, size);
	if (!err) {
		keep_change(at, size);
		memcpy(at, next, size);
	}
	return err;
}

static long console_ioctl(struct node *node, xinim_endpoint_t caller, unsigned request,
			  uint64_t arg)
{
	(void)node;
	switch (request) {
	case TCGETS:
		return ipc_copy_to(caller, arg, &console()->termios, sizeof(struct kernel_termios));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return setting_from(caller, &console()->termios, arg, sizeof(struct kernel_termios));
	case TIOCGWINSZ:
		return ipc_copy_to(caller, arg, &console()->size, sizeof(struct winsize));
	case TIOCSWINSZ:
		return setting_from(caller, &console()->size, arg, sizeof(struct winsize));
	default:
		return -ENOTTY;	// as Linux's tty layer answers a request it does not know
	}
}

static const struct node_ops console_ops = {
	.read = nothing_to_read, .write = console_write, .ioctl = console_ioctl,
};
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
	{ "tty", S_IFCHR | 0666, 5, 0, &console_ops },	// the console until ttys are VFS's
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
	struct node *dev = ramfs_child(ramfs_root(), "dev", 3);
	if (!dev && !(dev = ramfs_add(ramfs_root(), "dev", 3, S_IFDIR | 0755)))
		return -ENOSPC;
	if (!S_ISDIR(dev->mode))
		return -ENOTDIR;
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		const char *name = devices[i].name;
		struct node *n = ramfs_child(dev, name, strlen(name));
		if (!n && !(n = ramfs_add(dev, name, strlen(name), devices[i].mode)))
			return -ENOSPC;
		n->mode = devices[i].mode;
		n->rdev = makedev(devices[i].major, devices[i].minor);
	}
	return 0;
}

long vfs_ioctl(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	struct open_file *file = fd_get(call.caller, call.args[0]);
	if (!file)
		return -EBADF;
	const struct node_ops *ops = node_ops(file_node(file));
	if (!ops || !ops->ioctl)
		return -ENOTTY;
	unsigned command = (unsigned)call.args[1];	// Linux takes an unsigned int
	return ops->ioctl(file_node(file), call.caller, command, call.args[2]);
}
