// Moving bytes through sockets: sendto, recvfrom, sendmsg, recvmsg, and read, write,
// poll and ioctl on a socket's fd (socket_ops). Blocking is VFS's, as for pipes: a call
// that cannot go on now is parked on a node (wait.c) and run again when it changes; a
// stream's send that got part of its bytes in keeps how far it got under its request
// id (parked.c's progress), so that a run again, or a VFS restarted meanwhile, goes on
// from there. MSG_DONTWAIT or O_NONBLOCK: -EAGAIN instead; SO_RCVTIMEO, SO_SNDTIMEO:
// -EAGAIN after the time; a signal: the restart code (-EINTR with a timeout set, as
// Linux's sock_intr_errno); a stream's -EPIPE raises SIGPIPE unless MSG_NOSIGNAL.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define RECV_FLAGS (MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC | MSG_WAITALL | MSG_CMSG_CLOEXEC | \
		    MSG_NOSIGNAL | MSG_ERRQUEUE | MSG_OOB)
#define NS_PER_S 1000000000ull

// struct msghdr and struct cmsghdr as the AArch64 kernel takes them (musl pads its
// socklen_t and int fields to these).
struct user_msghdr {
	uint64_t name;
	uint32_t name_length, pad1;
	uint64_t iov;
	uint64_t iov_count;
	uint64_t control;
	uint64_t control_length;
	uint32_t flags, pad2;
};
_Static_assert(sizeof(struct user_msghdr) == 56, "AArch64's struct msghdr");
struct user_cmsghdr {
	uint64_t length;
	int32_t level, type;
};
#define CMSG_ALIGNED(n) (((n) + 7) & ~(uint64_t)7)

static struct iovec iov[IOV_MAX];
static struct sock_io io;

long sock_io_move(const struct sock_io *in, struct node *node, uint64_t at, uint64_t n,
		  uint64_t offset, bool into_ring)
{
	uint64_t done = 0, start = 0;
	for (uint32_t i = 0; i < in->count && done < n; start += in->iov[i++].iov_len) {
		uint64_t length = in->iov[i].iov_len;
		if (offset + done >= start + length)
			continue;
		uint64_t from = offset + done - start;
		uint64_t piece = min_u64(length - from, n - done);
		struct ring_side side = { .caller = in->caller,
					  .buffer = (uint64_t)in->iov[i].iov_base + from };
		long moved = ring_move(node, &side, piece, at + done, into_ring);
		if (moved < 0 || (uint64_t)moved < piece)
			return -EFAULT;
		done += piece;
	}
	return (long)done;
}

// The deadline of a timeout of ns (0: none) for the call being run, in counter ticks.
static uint64_t deadline_of(uint64_t ns)
{
	return ns ? wait_since() + (uint64_t)((unsigned __int128)ns * counter_hz() / NS_PER_S) + 1
		  : 0;
}

// Waits for the call again on node, unless it must not wait: the answer when it cannot
// go on now (-EAGAIN, or what it moved).
static long or_park(const struct ipc_request *request, ipc_handler *again, struct node *node,
		    uint64_t timeout, bool dontwait, uint64_t moved, long result)
{
	uint64_t deadline = deadline_of(timeout);
	if (dontwait || !node || (deadline && counter_ticks() >= deadline))
		return moved ? (long)moved : result;
	wait_until(deadline);
	long interrupted = moved ? (long)moved : timeout ? -EINTR : -XINIM_ERESTARTSYS;
	return wait_park(request, again, node, interrupted);
}

// A send of io (set up by the call) on behalf of request: the bytes sent, or -errno, or
// the call parked. A stream's send goes on until all is in (Linux's blocking send): the
// family is asked again while it takes some, and the call waits once it takes none.
static long send_io(const struct ipc_request *request, ipc_handler *again)
{
	xinim_endpoint_t caller = io.caller;
	uint64_t id = request->msg.header.id;
	struct transfer_progress *p = progress_find(caller, id, PROGRESS_BYTES, false);
	uint64_t before = io.skip = p ? p->moved : 0;
	struct node *wait = NULL;
	long sent;
	do {
		sent = sock_family(io.sock)->send(&io, &wait);
		sent = sent == SOCK_NET_DOWN ? -EAGAIN : sent;	// NET's next instance wakes it
		io.skip += sent > 0 ? (uint64_t)sent : 0;
	} while (sent > 0 && io.skip < io.total);
	if (sent == -EPIPE && io.sock->type == SOCK_STREAM && !(io.flags & MSG_NOSIGNAL))
		ipc_syscall_raise(SIGPIPE, 0);
	if (sent == -EAGAIN && io.skip > before &&
	    !(p = progress_find(caller, id, PROGRESS_BYTES, true)))
		sent = 0;	// no room to keep how far it got: a short count, never bytes twice
	if (sent == -EAGAIN && io.skip > before) {
		keep_change(&p->moved, sizeof(p->moved));
		p->moved = io.skip;
	}
	if (sent == -EAGAIN) {
		long answer = or_park(request, again, wait, io.sock->sndtimeo,
				      io.flags & MSG_DONTWAIT, io.skip, -EAGAIN);
		if (answer != IPC_DEFERRED)
			progress_end(caller, id, PROGRESS_BYTES);
		return answer;
	}
	progress_end(caller, id, PROGRESS_BYTES);
	return io.skip && sent != -EFAULT ? (long)io.skip : sent;
}

// The family's receive of io; NET gone is a wait (NET's next instance wakes it).
static long receive_once(void)
{
	long got = sock_family(io.sock)->recv(&io);
	return got == SOCK_NET_DOWN ? -EAGAIN : got;
}

// A receive of io: the bytes received (a datagram's length with MSG_TRUNC), or -errno,
// or the call parked (MSG_WAITALL: until all came, or the end).
static long recv_io(const struct ipc_request *request, ipc_handler *again)
{
	xinim_endpoint_t caller = io.caller;
	uint64_t id = request->msg.header.id;
	struct transfer_progress *p = progress_find(caller, id, PROGRESS_BYTES, false);
	io.skip = p ? p->moved : 0;
	bool all = (io.flags & MSG_WAITALL) && io.sock->type == SOCK_STREAM &&
		   !(io.flags & MSG_PEEK);
	long got = receive_once();
	while (all && got > 0 && io.skip + (uint64_t)got < io.total) {
		io.skip += (uint64_t)got;
		got = receive_once();
	}
	uint64_t moved = io.skip + (got > 0 ? (uint64_t)got : 0);
	if (got == -EAGAIN && moved && !(p = progress_find(caller, id, PROGRESS_BYTES, true)))
		got = 0;	// no room to keep how far it got: a short count
	if (got == -EAGAIN) {
		if (moved) {
			keep_change(&p->moved, sizeof(p->moved));
			p->moved = moved;
		}
		long answer = or_park(request, again, sock_node(io.sock), io.sock->rcvtimeo,
				      io.flags & MSG_DONTWAIT, moved, -EAGAIN);
		if (answer != IPC_DEFERRED)
			progress_end(caller, id, PROGRESS_BYTES);
		return answer;
	}
	progress_end(caller, id, PROGRESS_BYTES);
	return moved && got >= 0 ? (long)moved : moved ? (long)moved : got;
}

// The call's socket and flags into io: 0, -EBADF, -ENOTSOCK.
static long io_start(const struct ipc_request *request, const struct xinim_syscall *call,
		     int flags)
{
	memset(&io, 0, offsetof(struct sock_io, control_length));
	io.control_length = 0;
	io.caller = call->caller;
	io.id = request->msg.header.id;
	io.iov = iov;
	long err = sock_fd(call->caller, call->args[0], &io.sock);
	if (err)
		return err;
	io.flags = flags | (fd_get(call->caller, call->args[0])->flags & O_NONBLOCK ? MSG_DONTWAIT
										    : 0);
	return 0;
}

// A send's destination at `at` (0: none, the peer) into io: 0 or -errno.
static long io_name_in(uint64_t at, uint64_t length)
{
	long got = at ? sock_address_in(io.caller, at, length, io.name) : 0;
	io.name_length = got > 0 ? (uint32_t)got : 0;
	return got < 0 ? got : 0;
}

// One buffer (send, recv, read, write): checked as Linux's import_single_range.
static long io_buffer(uint64_t at, uint64_t n)
{
	n = n > INT_MAX ? INT_MAX : n;
	if (!xinim_access_ok(at, n))
		return -EFAULT;
	iov[0] = (struct iovec){ (void *)at, n };
	io.count = 1;
	io.total = n;
	return 0;
}

// sendto(fd, buf, len, flags, addr, addrlen)
long vfs_sendto(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	long err = io_start(request, &call, (int)call.args[3]);
	if (!err)
		err = io_buffer(call.args[1], call.args[2]);
	if (!err)
		err = io_name_in(call.args[4], call.args[5]);
	return err ? err : send_io(request, vfs_sendto);
}

// recvfrom(fd, buf, len, flags, addr, addrlen)
long vfs_recvfrom(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	long err = io_start(request, &call, (int)call.args[3]);
	if (!err)
		err = io_buffer(call.args[1], call.args[2]);
	if (err)
		return err;
	long got = recv_io(request, vfs_recvfrom);
	err = got >= 0 && call.args[4]
		      ? sock_address_out(call.caller, call.args[4], call.args[5], io.name,
					 io.name_length)
		      : 0;
	return err ? err : got;
}

// sendmsg's and recvmsg's socket (args[0]), flags, struct msghdr (at `at`) and vector
// into io: 0 or -errno (Linux's copy_msghdr_from_user: more than UIO_MAXIOV buffers is
// -EMSGSIZE).
static long msg_start(const struct ipc_request *request, const struct xinim_syscall *call,
		      uint64_t at, int flags, struct user_msghdr *m)
{
	long err = io_start(request, call, flags);
	if (!err)
		err = ipc_copy_from(io.caller, m, at, sizeof(*m));
	if (err)
		return err;
	if (m->iov_count > IOV_MAX)
		return -EMSGSIZE;
	long total = vector_import(io.caller, m->iov, (uint32_t)m->iov_count, iov);
	if (total < 0)
		return total;
	io.count = (uint32_t)m->iov_count;
	io.total = (uint64_t)total;
	return 0;
}

// SCM_RIGHTS of a sendmsg's control data (Linux's __scm_send): each fd open (-EBADF), at
// most SCM_RIGHTS_MAX a message (-EINVAL); other messages of SOL_SOCKET but
// SCM_CREDENTIALS are -EINVAL, of other levels ignored.
static long rights_in(void)
{
	uint64_t at = 0;
	while (at + sizeof(struct user_cmsghdr) <= io.control_length) {
		struct user_cmsghdr h;
		memcpy(&h, io.control + at, sizeof(h));
		if (h.length < sizeof(h) || h.length > io.control_length - at)
			return -EINVAL;
		if (h.level == SOL_SOCKET && h.type == SCM_RIGHTS) {
			uint64_t count = (h.length - sizeof(h)) / sizeof(int);
			if (!count || io.rights_count + count > SCM_RIGHTS_MAX)
				return -EINVAL;
			for (uint64_t i = 0; i < count; i++) {
				int fd;
				memcpy(&fd, io.control + at + sizeof(h) + i * sizeof(int), sizeof(fd));
				struct open_file *file = fd < 0 ? NULL : fd_get(io.caller, (uint64_t)fd);
				if (!file)
					return -EBADF;
				io.rights[io.rights_count++] = open_file_index(file) + 1;
			}
		} else if (h.level == SOL_SOCKET && h.type != SCM_CREDENTIALS) {
			return -EINVAL;
		}
		at += CMSG_ALIGNED(h.length);
	}
	return 0;
}

long send_message(const struct ipc_request *request, ipc_handler *again, uint64_t at, int flags)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct user_msghdr m;
	long err = msg_start(request, &call, at, flags, &m);
	if (!err)
		err = io_name_in(m.name, m.name_length);
	if (!err && m.control_length > sizeof(io.control))
		err = -ENOBUFS;	// more than Linux's optmem_max lets a message carry
	if (!err && m.control_length) {
		io.control_length = m.control_length;
		err = ipc_copy_from(call.caller, io.control, m.control, m.control_length);
	}
	if (!err)
		err = rights_in();
	return err ? err : send_io(request, again);
}

// sendmsg(fd, msg, flags)
long vfs_sendmsg(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return send_message(request, vfs_sendmsg, call.args[1], (int)call.args[2]);
}

// The rights a receive took go into the caller's fds as SCM_RIGHTS in its control room at
// `at` (those that do not fit are closed: MSG_CTRUNC); the control bytes used.
static uint64_t rights_out(uint64_t at, uint64_t room)
{
	uint64_t fit = room < sizeof(struct user_cmsghdr) ? 0
							   : (room - sizeof(struct user_cmsghdr)) / sizeof(int);
	int fds[SCM_RIGHTS_MAX];
	uint32_t given = 0;
	bool cloexec = io.flags & MSG_CMSG_CLOEXEC;
	for (uint32_t i = 0; i < io.rights_count; i++) {
		struct open_file *file = open_file_at(io.rights[i] - 1);
		long fd = file && given < fit ? fd_install(io.caller, file, cloexec) : -EMFILE;
		if (fd >= 0)
			fds[given++] = (int)fd;
		else if (file)
			open_file_drop(0, file);
	}
	if (given < io.rights_count)
		io.out_flags |= MSG_CTRUNC;
	if (!given)
		return 0;
	struct user_cmsghdr h = { sizeof(h) + given * sizeof(int), SOL_SOCKET, SCM_RIGHTS };
	if (ipc_copy_to(io.caller, at, &h, sizeof(h)) ||
	    ipc_copy_to(io.caller, at + sizeof(h), fds, given * sizeof(int)))
		return 0;	// as Linux's put_cmsg: the fds stay, installed
	return CMSG_ALIGNED(h.length) < room ? CMSG_ALIGNED(h.length) : h.length;
}

long receive_message(const struct ipc_request *request, ipc_handler *again, uint64_t at,
		     int flags)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	struct user_msghdr m;
	long err = msg_start(request, &call, at, flags, &m);
	if (!err && (int)m.name_length < 0)
		err = -EINVAL;
	if (err)
		return err;
	io.want_rights = m.control != 0;
	long got = recv_io(request, again);
	if (got < 0)
		return got;
	m.control_length = io.rights_count ? rights_out(m.control, m.control_length) : 0;
	m.name_length = m.name ? (io.name_length < m.name_length ? io.name_length : m.name_length)
			       : 0;
	m.flags = (uint32_t)io.out_flags;
	err = m.name_length ? ipc_copy_to(call.caller, m.name, io.name, m.name_length) : 0;
	if (!err)
		err = ipc_copy_to(call.caller, at, &m, sizeof(m));
	return err ? err : got;
}

// recvmsg(fd, msg, flags)
long vfs_recvmsg(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	return receive_message(request, vfs_recvmsg, call.args[1], (int)call.args[2]);
}

long socket_transfer(const struct ipc_request *request, ipc_handler *again, bool writing,
		     bool vector)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	long err = io_start(request, &call, 0);
	if (!err && !vector)
		err = io_buffer(call.args[1], call.args[2]);
	if (!err && vector) {
		if ((uint32_t)call.args[2] > IOV_MAX)
			return -EINVAL;	// as readv's import_iovec, not msghdr's EMSGSIZE
		long total = vector_import(call.caller, call.args[1], (uint32_t)call.args[2], iov);
		err = total < 0 ? total : 0;
		io.count = (uint32_t)call.args[2];
		io.total = total < 0 ? 0 : (uint64_t)total;
	}
	if (err)
		return err;
	return writing ? send_io(request, again) : recv_io(request, again);
}

static unsigned socket_poll(struct node *node, int flags)
{
	(void)flags;
	const struct sock *s = sock_of(node);
	return s ? sock_family(s)->poll(s) : POLLNVAL;
}

// The family's ioctls, or FIONREAD (SIOCINQ): the bytes a read would find (a datagram
// socket's: the next one's). FIONBIO is fcntl's O_NONBLOCK (dev.c answers it for every
// file).
static long socket_ioctl(struct node *node, xinim_endpoint_t caller, unsigned request,
			 uint64_t arg)
{
	struct sock *s = sock_of(node);
	if (s && sock_family(s)->ioctl)
		return sock_family(s)->ioctl(s, caller, request, arg);
	if (request != FIONREAD || !s)
		return -ENOTTY;
	if (s->state == SOCK_LISTENING)
		return -EINVAL;
	int bytes = (int)sock_family(s)->readable(s);
	return ipc_copy_to(caller, arg, &bytes, sizeof(bytes));
}

// read and write are socket_transfer's: io.c hands sockets' over before it looks for these.
const struct node_ops socket_ops = { .poll = socket_poll, .ioctl = socket_ioctl };
