// The line discipline (servers/vfs/tty.c), fed byte by byte as the console's interrupt
// feeds it, with its echo and its reads checked as Linux's n_tty gives them.
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <termios.h>
#include <cmocka.h>
#include <vfs/tty.h>

static struct tty t;
static char echoed[4096];
static size_t echoed_length;
static uint32_t raised;

static void collect(void *context, const uint8_t *bytes, size_t n)
{
	(void)context;
	assert_true(echoed_length + n < sizeof(echoed));
	memcpy(echoed + echoed_length, bytes, n);
	echoed_length += n;
	echoed[echoed_length] = 0;
}

static const struct tty_sink sink = { collect, NULL };

static void drop(void *context, const uint8_t *bytes, size_t n)
{
	(void)context, (void)bytes, (void)n;
}

static const struct tty_sink sink_quiet = { drop, NULL };

static int setup(void **state)
{
	(void)state;
	tty_reset(&t);
	echoed_length = 0;
	echoed[0] = 0;
	raised = 0;
	return 0;
}

static void type(const char *keys)
{
	for (; *keys; keys++)
		tty_input(&t, (uint8_t)*keys, &sink, &raised);
}

// What a read of n bytes takes now ("" and 0 when it would take nothing).
static size_t take(char *to, size_t n)
{
	size_t used, got = tty_peek(&t, (uint8_t *)to, n, &used);
	tty_consume(&t, used);
	to[got] = 0;
	return got;
}

static bool due(size_t n)
{
	uint64_t deadline;
	return tty_read_due(&t, n, 0, 0, 10, &deadline);
}

static void raw(uint8_t vmin, uint8_t vtime)
{
	struct kernel_termios r = t.termios;
	r.lflag &= ~(uint32_t)(ICANON | ECHO | ISIG | IEXTEN);
	r.iflag &= ~(uint32_t)(ICRNL | IXON);
	r.cc[VMIN] = vmin, r.cc[VTIME] = vtime;
	tty_set_termios(&t, &r);
}

static void test_canonical_line_waits_for_newline(void **state)
{
	(void)state;
	char got[64];
	type("hello");
	assert_false(due(64));
	assert_int_equal(take(got, sizeof(got)), 0);
	type("\r");	// ICRNL
	assert_true(due(64));
	assert_int_equal(take(got, sizeof(got)), 6);
	assert_string_equal(got, "hello\n");
	assert_string_equal(echoed, "hello\r\n");	// ECHO, ONLCR
	assert_false(due(64));
}

static void test_canonical_read_gives_one_line_at_most(void **state)
{
	(void)state;
	char got[64];
	type("one\ntwo\n");
	assert_int_equal(take(got, sizeof(got)), 4);
	assert_string_equal(got, "one\n");
	assert_int_equal(take(got, 2), 2);	// the rest of a line stays for the next read
	assert_string_equal(got, "tw");
	assert_int_equal(take(got, sizeof(got)), 2);
	assert_string_equal(got, "o\n");
}

static void test_erase_and_backspace(void **state)
{
	(void)state;
	char got[64];
	type("abx\x7f" "c\bd\n");
	assert_int_equal(take(got, sizeof(got)), 4);
	assert_string_equal(got, "abd\n");
	assert_string_equal(echoed, "abx\b \bc\b \bd\r\n");	// ECHOE
}

static void test_erase_of_a_control_character_rubs_out_its_caret(void **state)
{
	(void)state;
	type("a\x01\x7f");
	assert_string_equal(echoed, "a^A\b \b\b \b");
}

static void test_erase_without_echoe_echoes_the_erase_character(void **state)
{
	(void)state;
	t.termios.lflag &= ~(uint32_t)ECHOE;
	type("ab\x7f");
	assert_string_equal(echoed, "ab^?");
}

static void test_erase_of_a_tab_goes_back_to_its_column(void **state)
{
	(void)state;
	type("ab\t\x7f");
	assert_string_equal(echoed, "ab\t\b\b\b\b\b\b");	// from column 8 back to 2
}

static void test_kill_erases_the_line(void **state)
{
	(void)state;
	char got[64];
	type("wrong\x15right\n");
	assert_int_equal(take(got, sizeof(got)), 6);
	assert_string_equal(got, "right\n");
	assert_string_equal(echoed, "wrong\b \b\b \b\b \b\b \b\b \bright\r\n");	// ECHOKE
}

static void test_kill_with_echok_only_echoes_a_newline(void **state)
{
	(void)state;
	t.termios.lflag &= ~(uint32_t)ECHOKE;
	type("xy\x15");
	assert_string_equal(echoed, "xy^U\r\n");
}

static void test_werase_takes_the_last_word(void **state)
{
	(void)state;
	char got[64];
	type("one two  \x17three\n");
	assert_int_equal(take(got, sizeof(got)), 10);
	assert_string_equal(got, "one three\n");
}

static void test_eof_at_line_start_reads_zero(void **state)
{
	(void)state;
	char got[64];
	type("\x04");
	assert_true(due(64));
	assert_int_equal(take(got, sizeof(got)), 0);
	assert_false(due(64));	// the end of file is taken by that read
	assert_string_equal(echoed, "");	// not echoed
}

static void test_eof_after_text_ends_the_line_without_itself(void **state)
{
	(void)state;
	char got[64];
	type("abc\x04");
	assert_true(due(64));
	assert_int_equal(take(got, sizeof(got)), 3);
	assert_string_equal(got, "abc");
	assert_false(due(64));	// not a second, empty read
	type("abc\x04");
	assert_int_equal(take(got, 3), 3);
	assert_false(due(64));
}

static void test_icrnl_off_keeps_the_carriage_return(void **state)
{
	(void)state;
	char got[64];
	t.termios.iflag &= ~(uint32_t)ICRNL;
	type("a\rb\n");
	assert_int_equal(take(got, sizeof(got)), 4);
	assert_string_equal(got, "a\rb\n");
}

static void test_igncr_drops_and_inlcr_turns(void **state)
{
	(void)state;
	char got[64];
	t.termios.iflag |= IGNCR;
	type("a\rb\n");
	assert_int_equal(take(got, sizeof(got)), 3);
	assert_string_equal(got, "ab\n");
	raw(1, 0);
	t.termios.iflag = INLCR;
	type("\n");
	assert_int_equal(take(got, sizeof(got)), 1);
	assert_string_equal(got, "\r");
}

static void test_echo_off_echoes_nothing_but_echonl_the_newline(void **state)
{
	(void)state;
	t.termios.lflag &= ~(uint32_t)ECHO;
	type("secret\n");
	assert_string_equal(echoed, "");
	t.termios.lflag |= ECHONL;
	type("pw\n");
	assert_string_equal(echoed, "\r\n");
}

static void test_echoctl_shows_control_characters_with_a_caret(void **state)
{
	(void)state;
	type("\x01x\x1b");
	assert_string_equal(echoed, "^Ax^[");
	t.termios.lflag &= ~(uint32_t)ECHOCTL;
	echoed_length = 0;
	type("\x01");
	assert_string_equal(echoed, "\x01");
}

static void test_isig_characters_raise_signals_and_flush(void **state)
{
	(void)state;
	char got[64];
	type("typed\x03");
	assert_int_equal(raised, 1u << SIGINT);
	assert_string_equal(echoed, "typed^C");
	type("\n");
	assert_int_equal(take(got, sizeof(got)), 1);	// the line before ^C was dropped
	type("\x1c\x1a");
	assert_int_equal(raised, 1u << SIGINT | 1u << SIGQUIT | 1u << SIGTSTP);
}

static void test_noflsh_keeps_the_line(void **state)
{
	(void)state;
	char got[64];
	t.termios.lflag |= NOFLSH;
	type("kept\x03\n");
	assert_int_equal(take(got, sizeof(got)), 5);
	assert_string_equal(got, "kept\n");
}

static void test_isig_off_takes_the_characters_as_data(void **state)
{
	(void)state;
	char got[64];
	t.termios.lflag &= ~(uint32_t)ISIG;
	type("\x03\n");
	assert_int_equal(raised, 0);
	assert_int_equal(take(got, sizeof(got)), 2);
	assert_int_equal(got[0], 3);
}

static void test_lnext_takes_the_next_byte_literally(void **state)
{
	(void)state;
	char got[64];
	type("\x16\x03\x16\x7f\n");
	assert_int_equal(raised, 0);
	assert_int_equal(take(got, sizeof(got)), 3);
	assert_memory_equal(got, "\x03\x7f\n", 3);
}

static void test_raw_vmin1_vtime0_reads_each_byte(void **state)
{
	(void)state;
	char got[64];
	raw(1, 0);
	assert_false(due(64));
	type("q");
	assert_string_equal(echoed, "");
	assert_true(due(64));
	assert_int_equal(take(got, sizeof(got)), 1);
	type("\x03\r");	// no ISIG, no ICRNL
	assert_int_equal(raised, 0);
	assert_int_equal(take(got, sizeof(got)), 2);
	assert_memory_equal(got, "\x03\r", 2);
}

static void test_raw_vmin0_vtime0_never_waits(void **state)
{
	(void)state;
	char got[64];
	raw(0, 0);
	assert_true(due(64));
	assert_int_equal(take(got, sizeof(got)), 0);
}

static void test_raw_vmin0_vtime1_waits_a_tenth_of_a_second(void **state)
{
	(void)state;
	uint64_t deadline;
	raw(0, 1);
	// hz 100: VTIME 1 is 10 ticks from the read's start.
	assert_false(tty_read_due(&t, 64, 50, 55, 100, &deadline));
	assert_int_equal(deadline, 60);
	assert_true(tty_read_due(&t, 64, 50, 60, 100, &deadline));
	type("z");
	assert_true(tty_read_due(&t, 64, 50, 51, 100, &deadline));
}

static void test_raw_vmin_counts_bytes_and_vtime_runs_between_them(void **state)
{
	(void)state;
	uint64_t deadline;
	raw(3, 1);
	assert_false(tty_read_due(&t, 64, 0, 1000, 100, &deadline));
	assert_int_equal(deadline, 0);	// no timer before the first byte
	t.last_input = 200;
	type("ab");
	assert_false(tty_read_due(&t, 64, 0, 205, 100, &deadline));
	assert_int_equal(deadline, 210);
	assert_true(tty_read_due(&t, 64, 0, 210, 100, &deadline));
	assert_true(tty_read_due(&t, 2, 0, 201, 100, &deadline));	// n below VMIN
	type("c");
	assert_true(tty_read_due(&t, 64, 0, 201, 100, &deadline));
}

static void test_poll_finds_a_line_or_vmin_bytes(void **state)
{
	(void)state;
	type("half");
	assert_false(tty_poll_readable(&t));
	type("\n");
	assert_true(tty_poll_readable(&t));
	raw(3, 0);
	char got[64];
	take(got, sizeof(got));
	type("ab");
	assert_false(tty_poll_readable(&t));	// VMIN 3, VTIME 0: three bytes
	type("c");
	assert_true(tty_poll_readable(&t));
}

static void test_switching_to_raw_makes_the_edited_line_readable(void **state)
{
	(void)state;
	char got[64];
	type("part");
	raw(1, 0);
	assert_int_equal(take(got, sizeof(got)), 4);
	assert_string_equal(got, "part");
}

static void test_onlcr_output_and_raw_output(void **state)
{
	(void)state;
	uint8_t out[64];
	size_t made;
	assert_int_equal(tty_output(&t, (const uint8_t *)"a\nb", 3, out, sizeof(out), &made), 3);
	assert_int_equal(made, 4);
	assert_memory_equal(out, "a\r\nb", 4);
	t.termios.oflag &= ~(uint32_t)OPOST;
	tty_output(&t, (const uint8_t *)"a\nb", 3, out, sizeof(out), &made);
	assert_int_equal(made, 3);
	assert_memory_equal(out, "a\nb", 3);
}

static void test_full_buffer_drops_bytes_but_keeps_room_for_a_newline(void **state)
{
	(void)state;
	static char got[TTY_BUFFER + 1];
	for (unsigned i = 0; i < TTY_BUFFER + 10; i++)
		tty_input(&t, 'x', &sink_quiet, &raised);
	type("\n");
	assert_int_equal(take(got, sizeof(got)), TTY_BUFFER);
	assert_int_equal(got[TTY_BUFFER - 1], '\n');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup(name, setup)
		T(test_canonical_line_waits_for_newline),
		T(test_canonical_read_gives_one_line_at_most),
		T(test_erase_and_backspace),
		T(test_erase_of_a_control_character_rubs_out_its_caret),
		T(test_erase_without_echoe_echoes_the_erase_character),
		T(test_erase_of_a_tab_goes_back_to_its_column),
		T(test_kill_erases_the_line),
		T(test_kill_with_echok_only_echoes_a_newline),
		T(test_werase_takes_the_last_word),
		T(test_eof_at_line_start_reads_zero),
		T(test_eof_after_text_ends_the_line_without_itself),
		T(test_icrnl_off_keeps_the_carriage_return),
		T(test_igncr_drops_and_inlcr_turns),
		T(test_echo_off_echoes_nothing_but_echonl_the_newline),
		T(test_echoctl_shows_control_characters_with_a_caret),
		T(test_isig_characters_raise_signals_and_flush),
		T(test_noflsh_keeps_the_line),
		T(test_isig_off_takes_the_characters_as_data),
		T(test_lnext_takes_the_next_byte_literally),
		T(test_raw_vmin1_vtime0_reads_each_byte),
		T(test_raw_vmin0_vtime0_never_waits),
		T(test_raw_vmin0_vtime1_waits_a_tenth_of_a_second),
		T(test_raw_vmin_counts_bytes_and_vtime_runs_between_them),
		T(test_poll_finds_a_line_or_vmin_bytes),
		T(test_switching_to_raw_makes_the_edited_line_readable),
		T(test_onlcr_output_and_raw_output),
		T(test_full_buffer_drops_bytes_but_keeps_room_for_a_newline),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
