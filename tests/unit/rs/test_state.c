// RS's kept records at take-over (docs/resurrection.md): a record RS could not have
// written is refused and started afresh; a sound one is kept, and set right against
// what the kernel says runs now (a server the last RS restarted without telling its
// record is adopted; one that died meanwhile is restarted). And rs status's view of a
// record.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <harness.h>
#include <libipc/host.h>
#include <rs/rs.h>

static struct supervised records[RS_RECORDS];

static void take_over(struct proc *p)
{
	(void)p;
	rs_state_take(records, KEEP_INHERITED);
}

// records taken over by an RS at PID 7, while a VFS instance lives at PID 2 if
// vfs_lives.
static xinim_endpoint_t taken_over(bool vfs_lives)
{
	struct proc vfs = { 0 }, rs = { 0 };
	assert_int_equal(harness_reset(), 0);
	for (unsigned i = 0; i < RS_SUPERVISED; i++)
		host_ipc_grant(XINIM_PID_RS, rs_names[i].pid, 0);	// as the boot table
	if (vfs_lives)
		proc_start(&vfs, XINIM_PID_VFS, wait_for_release, NULL);
	proc_start(&rs, XINIM_PID_RS, take_over, NULL);
	proc_join(&rs);
	if (vfs_lives) {
		sem_post(&release);
		proc_join(&vfs);
	}
	return vfs.endpoint;
}

static void test_records_rs_could_not_have_written_are_refused(void **state)
{
	(void)state;
	memset(records, 0, sizeof(records));
	records[RS_VFS] = (struct supervised){ .endpoint = XINIM_ENDPOINT_NONE, .restarts = 3,
					       .restart_at_us = 5, .backoff_us = 4000,
					       .death.who = xinim_endpoint(XINIM_PID_VFS, 3) };
	records[RS_PM] = (struct supervised){ .endpoint = xinim_endpoint(XINIM_PID_MM, 1),
					      .restarts = 9 };	// another PID's endpoint
	records[RS_MM] = (struct supervised){ .endpoint = XINIM_ENDPOINT_NONE, .restarts = 2,
					      .backoff_us = 10 * RS_BACKOFF_MAX_US };
	records[RS_SELF] = (struct supervised){ .restarts = 1, .ended_by = RS_ENDINGS };
	taken_over(false);
	assert_int_equal(records[RS_VFS].restarts, 3);	// sound: kept, its restart still due
	assert_int_equal(records[RS_VFS].restart_at_us, 5);
	assert_int_equal(records[RS_VFS].backoff_us, 4000);
	assert_int_equal(records[RS_PM].restarts, 0);	// refused: afresh
	assert_int_equal(records[RS_MM].restarts, 0);
	assert_int_equal(records[RS_MM].backoff_us, 0);
	assert_int_equal(records[RS_SELF].restarts, 0);
	assert_int_equal(records[RS_SELF].ended_by, RS_ENDS_NONE);
	for (unsigned i = RS_PM; i <= RS_MM; i++) {	// nothing runs there: restarted soon
		assert_int_equal(records[i].endpoint, XINIM_ENDPOINT_NONE);
		assert_true(records[i].restart_at_us != 0);
	}
}

static void test_a_server_the_last_rs_restarted_is_adopted(void **state)
{
	(void)state;
	memset(records, 0, sizeof(records));
	records[RS_VFS] = (struct supervised){ .endpoint = XINIM_ENDPOINT_NONE, .restarts = 1,
					       .restart_at_us = 100,
					       .death.who = xinim_endpoint(XINIM_PID_VFS, 1) };
	records[RS_PM] = (struct supervised){ .endpoint = xinim_endpoint(XINIM_PID_PM, 2),
					      .restarts = 1 };	// alive, says the record
	xinim_endpoint_t vfs = taken_over(true);
	assert_int_equal(records[RS_VFS].endpoint, vfs);
	assert_int_equal(records[RS_VFS].restarts, 2);
	assert_int_equal(records[RS_VFS].restart_at_us, 0);
	assert_int_equal(records[RS_VFS].death.who, xinim_endpoint(XINIM_PID_VFS, 1));
	assert_int_equal(records[RS_PM].endpoint, XINIM_ENDPOINT_NONE);	// gone meanwhile
	assert_true(records[RS_PM].restart_at_us != 0);
	assert_int_equal(records[RS_PM].restarts, 1);
}

static void take_fresh(struct proc *p)
{
	(void)p;
	rs_state_take(records, KEEP_FRESH);
}

// A boot without NET and its driver (their binaries not in the archive): RS, starting
// with VFS alive and nothing at NET's and DEV's PIDs, supervises VFS and never waits for,
// pings or lists the other two; an inherited record of one stays so.
static void test_a_server_the_boot_did_not_start_is_not_supervised(void **state)
{
	(void)state;
	struct proc vfs = { 0 }, rs = { 0 };
	memset(records, 0, sizeof(records));
	assert_int_equal(harness_reset(), 0);
	for (unsigned i = 0; i < RS_SUPERVISED; i++)
		host_ipc_grant(XINIM_PID_RS, rs_names[i].pid, 0);
	proc_start(&vfs, XINIM_PID_VFS, wait_for_release, NULL);
	proc_start(&rs, XINIM_PID_RS, take_fresh, NULL);
	proc_join(&rs);
	sem_post(&release);
	proc_join(&vfs);
	assert_true(rs_present(&records[RS_VFS]));
	assert_int_equal(records[RS_VFS].endpoint, vfs.endpoint);
	assert_false(rs_present(&records[RS_NET]));
	assert_false(rs_present(&records[RS_DEV]));
	assert_true(rs_present(&records[RS_SELF]));
	records[RS_DEV] = (struct supervised){ .endpoint = XINIM_ENDPOINT_NONE };
	taken_over(false);
	assert_false(rs_present(&records[RS_DEV]));	// nothing there, nothing to restart
}

static void test_status_says_what_rs_knows(void **state)
{
	(void)state;
	struct xinim_rs_status s;
	rs_records[RS_MM] = (struct supervised){
		.endpoint = xinim_endpoint(XINIM_PID_MM, 3), .restarts = 2, .started_us = 1000,
		.backoff_us = 2000, .ended_by = RS_ENDS_HUNG,
		.death = { .who = xinim_endpoint(XINIM_PID_MM, 2), .cause = XINIM_DEATH_ENDED,
			   .ender = xinim_endpoint(XINIM_PID_RS, 1) } };
	rs_status_of(&rs_records[RS_MM], 1500, &s);
	assert_string_equal(s.name, "mm");
	assert_int_equal(s.pid, XINIM_PID_MM);
	assert_int_equal(s.generation, 3);
	assert_int_equal(s.up, 1);
	assert_int_equal(s.restarts, 2);
	assert_int_equal(s.uptime_us, 500);
	assert_int_equal(s.backoff_us, 2000);	// a death now would wait
	assert_string_equal(s.last_death, "hung, ended by rs");
	rs_status_of(&rs_records[RS_MM], 1000 + RS_STABLE_US, &s);
	assert_int_equal(s.backoff_us, 0);	// stable: a death now restarts at once
	rs_records[RS_MM].ended_by = RS_ENDS_NONE;
	rs_records[RS_MM].restart_at_us = 7;	// dead, its restart due
	rs_status_of(&rs_records[RS_MM], 1500, &s);
	assert_int_equal(s.up, 0);
	assert_int_equal(s.generation, 0);
	assert_int_equal(s.uptime_us, 0);
	assert_string_equal(s.last_death, "ended by pid 7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_rs_could_not_have_written_are_refused),
		cmocka_unit_test(test_a_server_the_last_rs_restarted_is_adopted),
		cmocka_unit_test(test_a_server_the_boot_did_not_start_is_not_supervised),
		cmocka_unit_test(test_status_says_what_rs_knows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
