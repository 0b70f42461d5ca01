#!/usr/bin/env bash
# The archive's userland (docs/boot.md): /sbin/init is Debian BusyBox's init, which runs
# /etc/inittab: rcS, then a login shell on the console (started again when it ends:
# tests/boot/shell_respawn.py types its exit).
# With `quiet` (make run's) the console shows programs' output only. BusyBox's poweroff
# and reboot signal init, which ends everything and calls reboot(2); poweroff -f calls
# it at once (BusyBox writes "\rRequesting ...": a pattern cannot anchor it). Those boots replace /etc/inittab through --extra-rootfs.
source "$(dirname "$0")/lib.sh"
banner='^BusyBox v[0-9.]+ .* built-in shell \(ash\)$'

echo "== plain boot: BusyBox init keeps a shell on the console"
boot "$hard_stop" '^xinim:~# '
expect '^pm: init /sbin/init started as process 1$' "/sbin/init is PID 1"
expect "$banner" "BusyBox's shell started on the console"
expect '^xinim:~# ' "the login shell read /etc/profile: root's prompt in /root, ending in '# '"
expect_none 'killed|panic' "nothing was killed"

echo "== quiet: only programs' output on the console"
boot "$hard_stop" '^xinim:~# ' --append quiet
expect '^xinim:~# ' "the prompt"
expect_none '^\[ *[0-9]+\.[0-9]{6}\] ' "no line of the kernel log"

extra=$(mktemp -d)
trap 'stop_qemu; rm -f "$log"; rm -rf "$extra"' EXIT
mkdir -p "$extra/etc"
inittab() {
	printf '%s\n' '::sysinit:/etc/init.d/rcS' "::once:/bin/sh -c '$1'" \
		'::shutdown:/bin/echo test: shutdown actions ran' >"$extra/etc/inittab"
}

echo "== poweroff: init ends everything, then powers off"
inittab 'echo test: the shell ran; poweroff'
boot_until_off --extra-rootfs "$extra"
expect '^test: the shell ran$' "the shell ran"
expect '^test: shutdown actions ran$' "init ran the shutdown actions"
expect 'Requesting system poweroff$' "init asked for the power-off"
expect '^\[ *[0-9.]+\] reboot: Power down$' "reboot(2) powered off (Linux's line)"

echo "== poweroff -f: reboot(2) at once"
inittab 'poweroff -f'
boot_until_off --extra-rootfs "$extra"
expect '^\[ *[0-9.]+\] reboot: Power down$' "reboot(2) powered off"
expect_none 'shutdown actions|Requesting' "init had no part in it"

echo "== reboot: init ends everything, then the machine restarts"
inittab 'echo test: rebooting; reboot'
boot_n "$hard_stop" 2 'xinim: booting on cpu 0' --extra-rootfs "$extra"
expect '^test: shutdown actions ran$' "init ran the shutdown actions"
expect 'Requesting system reboot$' "init asked for the restart"
expect '^\[ *[0-9.]+\] reboot: Restarting system$' "reboot(2) restarted the machine"
finish
