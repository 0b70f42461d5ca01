// Pipes and FIFOs (pipe(7)): a node of type S_IFIFO whose bytes are a ring of PIPE_BYTES
// in blocks of the pool, in the kept tree like any file's (a pipe from pipe2 has no
// name: it goes with its last open file). Readers and writers are its open files.
//
// A read takes what is there (at most n), or waits while there are writers (EOF once
// there are none); a write of at most PIPE_BUF bytes goes in whole or waits, a longer
// one goes in as room comes, and the call returns once all of it is in (parked.c: the
// transfer sleeps until the pipe is ready, with its progress kept, so that a write
// given again to a restarted VFS does not put its first part in twice). A write with no
// reader left raises SIGPIPE in the writer (ipc_syscall_raise) and fails with EPIPE.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "vfs.h"

static long pipe_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
		      uint64_t offset)
{
	(void)offset;
	if (!n)
		return 0;	// as Linux's pipe_read, whatever the pipe holds
	if (!node->pipe_bytes)
		return node_openers(node, W_OK) ? -EAGAIN : 0;	// no writer: the end
	long done = ring_move(node, &(struct ring_side){ .caller = caller, .buffer = to },
			      min_u64(n, node->pipe_bytes), node->pipe_head, false);
	if (done > 0) {
		keep_change(&node->pipe_head, sizeof(node->pipe_head) + sizeof(node->pipe_bytes));
		node->pipe_head = (uint32_t)((node->pipe_head + (uint64_t)done) % PIPE_BYTES);
		node->pipe_bytes -= (uint32_t)done;
		wait_ready_for(node, POLLOUT | POLLWRNORM);	// room for writers
	}
	return done;
}

static long pipe_write(struct node *node, xinim_endpoint_t caller, uint64_t from, uint64_t n,
		       uint64_t offset)
{
	(void)offset;
	if (!n)
		return 0;	// as Linux's pipe_write: before it looks for a reader
	if (!node_openers(node, R_OK)) {
		ipc_syscall_raise(SIGPIPE, 0);
		return -EPIPE;
	}
	uint64_t room = PIPE_BYTES - node->pipe_bytes;
	if (!room || (n <= PIPE_BUF && room < n))
		return -EAGAIN;	// PIPE_BUF bytes go in whole or not at all
	long done = ring_move(node, &(struct ring_side){ .caller = caller, .buffer = from },
			      min_u64(n, room), node->pipe_head + node->pipe_bytes, true);
	if (done > 0) {
		keep_change(&node->pipe_bytes, sizeof(node->pipe_bytes));
		node->pipe_bytes += (uint32_t)done;
		node_touch(node, TIME_M | TIME_C);
		wait_ready_for(node, POLLIN | POLLRDNORM);	// bytes for readers
	}
	return done;
}

// Linux's pipe_poll: a reading end is readable with bytes or no writer (POLLHUP), a
// writing end writable with room for PIPE_BUF bytes, or POLLERR with no reader. A file
// open for both sees both.
static unsigned pipe_poll(struct node *node, int flags)
{
	int mode = flags & OPEN_ACCESS;
	unsigned events = 0;
	if (mode == O_RDONLY || mode == O_RDWR) {
		events |= node->pipe_bytes ? POLLIN | POLLRDNORM : 0;
		events |= node_openers(node, W_OK) ? 0 : POLLHUP;
	}
	if (mode == O_WRONLY || mode == O_RDWR) {
		events |= PIPE_BYTES - node->pipe_bytes >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0;
		events |= node_openers(node, R_OK) ? 0 : POLLERR;
	}
	return events;
}

static long pipe_ioctl(struct node *node, xinim_endpoint_t caller, unsigned request, uint64_t arg)
{
	if (request != FIONREAD)
		return -ENOTTY;
	int bytes = (int)node->pipe_bytes;
	return ipc_copy_to(caller, arg, &bytes, sizeof(bytes));
}

const struct node_ops pipe_ops = { .read = pipe_read, .write = pipe_write,
				   .ioctl = pipe_ioctl, .poll = pipe_poll };

// pipe2(fds, flags): a new pipe, its read end at the lowest free fd and its write end at
// the next; O_CLOEXEC, O_NONBLOCK; O_DIRECT (packet mode) is not served: -EINVAL.
long vfs_pipe2(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags = (int)call.args[1];
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	struct creds who = caller_creds(call.caller, false);
	struct node *node = node_new(ROOT_DEV, S_IFIFO | 0600, who.uid, who.gid);
	if (!node)
		return -ENFILE;
	int fds[2];
	long read_end = fd_open(call.caller, node, O_RDONLY | (flags & O_NONBLOCK),
				flags & O_CLOEXEC);
	long write_end = read_end < 0 ? read_end
				      : fd_open(call.caller, node, O_WRONLY | (flags & O_NONBLOCK),
						flags & O_CLOEXEC);
	fds[0] = (int)read_end;
	fds[1] = (int)write_end;
	long err = write_end < 0 ? write_end : ipc_copy_to(call.caller, call.args[0], fds, sizeof(fds));
	if (err) {	// nothing made: as Linux, no fd stays open
		if (write_end >= 0)
			fd_close(call.caller, (uint64_t)write_end);
		if (read_end >= 0)
			fd_close(call.caller, (uint64_t)read_end);
		node_release(node);
		return err;
	}
	return 0;
}

// An open of a FIFO by name (fifo(7)): for reading it waits for a writer, for writing
// for a reader (O_NONBLOCK: a reader goes on, a writer gets ENXIO), for both it goes on.
// 0 to open it, or the answer (the call parked: IPC_DEFERRED).
long fifo_open(const struct ipc_request *request, ipc_handler *again, struct node *node,
	       int flags)
{
	int mode = flags & OPEN_ACCESS;
	// A pipe's (no name: reached through /proc/PID/fd/N) opens at once, as Linux's
	// pipefs files do; a named FIFO waits for its other end.
	if (mode == O_RDWR || (flags & O_PATH) || !node->nlink)
		return 0;
	bool reading = mode == O_RDONLY;
	if (node_openers(node, reading ? W_OK : R_OK) || fifo_opener_waiting(node, !reading))
		return 0;	// the other end is there, or on its way (woken as this one opens)
	if (flags & O_NONBLOCK)
		return reading ? 0 : -ENXIO;
	return wait_park(request, again, node, -XINIM_ERESTARTSYS);
}

static int open_mode(const struct ipc_request *request)
{
	return (int)ipc_syscall_of(request).args[2] & OPEN_ACCESS;
}

static bool opens_to_read(const struct ipc_request *r) { return open_mode(r) == O_RDONLY; }
static bool opens_to_write(const struct ipc_request *r) { return open_mode(r) == O_WRONLY; }

bool fifo_opener_waiting(const struct node *node, bool reading)
{
	return wait_parked_on(node, reading ? opens_to_read : opens_to_write);
}
