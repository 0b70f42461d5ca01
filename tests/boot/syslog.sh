#!/usr/bin/env bash
# The kernel log and syslog(2) (docs/boot.md, docs/syscalls.md): init=/bin/klogctl reads
# the log with klogctl, makes children die of SIGSEGV under several console log levels,
# and runs BusyBox's dmesg. Here: the console shows a child's end only when the level
# let it through, and dmesg shows the one the console did not.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/klogctl"
while read -r line; do
	expect "^klogctl: ${line}: ok\$" "$line"
done <<'CHECKS'
SIZE_BUFFER is 65536
READ_ALL: whole lines
READ_ALL: PM's start-up line, at level 6
READ_ALL: the kernel's first line
READ_ALL of 64 bytes: the newest whole lines that fit
CONSOLE_LEVEL 1
CONSOLE_OFF
CONSOLE_ON
the quiet child's end is logged, as an error
the console-off child's end is logged
the loud child's end is logged
SIZE_UNREAD: something unread
READ takes it all, a piece at a time
then SIZE_UNREAD is 0
and READ returns 0 \(it does not wait\)
READ_ALL still gives the lines READ took
READ_CLEAR gives them
then READ_ALL gives nothing
a new line, then CLEAR: READ_ALL gives nothing again
busybox dmesg ran and exited 0
READ_ALL into NULL: EINVAL
READ_ALL of -1 bytes: EINVAL
READ_ALL into a bad pointer: EFAULT
action 11, -1: EINVAL
CONSOLE_LEVEL 0 and 9: EINVAL
uid 1000: READ_ALL and SIZE_BUFFER allowed, the rest EPERM
CHECKS
expect '^klogctl: 0 failures$' "every check passed"

child() { unstamped | sed -nE "s/^klogctl: $1 ([0-9]+)\$/\\1/p" | head -n 1; }
quiet=$(child 'quiet child') off=$(child 'console-off child') loud=$(child 'loud child')
again=$(child 'quiet child again')
ended() { echo "pm: process $1 \\(klogctl\\) killed by SIGSEGV\$"; }
before_dmesg() { unstamped | sed '/^klogctl: dmesg follows$/q'; }
dmesg_output() { sed -n '/^klogctl: dmesg follows$/,/^klogctl: busybox dmesg/p' "$log"; }
what="CONSOLE_LEVEL 1: the console did not show the end of child ${quiet:-?}"
check bash -c '[ -n "$1" ] && ! grep -qE "$2"' _ "$quiet" "$(ended "$quiet")" < <(before_dmesg)
what="CONSOLE_OFF: the console did not show the end of child ${off:-?}"
check bash -c '[ -n "$1" ] && ! grep -qE "$2"' _ "$off" "$(ended "$off")" < <(before_dmesg)
what="CONSOLE_ON: the console showed the end of child ${loud:-?}, and the kernel's fault line"
check bash -c '[ -n "$1" ] && grep -qE "$2" && grep -qE "\] proc $1 \(klogctl\): .* killed$" "$3"' \
	_ "$loud" "^$(ended "$loud")" "$log" < <(before_dmesg)
what="busybox dmesg: the end of child ${again:-?}, which the console did not show, with its timestamp"
check bash -c '[ -n "$1" ] && grep -qE "$2"' _ "$again" "^\[ *[0-9]+\.[0-9]{6}\] $(ended "$again")" \
	< <(dmesg_output)
what="busybox dmesg: no level prefix"
check bash -c '! grep -qE "^<[0-7]>"' < <(dmesg_output)
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
finish
