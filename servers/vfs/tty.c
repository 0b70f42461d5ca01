// The line discipline (tty.h), after Linux's n_tty: input processing (ISTRIP, IGNCR,
// ICRNL, INLCR), the keyboard's signals (ISIG), canonical editing (VERASE, VKILL,
// VWERASE, VLNEXT, VREPRINT, VEOF, VEOL), echo (ECHO, ECHOE, ECHOK, ECHOKE, ECHONL,
// ECHOCTL), reads by line or by VMIN/VTIME, and output processing (OPOST, ONLCR, OCRNL,
// ONOCR, ONLRET, XTABS). Flow control (IXON) takes ^S and ^Q out of the input; output
// is not held.
#include <signal.h>
#include <string.h>
#include <termios.h>
#include "tty.h"

#define MASK (TTY_BUFFER - 1)
_Static_assert((TTY_BUFFER & MASK) == 0, "the buffer's size is a power of two");

static const struct tty tty_defaults = {
	.termios = {
		.iflag = ICRNL | IXON,
		.oflag = OPOST | ONLCR,
		.cflag = B38400 | CS8 | CREAD | HUPCL,
		.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
		.cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21, [VEOF] = 4,
			[VTIME] = 0, [VMIN] = 1, [VSTART] = 17, [VSTOP] = 19, [VSUSP] = 26,
			[VREPRINT] = 18, [VDISCARD] = 15, [VWERASE] = 23, [VLNEXT] = 22 },
	},
	.size = { .ws_row = 24, .ws_col = 80 },
};

void tty_reset(struct tty *t) { *t = tty_defaults; }

bool tty_sound(const struct tty *t)
{
	return t->tail - t->head <= TTY_BUFFER && t->canon - t->head <= t->tail - t->head &&
	       t->lnext <= 1;
}

static bool lflag(const struct tty *t, uint32_t flag) { return t->termios.lflag & flag; }
static bool iflag(const struct tty *t, uint32_t flag) { return t->termios.iflag & flag; }
static bool oflag(const struct tty *t, uint32_t flag) { return t->termios.oflag & flag; }

// Whether c is the control character cc[index] (0 disables one, _POSIX_VDISABLE).
static bool is(const struct tty *t, uint8_t c, unsigned index)
{
	return c && c == t->termios.cc[index];
}

static bool is_end(const struct tty *t, uint32_t at)
{
	return t->ends[(at & MASK) / 8] & 1u << (at % 8);
}

static void mark_end(struct tty *t, uint32_t at, bool end)
{
	uint8_t bit = (uint8_t)(1u << (at % 8));
	t->ends[(at & MASK) / 8] = end ? t->ends[(at & MASK) / 8] | bit
				       : t->ends[(at & MASK) / 8] & (uint8_t)~bit;
}

static uint8_t byte_at(const struct tty *t, uint32_t at) { return t->buffer[at & MASK]; }

// Output processing of one byte into out (at most 8 bytes); the column follows it.
static size_t output_byte(struct tty *t, uint8_t c, uint8_t *out)
{
	if (!oflag(t, OPOST)) {
		out[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (oflag(t, ONLRET) || oflag(t, ONLCR))
			t->column = 0;
		if (!oflag(t, ONLCR)) {
			out[0] = c;
			return 1;
		}
		out[0] = '\r', out[1] = '\n';
		return 2;
	case '\r':
		if (oflag(t, ONOCR) && t->column == 0)
			return 0;
		if (oflag(t, OCRNL)) {
			if (oflag(t, ONLRET))
				t->column = 0;
			out[0] = '\n';
			return 1;
		}
		t->column = 0;
		out[0] = c;
		return 1;
	case '\t': {
		size_t spaces = 8 - (t->column & 7);
		t->column += (uint32_t)spaces;
		if ((t->termios.oflag & TABDLY) != XTABS) {
			out[0] = c;
			return 1;
		}
		memset(out, ' ', spaces);
		return spaces;
	}
	case '\b':
		t->column -= t->column > 0;
		out[0] = c;
		return 1;
	default:
		t->column += c >= ' ' && c != 0x7f;
		out[0] = c;
		return 1;
	}
}

size_t tty_output(struct tty *t, const uint8_t *in, size_t n, uint8_t *out, size_t room,
		  size_t *made)
{
	size_t taken = 0;
	*made = 0;
	while (taken < n && room - *made >= 8)
		*made += output_byte(t, in[taken++], out + *made);
	return taken;
}

// Echoes bytes through output processing.
static void echo_raw(struct tty *t, const struct tty_sink *out, const char *bytes, size_t n)
{
	uint8_t processed[8 * 8];
	size_t made;
	while (n) {
		size_t taken = tty_output(t, (const uint8_t *)bytes, n, processed,
					  sizeof(processed), &made);
		out->write(out->context, processed, made);
		bytes += taken, n -= taken;
	}
}

// Whether c echoes as ^X (ECHOCTL): a control character other than tab and newline.
static bool echoes_as_caret(const struct tty *t, uint8_t c)
{
	return lflag(t, ECHOCTL) && (c < ' ' || c == 0x7f) && c != '\t' && c != '\n';
}

// Echoes a typed byte: ^C for 3 with ECHOCTL, else itself.
static void echo_char(struct tty *t, const struct tty_sink *out, uint8_t c)
{
	if (echoes_as_caret(t, c))
		echo_raw(t, out, (const char[]){ '^', (char)(c ^ 0x40) }, 2);
	else
		echo_raw(t, out, (const char *)&c, 1);
}

// The column after echoing the edited line's bytes before `to`, for erasing a tab.
static uint32_t column_before(const struct tty *t, uint32_t to)
{
	uint32_t column = t->canon_column;
	for (uint32_t at = t->canon; at != to; at++) {
		uint8_t c = byte_at(t, at);
		column = c == '\t' ? (column | 7) + 1 : column + (echoes_as_caret(t, c) ? 2u : 1u);
	}
	return column;
}

static void rub_out(struct tty *t, const struct tty_sink *out, unsigned columns)
{
	while (columns--)
		echo_raw(t, out, "\b \b", 3);
}

// Erases the last byte of the edited line on the screen (ECHOE), or echoes the erase
// character (without ECHOE).
static void echo_erase(struct tty *t, const struct tty_sink *out, uint8_t erased,
		       uint32_t at, uint8_t typed)
{
	if (!lflag(t, ECHO))
		return;
	if (!lflag(t, ECHOE)) {
		echo_char(t, out, typed);
		return;
	}
	if (erased == '\t') {
		uint32_t back = t->column - column_before(t, at);
		while (back-- && t->column)
			echo_raw(t, out, "\b", 1);
		return;
	}
	rub_out(t, out, echoes_as_caret(t, erased) ? 2 : 1);
}

// Whether the byte is part of a word (VWERASE: letters, digits and underscores).
static bool word_byte(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_' || c >= 0x80;
}

// Takes one character (a UTF-8 sequence with IUTF8) off the edited line and rubs it
// out on the screen: its first byte.
static uint8_t erase_one(struct tty *t, const struct tty_sink *out, uint8_t typed)
{
	uint8_t c;
	do
		c = byte_at(t, --t->tail);
	while (iflag(t, IUTF8) && (c & 0xc0) == 0x80 && t->tail != t->canon);
	echo_erase(t, out, c, t->tail, typed);
	return c;
}

// VERASE, VWERASE and VKILL on the edited line.
static void erase(struct tty *t, const struct tty_sink *out, uint8_t typed, unsigned kind)
{
	if (t->tail == t->canon)
		return;
	if (kind == VKILL && (!lflag(t, ECHO) || !lflag(t, ECHOKE) || !lflag(t, ECHOE))) {
		t->tail = t->canon;
		if (lflag(t, ECHO)) {
			echo_char(t, out, typed);
			if (lflag(t, ECHOK))
				echo_raw(t, out, "\n", 1);
			t->canon_column = t->column;
		}
		return;
	}
	if (kind == VERASE) {
		erase_one(t, out, typed);
		return;
	}
	bool seen_word = false;
	while (t->tail != t->canon) {
		uint8_t c = byte_at(t, t->tail - 1);
		if (kind == VWERASE && !word_byte(c) && seen_word)
			break;
		seen_word |= word_byte(c);
		erase_one(t, out, typed);
	}
}

// Puts c at the end of the input; end: it ends a line. Dropped when there is no room
// (a line end always has room in canonical mode: the edited line stops one short).
static bool put(struct tty *t, uint8_t c, bool end)
{
	uint32_t used = t->tail - t->head;
	if (used == TTY_BUFFER || (lflag(t, ICANON) && !end && used == TTY_BUFFER - 1))
		return false;
	t->buffer[t->tail & MASK] = c;
	mark_end(t, t->tail, end);
	t->tail++;
	if (end || !lflag(t, ICANON)) {
		t->canon = t->tail;
		t->canon_column = t->column;
	}
	return true;
}

// A byte that goes into the line as it is (and echoes so).
static void ordinary(struct tty *t, uint8_t c, const struct tty_sink *out)
{
	if (put(t, c, false) && lflag(t, ECHO))
		echo_char(t, out, c);
}

static bool keyboard_signal(struct tty *t, uint8_t c, const struct tty_sink *out,
			    uint32_t *signals)
{
	static const struct { unsigned index; int signal; } keys[] = {
		{ VINTR, SIGINT }, { VQUIT, SIGQUIT }, { VSUSP, SIGTSTP },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!is(t, c, keys[i].index))
			continue;
		*signals |= 1u << keys[i].signal;
		if (!lflag(t, NOFLSH))
			tty_flush_input(t);
		if (lflag(t, ECHO))
			echo_char(t, out, c);
		t->canon_column = t->column;
		return true;
	}
	return false;
}

// ^R: the edited line again, on a line of its own.
static void reprint(struct tty *t, const struct tty_sink *out, uint8_t c)
{
	if (!lflag(t, ECHO))
		return;
	echo_char(t, out, c);
	echo_raw(t, out, "\n", 1);
	t->canon_column = t->column;
	for (uint32_t at = t->canon; at != t->tail; at++)
		echo_char(t, out, byte_at(t, at));
}

// Canonical mode's special bytes: true when c was one.
static bool canonical(struct tty *t, uint8_t c, const struct tty_sink *out)
{
	bool extended = lflag(t, IEXTEN);
	if (is(t, c, VERASE) || (c == '\b' && is(t, 0x7f, VERASE))) {
		erase(t, out, c, VERASE);
	} else if (is(t, c, VKILL)) {
		erase(t, out, c, VKILL);
	} else if (extended && is(t, c, VWERASE)) {
		erase(t, out, c, VWERASE);
	} else if (extended && is(t, c, VLNEXT)) {
		t->lnext = 1;
		if (lflag(t, ECHO) && lflag(t, ECHOCTL))
			echo_raw(t, out, "^\b", 2);
	} else if (extended && is(t, c, VREPRINT)) {
		reprint(t, out, c);
	} else if (c == '\n' || is(t, c, VEOL) || (extended && is(t, c, VEOL2))) {
		if (lflag(t, ECHO) || (c == '\n' && lflag(t, ECHONL)))
			echo_char(t, out, c);
		put(t, c, true);
	} else if (is(t, c, VEOF)) {
		put(t, 0, true);	// not echoed; the line so far is ready
	} else {
		return false;
	}
	return true;
}

void tty_input(struct tty *t, uint8_t c, const struct tty_sink *out, uint32_t *signals)
{
	if (iflag(t, ISTRIP))
		c &= 0x7f;
	if (t->lnext) {
		t->lnext = 0;
		if (lflag(t, ECHO) && lflag(t, ECHOCTL))
			echo_raw(t, out, "\b", 1);	// over the ^ that VLNEXT showed
		ordinary(t, c, out);
		return;
	}
	if (iflag(t, IXON) && (is(t, c, VSTART) || is(t, c, VSTOP)))
		return;
	if (lflag(t, ISIG) && keyboard_signal(t, c, out, signals))
		return;
	if (c == '\r') {
		if (iflag(t, IGNCR))
			return;
		if (iflag(t, ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(t, INLCR)) {
		c = '\r';
	}
	if (lflag(t, ICANON) && canonical(t, c, out))
		return;
	ordinary(t, c, out);
}

// Canonical mode: the bytes up to the first line end at or after head, the end
// included (tail when the line is not ended: what was readable when ICANON came on).
static uint32_t line_end(const struct tty *t)
{
	for (uint32_t at = t->head; at != t->canon; at++)
		if (is_end(t, at))
			return at + 1;
	return t->canon;
}

size_t tty_readable(const struct tty *t)
{
	return lflag(t, ICANON) ? t->canon - t->head : t->tail - t->head;
}

bool tty_poll_readable(const struct tty *t)
{
	size_t vmin = t->termios.cc[VMIN];
	size_t needed = !lflag(t, ICANON) && vmin && !t->termios.cc[VTIME] ? vmin : 1;
	return tty_readable(t) >= needed;
}

bool tty_read_due(const struct tty *t, size_t n, uint64_t since, uint64_t now, uint64_t hz,
		  uint64_t *deadline)
{
	*deadline = 0;
	size_t ready = tty_readable(t);
	if (lflag(t, ICANON) || !n)
		return ready || !n;
	uint64_t vmin = t->termios.cc[VMIN], vtime = t->termios.cc[VTIME] * hz / 10;
	if (vmin && ready >= (n < vmin ? n : vmin))
		return true;
	if (!vmin && (ready || !vtime))
		return true;	// VMIN 0: any byte, or none when VTIME is 0 too
	if (!vtime || (vmin && !ready))
		return false;	// VMIN bytes, or the first byte before the timer runs
	// VMIN 0: VTIME from the read's start; VMIN > 0: from the last byte's arrival.
	*deadline = (vmin ? t->last_input : since) + vtime;
	return now >= *deadline;
}

size_t tty_peek(const struct tty *t, uint8_t *to, size_t n, size_t *used)
{
	uint32_t end = lflag(t, ICANON) ? line_end(t) : t->tail;
	size_t copied = 0;
	uint32_t at = t->head;
	for (; at != end && copied < n; at++) {
		bool eof = lflag(t, ICANON) && is_end(t, at) && byte_at(t, at) == 0;
		if (!eof)
			to[copied++] = byte_at(t, at);
	}
	// An end of file right after what was copied goes with it (Linux: "abc^D" reads 3).
	if (at != end && lflag(t, ICANON) && at + 1 == end && byte_at(t, at) == 0)
		at++;
	*used = at - t->head;
	return copied;
}

void tty_consume(struct tty *t, size_t used)
{
	t->head += (uint32_t)used;
}

void tty_flush_input(struct tty *t)
{
	t->head = t->canon = t->tail;
	t->lnext = 0;
}

void tty_set_termios(struct tty *t, const struct kernel_termios *termios)
{
	bool was = lflag(t, ICANON);
	t->termios = *termios;
	if (was != lflag(t, ICANON)) {
		memset(t->ends, 0, sizeof(t->ends));
		t->canon = t->tail;
		t->canon_column = t->column;
	}
}
