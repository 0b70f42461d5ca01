// PM's process tree (servers/pm/tree.c, groups.c), hosted: PM's handlers run in the
// test's thread, which is PM to the real VFS and MM serving in theirs; the system calls
// come as the kernel sends them. No caller is blocked in the handlers' calls, so wait4
// is given no status pointer (a copy to it would fault); the status is the zombie's. fork's copies (fd table, space), zombies and wait4's
// matching, a parked wait answered at the child's end, orphans to init, and process
// groups and sessions.
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <libipc/ipc.h>
#include <xinim/ipc/mm.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/ipc/vfs.h>
#include <mm/mm.h>
#include <pm/pm.h>
#include <vfs/vfs.h>
#include "../vfs/archive.h"
#include "harness.h"

static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "motd", .mode = S_IFREG | 0644, .data = "hello\n" },
};
static struct proc vfs, mm;
static uint64_t next_id = 1;

static int group_setup(void **state)
{
	(void)state;
	host_kcalls_reset();
	if (archive_vfs_load(members, sizeof(members) / sizeof(members[0])) ||
	    server_setup(&mm, XINIM_PID_MM, &mm_table))
		return -1;
	host_ipc_grant(XINIM_PID_PM, XINIM_PID_VFS, 0);
	proc_start(&vfs, XINIM_PID_VFS, serve_table, (void *)&vfs_table);
	host_ipc_register(XINIM_PID_PM);	// the test's thread runs PM's handlers
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	host_ipc_exit();
	server_stop(&vfs);
	server_stop(&mm);
	return 0;
}

// PM's handler for caller's system call, as PM's loop passes it; the reply in *reply.
static long pm_call(ipc_handler *handler, xinim_endpoint_t caller, unsigned number,
		    const uint64_t args[6], struct xinim_msg *reply)
{
	struct ipc_request request = { .is_call = 1, .msg = syscall_message(caller, number, args) };
	request.msg.header.source = XINIM_ENDPOINT_KERNEL;
	request.msg.header.id = next_id++;
	*reply = (struct xinim_msg){ .header.id = request.msg.header.id };
	return handler(&request, reply);
}
#define PM(handler, caller, name, ...) \
	pm_call(handler, caller, XINIM_SYSCALL_NUMBER_##name, (const uint64_t[6]){ __VA_ARGS__ }, &reply)

// A process PM made: its record, its fd table in VFS (0-2 on the console) and an empty
// space in MM; pid 1 for init.
static xinim_endpoint_t made(unsigned pid, xinim_endpoint_t parent)
{
	xinim_endpoint_t self = pid ? xinim_endpoint(pid, 7) : fresh_endpoint();
	struct process *p = process_at(xinim_endpoint_pid(self));
	*p = (struct process){ .self = self, .parent = parent, .managed = true,
			       .pgid = xinim_endpoint_pid(self), .sid = xinim_endpoint_pid(self) };
	strcpy(p->name, "parent");
	thread_start(self, xinim_endpoint_pid(self), NULL);
	assert_int_equal(vfs_tell(XINIM_VFS_PROC_START, self, XINIM_ENDPOINT_NONE), 0);
	struct xinim_mm_exec begin = { .target = self };
	struct xinim_msg msg = { .header = { .type = XINIM_MM_EXEC_BEGIN, .length = sizeof(begin) } };
	memcpy(msg.payload, &begin, sizeof(begin));
	assert_int_equal(ipc_call(mm.endpoint, &msg, CALL_TIMEOUT_US), 0);
	return self;
}

// parent forks: the child's endpoint (the fork reply's).
static xinim_endpoint_t forked(xinim_endpoint_t parent)
{
	struct xinim_msg reply;
	assert_int_equal(PM(pm_clone, parent, clone, SIGCHLD), 0);
	struct xinim_syscall_fork_reply answer;
	assert_int_equal(reply.header.length, sizeof(answer));
	memcpy(&answer, reply.payload, sizeof(answer));
	assert_int_equal(answer.value, xinim_endpoint_pid(answer.child));
	return answer.child;
}

static void exits(xinim_endpoint_t who, int status)
{
	struct xinim_msg reply;
	assert_int_equal(PM(pm_exit, who, exit_group, (uint64_t)status), 0);
}

static void test_a_child_is_a_copy_of_its_parent(void **state)
{
	(void)state;
	xinim_endpoint_t parent = made(0, XINIM_ENDPOINT_NONE);
	int fd = (int)SYSCALL(vfs.endpoint, parent, openat, (uint64_t)AT_FDCWD, ADDR("/motd"),
			      O_RDONLY, 0);
	assert_int_equal(fd, 3);
	long at = SYSCALL(mm.endpoint, parent, mmap, 0, 4 * MM_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0);
	assert_true(at > 0);
	xinim_endpoint_t child = forked(parent);
	const struct process *c = process_of(child), *p = process_of(parent);
	assert_non_null(c);
	assert_int_equal(c->parent, parent);
	assert_int_equal(c->pgid, p->pgid);
	assert_int_equal(c->sid, p->sid);
	assert_false(c->zombie);
	char byte;
	assert_int_equal(SYSCALL(vfs.endpoint, child, read, 3, ADDR(&byte), 1), 1);	// its fd 3
	assert_non_null(space_of(child));
	assert_non_null(regions_find(mm_pool, &space_of(child)->regions, (uint64_t)at));
	struct xinim_msg reply;
	assert_int_equal(PM(pm_clone, parent, clone, SIGCHLD | 0x100 /* CLONE_VM */), -ENOSYS);
	exits(child, 0);
}

static void test_wait4_reaps_a_zombie_with_linux_status(void **state)
{
	(void)state;
	struct xinim_msg reply;
	xinim_endpoint_t parent = made(0, XINIM_ENDPOINT_NONE);
	xinim_endpoint_t child = forked(parent), other = forked(parent);
	assert_int_equal(PM(pm_wait4, parent, wait4, (uint64_t)-1, 0, WNOHANG, 0), 0);
	exits(child, 300);
	int status = process_of(child)->status;
	assert_true(process_of(child)->zombie);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 44);
	assert_int_equal(PM(pm_wait4, parent, wait4, xinim_endpoint_pid(other), 0, WNOHANG, 0),
			 0);	// not the one that ended
	assert_int_equal(PM(pm_wait4, parent, wait4, (uint64_t)-1, 0, 0, 0),
			 xinim_endpoint_pid(child));
	assert_null(process_of(child));	// reaped: its record free
	assert_int_equal(PM(pm_wait4, parent, wait4, (uint64_t)-1, 0, 0x1000, 0), -EINVAL);
	assert_int_equal(PM(pm_wait4, other, wait4, (uint64_t)-1, 0, 0, 0), -ECHILD);
	exits(other, 0);
	assert_int_equal(PM(pm_wait4, parent, wait4, (uint64_t)-1, 0, 0, 0),
			 xinim_endpoint_pid(other));
	assert_int_equal(PM(pm_wait4, parent, wait4, (uint64_t)-1, 0, WNOHANG, 0), -ECHILD);
}

// A wait with nothing to reap is parked in the waiter's record, and answered when a
// child it waits for ends (its status copied out, the record freed).
static void test_a_parked_wait_is_answered_at_the_childs_end(void **state)
{
	(void)state;
	struct xinim_msg reply;
	xinim_endpoint_t parent = made(0, XINIM_ENDPOINT_NONE);
	xinim_endpoint_t child = forked(parent), other = forked(parent);
	assert_int_equal(PM(pm_wait4, parent, wait4, xinim_endpoint_pid(child), 0, 0, 0),
			 IPC_DEFERRED);
	assert_int_equal(thread_at(xinim_endpoint_pid(parent))->waiting.pid, (int32_t)xinim_endpoint_pid(child));
	exits(other, 1);	// not the one it waits for: still parked
	assert_true(thread_at(xinim_endpoint_pid(parent))->waiting.id != 0);
	exits(child, 9);
	assert_int_equal(thread_at(xinim_endpoint_pid(parent))->waiting.id, 0);	// answered
	assert_null(process_of(child));				// and reaped
	assert_true(process_of(other)->zombie);	// still its parent's to reap
}

static void test_orphans_go_to_init(void **state)
{
	(void)state;
	struct xinim_msg reply;
	xinim_endpoint_t init = made(XINIM_PID_INIT, XINIM_ENDPOINT_NONE);
	xinim_endpoint_t parent = forked(init);
	xinim_endpoint_t child = forked(parent), zombie = forked(parent);
	exits(zombie, 3);
	exits(parent, 0);
	assert_int_equal(process_of(child)->parent, init);
	assert_int_equal(process_of(zombie)->parent, init);
	assert_int_equal(WEXITSTATUS(process_of(zombie)->status), 3);
	assert_int_equal(PM(pm_wait4, init, wait4, xinim_endpoint_pid(zombie), 0, 0, 0),
			 xinim_endpoint_pid(zombie));
	assert_int_equal(PM(pm_getppid, child, getppid, 0), XINIM_PID_INIT);
	exits(child, 0);
	assert_int_equal(PM(pm_wait4, init, wait4, (uint64_t)-1, 0, 0, 0), xinim_endpoint_pid(parent));
	assert_int_equal(PM(pm_wait4, init, wait4, (uint64_t)-1, 0, 0, 0), xinim_endpoint_pid(child));
	*process_at(XINIM_PID_INIT) = (struct process){ 0 };
}

static void test_groups_and_sessions_follow_posix(void **state)
{
	(void)state;
	struct xinim_msg reply;
	xinim_endpoint_t leader = made(0, XINIM_ENDPOINT_NONE);
	unsigned lpid = xinim_endpoint_pid(leader);
	xinim_endpoint_t a = forked(leader), b = forked(leader);
	unsigned apid = xinim_endpoint_pid(a), bpid = xinim_endpoint_pid(b);
	assert_int_equal(PM(pm_setsid, leader, setsid, 0), -EPERM);	// leads its group
	assert_int_equal(PM(pm_setpgid, leader, setpgid, apid, 0), 0);	// a's own group
	assert_int_equal(PM(pm_getpgid, b, getpgid, apid), apid);
	assert_int_equal(PM(pm_setpgid, b, setpgid, 0, apid), 0);	// b joins it
	assert_int_equal(PM(pm_setpgid, b, setpgid, 0, 999), -EPERM);	// no such group
	assert_int_equal(PM(pm_setpgid, a, setpgid, bpid, 0), -ESRCH);	// not a's child
	assert_int_equal(PM(pm_setpgid, b, setpgid, 0, (uint64_t)-1), -EINVAL);
	process_change(process_at(apid));
	process_at(apid)->execed = 1;
	assert_int_equal(PM(pm_setpgid, leader, setpgid, apid, lpid), -EACCES);	// after execve
	assert_int_equal(PM(pm_setsid, a, setsid, 0), -EPERM);	// its PID names a group
	xinim_endpoint_t c = forked(leader);
	unsigned cpid = xinim_endpoint_pid(c);
	assert_int_equal(PM(pm_setsid, c, setsid, 0), cpid);
	assert_int_equal(PM(pm_getsid, c, getsid, 0), cpid);
	assert_int_equal(PM(pm_getpgid, c, getpgid, 0), cpid);
	assert_int_equal(PM(pm_setpgid, leader, setpgid, cpid, lpid), -EPERM);	// another session
	assert_int_equal(PM(pm_getsid, a, getsid, 0), lpid);
	assert_int_equal(PM(pm_getpgid, a, getpgid, 99999), -ESRCH);
	exits(b, 5);	// a wait for the group -apid takes b
	assert_int_equal(PM(pm_wait4, leader, wait4, (uint64_t)-(int64_t)apid, 0, 0, 0), bpid);
	exits(a, 0);
	exits(c, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_child_is_a_copy_of_its_parent),
		cmocka_unit_test(test_wait4_reaps_a_zombie_with_linux_status),
		cmocka_unit_test(test_a_parked_wait_is_answered_at_the_childs_end),
		cmocka_unit_test(test_orphans_go_to_init),
		cmocka_unit_test(test_groups_and_sessions_follow_posix),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
