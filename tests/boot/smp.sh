#!/usr/bin/env bash
# smp.sh GIC CPUS [run.sh arguments, e.g. --el2]
# Boots on CPUS CPUs with GICv$GIC: the boot log's contract lines, every CPU online
# exactly once, taking timer interrupts and answering an IPI; then every CPU idles in wfi.
source "$(dirname "$0")/lib.sh"
gic=$1 cpus=$2
shift 2

boot "$hard_stop" 'selftest ticks: (pass|FAIL)' --gic "$gic" --smp $cpus --append test=ticks "$@"
stamp='^\[ *[0-9]+\.[0-9]{6}\] '
expect "${stamp}mmu: on" "timed stage line 'mmu: on'"
expect "${stamp}gic: v$gic," "GICv$gic driver in use"
for cpu in $(seq 0 $((cpus - 1))); do
	expect_count "${stamp}cpu $cpu online\$" 1 "exactly one 'cpu $cpu online'"
	n=$(sed -nE "s/.*selftest ticks: cpu $cpu: ([0-9]+) timer interrupts, ipi answered.*/\1/p" "$log")
	what="cpu $cpu took >= 20 timer interrupts (${n:-none}) and answered an IPI"
	check test "${n:-0}" -ge 20
done
expect_count "${stamp}cpu [0-9]+ online\$" $cpus "no other 'cpu N online' lines"
expect "${stamp}xinim: $cpus cpus online, [0-9]+ MiB free\$" "final line 'xinim: $cpus cpus online, N MiB free'"
expect 'selftest ticks: pass' "self-test verdict is pass"
expect_none 'panic' "no panic"

boot "$hard_stop" 'selftest idle: (pass|FAIL)' --gic "$gic" --smp $cpus --append test=idle "$@"
expect 'selftest idle: pass' "idle CPUs wake only for their interrupts"
finish
