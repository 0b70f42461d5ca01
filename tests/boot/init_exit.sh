#!/usr/bin/env bash
# When PID 1 ends, PM says so and powers the machine off (KCALL_POWER_OFF, PSCI
# SYSTEM_OFF): QEMU ends by itself with status 0. init.exit=halt keeps the machine on.
# A program started without a right it needs says so on the console instead of failing
# in silence (init=/bin/hello: the debug calls are denied), and still ends. No init to
# run powers off too. After a kernel panic, the last line says how to leave QEMU.
source "$(dirname "$0")/lib.sh"
off='^init exited with status ([0-9]+); powering off$'

echo "== init exits 0, the machine powers off"
boot_until_off --append init=/bin/hello-musl
expect '^pm: process 1 \(hello-musl\) exited with status 0$' "PM logs init's exit status 0"
expect '^init exited with status 0; powering off$' "the exact power-off line"
what="the power-off line is the last line"
check test "$(unstamped | tail -n 1)" = "init exited with status 0; powering off"
expect_none 'panic|killed' "a normal exit prints neither panic nor killed"
expect_memory_back

echo "== init.exit=halt: the machine stays on after init exits"
# trace_syscalls prints its tallies once PID 1 has exited. The boot waits for both its
# line and the halt line; QEMU must still be running then.
boot_n "$hard_stop" 2 '^(trace: records lost|init exited with status 0; not powering off)' \
	--append "run=pm,vfs,mm,trace_syscalls init=/bin/hello-musl init.exit=halt"
expect '^pm: process 1 \(hello-musl\) exited with status 0$' "PM logs init's exit status 0"
expect '^init exited with status 0; not powering off \(init\.exit=halt\)$' "the halt line"
expect '^trace: records lost' "programs beside init still ran after init exited"
expect_none "$off" "no power-off line"
what="the machine was still on when both lines had come"
check test "$qemu_running" -eq 1
expect_none 'panic|killed' "a normal exit prints neither panic nor killed"

echo "== init=/bin/hello: a test program without the debug right says so, and ends"
boot_until_off --append init=/bin/hello
expect '^\[ *[0-9.]+\] proc 1 \(hello\): kernel call debug_[a-z]+ \([0-9]+\) denied, -EPERM: it lacks the debug right' \
	"the kernel names the process, the denied call and the missing right"
expect_count 'proc 1 \(hello\): kernel call .* denied' 1 "once per process, however many of its calls are denied"
expect '^pm: process 1 \(hello\) exited with status 0$' "it still ends, through PM's exit"
expect '^init exited with status 0; powering off$' "then the machine powers off"
expect_none 'panic|killed' "it ended normally: neither panic nor killed"

echo "== init=/bin/nothing: no init to run, the machine powers off (Linux panics)"
boot_until_off --append init=/bin/nothing
expect '^pm: init /bin/nothing could not start: error -2$' "PM says init could not start: ENOENT"
expect '^no init to run; powering off$' "then that it powers off"
expect_none 'panic|killed' "neither panic nor killed"

echo "== a kernel panic: the last line says how to leave QEMU"
boot "$hard_stop" 'Ctrl-A X' --append test=panic
expect 'panic: all 4 cpus halted' "every cpu halted"
what="the last line printed is the hint"
check test "$(grep -v '^qemu-system-aarch64: ' "$log" | tail -n 1)" = \
	"The machine is stopped. To leave QEMU, type Ctrl-A X."
finish
