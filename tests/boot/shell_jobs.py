#!/usr/bin/env python3
"""BusyBox's ash on the console as a person uses it (tests/boot/keys.py): a line edited
with erase, then a session with job control (setsid -c: the console its controlling
terminal): a job in the background, `jobs`, `fg`, ^Z stopping it, `bg`, `fg` and ^C
ending it, and `exit` back to init's shell, whose `exit` powers off."""
from keys import Shell, session

PROMPT = r"/ # (\x1b\[6n)?"  # ash asks where the cursor is (DSR): no terminal answers


def run(c, checks):
    sh = Shell(c, checks, PROMPT)
    c.expect(PROMPT, 120)
    sh.step("echo hel\x7f\x7flo world\r", r"\nhlo world\r\n", "a line edited with erase")
    sh.step("busybox setsid -c busybox sh\r", r"built-in shell", "a session of its own")
    # Guest time runs fast while the guest idles (-icount, sleep=off): a long sleep.
    sh.step("busybox sleep 1000000 &\r", r"&\r\n", "a job in the background")
    sh.step("jobs\r", r"\[1\]\+  Running +busybox sleep 1000000", "jobs: it runs")
    c.send("fg\r")
    sh.step("\x1a", r"\^Z\[1\]\+  Stopped +busybox sleep 1000000", "^Z stops the job in front", 1)
    sh.step("bg\r", r"\[1\] busybox sleep 1000000", "bg: it runs on")
    c.send("fg\r")
    sh.step("\x03", r"\^C", "^C ends the job in front", 1)
    shown = sh.step("jobs; echo jobs: end\r", r"\njobs: end\r\n", "jobs after ^C")
    checks.check("sleep" not in shown, "no job is left")
    sh.step("exit\r", r"\n", "back to init's shell")
    c.send("exit\r")
    c.expect(r"init exited with status 0; powering off", 30)
    checks.check(True, "init's exit powers off")


session("init=/bin/sh", run)
