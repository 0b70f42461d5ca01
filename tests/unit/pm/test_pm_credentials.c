// Credentials, limits, CPU time and the privileged reboot and syslog in PM
// (servers/pm/credentials.c, limits.c, usage.c, reboot.c, syslog.c), hosted: PM, VFS
// and MM serve in their threads, the test is the kernel delivering processes' system
// calls. Processes are made by writing PM's records and VFS's and MM's tables directly
// (no exec), then fork through PM.
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <libipc/ipc.h>
#include <xinim/ipc/pm.h>
#include <xinim/ipc/syscalls.h>
#include <mm/mm.h>
#include <pm/pm.h>
#include <vfs/vfs.h>
#include "../vfs/archive.h"
#include "harness.h"

static const struct archive_member members[] = {
	{ .path = ".", .mode = S_IFDIR | 0755 },
	{ .path = "motd", .mode = S_IFREG | 0644, .data = "hello\n" },
};
static struct proc pm, vfs, mm;

#define CALL(who, name, ...) SYSCALL(pm.endpoint, who, name, __VA_ARGS__)
#define NONE ((uint64_t)-1)	// (uid_t)-1: "unchanged"

static int group_setup(void **state)
{
	(void)state;
	host_kcalls_reset();
	if (archive_vfs_load(members, sizeof(members) / sizeof(members[0])) ||
	    server_setup(&mm, XINIM_PID_MM, &mm_table))
		return -1;
	host_ipc_grant(XINIM_PID_PM, XINIM_PID_VFS, 0);
	host_ipc_grant(CLIENT, XINIM_PID_VFS, 0);
	host_ipc_grant(CLIENT, XINIM_PID_PM, 0);
	proc_start(&vfs, XINIM_PID_VFS, serve_table, (void *)&vfs_table);
	proc_start(&pm, XINIM_PID_PM, serve_table, (void *)&pm_table);
	host_ipc_register(CLIENT);	// XINIM_PM_CREDENTIALS comes from the test's thread
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	host_ipc_exit();
	server_stop(&pm);
	server_stop(&vfs);
	server_stop(&mm);
	return 0;
}

// A process PM manages, root, with Linux's default limits: its record, its fd table
// (0-2 on the console) and an empty space.
static xinim_endpoint_t made(void)
{
	xinim_endpoint_t self = fresh_endpoint();
	struct process *p = process_at(xinim_endpoint_pid(self));
	*p = (struct process){ .self = self, .parent = XINIM_ENDPOINT_NONE, .managed = true,
			       .pgid = xinim_endpoint_pid(self), .sid = xinim_endpoint_pid(self) };
	for (unsigned r = 0; r < LIMITS; r++)
		p->limits[r] = (struct limit){ RLIM_INFINITY, RLIM_INFINITY };
	p->limits[RLIMIT_NOFILE] = (struct limit){ 128, 128 };
	strcpy(p->name, "test");
	thread_start(self, xinim_endpoint_pid(self), NULL);
	assert_int_equal(fd_table_start(self, XINIM_ENDPOINT_NONE), 0);
	assert_non_null(space_claim(self));
	return self;
}

static void ids_are(xinim_endpoint_t who, int number, uint32_t real, uint32_t effective,
		    uint32_t saved)
{
	uint32_t got[3] = { 1, 1, 1 };
	assert_int_equal(kernel_syscall(pm.endpoint, who, (unsigned)number,
					(const uint64_t[6]){ ADDR(&got[0]), ADDR(&got[1]),
							     ADDR(&got[2]) }), 0);
	assert_int_equal(got[0], real);
	assert_int_equal(got[1], effective);
	assert_int_equal(got[2], saved);
}
#define UIDS(who, r, e, s) ids_are(who, XINIM_SYSCALL_NUMBER_getresuid, r, e, s)
#define GIDS(who, r, e, s) ids_are(who, XINIM_SYSCALL_NUMBER_getresgid, r, e, s)

static void test_setuid_as_root_sets_every_id_and_gives_up_privilege(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	assert_int_equal(CALL(p, setuid, NONE), -EINVAL);
	assert_int_equal(CALL(p, setuid, 1000), 0);
	UIDS(p, 1000, 1000, 1000);
	assert_int_equal(CALL(p, getuid, 0), 1000);
	assert_int_equal(CALL(p, geteuid, 0), 1000);
	assert_int_equal(CALL(p, setuid, 0), -EPERM);
	assert_int_equal(CALL(p, setuid, 1000), 0);	// its own id: allowed
	assert_int_equal(CALL(p, setgid, 5), -EPERM);	// CAP_SETGID went with euid 0
	assert_int_equal(CALL(p, getgid, 0), 0);
}

static void test_a_saved_uid_of_root_lets_privilege_come_back(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	assert_int_equal(CALL(p, setresuid, NONE, 1000, NONE), 0);	// seteuid(1000)
	UIDS(p, 0, 1000, 0);
	assert_int_equal(CALL(p, setuid, 2000), -EPERM);
	assert_int_equal(CALL(p, setuid, 0), 0);	// the real and saved id: euid only
	UIDS(p, 0, 0, 0);
	assert_int_equal(CALL(p, setreuid, 1000, 2000), 0);
	UIDS(p, 1000, 2000, 2000);	// a real id set: saved = new effective
	assert_int_equal(CALL(p, setreuid, 3000, NONE), -EPERM);
	assert_int_equal(CALL(p, setreuid, NONE, 3000), -EPERM);
	assert_int_equal(CALL(p, setreuid, 2000, 1000), 0);	// a swap is allowed
	UIDS(p, 2000, 1000, 1000);
	assert_int_equal(CALL(p, setresuid, 1000, 2000, 1000), 0);
	UIDS(p, 1000, 2000, 1000);
	assert_int_equal(CALL(p, setresuid, 0, NONE, NONE), -EPERM);
	UIDS(p, 1000, 2000, 1000);	// nothing changed
	assert_int_equal(CALL(p, getresuid, 0, 0, 0), -EFAULT);
}

static void test_setfsuid_answers_the_old_id_and_changes_it_only_when_allowed(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	assert_int_equal(CALL(p, setfsuid, 7), 0);	// root: anything
	assert_int_equal(CALL(p, setfsuid, NONE), 7);	// a query
	assert_int_equal(CALL(p, setresuid, 1000, 1000, 1000), 0);	// fsuid follows euid
	assert_int_equal(CALL(p, setfsuid, 7), 1000);	// not one of its ids: unchanged
	assert_int_equal(CALL(p, setfsuid, 1000), 1000);
	assert_int_equal(CALL(p, setfsgid, 3), 0);	// unprivileged, 3 is no gid of it
	assert_int_equal(CALL(p, setfsgid, NONE), 0);
}

static void test_group_ids_follow_the_same_rules(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	assert_int_equal(CALL(p, setresgid, 10, 20, 30), 0);
	GIDS(p, 10, 20, 30);
	assert_int_equal(CALL(p, getegid, 0), 20);
	assert_int_equal(CALL(p, setregid, 30, NONE), 0);
	GIDS(p, 30, 20, 20);
	assert_int_equal(CALL(p, setuid, 1000), 0);
	assert_int_equal(CALL(p, setgid, 10), -EPERM);
	assert_int_equal(CALL(p, setgid, 20), 0);	// its saved gid
	GIDS(p, 30, 20, 20);
	assert_int_equal(CALL(p, setregid, 20, 30), 0);
	GIDS(p, 20, 30, 30);
}

static void test_groups_are_sorted_counted_and_root_only(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	uint32_t set[3] = { 30, 10, 20 }, got[4] = { 0 };
	assert_int_equal(CALL(p, getgroups, 0, 0), 0);
	assert_int_equal(CALL(p, setgroups, 3, ADDR(set)), 0);
	assert_int_equal(CALL(p, getgroups, 0, 0), 3);
	assert_int_equal(CALL(p, getgroups, 2, ADDR(got)), -EINVAL);
	assert_int_equal(CALL(p, getgroups, (uint64_t)-1, ADDR(got)), -EINVAL);
	assert_int_equal(CALL(p, getgroups, 4, ADDR(got)), 3);
	assert_int_equal(got[0], 10);
	assert_int_equal(got[1], 20);
	assert_int_equal(got[2], 30);
	assert_int_equal(CALL(p, setgroups, XINIM_GROUPS_MAX + 1, ADDR(set)), -EINVAL);
	assert_int_equal(CALL(p, setgroups, 1, 0), -EFAULT);
	uint32_t invalid[2] = { 5, UINT32_MAX };
	assert_int_equal(CALL(p, setgroups, 2, ADDR(invalid)), -EINVAL);
	assert_int_equal(CALL(p, getgroups, 0, 0), 3);	// unchanged
	assert_int_equal(CALL(p, setuid, 1000), 0);
	assert_int_equal(CALL(p, setgroups, 0, 0), -EPERM);
}

static void test_pm_credentials_answers_the_real_and_effective_ids(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	assert_int_equal(CALL(p, setresgid, 4, 5, 6), 0);
	assert_int_equal(CALL(p, setresuid, 1, 2, 3), 0);
	struct xinim_pm_who asked = { p };
	struct xinim_msg msg = { .header = { .type = XINIM_PM_CREDENTIALS, .length = sizeof(asked) } };
	memcpy(msg.payload, &asked, sizeof(asked));
	assert_int_equal(ipc_call(pm.endpoint, &msg, CALL_TIMEOUT_US), 0);
	struct xinim_pm_credentials creds;
	memcpy(&creds, msg.payload, sizeof(creds));
	assert_int_equal(creds.uid, 1);
	assert_int_equal(creds.euid, 2);
	assert_int_equal(creds.gid, 4);
	assert_int_equal(creds.egid, 5);
}

static void test_kill_permission_follows_real_and_saved_ids(void **state)
{
	(void)state;
	struct process sender = { 0 }, target = { 0 };
	sender.creds.user = (struct ids){ 1000, 1000, 1000, 1000 };
	target.creds.user = (struct ids){ 2000, 2000, 2000, 2000 };
	assert_false(credentials_may_signal(&sender, &target));
	target.creds.user.saved = 1000;
	assert_true(credentials_may_signal(&sender, &target));
	target.creds.user = (struct ids){ 1000, 2000, 2000, 2000 };	// real
	assert_true(credentials_may_signal(&sender, &target));
	target.creds.user = (struct ids){ 2000, 1000, 2000, 1000 };	// only its effective
	assert_false(credentials_may_signal(&sender, &target));
	sender.creds.user.effective = 2000;	// the sender's effective matches its real
	assert_true(credentials_may_signal(&sender, &target));
	sender.creds.user = (struct ids){ 1000, 0, 1000, 0 };	// privileged
	target.creds.user = (struct ids){ 3, 3, 3, 3 };
	assert_true(credentials_may_signal(&sender, &target));
}

// fork of parent through PM, as the kernel delivers it: the fork reply's value (the
// child's PID), or -errno; *child gets the child's endpoint.
static long fork_of(xinim_endpoint_t parent, xinim_endpoint_t *child)
{
	struct xinim_msg msg = syscall_message(parent, XINIM_SYSCALL_NUMBER_clone,
					       (const uint64_t[6]){ SIGCHLD });
	long result = host_ipc_kernel_call(pm.endpoint, parent, &msg, CALL_TIMEOUT_US);
	if (result)
		return result;
	if (msg.header.length != sizeof(struct xinim_syscall_fork_reply)) {
		struct xinim_syscall_reply answer;
		memcpy(&answer, msg.payload, sizeof(answer));
		return answer.value;
	}
	struct xinim_syscall_fork_reply answer;
	memcpy(&answer, msg.payload, sizeof(answer));
	*child = answer.child;
	return answer.value;
}

static xinim_endpoint_t forked(xinim_endpoint_t parent)
{
	xinim_endpoint_t child = 0;
	assert_true(fork_of(parent, &child) > 0);
	const struct process *c = process_of(child);
	assert_non_null(c);
	assert_int_equal(c->parent, parent);
	return child;
}

static void test_fork_is_refused_at_the_real_uids_nproc_limit(void **state)
{
	(void)state;
	xinim_endpoint_t p = made(), none;
	struct rlimit two = { 2, 2 };
	assert_int_equal(CALL(p, setrlimit, RLIMIT_NPROC, ADDR(&two)), 0);
	xinim_endpoint_t root_child = forked(p);	// root: exempt
	assert_int_equal(CALL(p, setresuid, 4242, 4242, 4242), 0);
	xinim_endpoint_t child = forked(p);	// the only process of 4242 so far
	UIDS(child, 4242, 4242, 4242);		// inherited
	assert_int_equal(fork_of(p, &none), -EAGAIN);	// p and child: 2
	assert_int_equal(fork_of(child, &none), -EAGAIN);
	assert_int_equal(CALL(child, exit_group, 0), 0);	// a zombie counts still
	assert_int_equal(fork_of(p, &none), -EAGAIN);
	assert_int_equal(CALL(p, wait4, (uint64_t)xinim_endpoint_pid(child), 0, 0, 0),
			 xinim_endpoint_pid(child));
	xinim_endpoint_t again = forked(p);	// reaped: room for one
	assert_int_equal(CALL(again, exit_group, 0), 0);
	assert_int_equal(CALL(root_child, exit_group, 0), 0);
	assert_true(CALL(p, wait4, NONE, 0, 0, 0) > 0);
	assert_true(CALL(p, wait4, NONE, 0, 0, 0) > 0);
}

static void test_hard_limits_rise_only_with_privilege(void **state)
{
	(void)state;
	xinim_endpoint_t p = made(), other = made();
	struct rlimit low = { 64, 100 }, high = { 64, 200 }, got;
	assert_int_equal(CALL(p, prlimit64, 0, RLIMIT_NOFILE, ADDR(&low), 0), 0);
	assert_int_equal(CALL(p, prlimit64, 0, RLIMIT_NOFILE, ADDR(&high), 0), 0);	// root
	struct rlimit huge = { 64, 2 << 20 };
	assert_int_equal(CALL(p, prlimit64, 0, RLIMIT_NOFILE, ADDR(&huge), 0), -EPERM);
	assert_int_equal(CALL(p, setuid, 1000), 0);
	assert_int_equal(CALL(p, setrlimit, RLIMIT_NOFILE, ADDR(&low)), 0);	// lower: fine
	assert_int_equal(CALL(p, setrlimit, RLIMIT_NOFILE, ADDR(&high)), -EPERM);
	assert_int_equal(CALL(p, getrlimit, RLIMIT_NOFILE, ADDR(&got)), 0);
	assert_int_equal(got.rlim_max, 100);
	assert_int_equal(CALL(p, getrlimit, RLIM_NLIMITS, ADDR(&got)), -EINVAL);
	// Another user's process: neither seen nor changed; root's may.
	assert_int_equal(CALL(p, prlimit64, xinim_endpoint_pid(other), RLIMIT_NOFILE, 0,
			      ADDR(&got)), -EPERM);
	assert_int_equal(CALL(other, prlimit64, xinim_endpoint_pid(p), RLIMIT_NOFILE, ADDR(&high),
			      0), 0);
	assert_int_equal(CALL(p, getrlimit, RLIMIT_NOFILE, ADDR(&got)), 0);
	assert_int_equal(got.rlim_max, 200);
}

static void test_mm_is_told_rlimit_as_and_data_and_refuses_past_them(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	struct rlimit as = { 4 * MM_PAGE, 4 * MM_PAGE }, data = { 2 * MM_PAGE, 2 * MM_PAGE };
	assert_int_equal(CALL(p, setrlimit, RLIMIT_AS, ADDR(&as)), 0);
	assert_int_equal(CALL(p, setrlimit, RLIMIT_DATA, ADDR(&data)), 0);
	const uint64_t rw = PROT_READ | PROT_WRITE, anonymous = MAP_PRIVATE | MAP_ANONYMOUS;
	assert_int_equal(SYSCALL(mm.endpoint, p, mmap, 0, 3 * MM_PAGE, rw, anonymous, NONE, 0),
			 -ENOMEM);	// data
	assert_true(SYSCALL(mm.endpoint, p, mmap, 0, 3 * MM_PAGE, PROT_READ, anonymous, NONE, 0) > 0);
	assert_int_equal(SYSCALL(mm.endpoint, p, mmap, 0, 2 * MM_PAGE, PROT_READ, anonymous, NONE,
				 0), -ENOMEM);	// 5 pages in all
	xinim_endpoint_t child = forked(p);	// inherited
	assert_int_equal(SYSCALL(mm.endpoint, child, mmap, 0, 2 * MM_PAGE, PROT_READ, anonymous,
				 NONE, 0), -ENOMEM);
	assert_int_equal(CALL(child, exit_group, 0), 0);
	assert_true(CALL(p, wait4, NONE, 0, 0, 0) > 0);
}

static void test_vfs_is_told_the_credentials_and_refuses_fds_past_the_limit(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	uint32_t groups[2] = { 7, 3 };
	assert_int_equal(CALL(p, setgroups, 2, ADDR(groups)), 0);
	assert_int_equal(CALL(p, setresgid, 1, 2, 3), 0);
	struct rlimit four = { 4, 4 };
	assert_int_equal(CALL(p, setrlimit, RLIMIT_NOFILE, ADDR(&four)), 0);
	assert_int_equal(CALL(p, setresuid, 10, 20, 30), 0);
	assert_int_equal(fd_limit(p), 4);
	const struct process_creds *told = fd_creds(p);
	assert_non_null(told);
	assert_int_equal(told->uid, 10);
	assert_int_equal(told->euid, 20);
	assert_int_equal(told->fsuid, 20);
	assert_int_equal(told->gid, 1);
	assert_int_equal(told->egid, 2);
	assert_int_equal(told->fsgid, 2);
	assert_int_equal(told->groups_count, 2);
	assert_int_equal(told->groups[0], 3);
	assert_int_equal(told->groups[1], 7);
	int fd = (int)SYSCALL(vfs.endpoint, p, openat, (uint64_t)AT_FDCWD, ADDR("/motd"), O_RDONLY, 0);
	assert_int_equal(fd, 3);
	assert_int_equal(SYSCALL(vfs.endpoint, p, openat, (uint64_t)AT_FDCWD, ADDR("/motd"),
				 O_RDONLY, 0), -EMFILE);
	assert_int_equal(SYSCALL(vfs.endpoint, p, dup3, 3, 4, 0), -EBADF);
	assert_int_equal(SYSCALL(vfs.endpoint, p, fcntl, 3, F_DUPFD, 4), -EINVAL);
	// The child's table inherits it all.
	xinim_endpoint_t child = forked(p);
	assert_int_equal(fd_limit(child), 4);
	assert_int_equal(CALL(child, exit_group, 0), 0);
	assert_true(CALL(p, wait4, NONE, 0, 0, 0) > 0);
}

static void test_rusage_adds_reaped_childrens_times(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	xinim_endpoint_t child = forked(p);
	xinim_endpoint_t grandchild = forked(child);
	host_proc_times_set(grandchild, 1000000000, 0);
	assert_int_equal(CALL(grandchild, exit_group, 0), 0);
	assert_true(CALL(child, wait4, NONE, 0, 0, 0) > 0);
	host_proc_times_set(child, 2500000000, 500000000);
	host_proc_times_set(p, 250000000, 0);
	assert_int_equal(CALL(child, exit_group, 0), 0);
	struct rusage usage;
	assert_int_equal(CALL(p, wait4, NONE, 0, 0, ADDR(&usage)), xinim_endpoint_pid(child));
	assert_int_equal(usage.ru_utime.tv_sec, 3);	// its own and the grandchild's
	assert_int_equal(usage.ru_utime.tv_usec, 500000);
	assert_int_equal(usage.ru_stime.tv_usec, 500000);
	assert_int_equal(CALL(p, getrusage, (uint64_t)RUSAGE_CHILDREN, ADDR(&usage)), 0);
	assert_int_equal(usage.ru_utime.tv_sec, 3);
	assert_int_equal(CALL(p, getrusage, RUSAGE_SELF, ADDR(&usage)), 0);
	assert_int_equal(usage.ru_utime.tv_usec, 250000);
	xinim_endpoint_t later = forked(p);	// a new child has no children's time yet
	assert_int_equal(CALL(later, getrusage, (uint64_t)RUSAGE_CHILDREN, ADDR(&usage)), 0);
	assert_int_equal(usage.ru_utime.tv_sec, 0);
	assert_int_equal(usage.ru_utime.tv_usec, 0);
	assert_int_equal(CALL(later, exit_group, 0), 0);
	assert_int_equal(CALL(p, wait4, NONE, 0, 0, 0), xinim_endpoint_pid(later));
	assert_int_equal(CALL(p, getrusage, 5, ADDR(&usage)), -EINVAL);
	struct tms t;
	assert_true(CALL(p, times, ADDR(&t)) > 0);
	assert_int_equal(t.tms_utime, 25);
	assert_int_equal(t.tms_cutime, 350);
	assert_int_equal(t.tms_cstime, 50);
	struct timespec cpu, resolution;
	assert_int_equal(CALL(p, clock_gettime, CLOCK_PROCESS_CPUTIME_ID, ADDR(&cpu)), 0);
	assert_int_equal(cpu.tv_nsec, 250000000);
	// clock_getcpuclockid's ids: ~pid << 3 | CPUCLOCK_SCHED; the reaped child's is gone.
	clockid_t of_p = (clockid_t)(~(unsigned)xinim_endpoint_pid(p) << 3) | 2;
	clockid_t of_child = (clockid_t)(~(unsigned)xinim_endpoint_pid(child) << 3) | 2;
	assert_int_equal(CALL(p, clock_gettime, (uint64_t)of_child, ADDR(&cpu)), -EINVAL);
	assert_int_equal(CALL(child, clock_gettime, (uint64_t)of_p, ADDR(&cpu)), 0);
	assert_int_equal(cpu.tv_nsec, 250000000);
	assert_int_equal(CALL(p, clock_getres, CLOCK_THREAD_CPUTIME_ID, ADDR(&resolution)), 0);
	assert_int_equal(resolution.tv_nsec, 10000000);
	assert_int_equal(CALL(p, clock_getres, CLOCK_MONOTONIC, 0), 0);
}

static void test_affinity_is_kept_and_checked_as_linux(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	uint64_t mask = 0;
	assert_int_equal(CALL(p, sched_getaffinity, 0, 8, ADDR(&mask)), 8);
	assert_int_equal(mask, 0xf);
	assert_int_equal(CALL(p, sched_getaffinity, 0, 4, ADDR(&mask)), -EINVAL);
	assert_int_equal(CALL(p, sched_getaffinity, 0, 12, ADDR(&mask)), -EINVAL);
	uint64_t two = 0x2, none = 0x30;
	assert_int_equal(CALL(p, sched_setaffinity, 0, 8, ADDR(&none)), -EINVAL);
	assert_int_equal(CALL(p, sched_setaffinity, 0, 8, ADDR(&two)), 0);
	assert_int_equal(CALL(p, sched_getaffinity, 0, 8, ADDR(&mask)), 8);
	assert_int_equal(mask, 0x2);
	xinim_endpoint_t child = forked(p);	// inherits the CPUs in the kernel (boot_credentials)
	assert_int_equal(CALL(child, setuid, 1000), 0);
	assert_int_equal(CALL(child, sched_setaffinity, xinim_endpoint_pid(p), 8, ADDR(&two)),
			 -EPERM);
	assert_int_equal(CALL(p, sched_getaffinity, 9999, 8, ADDR(&mask)), -ESRCH);
	assert_int_equal(CALL(child, exit_group, 0), 0);
	assert_true(CALL(p, wait4, NONE, 0, 0, 0) > 0);
}

// The newest process call PM made (KCALL_POWER_OFF here); back 1: the one before it.
static struct host_proc_call proc_call_newest(unsigned back)
{
	struct host_proc_call calls[HOST_PROC_CALLS];
	unsigned made = host_proc_calls(calls, HOST_PROC_CALLS);
	assert_true(made > back);
	return calls[(made > HOST_PROC_CALLS ? HOST_PROC_CALLS : made) - 1 - back];
}

#define REBOOT(who, magic1, magic2, cmd) CALL(who, reboot, magic1, magic2, cmd)

static void test_reboot_checks_privilege_then_magic_then_command(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	assert_int_equal(REBOOT(p, 0xfee1dead, 672274793, 0xCDEF0123 + 1), -EINVAL);
	assert_int_equal(REBOOT(p, 0xfee1dead + 1, 672274793, 0x4321FEDC), -EINVAL);
	assert_int_equal(REBOOT(p, 0xfee1dead, 1, 0x4321FEDC), -EINVAL);
	unsigned before = host_proc_calls(NULL, 0);
	assert_int_equal(REBOOT(p, 0xfee1dead, 85072278, 0x89ABCDEF), 0);	// CAD_ON
	assert_int_equal(REBOOT(p, 0xfee1dead, 369367448, 0), 0);		// CAD_OFF
	assert_int_equal(host_proc_calls(NULL, 0), before);	// the machine left alone
	// POWER_OFF: the host has no PSCI, so PM halts, as Linux without a power-off handler.
	assert_int_equal(REBOOT(p, 0xfee1dead, 537993216, 0x4321FEDC), -EIO);
	assert_int_equal(proc_call_newest(1).number, KCALL_POWER_OFF);
	assert_int_equal(proc_call_newest(1).a, XINIM_POWER_OFF);
	assert_int_equal(proc_call_newest(0).a, XINIM_POWER_HALT);
	assert_non_null(strstr(host_debug_text(), "reboot: Power down\n"));
	assert_int_equal(REBOOT(p, 0xfee1dead, 672274793, 0x01234567), -EIO);	// RESTART
	assert_int_equal(proc_call_newest(1).a, XINIM_POWER_RESET);
	assert_int_equal(CALL(p, setuid, 1000), 0);
	before = host_proc_calls(NULL, 0);
	assert_int_equal(REBOOT(p, 0xfee1dead, 672274793, 0x4321FEDC), -EPERM);
	assert_int_equal(REBOOT(p, 0, 0, 0x4321FEDC), -EPERM);	// before the magic
	assert_int_equal(host_proc_calls(NULL, 0), before);
}

static void test_syslog_rights_come_before_arguments(void **state)
{
	(void)state;
	xinim_endpoint_t p = made();
	assert_int_equal(CALL(p, syslog, 3, 0, 10), -EINVAL);	// READ_ALL into NULL
	assert_int_equal(CALL(p, syslog, 11, 0, 0), -EINVAL);
	assert_int_equal(CALL(p, setuid, 1000), 0);
	assert_int_equal(CALL(p, syslog, 3, 0, 10), -EINVAL);	// READ_ALL: anyone's
	assert_int_equal(CALL(p, syslog, 3, 0, -1), -EINVAL);
	for (uint64_t action = 0; action <= 11; action++)
		if (action != 3 && action != 10)
			assert_int_equal(CALL(p, syslog, action, 0, 0), -EPERM);
	assert_int_equal(CALL(p, syslog, (uint64_t)-1, 0, 0), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setuid_as_root_sets_every_id_and_gives_up_privilege),
		cmocka_unit_test(test_a_saved_uid_of_root_lets_privilege_come_back),
		cmocka_unit_test(test_setfsuid_answers_the_old_id_and_changes_it_only_when_allowed),
		cmocka_unit_test(test_group_ids_follow_the_same_rules),
		cmocka_unit_test(test_groups_are_sorted_counted_and_root_only),
		cmocka_unit_test(test_pm_credentials_answers_the_real_and_effective_ids),
		cmocka_unit_test(test_kill_permission_follows_real_and_saved_ids),
		cmocka_unit_test(test_fork_is_refused_at_the_real_uids_nproc_limit),
		cmocka_unit_test(test_hard_limits_rise_only_with_privilege),
		cmocka_unit_test(test_vfs_is_told_the_credentials_and_refuses_fds_past_the_limit),
		cmocka_unit_test(test_mm_is_told_rlimit_as_and_data_and_refuses_past_them),
		cmocka_unit_test(test_rusage_adds_reaped_childrens_times),
		cmocka_unit_test(test_affinity_is_kept_and_checked_as_linux),
		cmocka_unit_test(test_reboot_checks_privilege_then_magic_then_command),
		cmocka_unit_test(test_syslog_rights_come_before_arguments),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
