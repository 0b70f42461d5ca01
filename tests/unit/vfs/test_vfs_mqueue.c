// POSIX message queues (servers/vfs/mqueue.c) through VFS's system calls, on a kept state
// of the test's: the order messages come out in, what a full or empty queue answers
// without waiting, a queue's end with its last close, and a restarted VFS's take-over
// of queues that hold messages (a record that does not check out is dropped), and the
// signal a notification keeps for PM.
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
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
static uint8_t kept_region[VFS_STATE_HEAD + VFS_HOSTED_BLOCKS * BLOCK_BYTES]
	__attribute__((aligned(4096)));
#define kept (*(struct vfs_state *)kept_region)
static xinim_endpoint_t who;

static int group_setup(void **state)
{
	return archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0]));
}

// Each test: a fresh state of VFS's own making and a process of its own.
static int fresh_state(void **state)
{
	(void)state;
	memset(&kept, 0, sizeof(kept));
	vfs_state_take(&kept, KEEP_FRESH);
	who = fresh_endpoint();
	struct xinim_vfs_proc proc = { .who = who, .parent = XINIM_ENDPOINT_NONE };
	struct xinim_msg msg = { .header = { .type = XINIM_VFS_PROC_START, .length = sizeof(proc) } };
	memcpy(msg.payload, &proc, sizeof(proc));
	return ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US) ? -1 : 0;
}

static long queue_open(const char *name, long maxmsg, long msgsize)
{
	struct mq_attr attr = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
	return CALL(mq_open, ADDR(name), O_CREAT | O_EXCL | O_RDWR | O_NONBLOCK, 0600, ADDR(&attr));
}

static long send(long fd, const char *text, unsigned priority)
{
	return CALL(mq_timedsend, (uint64_t)fd, ADDR(text), strlen(text), priority, 0);
}

// The next message's text (and its priority), or "" on an error (*result).
static const char *receive(long fd, unsigned *priority, long *result)
{
	static char text[64];
	memset(text, 0, sizeof(text));
	*result = CALL(mq_timedreceive, (uint64_t)fd, ADDR(text), sizeof(text), ADDR(priority), 0);
	return text;
}

static void assert_received(long fd, const char *text, unsigned priority)
{
	unsigned got = 0;
	long result;
	assert_string_equal(receive(fd, &got, &result), text);
	assert_int_equal(result, (long)strlen(text));
	assert_int_equal(got, priority);
}

static const struct mq_queue *record_of(long fd)
{
	struct open_file *file = fd_get(who, (uint64_t)fd);
	return file ? mqueue_of(file_node(file)) : NULL;
}

static void test_messages_come_out_highest_priority_first_then_as_they_came(void **state)
{
	(void)state;
	long fd = queue_open("order", 8, 64);
	assert_true(fd >= 0);
	static const struct { const char *text; unsigned priority; } sent[] = {
		{ "low", 1 }, { "high", 9 }, { "high again", 9 }, { "none", 0 }, { "low again", 1 },
		{ "top", MQ_PRIORITIES - 1 },
	};
	for (unsigned i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
		assert_int_equal(send(fd, sent[i].text, sent[i].priority), 0);
	assert_received(fd, "top", MQ_PRIORITIES - 1);
	assert_received(fd, "high", 9);
	assert_received(fd, "high again", 9);
	assert_received(fd, "low", 1);
	assert_received(fd, "low again", 1);
	assert_received(fd, "none", 0);
	long result;
	receive(fd, &(unsigned){ 0 }, &result);
	assert_int_equal(result, -EAGAIN);
}

static void test_a_slot_freed_in_the_middle_keeps_the_order(void **state)
{
	(void)state;
	long fd = queue_open("reuse", 3, 16);
	assert_int_equal(send(fd, "a", 5), 0);
	assert_int_equal(send(fd, "b", 1), 0);
	assert_int_equal(send(fd, "c", 1), 0);
	assert_int_equal(send(fd, "full", 1), -EAGAIN);
	assert_received(fd, "a", 5);	// slot 0 free again: the next goes there
	assert_int_equal(send(fd, "d", 1), 0);
	assert_received(fd, "b", 1);
	assert_received(fd, "c", 1);
	assert_received(fd, "d", 1);
	assert_int_equal(record_of(fd)->curmsgs, 0);
	assert_int_equal(record_of(fd)->bytes, 0);
}

static void test_limits_are_checked_before_anything_changes(void **state)
{
	(void)state;
	long fd = queue_open("limits", 2, 4);
	assert_int_equal(send(fd, "12345", 0), -EMSGSIZE);
	assert_int_equal(send(fd, "x", MQ_PRIORITIES), -EINVAL);
	char small[3];
	assert_int_equal(CALL(mq_timedreceive, (uint64_t)fd, ADDR(small), sizeof(small), 0, 0), -EMSGSIZE);
	assert_int_equal(record_of(fd)->curmsgs, 0);
	struct mq_attr attr = { .mq_maxmsg = MQ_SLOTS_MAX + 1, .mq_msgsize = 1 };
	assert_int_equal(CALL(mq_open, ADDR("huge"), O_CREAT | O_RDWR, 0600, ADDR(&attr)), -ENOMEM);
	attr = (struct mq_attr){ .mq_maxmsg = 10, .mq_msgsize = 8192 * 11 };
	assert_int_equal(CALL(mq_open, ADDR("big"), O_CREAT | O_RDWR, 0600, ADDR(&attr)), -EMFILE);
}

static void test_an_unlinked_queue_goes_with_its_last_close(void **state)
{
	(void)state;
	long fd = queue_open("gone", 4, 8);
	assert_int_equal(send(fd, "kept", 2), 0);
	assert_int_equal(CALL(mq_unlink, ADDR("gone")), 0);
	assert_int_equal(CALL(mq_unlink, ADDR("gone")), -ENOENT);
	assert_received(fd, "kept", 2);
	assert_int_equal(send(fd, "more", 2), 0);
	unsigned first = record_of(fd)->first;
	assert_int_equal(CALL(close, (uint64_t)fd), 0);
	for (unsigned i = 0; i < MQ_QUEUES_MAX; i++)
		assert_int_equal(kept.mq.queues[i].node, 0);
	assert_int_equal(kept.mq.slots[first].used, 0);
}

static void test_queues_with_messages_survive_a_take_over(void **state)
{
	(void)state;
	long one = queue_open("one", 4, 16), two = queue_open("two", 2, 8);
	assert_int_equal(send(one, "first", 3), 0);
	assert_int_equal(send(one, "second", 7), 0);
	assert_int_equal(send(one, "third", 3), 0);
	assert_int_equal(send(two, "other", 0), 0);
	static struct vfs_state before;
	before = kept;
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_memory_equal(&kept.mq, &before.mq, sizeof(kept.mq));
	assert_received(one, "second", 7);
	assert_received(one, "first", 3);
	assert_received(one, "third", 3);
	assert_received(two, "other", 0);
	long again = CALL(mq_open, ADDR("one"), O_RDONLY, 0, 0);
	assert_true(again >= 0);
}

static void test_a_record_that_does_not_check_out_is_dropped(void **state)
{
	(void)state;
	long bad = queue_open("bad", 4, 16), good = queue_open("good", 4, 16);
	assert_int_equal(send(bad, "lost", 1), 0);
	assert_int_equal(send(good, "kept", 1), 0);
	const struct mq_queue *q = record_of(bad);
	kept.mq.slots[q->first].length = q->msgsize + 1;	// longer than the queue allows
	vfs_state_take(&kept, KEEP_INHERITED);
	long result;
	receive(bad, &(unsigned){ 0 }, &result);
	assert_int_equal(result, -EBADF);	// its fd names no queue now
	assert_received(good, "kept", 1);
	kept.mq.queues[1].first = MQ_SLOTS_MAX - 1;	// its slots past the table's end
	vfs_state_take(&kept, KEEP_INHERITED);
	assert_null(record_of(good));
}

// The signals VFS keeps for PM (XINIM_VFS_SIGNALS): how many, and the first.
static long signals_taken(struct xinim_vfs_signal *first)
{
	struct xinim_msg msg = { .header.type = XINIM_VFS_SIGNALS };
	long count = ipc_call(vfs.endpoint, &msg, CALL_TIMEOUT_US);
	struct xinim_vfs_signals got;
	memcpy(&got, msg.payload, sizeof(got));
	*first = got.signal[0];
	return count;
}

static void test_a_notification_keeps_one_signal_for_pm(void **state)
{
	(void)state;
	long fd = queue_open("notify", 4, 16);
	struct { uint64_t value; int32_t signal, how; uint8_t rest[48]; } event = {
		.value = 42, .signal = SIGUSR2, .how = SIGEV_SIGNAL };
	assert_int_equal(CALL(mq_notify, (uint64_t)fd, ADDR(&event)), 0);
	assert_int_equal(CALL(mq_notify, (uint64_t)fd, ADDR(&event)), -EBUSY);	// one a queue
	assert_int_equal(send(fd, "one", 0), 0);
	assert_int_equal(send(fd, "two", 0), 0);	// not into an empty queue, and it fired
	struct xinim_vfs_signal taken;
	assert_int_equal(signals_taken(&taken), 1);
	assert_int_equal(taken.who, who);
	assert_int_equal(taken.signal, SIGUSR2);
	assert_int_equal(taken.code, SI_MESGQ);
	assert_int_equal(taken.pid, xinim_endpoint_pid(who));
	assert_int_equal(taken.value, 42);
	assert_int_equal(signals_taken(&taken), 0);	// taken once
	assert_int_equal(CALL(mq_notify, (uint64_t)fd, ADDR(&event)), 0);
	long copy = CALL(dup, (uint64_t)fd);
	assert_int_equal(CALL(close, (uint64_t)copy), 0);	// the owner's close ends it
	assert_int_equal(record_of(fd)->notify_owner, 0);
	event.how = 99;
	assert_int_equal(CALL(mq_notify, (uint64_t)fd, ADDR(&event)), -EINVAL);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup(name, fresh_state)
	const struct CMUnitTest tests[] = {
		TEST(test_messages_come_out_highest_priority_first_then_as_they_came),
		TEST(test_a_slot_freed_in_the_middle_keeps_the_order),
		TEST(test_limits_are_checked_before_anything_changes),
		TEST(test_an_unlinked_queue_goes_with_its_last_close),
		TEST(test_queues_with_messages_survive_a_take_over),
		TEST(test_a_record_that_does_not_check_out_is_dropped),
		TEST(test_a_notification_keeps_one_signal_for_pm),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
