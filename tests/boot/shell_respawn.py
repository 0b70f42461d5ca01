#!/usr/bin/env python3
"""The plain boot (init=/sbin/init, Debian BusyBox's init and /etc/inittab): a login
shell on the console with root's prompt; a command runs; `exit` gives a new shell, as
init's respawn line says; `poweroff` ends the machine."""
from keys import power_off, session

PROMPT = r"xinim:~# (\x1b\[6n)?"  # ash asks where the cursor is (DSR): no terminal answers
BANNER = r"BusyBox v[0-9.]+ .* built-in shell \(ash\)"


def run(c, checks):
    c.expect(BANNER, 120)
    c.expect(PROMPT, 60)
    checks.check(True, "a shell prompt on the console, ending in '# '")
    c.send("echo $((6 * 7)) in $(pwd)\r")
    c.expect(r"\n42 in /root\r\n", 30)
    c.expect(PROMPT, 30)
    checks.check(True, "a command with arithmetic and command substitution")
    c.send("exit\r")
    c.expect(BANNER, 60)
    c.expect(PROMPT, 60)
    checks.check(True, "exit: init starts a new shell")
    power_off(c, checks)


session("quiet", run)
