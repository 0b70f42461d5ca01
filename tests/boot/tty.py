#!/usr/bin/env python3
"""The console as a terminal (docs/vfs.md, The terminal): init=/bin/tty asks for keys
and this script types them at the serial line (keys.py), then checks what the console
showed: the echo of an edited line, a killed line, two lines read one a read, raw bytes
without echo, VTIME's timeout, ^C's SIGINT, a background read's SIGTTIN, ^Z's SIGTSTP,
^D's end of input. An argument adds to the command line: inject=vfs:... kills VFS in
the middle of the session (resurrection_tty), which must not change what it shows."""
import sys
import time
from keys import Checks, Console, Timeout

checks = Checks()
extra = sys.argv[1] if len(sys.argv) > 1 else ""
c = Console(append=("init=/bin/tty " + extra).strip())
try:
    c.expect(r"tty: type a line >")
    c.send("hello wlrd\x7f\x7f\x7forld\r")
    done = c.expect(r"tty: a line, edited with erase: \w+")
    checks.check("hello wlrd\b \b\b \b\b \borld\r\n" in c.output,
                 "the edited line's echo rubs out what was erased")
    c.expect(r"tty: type a killed line >")
    c.send("wrong\x15kept\r")
    c.expect(r"tty: type two lines >")
    c.send("one\rtwo\r")
    raw = c.expect(r"tty: type three raw bytes >")
    c.send("q\x03\r")
    after = c.expect(r"tty: raw bytes one at a time[^\n]*\n")
    checks.check("q" not in c.output[raw.end():after.start()], "raw mode echoes nothing")
    c.expect(r"tty: type a polled line >")
    c.send("polled\r")
    c.expect(r"tty: type \^C >")
    time.sleep(1)  # the read has begun: the guest idles in it
    c.send("\x03")
    c.expect(r"tty: \^C: SIGINT")
    checks.check("^C" in c.output, "^C echoed as ^C (ECHOCTL)")
    c.expect(r"tty: type \^Z >")
    time.sleep(1)
    c.send("\x1a")
    c.expect(r"tty: type \^D >")
    c.send("\x04")
    c.expect(r"tty: \d+ failures")
except Timeout as e:
    checks.check(False, str(e))
finally:
    c.close()
for line in c.output.replace("\r", "").splitlines():
    if line.startswith("tty: ") and line.endswith(": FAILED"):
        checks.check(False, line)
for what in ("a cooked, echoing console", "a line, edited with erase",
             "a line killed with ^U, then typed anew", "one line a read",
             "raw bytes one at a time, ^C and CR as they are",
             "VMIN 0, VTIME 2: nothing typed, 0 after the time",
             "poll: no line, 0 after the timeout", "poll: POLLIN once a line is typed",
             "TIOCSCTTY: the console is ours", "TIOCGSID: session 1",
             "^C: SIGINT, the read cut short", "an orphaned group's read: EIO",
             "a background read: SIGTTIN stops the reader",
             "tcsetpgrp: a child's group in the foreground",
             "^Z: SIGTSTP stops the foreground group",
             "tcsetpgrp from the background with SIGTTOU ignored",
             "^D at a line's start: the end of input"):
    checks.check(("tty: %s: ok" % what) in c.output, what)
checks.check("tty: 0 failures" in c.output, "the program saw no failure")
if "inject=vfs" in extra:
    checks.check("rs: vfs (pid 2) died" in c.output, "VFS died in the session and came back")
sys.exit(checks.finish())
