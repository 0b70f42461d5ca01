#!/usr/bin/env bash
# The devices of /dev (docs/syscalls.md): init=/bin/devices checks each one's type,
# numbers and mode, /dev/full's ENOSPC, 1 MiB of /dev/urandom in one read, /dev/random,
# /dev/tty as the console, and ENOTTY for a terminal ioctl on a non-tty.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/devices"
while read -r line; do
	expect "^devices: ${line}: ok\$" "$line"
done <<'CHECKS'
/dev/null: S_IFCHR 666, 1:3
/dev/zero: S_IFCHR 666, 1:5
/dev/full: S_IFCHR 666, 1:7
/dev/random: S_IFCHR 666, 1:8
/dev/urandom: S_IFCHR 666, 1:9
/dev/tty: S_IFCHR 666, 5:0
/dev/console: S_IFCHR 600, 5:1
/dev/full reads zeros
/dev/full: a write is ENOSPC
TCGETS on /dev/full: ENOTTY
/dev/urandom: 1 MiB in one read, not all alike
/dev/urandom takes a write and drops it
/dev/random: two reads differ
/dev/tty writes the console and is a tty
CHECKS
expect '^devices: through /dev/tty$' "the line written to /dev/tty"
expect '^devices: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
expect_memory_back
finish
