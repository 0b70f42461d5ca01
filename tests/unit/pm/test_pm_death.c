// A process the kernel ends (XINIM_PM_DEATH) is forgotten by VFS too: VFS serves in its
// thread; the test is PM, which runs its own handler of the kernel's notice, and the
// kernel delivering the process's system calls (host_ipc_kernel_call).
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <libipc/ipc.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/syscalls.h>
#include <xinim/ipc/vfs.h>
#include <pm/pm.h>
#include <vfs/vfs.h>
#include "../vfs/archive.h"
#include "harness.h"

#define CWD ((uint64_t)(int64_t)AT_FDCWD)

static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "motd", .mode = S_IFREG | 0644, .data = "hello\n" },
};
static struct proc vfs;

static int group_setup(void **state)
{
	return archive_vfs_serve(state, &vfs, members, sizeof(members) / sizeof(members[0]));
}

static long open_as(xinim_endpoint_t process, const char *path)
{
	return SYSCALL(vfs.endpoint, process, openat, CWD, ADDR(path), O_RDONLY, 0);
}

// PM's handler, given the kernel's notice as PM's server loop would pass it.
static long death_notice(xinim_endpoint_t who, uint16_t cause, uint16_t signal)
{
	struct xinim_pm_death d = { .who = who, .cause = cause, .signal = signal };
	struct ipc_request request = { .is_call = 1, .msg.header = {
		.source = XINIM_ENDPOINT_KERNEL, .type = XINIM_PM_DEATH, .length = sizeof(d) } };
	memcpy(request.msg.payload, &d, sizeof(d));
	struct xinim_msg reply = { 0 };
	return pm_death(&request, &reply);
}

static void test_vfs_forgets_the_files_of_a_process_the_kernel_killed(void **state)
{
	(void)state;
	xinim_endpoint_t who = fresh_endpoint();
	assert_int_equal(vfs_tell(XINIM_VFS_PROC_START, who, XINIM_ENDPOINT_NONE), 0);
	assert_int_equal(open_as(who, "/motd"), 3);
	assert_int_equal(death_notice(who, XINIM_DEATH_FAULT, 11), 0);
	assert_int_equal(SYSCALL(vfs.endpoint, who, close, 3), -EBADF);
	assert_int_equal(open_as(who, "/motd"), -EBADF);	// VFS no longer knows it
}

static void test_a_refused_notice_leaves_the_files_alone(void **state)
{
	(void)state;
	xinim_endpoint_t who = fresh_endpoint();
	assert_int_equal(vfs_tell(XINIM_VFS_PROC_START, who, XINIM_ENDPOINT_NONE), 0);
	assert_int_equal(open_as(who, "/motd"), 3);
	assert_int_equal(death_notice(who, XINIM_DEATH_FAULT, 0), -EINVAL);
	assert_int_equal(open_as(who, "/motd"), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vfs_forgets_the_files_of_a_process_the_kernel_killed),
		cmocka_unit_test(test_a_refused_notice_leaves_the_files_alone),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
