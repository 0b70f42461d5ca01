// epoll's interest table (servers/vfs/interest.c) through the system calls, waits that
// do not wait: an entry per (instance, open file, fd), what a report spends (an edge, a
// ONESHOT), entries going with their open file's last fd, their instance, their
// process; what stays as it was when a call fails.
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/ipc.h>
#include <xinim/ipc/syscalls.h>
#include <vfs/vfs.h>
#include "archive.h"
#include "harness.h"

#define CALL(name, ...) SYSCALL(vfs.endpoint, who, name, __VA_ARGS__)

static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
};
static struct proc vfs;
static xinim_endpoint_t who;
static int pipe_ends[2];
static long ep;

static long proc_message(int32_t type, xinim_endpoint_t process, xinim_endpoint_t parent)
{
	struct xinim_vfs_proc proc = { .who = process, .parent = parent };
	struct xinim_msg msg = { .header = { .type = type, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
}

static long ctl(long instance, int op, long fd, uint32_t events, uint64_t data)
{
	struct epoll_record event = { .events = events, .data = data };
	return CALL(epoll_ctl, (uint64_t)instance, (uint64_t)op, (uint64_t)fd, ADDR(&event));
}

// A wait that does not wait, of at most max events into events.
static long poll_now(long instance, struct epoll_record *events, int max)
{
	memset(events, 0, (size_t)max * sizeof(events[0]));
	return CALL(epoll_pwait, (uint64_t)instance, ADDR(events), (uint64_t)max, 0, 0, 8);
}

static unsigned entries_in_use(void)
{
	unsigned count = 0;
	for (unsigned n = 0; n < INTERESTS_MAX; n++)
		count += vfs_interests()[n].epoll != 0;
	return count;
}

static int group_setup(void **state)
{
	return archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0]));
}

// Each test: a new process with a pipe (fds 3 and 4) and an instance (fd 5).
static int fresh_process(void **state)
{
	(void)state;
	who = fresh_endpoint();
	if (proc_message(XINIM_VFS_PROC_START, who, XINIM_ENDPOINT_NONE) ||
	    CALL(pipe2, ADDR(pipe_ends), 0) || entries_in_use())
		return -1;
	ep = CALL(epoll_create1, 0);
	return ep == 5 ? 0 : -1;
}

static int end_process(void **state)
{
	(void)state;
	return proc_message(XINIM_VFS_PROC_END, who, XINIM_ENDPOINT_NONE) || entries_in_use();
}

static void test_an_instance_is_an_anonymous_node_with_mode_0600(void **state)
{
	(void)state;
	struct stat st;
	assert_int_equal(CALL(fstat, (uint64_t)ep, ADDR(&st)), 0);
	assert_int_equal(st.st_mode, 0600);
	assert_true(node_is_epoll(file_node(fd_get(who, (uint64_t)ep))));
	assert_int_equal(CALL(epoll_create1, EPOLL_CLOEXEC), 6);
	assert_true(fd_slot_of(who, 6)->cloexec);
	assert_int_equal(CALL(epoll_create1, O_NONBLOCK), -EINVAL);
}

static void test_entries_are_keyed_by_open_file_and_fd(void **state)
{
	(void)state;
	long copy = CALL(dup, (uint64_t)pipe_ends[1]);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, pipe_ends[1], EPOLLOUT, 1), 0);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, copy, EPOLLOUT, 2), 0);	// the same file
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, copy, EPOLLOUT, 3), -EEXIST);
	struct epoll_record events[4];
	assert_int_equal(poll_now(ep, events, 4), 2);
	assert_int_equal(events[0].events, EPOLLOUT);
	assert_int_equal(events[0].data + events[1].data, 3);
	assert_int_equal(entries_in_use(), 2);
	assert_int_equal(CALL(close, (uint64_t)copy), 0);	// the open file stays: both do
	assert_int_equal(entries_in_use(), 2);
	assert_int_equal(CALL(close, (uint64_t)pipe_ends[1]), 0);
	assert_int_equal(entries_in_use(), 0);
}

static void test_an_edge_is_spent_by_its_report_and_a_oneshot_disarmed(void **state)
{
	(void)state;
	long other = CALL(epoll_create1, 0);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, pipe_ends[0], EPOLLIN | EPOLLET, 7), 0);
	assert_int_equal(ctl(other, EPOLL_CTL_ADD, pipe_ends[0], EPOLLIN | EPOLLONESHOT, 8), 0);
	struct epoll_record events[2];
	assert_int_equal(CALL(write, (uint64_t)pipe_ends[1], ADDR("ab"), 2), 2);
	const struct interest *edge = interest_find(file_node(fd_get(who, (uint64_t)ep)),
						    open_file_index(fd_get(who, (uint64_t)pipe_ends[0])),
						    (uint32_t)pipe_ends[0]);
	assert_non_null(edge);
	assert_int_equal(poll_now(ep, events, 2), 1);
	assert_int_equal(events[0].events, EPOLLIN);
	assert_int_equal(events[0].data, 7);
	assert_int_equal(edge->edge, 0);
	assert_int_equal(poll_now(ep, events, 2), 0);
	char byte;
	assert_int_equal(CALL(read, (uint64_t)pipe_ends[0], ADDR(&byte), 1), 1);
	assert_int_equal(edge->edge, 0);	// room for writers: no edge for EPOLLIN
	assert_int_equal(CALL(write, (uint64_t)pipe_ends[1], ADDR("c"), 1), 1);
	assert_int_equal(edge->edge, 1);
	assert_int_equal(poll_now(ep, events, 2), 1);
	assert_int_equal(poll_now(other, events, 2), 1);
	assert_int_equal(poll_now(other, events, 2), 0);
	const struct interest *shot = interest_find(file_node(fd_get(who, (uint64_t)other)),
						    open_file_index(fd_get(who, (uint64_t)pipe_ends[0])),
						    (uint32_t)pipe_ends[0]);
	assert_int_equal(shot->events, EPOLLONESHOT);	// nothing asked until a MOD
	assert_int_equal(ctl(other, EPOLL_CTL_MOD, pipe_ends[0], EPOLLIN, 9), 0);
	assert_int_equal(poll_now(other, events, 2), 1);
	assert_int_equal(events[0].data, 9);
}

static void test_a_bad_buffer_or_argument_changes_nothing(void **state)
{
	(void)state;
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, pipe_ends[0], EPOLLIN | EPOLLET | EPOLLONESHOT, 1), 0);
	assert_int_equal(CALL(write, (uint64_t)pipe_ends[1], ADDR("a"), 1), 1);
	static struct interest before[INTERESTS_MAX];
	memcpy(before, vfs_interests(), sizeof(before));
	assert_int_equal(CALL(epoll_pwait, (uint64_t)ep, UINT64_C(1) << 48, 1, 0, 0, 8), -EFAULT);
	assert_int_equal(CALL(epoll_pwait, (uint64_t)ep, 16, 1, 0, 0, 8), -EFAULT);	// unmapped
	assert_int_equal(CALL(epoll_pwait, (uint64_t)ep, ADDR(before), 0, 0, 0, 8), -EINVAL);
	assert_int_equal(CALL(epoll_pwait, (uint64_t)ep, ADDR(before), 1, 0, ADDR(before), 4),
			 -EINVAL);	// a signal mask's size is 8
	assert_int_equal(CALL(epoll_pwait, (uint64_t)ep, ADDR(before), 1, 0, 16, 8), -EFAULT);
	// A mask: PM is asked to put it in place first; nothing is reported yet.
	uint64_t mask = UINT64_C(1) << (SIGUSR1 - 1);
	assert_int_equal(CALL(epoll_pwait, (uint64_t)ep, ADDR(before), 1, 0, ADDR(&mask), 8),
			 -EINTR);
	assert_int_equal(syscall_raised.flags, XINIM_RAISE_MASK);
	assert_int_equal(syscall_raised.mask, mask);
	assert_int_equal(CALL(epoll_ctl, (uint64_t)ep, EPOLL_CTL_MOD, (uint64_t)pipe_ends[0], 16),
			 -EFAULT);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0), -EINVAL);
	long path = CALL(openat, (uint64_t)(int64_t)AT_FDCWD, ADDR("/"), O_PATH, 0);
	assert_true(path >= 0);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, path, EPOLLIN, 0), -EBADF);
	assert_memory_equal(vfs_interests(), before, sizeof(before));
	struct epoll_record events[1];
	assert_int_equal(poll_now(ep, events, 1), 1);
}

static void test_closing_the_instance_or_ending_the_process_frees_its_entries(void **state)
{
	(void)state;
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, pipe_ends[0], EPOLLIN, 0), 0);
	uint32_t node = fd_get(who, (uint64_t)ep)->node;
	assert_int_equal(CALL(close, (uint64_t)ep), 0);
	assert_int_equal(entries_in_use(), 0);
	assert_null(ramfs_node_at(node));	// the instance's node went with its open file
	ep = CALL(epoll_create1, 0);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, pipe_ends[0], EPOLLIN, 0), 0);
	xinim_endpoint_t child = fresh_endpoint();
	assert_int_equal(proc_message(XINIM_VFS_PROC_START, child, who), 0);	// shares them
	assert_int_equal(proc_message(XINIM_VFS_PROC_END, child, XINIM_ENDPOINT_NONE), 0);
	assert_int_equal(entries_in_use(), 1);	// the parent still holds both files
}

static void test_an_instance_in_another_and_the_loops_refused(void **state)
{
	(void)state;
	long outer = CALL(epoll_create1, 0);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, pipe_ends[0], EPOLLIN, 1), 0);
	assert_int_equal(ctl(outer, EPOLL_CTL_ADD, ep, EPOLLIN | EPOLLET, 2), 0);
	struct epoll_record events[1];
	assert_int_equal(poll_now(outer, events, 1), 0);	// nothing ready inside
	assert_int_equal(CALL(write, (uint64_t)pipe_ends[1], ADDR("a"), 1), 1);
	assert_int_equal(poll_now(outer, events, 1), 1);
	assert_int_equal(poll_now(outer, events, 1), 0);	// still ready inside, no edge
	assert_int_equal(CALL(write, (uint64_t)pipe_ends[1], ADDR("b"), 1), 1);
	assert_int_equal(poll_now(outer, events, 1), 1);	// the inner one changed: an edge
	assert_int_equal(events[0].events, EPOLLIN);
	assert_int_equal(events[0].data, 2);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, outer, EPOLLIN, 0), -ELOOP);
	assert_int_equal(ctl(outer, EPOLL_CTL_ADD, ep, EPOLLIN | EPOLLEXCLUSIVE, 0), -EINVAL);
}

// More ready entries than maxevents: each gets its turn, as Linux's ready list turns.
static void test_ready_entries_take_turns_past_maxevents(void **state)
{
	(void)state;
	long copies[2] = { CALL(dup, (uint64_t)pipe_ends[1]), CALL(dup, (uint64_t)pipe_ends[1]) };
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, pipe_ends[1], EPOLLOUT, 1), 0);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, copies[0], EPOLLOUT, 2), 0);
	assert_int_equal(ctl(ep, EPOLL_CTL_ADD, copies[1], EPOLLOUT, 4), 0);
	struct epoll_record events[2];
	uint64_t seen = 0;
	for (int round = 0; round < 3; round++) {
		assert_int_equal(poll_now(ep, events, 1), 1);
		seen |= events[0].data;
	}
	assert_int_equal(seen, 7);
	assert_int_equal(poll_now(ep, events, 2), 2);
	assert_int_not_equal(events[0].data, events[1].data);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, fresh_process, end_process)
	const struct CMUnitTest tests[] = {
		TEST(test_an_instance_is_an_anonymous_node_with_mode_0600),
		TEST(test_entries_are_keyed_by_open_file_and_fd),
		TEST(test_an_edge_is_spent_by_its_report_and_a_oneshot_disarmed),
		TEST(test_a_bad_buffer_or_argument_changes_nothing),
		TEST(test_closing_the_instance_or_ending_the_process_frees_its_entries),
		TEST(test_an_instance_in_another_and_the_loops_refused),
		TEST(test_ready_entries_take_turns_past_maxevents),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
