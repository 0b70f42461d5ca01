// ppoll: which of the caller's fds are ready (a node's poll op; a node without one, a
// regular file, is always ready, as Linux's DEFAULT_POLLMASK), and when none is, a wait
// (wait.c) until a node's readiness changes, the timeout passes (0) or a signal's
// handler is to run in the caller's thread (PM's XINIM_VFS_INTERRUPT: -EINTR, Linux's
// ERESTARTNOHAND). Without fds it is the wait musl's pause() makes (AArch64 has no pause
// call). A signal mask given to the call is PM's to put in place (masked).
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <xinim/ipc/vfs.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define POLLFDS_MAX FDS_MAX	// RLIMIT_NOFILE's most here: more is -EINVAL, as Linux

// The events fd is ready for, of those asked (with POLLERR, POLLHUP, POLLNVAL always).
static short ready(xinim_endpoint_t caller, const struct pollfd *p)
{
	if (p->fd < 0)
		return 0;
	struct open_file *file = fd_get(caller, (uint64_t)(uint32_t)p->fd);
	if (!file)
		return POLLNVAL;
	return (short)(file_poll(file) & ((unsigned short)p->events | POLLERR | POLLHUP | POLLNVAL));
}

unsigned file_poll(const struct open_file *file)
{
	const struct node_ops *ops = node_ops(file_node(file));
	return ops && ops->poll ? ops->poll(file_node(file), file->flags)
				: POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

long timeout_of(xinim_endpoint_t caller, uint64_t at, uint64_t *deadline)
{
	struct timespec t;
	*deadline = 0;
	if (!at)
		return 0;
	long err = ipc_copy_from(caller, &t, at, sizeof(t));
	if (err)
		return err;
	if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
		return -EINVAL;
	uint64_t hz = counter_hz();
	*deadline = wait_since() + (uint64_t)t.tv_sec * hz + (uint64_t)t.tv_nsec * hz / 1000000000;
	return 0;
}

long masked(const struct ipc_request *request, uint64_t mask_at, uint64_t size,
	    ipc_handler *run, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	if (!mask_at)
		return run(request, reply);
	if (!(call.number & XINIM_SYSCALL_AGAIN)) {
		uint64_t mask;
		if (size != sizeof(mask))
			return -EINVAL;
		if (ipc_copy_from(call.caller, &mask, mask_at, sizeof(mask)))
			return -EFAULT;
		ipc_syscall_mask(XINIM_RAISE_MASK, mask);
		return -EINTR;	// the answer should PM not answer
	}
	long result = run(request, reply);
	if (result != IPC_DEFERRED)
		ipc_syscall_mask(XINIM_RAISE_UNMASK, 0);
	return result;
}

static long ppoll_run(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	static struct pollfd fds[POLLFDS_MAX];
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t nfds = call.args[1], deadline;
	if (nfds > fd_limit(call.caller) || nfds > POLLFDS_MAX)
		return -EINVAL;
	long err = timeout_of(call.caller, call.args[2], &deadline);
	if (!err && nfds)
		err = ipc_copy_from(call.caller, fds, call.args[0], nfds * sizeof(fds[0]));
	if (err)
		return err;
	long count = 0;
	for (uint64_t i = 0; i < nfds; i++) {
		fds[i].revents = ready(call.caller, &fds[i]);
		count += fds[i].revents != 0;
	}
	bool timed_out = call.args[2] && counter_ticks() >= deadline;
	if (!count && !timed_out) {
		wait_until(deadline);
		return wait_park(request, vfs_ppoll, NULL, -XINIM_ERESTARTNOHAND);
	}
	err = nfds ? ipc_copy_to(call.caller, call.args[0], fds, nfds * sizeof(fds[0])) : 0;
	return err ? err : count;
}

// ppoll(fds, nfds, timeout, sigmask, sigsetsize).
long vfs_ppoll(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	return masked(request, call.args[3], call.args[4], ppoll_run, reply);
}

// pselect6(nfds, readfds, writefds, exceptfds, timeout, sigmask): select(2) on ppoll's
// readiness, as Linux's do_select: an fd in any set that is not open is -EBADF; readable
// is POLLIN, POLLHUP or POLLERR, writable POLLOUT or POLLERR, exceptional POLLPRI; the
// sets come back with the ready fds alone, the count of them all is the answer.
#define SET_WORDS ((FDS_MAX + 63) / 64)
#define SELECT_IN (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EX POLLPRI

static long pselect6_run(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_syscall call = ipc_syscall_of(request);
	static const short wants[3] = { SELECT_IN, SELECT_OUT, SELECT_EX };
	uint64_t sets[3][SET_WORDS] = { { 0 } }, ready_sets[3][SET_WORDS] = { { 0 } }, deadline;
	int64_t nfds = (int32_t)call.args[0];
	if (nfds < 0)
		return -EINVAL;
	if ((uint64_t)nfds > fd_limit(call.caller))
		nfds = fd_limit(call.caller);	// as Linux, past the table's size: nothing there
	size_t bytes = (size_t)(nfds + 63) / 64 * sizeof(uint64_t);
	long err = timeout_of(call.caller, call.args[4], &deadline);
	for (int s = 0; s < 3 && !err; s++)
		err = call.args[1 + s] && bytes ? ipc_copy_from(call.caller, sets[s], call.args[1 + s], bytes)
						: 0;
	if (err)
		return err;
	long count = 0;
	for (int64_t fd = 0; fd < nfds; fd++) {
		bool asked = false;
		for (int s = 0; s < 3; s++)
			asked |= sets[s][fd / 64] >> (fd % 64) & 1;
		if (!asked)
			continue;
		short events = ready(call.caller, &(struct pollfd){ .fd = (int)fd,
								   .events = SELECT_IN | SELECT_OUT | SELECT_EX });
		if (events & POLLNVAL)
			return -EBADF;
		for (int s = 0; s < 3; s++)
			if ((sets[s][fd / 64] >> (fd % 64) & 1) && (events & wants[s])) {
				ready_sets[s][fd / 64] |= UINT64_C(1) << (fd % 64);
				count++;
			}
	}
	bool timed_out = call.args[4] && counter_ticks() >= deadline;
	if (!count && !timed_out) {
		wait_until(deadline);
		return wait_park(request, vfs_pselect6, NULL, -XINIM_ERESTARTNOHAND);
	}
	for (int s = 0; s < 3 && !err; s++)
		err = call.args[1 + s] && bytes ? ipc_copy_to(call.caller, call.args[1 + s], ready_sets[s], bytes)
						: 0;
	return err ? err : count;
}

// pselect6's sixth argument: where its signal mask is and the mask's size (musl's and
// glibc's { sigset, _NSIG / 8 }), or NULL.
long vfs_pselect6(const struct ipc_request *request, struct xinim_msg *reply)
{
	struct xinim_syscall call = ipc_syscall_of(request);
	uint64_t mask[2] = { 0, 0 };
	if (call.args[5] && ipc_copy_from(call.caller, mask, call.args[5], sizeof(mask)))
		return -EFAULT;
	return masked(request, mask[0], mask[1], pselect6_run, reply);
}

long vfs_interrupt(const struct ipc_request *request, struct xinim_msg *reply)
{
	(void)reply;
	struct xinim_vfs_interrupt which;
	if (!pm_sent(request, &which, sizeof(which)))
		return -EPERM;
	wait_interrupt(which.who, which.tid);
	transfer_interrupt(which.who, which.tid);
	return 0;
}
