// /dev/console and /dev/tty: the console as a terminal (docs/vfs.md, The terminal).
// The kernel's interrupt-driven ring holds what is typed (KCALL_CONSOLE_READ; its
// XINIM_NOTE_CONSOLE_INPUT says when); the line discipline (tty.c) edits it in VFS's
// kept state, echoes through KCALL_CONSOLE_WRITE, and reads that must wait are parked
// (wait.c) until a line, or VMIN bytes, or VTIME's end. The kernel drops what VFS took
// only at VFS's next take, once the terminal's state that holds it is committed: a VFS
// that dies in between takes the same bytes again (their echo may show twice).
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <xinim/ipc/kcall.h>
#include <xinim/runtime.h>
#include "vfs.h"

#define INPUT_RING 4096	// the kernel's ring: all it holds in one call
#define OUTPUT_CHUNK 1024	// bytes written a kernel call, before output processing
#define OUTPUT_GROWTH 8		// what output processing makes of a byte at most (a tab)

// The console's terminal, as Linux's console starts the first time (or after a kept
// one that did not check out: vfs_state_take).
static struct tty *console(void)
{
	struct tty *t = vfs_console();
	if (!t->termios.cflag) {
		keep_change(t, sizeof(*t));
		tty_reset(t);
	}
	return t;
}

bool console_sound(const struct tty *t) { return !t->termios.cflag || tty_sound(t); }

// Echoes gather here and go to the console in one kernel call (or a few).
struct echo {
	uint8_t bytes[OUTPUT_CHUNK];
	size_t length;
};

static void echo_flush(struct echo *e)
{
	if (e->length)
		xinim_kcall4(KCALL_CONSOLE_WRITE, (long)e->bytes, (long)e->length, 0, 0);
	e->length = 0;
}

static void echo_write(void *context, const uint8_t *bytes, size_t n)
{
	struct echo *e = context;
	for (size_t i = 0; i < n; i++) {
		if (e->length == sizeof(e->bytes))
			echo_flush(e);
		e->bytes[e->length++] = bytes[i];
	}
}

// The terminal's nodes: a change of what can be read wakes the calls waiting on either.
static void console_ready(void)
{
	static const char *const names[] = { "console", "tty" };
	struct node *dev = ramfs_child(ramfs_root(), "dev", 3);
	for (size_t i = 0; dev && i < sizeof(names) / sizeof(names[0]); i++) {
		struct node *node = ramfs_child(dev, names[i], strlen(names[i]));
		if (node)
			wait_ready(node);
	}
}

// The bytes the kernel's ring holds past what the kept terminal took: the call also
// lets the ring drop what it took (committed by now: this runs at a request's start). A
// terminal set anew starts from the ring's oldest byte.
static long input_take(struct tty *t, uint8_t *bytes, size_t n)
{
	long got = xinim_kcall3(KCALL_CONSOLE_READ, (long)bytes, (long)n, (long)t->input_taken);
	if (got != -ERANGE)
		return got;
	long oldest = xinim_kcall3(KCALL_CONSOLE_READ, 0, 0, 0);
	if (oldest < 0)
		return oldest;
	keep_change(&t->input_taken, sizeof(t->input_taken));
	t->input_taken = (uint64_t)oldest;
	return xinim_kcall3(KCALL_CONSOLE_READ, (long)bytes, (long)n, (long)t->input_taken);
}

void console_input(void)
{
	struct tty *t = console();
	struct echo echo = { .length = 0 };
	const struct tty_sink sink = { echo_write, &echo };
	uint8_t bytes[INPUT_RING];
	uint32_t signals = 0;
	long got = input_take(t, bytes, sizeof(bytes));
	if (got <= 0)
		return;
	keep_change(t, sizeof(*t));
	for (long i = 0; i < got; i++)
		tty_input(t, bytes[i], &sink, &signals);
	t->input_taken += (uint64_t)got;
	t->last_input = counter_ticks();
	echo_flush(&echo);
	if (signals)
		tty_signals_raise(t, t->pgrp, signals);
	console_ready();
}

static long console_read(struct node *node, xinim_endpoint_t caller, uint64_t to, uint64_t n,
			 uint64_t offset)
{
	(void)offset;
	struct tty *t = console();
	(void)node;
	long err = tty_may_read(t, caller);
	if (err)
		return err;
	uint64_t deadline;
	if (!tty_read_due(t, n, wait_since(), counter_ticks(), counter_hz(), &deadline)) {
		wait_until(deadline);
		return -EAGAIN;
	}
	uint8_t bytes[TTY_BUFFER];
	size_t used, got = tty_peek(t, bytes, n < TTY_BUFFER ? n : TTY_BUFFER, &used);
	err = got ? ipc_copy_to(caller, to, bytes, got) : 0;
	if (err)
		return err;
	keep_change(&t->head, sizeof(t->head));
	tty_consume(t, used);
	return (long)got;
}

// The request a write belongs to, and where its bytes stand in it (dev_write_context):
// the console shows each byte of a request once, however often a restarted VFS does it.
// Output processing makes at most OUTPUT_GROWTH bytes of one: the kernel is told
// positions in that scale, the same at every try.
static uint64_t write_id, write_position;

void dev_write_context(uint64_t id, uint64_t position)
{
	write_id = id;
	write_position = position;
}

static long console_write(struct node *node, xinim_endpoint_t caller, uint64_t from,
			  uint64_t n, uint64_t offset)
{
	(void)node, (void)offset;
	struct tty *t = console();
	long err = tty_may_write(t, caller);
	if (err)
		return err;
	uint8_t text[OUTPUT_CHUNK], out[OUTPUT_CHUNK * OUTPUT_GROWTH];
	uint64_t done = 0;
	keep_change(&t->column, sizeof(t->column));
	while (done < n) {
		size_t chunk = n - done < OUTPUT_CHUNK ? n - done : OUTPUT_CHUNK, made;
		err = ipc_copy_from(caller, text, from + done, chunk);
		if (err)
			return done ? (long)done : err;
		size_t taken = tty_output(t, text, chunk, out, sizeof(out), &made);
		uint64_t position = (write_position + done) * OUTPUT_GROWTH;
		if (xinim_kcall4(KCALL_CONSOLE_WRITE, (long)out, (long)made, (long)write_id,
				 (long)position) < 0)
			return done ? (long)done : -EIO;
		done += taken;
	}
	return (long)done;
}

static long set_termios(struct tty *t, xinim_endpoint_t caller, uint64_t arg, bool flush)
{
	struct kernel_termios next;
	long err = ipc_copy_from(caller, &next, arg, sizeof(next));
	if (err)
		return err;
	keep_change(t, sizeof(*t));
	if (flush)
		tty_flush_input(t);
	tty_set_termios(t, &next);
	console_ready();	// ICANON off makes the edited line readable
	return 0;
}

static long flush(struct tty *t, uint64_t which)
{
	if (which != TCIFLUSH && which != TCOFLUSH && which != TCIOFLUSH)
		return -EINVAL;
	if (which != TCOFLUSH) {	// output is never held: nothing to drop
		keep_change(t, sizeof(*t));
		tty_flush_input(t);
	}
	return 0;
}

static long console_ioctl(struct node *node, xinim_endpoint_t caller, unsigned request,
			  uint64_t arg)
{
	(void)node;
	struct tty *t = console();
	struct winsize size;
	int count;
	long err = request == TCSETS || request == TCSETSW || request == TCSETSF ||
			   request == TCFLSH ? tty_may_change(t, caller) : 0;
	if (err)
		return err;
	switch (request) {
	case TCGETS:
		return ipc_copy_to(caller, arg, &t->termios, sizeof(t->termios));
	case TCSETS:
	case TCSETSW:	// output is written at once: there is nothing to drain
		return set_termios(t, caller, arg, false);
	case TCSETSF:
		return set_termios(t, caller, arg, true);
	case TIOCGWINSZ:
		return ipc_copy_to(caller, arg, &t->size, sizeof(t->size));
	case TIOCSWINSZ:
		err = ipc_copy_from(caller, &size, arg, sizeof(size));
		if (err || !memcmp(&size, &t->size, sizeof(size)))
			return err;
		keep_change(&t->size, sizeof(t->size));
		t->size = size;
		tty_signals_raise(t, t->pgrp, 1u << SIGWINCH);	// as Linux's tty_do_resize
		return 0;
	case TCFLSH:
		return flush(t, arg);
	case FIONREAD:
		count = (int)tty_readable(t);
		return ipc_copy_to(caller, arg, &count, sizeof(count));
	case TCSBRK:
	case TCSBRKP:
	case TCXONC:
		return 0;	// written at once, never held: drained already
	default:
		return tty_session_ioctl(t, caller, request, arg);
	}
}

// A read would not wait (Linux's n_tty_poll); output is never held.
static unsigned console_poll(struct node *node, int flags)
{
	(void)flags;	// a terminal's readiness is the same for every open file (n_tty_poll)
	(void)node;
	return (tty_poll_readable(console()) ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

const struct node_ops console_ops = {
	.read = console_read, .write = console_write, .ioctl = console_ioctl,
	.poll = console_poll,
};
