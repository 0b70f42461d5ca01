// epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2 (epoll(7)) over the interest
// lists of interest.c. A wait that finds nothing is parked as ppoll's (wait.c): run again
// whenever a node changes, until an entry is ready, its timeout passes or a signal's
// handler is to run (-EINTR: Linux never restarts epoll_wait). A signal mask is PM's to
// put in place for the wait (masked, poll.c).
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/epoll.h>
#include <xinim/limits.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define EP_MAX_EVENTS (INT_MAX / sizeof(struct epoll_record))
// What EPOLLEXCLUSIVE may come with (Linux's EPOLLEXCLUSIVE_OK_BITS).
#define EXCLUSIVE_OK (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | EPOLLWRNORM | \
		      EPOLLWRBAND | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)

// epoll_create1(flags): a new instance, an open file (O_RDWR) of a node of its own.
long vfs_epoll_create1(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int flags = (int)call.args[0];
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	long err = fd_room(call.caller);
	if (err)
		return err;
	struct node *node = node_new(ROOT_DEV, EPOLL_MODE, 0, 0);	// as Linux's anon inode
	if (!node)
		return -ENFILE;
	keep_change(&node->flags, sizeof(node->flags));
	node->flags = NODE_EPOLL;
	long fd = fd_open(call.caller, node, O_RDWR, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		node_release(node);
	return fd;
}

// What epoll_ctl has checked: the instance, the watched open file and its fd, and the
// event asked for.
struct ctl {
	struct node *epoll;
	struct open_file *target;
	uint32_t fd;
	struct epoll_record event;
};

static long ctl_add(const struct ctl *c)
{
	if (node_is_epoll(file_node(c->target)) && interest_loops(c->epoll, file_node(c->target)))
		return -ELOOP;	// before the entry is looked for, as Linux
	if (interest_find(c->epoll, open_file_index(c->target), c->fd))
		return -EEXIST;
	return interest_add(c->epoll, open_file_index(c->target), c->fd,
			    c->event.events | EPOLLERR | EPOLLHUP, c->event.data);
}

static long ctl_del(const struct ctl *c)
{
	struct interest *i = interest_find(c->epoll, open_file_index(c->target), c->fd);
	if (!i)
		return -ENOENT;
	interest_remove(i);
	return 0;
}

static long ctl_mod(const struct ctl *c)
{
	struct interest *i = interest_find(c->epoll, open_file_index(c->target), c->fd);
	if (!i)
		return -ENOENT;
	if (i->events & EPOLLEXCLUSIVE)
		return -EINVAL;
	interest_set(i, c->event.events | EPOLLERR | EPOLLHUP, c->event.data);
	return 0;
}

static long (*const ctl_ops[])(const struct ctl *c) = {
	[EPOLL_CTL_ADD] = ctl_add,
	[EPOLL_CTL_DEL] = ctl_del,
	[EPOLL_CTL_MOD] = ctl_mod,
};
#define CTL_OPS (sizeof(ctl_ops) / sizeof(ctl_ops[0]))

// EPOLLEXCLUSIVE's rules (epoll_ctl(2)): on ADD only, not for an instance, not with
// EPOLLONESHOT, EPOLLRDHUP or EPOLLPRI.
static bool exclusive_refused(uint64_t op, const struct ctl *c)
{
	if (!(c->event.events & EPOLLEXCLUSIVE))
		return false;
	return op == EPOLL_CTL_MOD || (op == EPOLL_CTL_ADD &&
				       (node_is_epoll(file_node(c->target)) ||
					(c->event.events & ~(uint32_t)EXCLUSIVE_OK)));
}

// epoll_ctl(epfd, op, fd, event), checked in Linux's order: the event (-EFAULT), both fds
// (-EBADF), a file that cannot be polled (-EPERM), the instance itself or no instance,
// EPOLLEXCLUSIVE's rules (-EINVAL), then the op's own (-EEXIST, -ELOOP, -ENOSPC, -ENOENT).
long vfs_epoll_ctl(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t op = (uint32_t)call.args[1];
	struct ctl c = { .fd = (uint32_t)call.args[2] };
	if (op != EPOLL_CTL_DEL) {
		long err = ipc_copy_from(call.caller, &c.event, call.args[3], sizeof(c.event));
		if (err)
			return err;
	}
	struct open_file *ep = fd_get(call.caller, call.args[0]);
	c.target = fd_get(call.caller, call.args[2]);
	if (!ep || !c.target || (c.target->flags & O_PATH))
		return -EBADF;	// an O_PATH file is no file to Linux's fdget either
	if (!node_pollable(file_node(c.target)))
		return -EPERM;
	c.event.events &= ~(uint32_t)EPOLLWAKEUP;	// no suspend to hold off here
	if (ep == c.target || !node_is_epoll(file_node(ep)) || exclusive_refused(op, &c))
		return -EINVAL;
	c.epoll = file_node(ep);
	return op < CTL_OPS && ctl_ops[op] ? ctl_ops[op](&c) : -EINVAL;
}

// Where the next report of an instance (by node index) starts its look: after the last
// entry a full report gave, so that with more ready entries than maxevents each gets its
// turn, as Linux's ready list moves a reported entry to its tail. Not kept: a restarted
// VFS starts at the table's start, which changes the order of what is reported, never
// whether it is.
static uint16_t report_from[NODES_MAX];
_Static_assert(INTERESTS_MAX <= UINT16_MAX, "report_from holds an entry's index");

// The ready entries of epoll, at most max, written to the caller's events as each is
// reported (an EPOLLET edge spent, an EPOLLONESHOT disarmed only once it is written, so
// that a bad buffer changes nothing): how many, or -EFAULT if none could be written.
static long report(xinim_endpoint_t caller, const struct node *epoll, uint64_t events, long max)
{
	struct interest *all = vfs_interests();
	uint32_t instance = ramfs_index(epoll) + 1;
	unsigned start = report_from[instance - 1];
	long count = 0;
	for (unsigned k = 0; k < INTERESTS_MAX && count < max; k++) {
		unsigned n = (start + k) % INTERESTS_MAX;
		uint32_t ready = all[n].epoll == instance ? interest_ready(&all[n]) : 0;
		if (!ready)
			continue;
		struct epoll_record record = { .events = ready, .data = all[n].data };
		if (ipc_copy_to(caller, events + (uint64_t)count * sizeof(record), &record,
				sizeof(record)))
			return count ? count : -EFAULT;
		interest_reported(&all[n]);
		if (++count == max)
			report_from[instance - 1] = (uint16_t)((n + 1) % INTERESTS_MAX);
	}
	return count;
}

// The wait both calls make, once the timeout (deadline 0: none) and the mask are taken:
// epoll_pwait(epfd, events, maxevents, ...) checked in Linux's order (do_epoll_wait).
static long epoll_wait_for(const struct ipc_request *request, ipc_handler *again, bool timed,
		       uint64_t deadline)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	int max = (int)call.args[2];
	if (max <= 0 || (uint64_t)max > EP_MAX_EVENTS)
		return -EINVAL;
	if (!xinim_access_ok(call.args[1], (uint64_t)max * sizeof(struct epoll_record)))
		return -EFAULT;
	struct open_file *ep = fd_get(call.caller, call.args[0]);
	if (!ep)
		return -EBADF;
	if (!node_is_epoll(file_node(ep)))
		return -EINVAL;
	long count = report(call.caller, file_node(ep), call.args[1], max);
	if (count || (timed && counter_ticks() >= deadline))
		return count;
	wait_until(timed ? deadline : 0);
	return wait_park(request, again, NULL, -EINTR);
}

static long pwait_run(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	int timeout = (int)call.args[3];
	uint64_t deadline = timeout < 0 ? 0
					: wait_since() + (uint64_t)timeout * counter_hz() / 1000;
	return epoll_wait_for(request, vfs_epoll_pwait, timeout >= 0, deadline);
}

static long pwait2_run(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t deadline;
	long err = timeout_of(call.caller, call.args[3], &deadline);
	if (err)
		return err;
	return epoll_wait_for(request, vfs_epoll_pwait2, call.args[3] != 0, deadline);
}

// epoll_pwait(epfd, events, maxevents, timeout ms (negative: none), sigmask, sigsetsize)
// and epoll_pwait2(epfd, events, maxevents, timeout timespec (NULL: none), sigmask,
// sigsetsize).
long vfs_epoll_pwait(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	return masked(request, call.args[4], call.args[5], pwait_run, reply);
}

long vfs_epoll_pwait2(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	return masked(request, call.args[4], call.args[5], pwait2_run, reply);
}
