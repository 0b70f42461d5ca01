#!/usr/bin/env python3
"""BusyBox's ash on the console as a person uses it (tests/boot/keys.py): a line edited
with erase, then a session with job control (setsid -c: the console its controlling
terminal): a job in the background, `jobs`, `fg`, ^Z stopping it, `bg`, `fg` and ^C
ending it, and `exit` back to init's shell, whose `exit` powers off."""
import sys
import time
from keys import Checks, Console, Timeout

PROMPT = r"/ # (\x1b\[6n)?"  # ash asks where the cursor is (DSR): no terminal answers
checks = Checks()
c = Console(append="init=/bin/sh")


def step(keys, pattern, what, settle=0):
    """Types keys (after settle seconds: a job must have begun to wait) and checks that
    pattern comes, then the prompt; returns what the console showed meanwhile."""
    time.sleep(settle)
    start = c.seen
    c.send(keys)
    try:
        c.expect(pattern, 30)
        c.expect(PROMPT, 30)
        checks.check(True, what)
    except Timeout as e:
        checks.check(False, "%s: %s" % (what, e))
    return c.output[start:c.seen]


try:
    c.expect(PROMPT, 120)
    step("echo hel\x7f\x7flo world\r", r"\nhlo world\r\n", "a line edited with erase")
    step("busybox setsid -c busybox sh\r", r"built-in shell", "a session of its own")
    # Guest time runs fast while the guest idles (-icount, sleep=off): a long sleep.
    step("busybox sleep 1000000 &\r", r"&\r\n", "a job in the background")
    step("jobs\r", r"\[1\]\+  Running +busybox sleep 1000000", "jobs: it runs")
    c.send("fg\r")
    step("\x1a", r"\^Z\[1\]\+  Stopped +busybox sleep 1000000", "^Z stops the job in front", 1)
    step("bg\r", r"\[1\] busybox sleep 1000000", "bg: it runs on")
    c.send("fg\r")
    step("\x03", r"\^C", "^C ends the job in front", 1)
    shown = step("jobs; echo jobs: end\r", r"\njobs: end\r\n", "jobs after ^C")
    checks.check("sleep" not in shown, "no job is left")
    step("exit\r", r"\n", "back to init's shell")
    c.send("exit\r")
    c.expect(r"init exited with status 0; powering off", 30)
    checks.check(True, "init's exit powers off")
except Timeout as e:
    checks.check(False, str(e))
finally:
    c.close()
sys.exit(checks.finish())
