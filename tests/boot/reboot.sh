#!/usr/bin/env bash
# reboot(2) (docs/syscalls.md): init=/bin/reboot_calls checks the refusals (EPERM for uid 1000,
# EINVAL for bad magic numbers and commands), then powers off (QEMU ends by itself with
# status 0), restarts (PSCI SYSTEM_RESET: the machine boots again) or halts (the machine
# stays on, silent).
source "$(dirname "$0")/lib.sh"

refusals() {
	while read -r line; do
		expect "^reboot: ${line}: ok\$" "$1: $line"
	done <<'CHECKS'
uid 1000: EPERM, whatever the magic
a bad first magic number: EINVAL
a bad second magic number: EINVAL
an unknown command: EINVAL
SW_SUSPEND \(no hibernation\): EINVAL
CAD_OFF and CAD_ON: 0
CHECKS
	expect '^reboot: 0 failures$' "$1: every check passed"
	expect_none 'FAILED|returned|panic' "$1: no failed check, reboot did not return"
}

echo "== poweroff"
boot_until_off --append "init=/bin/reboot_calls poweroff"
refusals poweroff
expect '^\[ *[0-9.]+\] reboot: Power down$' "Linux's line, from the kernel log"
what="the last line is the power-down line: the output before it left first"
check test "$(unstamped | grep -v '^qemu-system-aarch64: ' | tail -n 1)" = "reboot: Power down"

echo "== restart"
boot_n "$hard_stop" 2 'xinim: booting on cpu 0' --append "init=/bin/reboot_calls restart"
refusals restart
expect '^\[ *[0-9.]+\] reboot: Restarting system$' "Linux's line"
expect_count '^reboot: restart now$' 1 "the machine booted again after the first restart"

echo "== halt"
boot_for 10 --append "init=/bin/reboot_calls halt"
refusals halt
expect '^\[ *[0-9.]+\] reboot: System halted$' "Linux's line"
what="QEMU still ran 10 s after the halt (status $qemu_status: timeout's)"
check test "$qemu_status" -eq 124
expect_none 'init exited|Power down|Restarting' "the machine neither powered off nor restarted"
finish
