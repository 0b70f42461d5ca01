// A restarted PM's take-over (pm_state_take): a kept state built by PM's handlers, then
// corrupted; a record that does not check out is dropped (its process gets Linux's
// defaults again), the rest is kept and serves on.
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <cmocka.h>
#include <libipc/host.h>
#include <libipc/host_kcalls.h>
#include <xinim/ipc/kcall.h>
#include <xinim/ipc/syscalls.h>
#include <pm/pm.h>
#include "harness.h"

#define SIGSET_SIZE 8
#define BIT(sig) (UINT64_C(1) << ((sig) - 1))
#define PROCESSES 3

static struct proc pm;
static struct pm_state kept;	// the kept memory the tests corrupt
// Each set a SIGUSR1 handler, blocked SIGUSR2 and lowered its soft RLIMIT_NOFILE.
static xinim_endpoint_t procs[PROCESSES];
static const struct kernel_sigaction usr1 = { .handler = 0x4000, .mask = BIT(SIGINT) };
static const struct limit nofile = { 64, 128 };

static struct process *record(xinim_endpoint_t process)
{
	return &kept.processes[xinim_endpoint_pid(process)];
}

static int group_setup(void **state)
{
	*state = &pm;
	host_kcalls_reset();
	return server_setup(&pm, XINIM_PID_PM, &pm_table);
}

// Each test starts from a state of PM's own making, in kept memory of the test's.
static int build_state(void **state)
{
	(void)state;
	memset(&kept, 0, sizeof(kept));
	pm_state_take(&kept, KEEP_FRESH);
	uint64_t block = BIT(SIGUSR2);
	for (unsigned i = 0; i < PROCESSES; i++) {
		xinim_endpoint_t p = procs[i] = fresh_endpoint();
		if (SYSCALL(pm.endpoint, p, rt_sigaction, SIGUSR1, ADDR(&usr1), 0, SIGSET_SIZE) ||
		    SYSCALL(pm.endpoint, p, rt_sigprocmask, SIG_BLOCK, ADDR(&block), 0,
			    SIGSET_SIZE) ||
		    SYSCALL(pm.endpoint, p, prlimit64, 0, RLIMIT_NOFILE, ADDR(&nofile), 0))
			return -1;
	}
	return 0;
}

// process's record as the handlers left it, and served from.
static void assert_kept(xinim_endpoint_t process)
{
	assert_int_equal(record(process)->self, process);
	struct kernel_sigaction act;
	uint64_t blocked;
	struct limit limit;
	assert_int_equal(SYSCALL(pm.endpoint, process, rt_sigaction, SIGUSR1, 0, ADDR(&act),
				 SIGSET_SIZE), 0);
	assert_memory_equal(&act, &usr1, sizeof(act));
	assert_int_equal(SYSCALL(pm.endpoint, process, rt_sigprocmask, SIG_BLOCK, 0,
				 ADDR(&blocked), SIGSET_SIZE), 0);
	assert_int_equal(blocked, BIT(SIGUSR2));
	assert_int_equal(SYSCALL(pm.endpoint, process, prlimit64, 0, RLIMIT_NOFILE, 0,
				 ADDR(&limit)), 0);
	assert_memory_equal(&limit, &nofile, sizeof(limit));
}

// process's record dropped: it starts again from Linux's defaults.
static void assert_dropped(xinim_endpoint_t process)
{
	assert_int_equal(record(process)->self, 0);
	assert_false(record(process)->managed);
	struct kernel_sigaction act;
	const struct kernel_sigaction unset = { 0 };
	assert_int_equal(SYSCALL(pm.endpoint, process, rt_sigaction, SIGUSR1, 0, ADDR(&act),
				 SIGSET_SIZE), 0);
	assert_memory_equal(&act, &unset, sizeof(act));
	struct limit limit;
	assert_int_equal(SYSCALL(pm.endpoint, process, prlimit64, 0, RLIMIT_NOFILE, 0,
				 ADDR(&limit)), 0);
	assert_int_equal(limit.cur, 128);
}

static void test_a_sound_state_is_taken_over_whole(void **state)
{
	(void)state;
	struct process *managed = record(procs[2]);
	managed->managed = true;	// as process_spawn leaves it
	managed->parent = procs[0];
	strcpy(managed->name, "hello");
	struct pm_state before = kept;
	pm_state_take(&kept, KEEP_INHERITED);
	assert_memory_equal(&kept, &before, sizeof(kept));
	assert_int_equal(process_count(), 1);
	assert_int_equal(SYSCALL(pm.endpoint, procs[2], getppid, 0),
			 xinim_endpoint_pid(procs[0]));
	for (unsigned i = 0; i < PROCESSES; i++)
		assert_kept(procs[i]);
}

static void test_a_record_kept_at_another_pids_index_is_dropped(void **state)
{
	(void)state;
	record(procs[0])->self = xinim_endpoint(xinim_endpoint_pid(procs[0]) + 100, 1);
	record(procs[1])->self = XINIM_ENDPOINT_NONE;
	pm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(procs[0]);
	assert_dropped(procs[1]);
	assert_kept(procs[2]);
}

static void test_a_free_record_with_leftovers_is_made_free(void **state)
{
	(void)state;
	unsigned pid = xinim_endpoint_pid(fresh_endpoint());
	kept.processes[pid].managed = true;	// no instance: counted, never served
	pm_state_take(&kept, KEEP_INHERITED);
	assert_false(kept.processes[pid].managed);
	assert_int_equal(process_count(), 0);
	assert_kept(procs[0]);
}

static void test_a_name_that_is_no_string_drops_its_record(void **state)
{
	(void)state;
	struct process *p = record(procs[1]);
	p->managed = true;
	memset(p->name, 'x', sizeof(p->name));	// printed at its end: read past the record
	pm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(procs[1]);
	assert_int_equal(process_count(), 0);
	assert_kept(procs[0]);
}

static void test_a_parent_of_no_pid_drops_its_record(void **state)
{
	(void)state;
	record(procs[0])->parent = 0;
	record(procs[1])->parent = xinim_endpoint(XINIM_PROCS_MAX, 1);
	pm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(procs[0]);
	assert_dropped(procs[1]);
	assert_kept(procs[2]);
}

static void test_a_soft_limit_above_its_hard_one_drops_its_record(void **state)
{
	(void)state;
	record(procs[2])->limits[RLIMIT_STACK] = (struct limit){ 2, 1 };
	pm_state_take(&kept, KEEP_INHERITED);
	assert_dropped(procs[2]);
	assert_kept(procs[0]);
	assert_kept(procs[1]);
}

static void test_signals_no_call_leaves_so_drop_their_record(void **state)
{
	(void)state;
	thread_at(xinim_endpoint_pid(procs[0]))->blocked |= BIT(SIGKILL);	// its only thread
	record(procs[1])->actions[SIGSTOP - 1].handler = 0x4000;
	record(procs[2])->actions[SIGUSR1 - 1].mask |= BIT(SIGSTOP);
	pm_state_take(&kept, KEEP_INHERITED);
	assert_null(thread_at(xinim_endpoint_pid(procs[0]))->process);	// the thread's record
	uint64_t blocked;
	assert_int_equal(SYSCALL(pm.endpoint, procs[0], rt_sigprocmask, SIG_BLOCK, 0,
				 ADDR(&blocked), SIGSET_SIZE), 0);
	assert_int_equal(blocked, 0);	// served from a fresh one
	assert_dropped(procs[1]);
	assert_dropped(procs[2]);
}

static void test_credentials_no_call_leaves_drop_their_record(void **state)
{
	(void)state;
	record(procs[0])->creds.user.saved = UINT32_MAX;	// (uid_t)-1 is never an id
	record(procs[1])->creds.groups_count = XINIM_GROUPS_MAX + 1;
	pm_state_take(&kept, KEEP_INHERITED);
	for (unsigned i = 0; i < 2; i++)
		assert_dropped(procs[i]);
}

// An end of init names init, and says why in a string: else it is forgotten, and the
// take-over ends nobody (KCALL_PROC_END) on its word.
static void test_an_end_of_init_that_does_not_check_out_is_forgotten(void **state)
{
	(void)state;
	struct host_proc_call calls[64];
	unsigned before = host_proc_calls(calls, 64);
	kept.init.ending = procs[0];	// not PID 1
	strcpy(kept.init.ended, "init exited with status 0");
	pm_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(kept.init.ended[0], '\0');
	kept.init.ending = xinim_endpoint(XINIM_PID_INIT, 1);
	memset(kept.init.ended, 'x', sizeof(kept.init.ended));	// no NUL
	pm_state_take(&kept, KEEP_INHERITED);
	assert_int_equal(kept.init.ended[0], '\0');
	assert_int_equal(host_proc_calls(calls, 64), before);
	assert_kept(procs[0]);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup(name, build_state)
	const struct CMUnitTest tests[] = {
		TEST(test_a_sound_state_is_taken_over_whole),
		TEST(test_a_record_kept_at_another_pids_index_is_dropped),
		TEST(test_a_free_record_with_leftovers_is_made_free),
		TEST(test_a_name_that_is_no_string_drops_its_record),
		TEST(test_a_parent_of_no_pid_drops_its_record),
		TEST(test_a_soft_limit_above_its_hard_one_drops_its_record),
		TEST(test_signals_no_call_leaves_so_drop_their_record),
		TEST(test_credentials_no_call_leaves_drop_their_record),
		TEST(test_an_end_of_init_that_does_not_check_out_is_forgotten),
	};
	return cmocka_run_group_tests(tests, group_setup, server_group_teardown);
}
