#!/usr/bin/env python3
"""Drives XINIM's serial console like a person: boots QEMU (boot/run.sh, under -icount as
every boot test) with its serial line on a pipe, types keys into it and waits for text,
each wait with a timeout. Reused by the terminal's tests (tests/boot/tty.py) and the
interactive shell sessions to come.

    from keys import Console
    with Console(append="init=/bin/tty") as c:
        c.expect(r"tty: type a line >")
        c.send("hello\\r")
        c.expect(r"hello world: ok")
    ... c.output holds everything the console printed ('\\r' kept).

QEMU's -nographic console takes ^A as its escape: send() refuses it.
"""
import os
import re
import select
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
HARD_STOP = 300  # seconds of wall time for a whole session, as lib.sh's


class Timeout(Exception):
    pass


class Console:
    def __init__(self, append="", extra=(), limit=HARD_STOP, echo=True):
        self.output = ""
        self.seen = 0  # where the next expect starts looking
        self.echo = echo
        self.deadline = time.monotonic() + limit
        self.qemu = subprocess.Popen(
            [os.path.join(TOP, "boot", "run.sh"), "--build", BUILD, "--icount",
             "--append", append, *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.qemu.poll() is None:
            os.killpg(self.qemu.pid, signal.SIGKILL)
        self.qemu.wait()
        self._read(0)

    def _read(self, wait):
        """Takes what QEMU printed within wait seconds; False once it has ended."""
        ready, _, _ = select.select([self.qemu.stdout], [], [], wait)
        if not ready:
            return True
        data = os.read(self.qemu.stdout.fileno(), 65536)
        if not data:
            return False
        text = data.decode("utf-8", "replace")
        self.output += text
        if self.echo:
            sys.stdout.write(text)
            sys.stdout.flush()
        return True

    def expect(self, pattern, timeout=60):
        """Waits for pattern (a regex) in what came after the last match; returns the
        match. Raises Timeout after timeout seconds (or the session's hard stop)."""
        regex = re.compile(pattern)
        end = min(time.monotonic() + timeout, self.deadline)
        while True:
            match = regex.search(self.output, self.seen)
            if match:
                self.seen = match.end()
                return match
            left = end - time.monotonic()
            if left <= 0 or not self._read(min(left, 0.2)) and self.qemu.poll() is not None:
                raise Timeout("no %r within %s s" % (pattern, timeout))

    def send(self, keys):
        """Types keys (a str: "\\x03" is ^C, "\\r" Enter)."""
        if "\x01" in keys:
            raise ValueError("^A is QEMU's console escape")
        self.qemu.stdin.write(keys.encode("latin-1"))
        self.qemu.stdin.flush()

    def since(self, match):
        """What the console printed after match (an expect's result)."""
        return self.output[match.end():]


class Checks:
    """Counts checks as lib.sh does: ok/FAIL lines and a summary; exit status."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what):
        print(("ok: " if ok else "FAIL: ") + what)
        if ok:
            self.passed += 1
        else:
            self.failed += 1

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 0 if self.failed == 0 else 1


class Shell:
    """A shell on console c whose prompt is the regex prompt, its steps counted in checks."""

    def __init__(self, c, checks, prompt):
        self.c, self.checks, self.prompt = c, checks, prompt

    def step(self, keys, pattern, what, settle=0.0):
        """Types keys (after settle seconds: a job must have begun to wait), checks that
        pattern comes, then the prompt; returns what the console showed meanwhile."""
        time.sleep(settle)
        start = self.c.seen
        self.c.send(keys)
        try:
            self.c.expect(pattern, 60)
            self.c.expect(self.prompt, 60)
            self.checks.check(True, what)
        except Timeout as e:
            self.checks.check(False, "%s: %s" % (what, e))
        return self.c.output[start:self.c.seen]


def power_off(c, checks):
    """The shell's poweroff ends the machine."""
    c.send("poweroff\r")
    c.expect(r"reboot: Power down|Requesting system poweroff", 60)
    checks.check(True, "poweroff ends the machine")


def session(append, body):
    """Boots with append, runs body(console, checks) and exits with the checks' status;
    a Timeout is a failed check, and QEMU is stopped however the session ends."""
    checks = Checks()
    c = Console(append=append)
    try:
        body(c, checks)
    except Timeout as e:
        checks.check(False, str(e))
    finally:
        c.close()
    sys.exit(checks.finish())
