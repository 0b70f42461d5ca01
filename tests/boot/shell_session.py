#!/usr/bin/env python3
"""A session at the plain boot's shell (BusyBox init's login shell on the console, its
controlling terminal) typed like a person (tests/boot/keys.py), each step checked on
what the console shows: listings and pipelines, redirections, a here-document, cd and
pwd, files and directories made, renamed and removed, a pipeline over a file larger than
a pipe, job control (a job in the background, jobs, fg, ^Z, bg, kill %1, ^C), ps and top
listing the processes, free and df, vi editing a file by raw-mode keys, find, and a
script with a loop, trap, $? and set -e. Guest time runs fast while the guest idles
(-icount, sleep=off): the jobs sleep long."""
import re
import time
from keys import Shell, power_off, session

PROMPT = r"xinim:[^\r\n]*# (\x1b\[6n)?"  # ash asks where the cursor is (DSR)


def lines(keys):
    """Types each line of keys with a carriage return, as Enter sends."""
    return "".join(line + "\r" for line in keys.split("\n"))


def run(c, checks):
    sh = Shell(c, checks, PROMPT)
    c.expect(PROMPT, 120)
    shown = sh.step("ls -l /bin | wc -l\r", r"\n *[0-9]+\r\n", "ls -l /bin | wc -l")
    count = re.search(r"\n *([0-9]+)\r\n", shown)
    checks.check(count and int(count.group(1)) > 100,
                 "/bin holds BusyBox's applets (%s)" % (count and count.group(1)))
    sh.step("mkdir -p /tmp/w/d && cd /tmp/w/d && pwd\r", r"\n/tmp/w/d\r\n", "mkdir -p, cd and pwd")
    sh.step("cd .. && pwd && cd d\r", r"\n/tmp/w\r\n", "cd .. and back")
    sh.step("echo one > f; echo two >> f; cat f\r", r"\none\r\ntwo\r\n", "> and >>")
    sh.step("wc -l < f 2>/dev/null\r", r"\n2\r\n", "< and 2>")
    sh.step(lines("cat <<END\nsum $((3 + 4)) in $(pwd)\nEND"), r"\nsum 7 in /tmp/w/d\r\n",
         "a here-document with expansions")
    sh.step("touch a && mv a b && ls\r", r"\nb +f\r\n", "touch and mv: the new name")
    sh.step("mkdir x && mv x y && rmdir y && rm b f && ls -a\r", r"\n\. +\.\.\r\n",
         "directories made, renamed and removed; files removed")
    sh.step("seq 1 20000 > big && ls -l big\r", r" 108894 ", "a file larger than a pipe")
    sh.step("cat big big | sort | uniq -c | head -3\r",
         r"\n +2 1\r\n +2 10\r\n +2 100\r\n", "cat big | sort | uniq -c | head")
    sh.step("sleep 1000000 &\r", r"&\r\n", "a job in the background")
    sh.step("jobs\r", r"\[1\]\+  Running +sleep 1000000", "jobs: it runs")
    c.send("fg\r")
    sh.step("\x1a", r"\[1\]\+  Stopped +sleep 1000000", "fg, then ^Z stops it", 1)
    sh.step("bg\r", r"\[1\] sleep 1000000", "bg: it runs on")
    sh.step("ps\r", r"sleep 1000000", "ps")
    shown = c.output[c.output.rfind("ps\r"):]
    checks.check(re.search(r"\n +1 root +[^\n]*init", shown) is not None, "ps: init is PID 1")
    checks.check(re.search(r"\n +[0-9]+ root +[^\n]*-(/bin/)?sh", shown) is not None,
                 "ps: the login shell")
    checks.check(re.search(r"\n +[0-9]+ root +[^\n]*sleep 1000000", shown) is not None,
                 "ps: the job")
    sh.step("top -n 1 -b | head -20\r", r"\n *PID +PPID +USER +STAT", "top -n 1")
    shown = c.output[c.output.rfind("top -n 1 -b | head"):]
    checks.check(re.search(r"Mem: [0-9]+K used, [0-9]+K free", shown) is not None,
                 "top: memory in use and free")
    checks.check(re.search(r"sleep 1000000", shown) is not None, "top: the job")
    checks.check(re.search(r"top -n 1", shown[shown.find("PID"):]) is not None,
                 "top: itself")
    sh.step("kill %1; sleep 1; jobs; echo killed\r", r"Terminated +sleep 1000000[^\n]*\n(.*\n)*killed",
         "kill %1 ends the job")
    c.send("sleep 1000000\r")
    sh.step("\x03", r"\^C", "^C ends a foreground sleep", 1)
    sh.step("echo status $?\r", r"\nstatus 130\r\n", "its status: 128 + SIGINT")
    shown = sh.step("free\r", r"\nMem: +[0-9]+ +[0-9]+ +[0-9]+", "free")
    total = re.search(r"\nMem: +([0-9]+)", shown)
    checks.check(total and int(total.group(1)) > 100000, "free: the machine's memory")
    sh.step("df /tmp\r", r"\n[a-z]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+% /", "df: blocks of a tmpfs")
    c.send("vi v.txt\r")
    time.sleep(2)
    c.send("ihello from vi\x1b")
    time.sleep(1)
    c.send(":wq\r")
    sh.step("cat v.txt\r", r"\nhello from vi\r\n", "vi writes a file typed in raw mode")
    sh.step("find / -name profile 2>/dev/null\r", r"\n/etc/profile\r\n", "find / -name profile")
    script = lines("cat > s.sh <<'END'\n#!/bin/sh\nset -e\ntrap 'echo trapped' EXIT\n"
                   "for i in 1 2 3; do echo n$i; done\nfalse || echo status $?\n"
                   "true; echo ok $?\nfalse\necho never\nEND")
    sh.step(script + "chmod +x s.sh && ./s.sh; echo exit $?\r",
         r"\nn1\r\nn2\r\nn3\r\nstatus 1\r\nok 0\r\ntrapped\r\nexit 1\r\n",
         "a script: a loop, $?, trap on EXIT, set -e ending it")
    checks.check("never" not in c.output[c.output.rfind("s.sh;"):].replace("echo never", ""),
                 "set -e: nothing after the failing command")
    power_off(c, checks)


session("quiet", run)
