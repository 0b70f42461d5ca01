#pragma once
// The line discipline (tty.c): Linux's n_tty over a terminal's kept state, pure (no IPC,
// no kernel calls), so that the hosted tests drive it byte by byte. Bytes typed go in
// with tty_input, which edits the line (canonical mode), says what to echo and which
// signals the keyboard raised; reads take cooked lines (or raw bytes) out; writes go
// through output processing (OPOST). docs/vfs.md, The terminal.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

// Linux's struct termios as TCGETS gives it (asm-generic/termbits.h: 19 control chars).
struct kernel_termios {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line;
	uint8_t cc[19];
};

#define TTY_BUFFER 4096	// Linux's N_TTY_BUF_SIZE: typed bytes not yet read

// One terminal, in VFS's kept state: pointer-free, every index free-running (taken
// modulo TTY_BUFFER). Bytes [head, canon) are ready to read (canonical mode: whole
// lines, each ending at a byte marked in ends: a line end, or an end of file kept as a
// 0 byte that reads return nothing of); [canon, tail) is the line being edited.
// Without ICANON canon is tail: every byte is ready.
struct tty {
	struct kernel_termios termios;
	struct winsize size;
	int32_t pgrp, sid;		// the foreground process group and session; 0: none
	uint32_t head, canon, tail;
	uint32_t column;		// the output's column, for erasing a tab
	uint32_t canon_column;		// the column where the edited line began
	uint32_t lnext;			// 1: the next byte is taken literally (VLNEXT)
	uint64_t last_input;		// when the last byte came (counter ticks): VTIME
	uint64_t input_taken;		// the kernel's input ring's position (KCALL_CONSOLE_READ)
	// The keyboard's signals that PM has not fetched yet (session.c), by process group.
	struct tty_signal {
		int32_t pgrp;		// 0: a free entry
		uint32_t signals;	// 1 << signal for each
	} pending[8];
	uint8_t ends[TTY_BUFFER / 8];
	uint8_t buffer[TTY_BUFFER];
};

// Where output (echoes and processed writes) goes: write is called with the bytes.
struct tty_sink {
	void (*write)(void *context, const uint8_t *bytes, size_t n);
	void *context;
};

// A terminal as Linux's console starts: cooked, echoing, 24 x 80.
void tty_reset(struct tty *t);
// Whether a kept terminal is one tty_* may work on (its indices in bounds).
bool tty_sound(const struct tty *t);

// Takes byte c typed on the terminal: line editing, echo to out, and the signals the
// keyboard raised (1 << SIGINT, SIGQUIT, SIGTSTP) ORed into *signals.
void tty_input(struct tty *t, uint8_t c, const struct tty_sink *out, uint32_t *signals);

// Whether a read of n bytes can be answered now (it would not wait), given when it
// began to wait and now (counter ticks; hz a second): canonical mode, when a line is
// ready; otherwise as VMIN and VTIME say (termios(3)). When it must wait and a time ends
// the wait, *deadline is that time (else 0).
bool tty_read_due(const struct tty *t, size_t n, uint64_t since, uint64_t now, uint64_t hz,
		  uint64_t *deadline);
// Copies into to what a read of n bytes takes now (canonical: one line at most, an end
// of file none), without taking it: tty_consume(t, *used) then does. Bytes copied.
size_t tty_peek(const struct tty *t, uint8_t *to, size_t n, size_t *used);
void tty_consume(struct tty *t, size_t used);
// Whether a poll finds the terminal readable (Linux's input_available_p for poll: a
// line; without ICANON, VMIN bytes when VTIME is 0, else one).
bool tty_poll_readable(const struct tty *t);
// Bytes a read could take (FIONREAD).
size_t tty_readable(const struct tty *t);
// Drops every byte typed and not yet read (TCFLSH, a signal without NOFLSH).
void tty_flush_input(struct tty *t);

// New settings (TCSETS): switching ICANON on or off makes what was typed readable, as
// Linux does.
void tty_set_termios(struct tty *t, const struct kernel_termios *termios);

// Output processing of bytes written: at most n bytes of in are processed into out
// (room bytes, at least 8), the number of input bytes taken is returned, *made the
// output's length.
size_t tty_output(struct tty *t, const uint8_t *in, size_t n, uint8_t *out, size_t room,
		  size_t *made);
