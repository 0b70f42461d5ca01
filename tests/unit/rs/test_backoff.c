// RS's back-off: a first death, or one long after a restart, restarts at once; deaths
// soon after a restart wait 1 ms, 2 ms, 4 ms... up to 1 s. And how a death is said.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <rs/rs.h>

// s dies at now (us), having been restarted at the time of the last restart.
static uint64_t dies(struct supervised *s, uint64_t now)
{
	uint64_t wait = rs_backoff(s, now);
	s->restarts++;
	s->started_us = now + wait;
	return wait;
}

static void test_deaths_soon_after_a_restart_wait_twice_as_long_up_to_the_maximum(void **state)
{
	(void)state;
	struct supervised s = { 0 };
	uint64_t now = 5000000;
	assert_int_equal(dies(&s, now), 0);	// the first death: at once
	uint64_t expected = RS_BACKOFF_MIN_US;
	for (int i = 0; i < 20; i++) {
		now = s.started_us + 10;	// dead again 10 us after the restart
		assert_int_equal(dies(&s, now), expected);
		expected = expected * 2 < RS_BACKOFF_MAX_US ? expected * 2 : RS_BACKOFF_MAX_US;
	}
	assert_int_equal(s.backoff_us, RS_BACKOFF_MAX_US);
	assert_int_equal(s.restarts, 21);
}

static void test_a_death_long_after_the_restart_is_restarted_at_once(void **state)
{
	(void)state;
	struct supervised s = { 0 };
	dies(&s, 1000);
	dies(&s, s.started_us + 1);
	dies(&s, s.started_us + 1);
	assert_int_equal(s.backoff_us, 4 * RS_BACKOFF_MIN_US);
	assert_int_equal(dies(&s, s.started_us + RS_STABLE_US), 0);	// stable: reset
	assert_int_equal(dies(&s, s.started_us + 1), RS_BACKOFF_MIN_US);
}

static void test_deaths_are_said_as_people_read_them(void **state)
{
	(void)state;
	char text[96];
	struct xinim_death fault = { .who = xinim_endpoint(2, 1), .cause = XINIM_DEATH_FAULT,
				     .signal = XINIM_SIGSEGV, .pc = 0x4011a0, .esr = 0x92000046 };
	rs_death_reason(&fault, text, sizeof(text));
	assert_string_equal(text, "SIGSEGV at pc 4011a0 addr 0 (esr 92000046)");
	struct xinim_death exited = { .who = xinim_endpoint(3, 1), .cause = XINIM_DEATH_ENDED,
				      .ender = xinim_endpoint(3, 1), .status = 3 };
	rs_death_reason(&exited, text, sizeof(text));
	assert_string_equal(text, "exit status 3");
	struct xinim_death ended = { .who = xinim_endpoint(4, 2), .cause = XINIM_DEATH_ENDED,
				     .ender = xinim_endpoint(7, 1) };
	rs_death_reason(&ended, text, sizeof(text));
	assert_string_equal(text, "ended by pid 7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deaths_soon_after_a_restart_wait_twice_as_long_up_to_the_maximum),
		cmocka_unit_test(test_a_death_long_after_the_restart_is_restarted_at_once),
		cmocka_unit_test(test_deaths_are_said_as_people_read_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
