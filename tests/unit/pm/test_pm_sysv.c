// System V semaphores and message queues in PM (servers/pm/sem.c, msg.c, sysv.c): PM
// serves in its thread, in a kept state of the test's; the system calls come as the
// kernel sends them. A call that must wait is made from a thread of the test's and stays
// parked in its caller's record until another call, a signal, a removal or its timeout
// answers it. The last test corrupts the kept state and checks the take-over.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/syscalls.h>
#include <pm/pm.h>
#include "harness.h"

static struct proc pm;
static struct pm_state kept;
static xinim_endpoint_t who;	// the test's process, a boot program's (root)

#define CALL(name, ...) SYSCALL(pm.endpoint, who, name, __VA_ARGS__)
#define AS(caller, name, ...) SYSCALL(pm.endpoint, caller, name, __VA_ARGS__)

static int group_setup(void **state)
{
	*state = &pm;
	host_kcalls_reset();
	memset(&kept, 0, sizeof(kept));
	pm_state_take(&kept, KEEP_FRESH);
	return server_setup(&pm, XINIM_PID_PM, &pm_table);
}

static int fresh_process(void **state)
{
	(void)state;
	who = fresh_endpoint();
	return 0;
}

// A process PM started, with uid and gid as all its ids.
static xinim_endpoint_t managed(uint32_t id)
{
	xinim_endpoint_t self = fresh_endpoint();
	unsigned pid = xinim_endpoint_pid(self);
	struct process *p = process_at(pid);
	*p = (struct process){ .self = self, .parent = XINIM_ENDPOINT_NONE, .managed = true,
			       .pgid = pid, .sid = pid };
	p->creds.user = p->creds.group = (struct ids){ id, id, id, id };
	thread_start(self, pid, NULL);
	return self;
}

// A call that waits, made from a thread of the test's until it is answered.
struct blocked {
	pthread_t thread;
	xinim_endpoint_t caller;
	unsigned number;
	uint64_t args[6];
	long result;
};

static void *blocked_body(void *arg)
{
	struct blocked *b = arg;
	b->result = kernel_syscall(pm.endpoint, b->caller, b->number, b->args);
	return NULL;
}

// Starts b's call and returns once PM has parked it.
static void start_blocked(struct blocked *b)
{
	assert_int_equal(pthread_create(&b->thread, NULL, blocked_body, b), 0);
	const struct thread *t = thread_at(xinim_endpoint_pid(b->caller));
	for (int i = 0; i < 10000 && !__atomic_load_n(&t->sysv.id, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	assert_true(t->sysv.id != 0);
}

static long finish_blocked(struct blocked *b)
{
	pthread_join(b->thread, NULL);
	return b->result;
}

#define BLOCKED(caller_, name, ...) \
	{ .caller = (caller_), .number = XINIM_SYSCALL_NUMBER_##name, .args = { __VA_ARGS__ } }

static long set_of(int nsems, const uint16_t *values)
{
	long id = CALL(semget, IPC_PRIVATE, (uint64_t)nsems, 0600);
	assert_true(id >= 0);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, SETALL, ADDR(values)), 0);
	return id;
}

static long semop_of(xinim_endpoint_t caller, long id, struct sembuf *ops, unsigned n)
{
	return AS(caller, semop, (uint64_t)id, ADDR(ops), n);
}

static void test_semget_finds_keys_and_checks_limits_and_permissions(void **state)
{
	(void)state;
	const int32_t key = 0x5e3a;
	long id = CALL(semget, key, 2, IPC_CREAT | 0600);
	assert_true(id >= 0);
	assert_int_equal(CALL(semget, key, 2, IPC_CREAT | 0600), id);
	assert_int_equal(CALL(semget, key, 1, 0), id);
	assert_int_equal(CALL(semget, key, 2, IPC_CREAT | IPC_EXCL | 0600), -EEXIST);
	assert_int_equal(CALL(semget, key, 3, 0), -EINVAL);		// more than it has
	assert_int_equal(CALL(semget, key + 1, 1, 0600), -ENOENT);
	assert_int_equal(CALL(semget, IPC_PRIVATE, SEM_PER_SET + 1, 0600), -EINVAL);
	assert_int_equal(CALL(semget, IPC_PRIVATE, 0, 0600), -EINVAL);
	xinim_endpoint_t user = managed(1000);
	assert_int_equal(AS(user, semget, key, 2, 0400), -EACCES);	// 0600, root's
	assert_int_equal(AS(user, semget, key, 2, 0), id);	// nothing asked, nothing checked
	struct linux_semid64_ds ds;
	assert_int_equal(AS(user, semctl, (uint64_t)id, 0, IPC_STAT, ADDR(&ds)), -EACCES);
	assert_int_equal(AS(user, semctl, (uint64_t)id, 0, IPC_RMID, 0), -EPERM);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_STAT, ADDR(&ds)), 0);
	assert_int_equal(ds.nsems, 2);
	assert_int_equal(ds.perm.mode & 0777, 0600);
	assert_int_equal(ds.perm.key, key);
	ds.perm.mode = 0666;
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_SET, ADDR(&ds)), 0);
	assert_int_equal(AS(user, semget, key, 2, 0600), id);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_RMID, 0), 0);
	assert_int_equal(CALL(semget, key, 2, 0), -ENOENT);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, GETVAL, 0), -EINVAL);
	AS(user, exit_group, 0);
}

static void test_semctl_stat_by_index_info_and_permissions(void **state)
{
	(void)state;
	long id = set_of(3, (const uint16_t[]){ 7, 8, 9 });
	unsigned index = (unsigned)(id % SEM_SETS);
	struct linux_semid64_ds ds;
	assert_int_equal(CALL(semctl, index, 0, SEM_STAT, ADDR(&ds)), id);
	assert_int_equal(ds.nsems, 3);
	assert_int_equal(CALL(semctl, index + 1, 0, SEM_STAT, ADDR(&ds)), -EINVAL);
	struct linux_seminfo info;
	assert_int_equal(CALL(semctl, 0, 0, SEM_INFO, ADDR(&info)), index);	// the highest
	assert_int_equal(info.semusz, 1);	// sets in use
	assert_int_equal(info.semaem, 3);	// semaphores in use
	assert_int_equal(CALL(semctl, 0, 0, IPC_INFO, ADDR(&info)), index);
	assert_int_equal(info.semmsl, SEM_PER_SET);
	assert_int_equal(info.semopm, SEM_OPS);
	assert_int_equal(info.semvmx, SEM_VMX);
	xinim_endpoint_t user = managed(1000);	// 0600, root's: neither read nor write
	uint16_t all[3] = { 1, 1, 1 };
	assert_int_equal(AS(user, semctl, (uint64_t)id, 0, GETVAL, 0), -EACCES);
	assert_int_equal(AS(user, semctl, (uint64_t)id, 0, SETVAL, 1), -EACCES);
	assert_int_equal(AS(user, semctl, (uint64_t)id, 0, SETALL, ADDR(all)), -EACCES);
	assert_int_equal(AS(user, semctl, index, 0, SEM_STAT, ADDR(&ds)), -EACCES);
	assert_int_equal(AS(user, semctl, index, 0, SEM_STAT_ANY, ADDR(&ds)), id);
	struct sembuf down[] = { { 0, -1, 0 } };
	assert_int_equal(semop_of(user, id, down, 1), -EACCES);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, SETVAL, (uint64_t)-1), -ERANGE);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, 99, 0), -EINVAL);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_RMID, 0), 0);
	AS(user, exit_group, 0);
}

// Linux's perform_atomic_semop: every operation, or none.
static void test_semop_applies_the_whole_array_or_nothing(void **state)
{
	(void)state;
	long id = set_of(3, (const uint16_t[]){ 1, 0, 0 });
	struct sembuf take_both[] = { { 0, -1, 0 }, { 1, -1, IPC_NOWAIT } };
	assert_int_equal(semop_of(who, id, take_both, 2), -EAGAIN);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, GETVAL, 0), 1);	// nothing done
	struct sembuf move[] = { { 0, -1, 0 }, { 1, 2, 0 }, { 1, -1, 0 } };
	assert_int_equal(semop_of(who, id, move, 3), 0);
	uint16_t all[3];
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, GETALL, ADDR(all)), 0);
	assert_int_equal(all[0], 0);
	assert_int_equal(all[1], 1);
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETPID, 0), xinim_endpoint_pid(who));
	struct sembuf too_much[] = { { 2, 1, 0 }, { 1, SEM_VMX, 0 } };
	assert_int_equal(semop_of(who, id, too_much, 2), -ERANGE);
	assert_int_equal(CALL(semctl, (uint64_t)id, 2, GETVAL, 0), 0);
	struct sembuf past[] = { { 3, 1, 0 } };
	assert_int_equal(semop_of(who, id, past, 1), -EFBIG);
	assert_int_equal(semop_of(who, id, past, 0), -EINVAL);
	assert_int_equal(semop_of(who, id, past, SEM_OPS + 1), -E2BIG);
	assert_int_equal(CALL(semop, (uint64_t)id, 8, 1), -EFAULT);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, SETVAL, SEM_VMX + 1), -ERANGE);
	assert_int_equal(CALL(semctl, (uint64_t)id, 3, SETVAL, 1), -EINVAL);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_RMID, 0), 0);
}

static void test_a_blocked_semop_is_answered_after_anothers_semop(void **state)
{
	(void)state;
	long id = set_of(2, (const uint16_t[]){ 0, 0 });
	xinim_endpoint_t waiter = fresh_endpoint();
	struct sembuf down[] = { { 1, -2, 0 } }, up[] = { { 1, 1, 0 } };
	struct blocked b = BLOCKED(waiter, semop, (uint64_t)id, ADDR(down), 1);
	start_blocked(&b);
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETNCNT, 0), 1);
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETZCNT, 0), 0);
	assert_int_equal(semop_of(who, id, up, 1), 0);	// 1: not enough yet
	assert_int_equal(thread_at(xinim_endpoint_pid(waiter))->sysv.id != 0, 1);
	assert_int_equal(semop_of(who, id, up, 1), 0);
	assert_int_equal(finish_blocked(&b), 0);
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETVAL, 0), 0);
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETPID, 0), xinim_endpoint_pid(waiter));
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETNCNT, 0), 0);
	// A wait for zero, answered by SETVAL.
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, SETVAL, 3), 0);
	struct sembuf zero[] = { { 0, 0, 0 } };
	struct blocked z = BLOCKED(waiter, semop, (uint64_t)id, ADDR(zero), 1);
	start_blocked(&z);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, GETZCNT, 0), 1);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, SETVAL, 0), 0);
	assert_int_equal(finish_blocked(&z), 0);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_RMID, 0), 0);
}

static void test_sem_undo_is_applied_at_the_processs_end(void **state)
{
	(void)state;
	long id = set_of(2, (const uint16_t[]){ 1, 5 });
	xinim_endpoint_t holder = fresh_endpoint();
	struct sembuf hold[] = { { 0, -1, SEM_UNDO }, { 1, 2, SEM_UNDO }, { 1, -1, 0 } };
	assert_int_equal(semop_of(holder, id, hold, 3), 0);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, GETVAL, 0), 0);
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETVAL, 0), 6);
	struct sembuf down[] = { { 0, -1, 0 } };
	struct blocked b = BLOCKED(who, semop, (uint64_t)id, ADDR(down), 1);
	start_blocked(&b);
	assert_int_equal(AS(holder, exit_group, 0), 0);
	assert_int_equal(finish_blocked(&b), 0);	// the undo released it
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETVAL, 0), 4);	// 6 - 2
	assert_int_equal(CALL(semctl, (uint64_t)id, 1, GETPID, 0), xinim_endpoint_pid(holder));
	for (unsigned i = 0; i < SEM_UNDOS; i++)
		assert_int_not_equal(kept.sysv.undos[i].owner, holder);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_RMID, 0), 0);
}

static void test_removing_a_set_answers_its_waiters_eidrm(void **state)
{
	(void)state;
	long id = set_of(1, (const uint16_t[]){ 0 });
	struct sembuf down[] = { { 0, -1, 0 } };
	struct blocked b = BLOCKED(fresh_endpoint(), semop, (uint64_t)id, ADDR(down), 1);
	start_blocked(&b);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_RMID, 0), 0);
	assert_int_equal(finish_blocked(&b), -EIDRM);
	assert_int_equal(semop_of(who, id, down, 1), -EINVAL);
}

static void test_semtimedop_times_out_with_eagain(void **state)
{
	(void)state;
	long id = set_of(1, (const uint16_t[]){ 0 });
	struct sembuf down[] = { { 0, -1, 0 } };
	struct timespec timeout = { .tv_nsec = 20 * 1000 * 1000 }, bad = { .tv_nsec = -1 };
	assert_int_equal(CALL(semtimedop, (uint64_t)id, ADDR(down), 1, ADDR(&bad)), -EINVAL);
	assert_int_equal(CALL(semtimedop, (uint64_t)id, ADDR(down), 1, ADDR(&timeout)), -EAGAIN);
	assert_int_equal(thread_at(xinim_endpoint_pid(who))->sysv.id, 0);
	assert_int_equal(thread_at(xinim_endpoint_pid(who))->sleeping.id, 0);
	assert_int_equal(CALL(semctl, (uint64_t)id, 0, IPC_RMID, 0), 0);
}

// Linux: semop and msgrcv interrupted by a handler fail with EINTR, even under SA_RESTART.
static void test_a_signal_handler_interrupts_semop_and_msgrcv_with_eintr(void **state)
{
	(void)state;
	xinim_endpoint_t sender = managed(0), waiter = managed(0);
	const struct kernel_sigaction act = { .handler = 0x4000, .flags = SA_RESTART };
	const int signals[] = { SIGUSR1, SIGUSR2 };	// each stays pending: no frame here
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(AS(waiter, rt_sigaction, signals[i], ADDR(&act), 0, 8), 0);
	long set = set_of(1, (const uint16_t[]){ 0 });
	long queue = CALL(msgget, IPC_PRIVATE, 0600);
	struct sembuf down[] = { { 0, -1, 0 } };
	struct { long type; char text[8]; } message;
	struct blocked calls[] = {
		BLOCKED(waiter, semop, (uint64_t)set, ADDR(down), 1),
		BLOCKED(waiter, msgrcv, (uint64_t)queue, ADDR(&message), 8, 0, 0),
	};
	for (unsigned i = 0; i < 2; i++) {
		start_blocked(&calls[i]);
		assert_int_equal(AS(sender, kill, xinim_endpoint_pid(waiter), signals[i]), 0);
		assert_int_equal(finish_blocked(&calls[i]), -EINTR);
		assert_int_equal(thread_at(xinim_endpoint_pid(waiter))->sysv.id, 0);
	}
	assert_int_equal(CALL(semctl, (uint64_t)set, 0, IPC_RMID, 0), 0);
	assert_int_equal(CALL(msgctl, (uint64_t)queue, IPC_RMID, 0), 0);
	AS(sender, exit_group, 0);
	AS(waiter, exit_group, 0);
}

struct message {
	long type;
	char text[200];
};

static long send_of(long queue, long type, const char *text, int flags)
{
	struct message m = { .type = type };
	strcpy(m.text, text);
	return CALL(msgsnd, (uint64_t)queue, ADDR(&m), strlen(text), (uint64_t)flags);
}

// A receive of type (flags, size): the text it got, "" for an error (in *result).
static const char *receive_of(long queue, long type, int flags, size_t size, long *result)
{
	static struct message m;
	memset(&m, 0, sizeof(m));
	*result = CALL(msgrcv, (uint64_t)queue, ADDR(&m), size, (uint64_t)type, (uint64_t)flags);
	return m.text;
}

static void test_msgrcv_selects_by_type(void **state)
{
	(void)state;
	long queue = CALL(msgget, IPC_PRIVATE, 0600), n;
	assert_true(queue >= 0);
	assert_int_equal(send_of(queue, 3, "c", 0), 0);
	assert_int_equal(send_of(queue, 1, "a", 0), 0);
	assert_int_equal(send_of(queue, 2, "b", 0), 0);
	assert_int_equal(send_of(queue, 1, "d", 0), 0);
	assert_int_equal(send_of(queue, 0, "x", 0), -EINVAL);	// mtype below 1
	assert_string_equal(receive_of(queue, 2, 0, 100, &n), "b");
	assert_int_equal(n, 1);
	assert_string_equal(receive_of(queue, -3, 0, 100, &n), "a");	// the lowest type, first
	assert_string_equal(receive_of(queue, 0, 0, 100, &n), "c");	// the oldest
	assert_string_equal(receive_of(queue, 5, IPC_NOWAIT, 100, &n), "");
	assert_int_equal(n, -ENOMSG);
	assert_string_equal(receive_of(queue, 1, MSG_EXCEPT | IPC_NOWAIT, 100, &n), "");
	assert_int_equal(n, -ENOMSG);
	assert_string_equal(receive_of(queue, 2, MSG_EXCEPT, 100, &n), "d");
	struct linux_msqid64_ds ds;
	assert_int_equal(CALL(msgctl, (uint64_t)queue, IPC_STAT, ADDR(&ds)), 0);
	assert_int_equal(ds.qnum, 0);
	assert_int_equal(ds.qbytes, MSG_QUEUE_BYTES);
	assert_int_equal(ds.lspid, xinim_endpoint_pid(who));
	assert_int_equal(ds.lrpid, xinim_endpoint_pid(who));
	assert_int_equal(CALL(msgctl, (uint64_t)queue, IPC_RMID, 0), 0);
	assert_int_equal(send_of(queue, 1, "a", 0), -EINVAL);
}

static void test_a_long_message_is_e2big_unless_msg_noerror(void **state)
{
	(void)state;
	long queue = CALL(msgget, IPC_PRIVATE, 0600), n;
	char text[161];
	for (unsigned i = 0; i < 160; i++)
		text[i] = (char)('a' + i % 26);
	text[160] = 0;
	assert_int_equal(send_of(queue, 7, text, 0), 0);	// two blocks of the pool
	assert_string_equal(receive_of(queue, 0, 0, 10, &n), "");
	assert_int_equal(n, -E2BIG);				// and it stays
	const char *got = receive_of(queue, 0, MSG_NOERROR, 150, &n);
	assert_int_equal(n, 150);
	assert_memory_equal(got, text, 150);
	assert_int_equal(strlen(got), 150);
	assert_string_equal(receive_of(queue, 0, IPC_NOWAIT, 10, &n), "");
	assert_int_equal(n, -ENOMSG);
	assert_int_equal(CALL(msgctl, (uint64_t)queue, IPC_RMID, 0), 0);
}

static void test_blocked_sends_and_receives_go_on_and_rmid_answers_eidrm(void **state)
{
	(void)state;
	long queue = CALL(msgget, IPC_PRIVATE, 0600), n;
	static struct { long type; char text[MSG_SIZE_MAX]; } big = { .type = 1 };
	for (int i = 0; i < 2; i++)
		assert_int_equal(CALL(msgsnd, (uint64_t)queue, ADDR(&big), MSG_SIZE_MAX, 0), 0);
	assert_int_equal(CALL(msgsnd, (uint64_t)queue, ADDR(&big), 1, IPC_NOWAIT), -EAGAIN);
	struct blocked send = BLOCKED(fresh_endpoint(), msgsnd, (uint64_t)queue, ADDR(&big), 1, 0);
	start_blocked(&send);
	static struct message got;
	assert_int_equal(CALL(msgrcv, (uint64_t)queue, ADDR(&got), 100, 0, MSG_NOERROR), 100);
	assert_int_equal(finish_blocked(&send), 0);
	struct linux_msqid64_ds ds;
	assert_int_equal(CALL(msgctl, (uint64_t)queue, IPC_STAT, ADDR(&ds)), 0);
	assert_int_equal(ds.qnum, 2);
	assert_int_equal(ds.cbytes, MSG_SIZE_MAX + 1);
	struct blocked receive = BLOCKED(fresh_endpoint(), msgrcv, (uint64_t)queue, ADDR(&got),
					 100, 9, 0);
	start_blocked(&receive);
	assert_int_equal(send_of(queue, 9, "nine", 0), 0);
	assert_int_equal(finish_blocked(&receive), 4);
	assert_string_equal(got.text, "nine");
	start_blocked(&receive);
	assert_int_equal(CALL(msgctl, (uint64_t)queue, IPC_RMID, 0), 0);
	assert_int_equal(finish_blocked(&receive), -EIDRM);
	for (unsigned b = 0; b < MSG_BLOCKS; b++)
		assert_int_equal(kept.sysv.block_next[b], 0);	// the pool is whole again
	(void)n;
}

static void test_msgctl_info_and_ipc_set(void **state)
{
	(void)state;
	long queue = CALL(msgget, 0x3a9, IPC_CREAT | 0644);
	assert_int_equal(send_of(queue, 1, "abc", 0), 0);
	struct linux_msginfo info;
	assert_true(CALL(msgctl, 0, MSG_INFO, ADDR(&info)) >= 0);
	assert_int_equal(info.msgpool, 1);	// queues in use
	assert_int_equal(info.msgmap, 1);	// messages
	assert_int_equal(info.msgtql, 3);	// bytes
	assert_true(CALL(msgctl, 0, IPC_INFO, ADDR(&info)) >= 0);
	assert_int_equal(info.msgmax, MSG_SIZE_MAX);
	assert_int_equal(info.msgmnb, MSG_QUEUE_BYTES);
	xinim_endpoint_t user = managed(1000);
	struct linux_msqid64_ds ds;
	struct message m = { .type = 1 };
	assert_int_equal(AS(user, msgctl, (uint64_t)queue, IPC_STAT, ADDR(&ds)), 0);	// 0644
	assert_int_equal(AS(user, msgsnd, (uint64_t)queue, ADDR(&m), 1, 0), -EACCES);
	assert_int_equal(AS(user, msgctl, (uint64_t)queue, IPC_SET, ADDR(&ds)), -EPERM);
	ds.perm.uid = 1000;
	ds.qbytes = 100;
	assert_int_equal(CALL(msgctl, (uint64_t)queue, IPC_SET, ADDR(&ds)), 0);
	ds.qbytes = MSG_QUEUE_BYTES + 1;	// above MSGMNB: privileged only
	assert_int_equal(AS(user, msgctl, (uint64_t)queue, IPC_SET, ADDR(&ds)), -EPERM);
	assert_int_equal(AS(user, msgctl, (uint64_t)queue, IPC_RMID, 0), 0);	// its owner now
	AS(user, exit_group, 0);
}

// A take-over keeps the sound sets and queues, and drops a set whose size does not check
// out and a queue whose list is broken, with their undo records, messages and blocks,
// and a thread record whose parked semop is past the limits.
static void test_a_takeover_drops_corrupt_records_and_keeps_the_rest(void **state)
{
	(void)state;
	long good = set_of(2, (const uint16_t[]){ 4, 5 }), bad = set_of(1, (const uint16_t[]){ 1 });
	struct sembuf hold[] = { { 0, -1, SEM_UNDO } };
	xinim_endpoint_t holder = fresh_endpoint();
	assert_int_equal(semop_of(holder, good, hold, 1), 0);
	assert_int_equal(semop_of(holder, bad, hold, 1), 0);
	long kept_queue = CALL(msgget, IPC_PRIVATE, 0600), broken = CALL(msgget, IPC_PRIVATE, 0600);
	assert_int_equal(send_of(kept_queue, 1, "kept", 0), 0);
	assert_int_equal(send_of(broken, 1, "lost", 0), 0);
	assert_int_equal(send_of(broken, 2, "lost too", 0), 0);
	kept.sysv.sets[bad % SEM_SETS].nsems = SEM_PER_SET + 1;
	struct msg_queue *q = &kept.sysv.queues[broken % MSG_QUEUES];
	kept.sysv.messages[q->first - 1].next = q->first;	// a loop
	struct thread *parked = &kept.threads[xinim_endpoint_pid(who)];
	assert_int_equal(parked->process, who);
	parked->sysv = (struct sysv_wait){ .id = 77, .kind = SYSV_SEMOP, .size = SEM_OPS + 1 };
	pm_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(parked->process, 0);	// a parked semop past SEMOPM: not PM's
	assert_non_null(strstr(host_debug_text(), "pm: dropped 3 System V records"));	// set,
						// its undo record, queue
	assert_int_equal(CALL(semctl, (uint64_t)bad, 0, GETVAL, 0), -EINVAL);
	assert_int_equal(CALL(semctl, (uint64_t)good, 1, GETVAL, 0), 5);
	long n;
	assert_int_equal(send_of(broken, 1, "x", 0), -EINVAL);
	assert_string_equal(receive_of(kept_queue, 0, 0, 100, &n), "kept");
	unsigned records = 0, blocks = 0;
	for (unsigned m = 0; m < MSG_RECORDS; m++)
		records += kept.sysv.messages[m].queue != 0;
	for (unsigned b = 0; b < MSG_BLOCKS; b++)
		blocks += kept.sysv.block_next[b] != 0;
	assert_int_equal(records + blocks, 0);	// the broken queue's freed too
	assert_int_equal(AS(holder, exit_group, 0), 0);	// the undo of the sound set
	assert_int_equal(CALL(semctl, (uint64_t)good, 0, GETVAL, 0), 4);
	assert_int_equal(CALL(semctl, (uint64_t)good, 0, IPC_RMID, 0), 0);
	assert_int_equal(CALL(msgctl, (uint64_t)kept_queue, IPC_RMID, 0), 0);
}

#define TEST(name) cmocka_unit_test_setup(name, fresh_process)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_semget_finds_keys_and_checks_limits_and_permissions),
		TEST(test_semctl_stat_by_index_info_and_permissions),
		TEST(test_semop_applies_the_whole_array_or_nothing),
		TEST(test_a_blocked_semop_is_answered_after_anothers_semop),
		TEST(test_sem_undo_is_applied_at_the_processs_end),
		TEST(test_removing_a_set_answers_its_waiters_eidrm),
		TEST(test_semtimedop_times_out_with_eagain),
		TEST(test_a_signal_handler_interrupts_semop_and_msgrcv_with_eintr),
		TEST(test_msgrcv_selects_by_type),
		TEST(test_a_long_message_is_e2big_unless_msg_noerror),
		TEST(test_blocked_sends_and_receives_go_on_and_rmid_answers_eidrm),
		TEST(test_msgctl_info_and_ipc_set),
		TEST(test_a_takeover_drops_corrupt_records_and_keeps_the_rest),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
