#!/usr/bin/env bash
# Processes at EL0 on 4 CPUs: preemption and balancing, faults that kill only the
# offender, musl's start-up on the initial stack, and FP/SIMD state that survives
# preemption and migration.
source "$(dirname "$0")/lib.sh"
exits='proc [0-9]+ \([a-z_]+\): (exit status -?[0-9]+|.*killed)$'

# unit_cpus N: the CPUs spin instance N reported, one digit per unit, in order.
unit_cpus() { sed -nE "s/^spin $1: unit [0-9]+ on cpu ([0-9]+)$/\1/p" "$log" | tr -d '\n'; }

echo "== six CPU-bound programs"
boot_n "$hard_stop" 6 "$exits" --append run=spin,spin,spin,spin,spin,spin
for i in 0 1 2 3 4 5; do
	expect_count "^spin $i: unit [0-9]+ on cpu [0-3]$" 12 "spin $i printed its 12 units"
done
expect_count 'proc [0-9]+ \(spin\): exit status 0$' 6 "all six exited with status 0"
for cpu in 0 1 2 3; do
	expect "^spin [0-5]: unit [0-9]+ on cpu $cpu$" "cpu $cpu ran some program"
done
# Interleaving: the unit lines are not grouped by program.
order=$(sed -nE 's/^spin ([0-5]): unit .*/\1/p' "$log" | uniq | wc -l)
what="unit lines of different programs interleave ($order runs)"
check test "$order" -gt 6
# Balancing: some program ran on more than one CPU.
migrated=0
for i in 0 1 2 3 4 5; do
	[ "$(unit_cpus $i | fold -w1 | sort -u | wc -l)" -gt 1 ] && migrated=$((migrated + 1))
done
what="a program migrated between CPUs ($migrated did)"
check test "$migrated" -ge 1

echo "== faults kill only the offender"
boot_n "$hard_stop" 7 "$exits" --append run=spin,fault_null,fault_kernel,fault_other,fault_undef,fault_stack,spin
expect 'proc [0-9]+ \(fault_null\): read translation fault \(level [0-3]\) at [0-9a-f]+ addr 0, killed$' \
	"null read: translation fault at address 0"
expect 'proc [0-9]+ \(fault_kernel\): read permission fault \(level [0-3]\) at [0-9a-f]+ addr ffff000040080000, killed$' \
	"kernel read: permission fault at the kernel's address"
expect 'proc [0-9]+ \(fault_other\): write translation fault \(level [0-3]\) at 4000[0-9a-f]{4} addr 201000, killed$' \
	"write to another program's address: unmapped here"
expect 'proc [0-9]+ \(fault_undef\): undefined instruction at [0-9a-f]+ addr -, killed$' \
	"undefined instruction"
expect 'proc [0-9]+ \(fault_stack\): SP alignment fault at [0-9a-f]+ addr [0-9a-f]*[1-9a-f], killed$' \
	"misaligned stack"
expect_none 'fault_stack: still running' "the misaligned program did not go on"
expect_count 'proc [0-9]+ \(spin\): exit status 0$' 2 "the other programs finished"
expect_count '^spin [06]: unit' 24 "and did all their work"
expect_none 'panic' "no panic"

echo "== FP/SIMD state across preemption and migration"
boot_n "$hard_stop" 6 "$exits" --append run=fpcheck,fpcheck,spin,spin,spin,spin
for i in 0 1; do
	expect "^fpcheck $i: pass " "fpcheck $i kept its registers and rounding mode"
	expect_count "^fpcheck $i: round [0-9] on cpu [0-3]: 0 registers changed" 8 "fpcheck $i: 8 clean rounds"
done
expect '^fpcheck 0: pass \(series 3ffa51a1242681c5, rounding mode 0\)$' "round-to-nearest sum has the expected bits"
expect '^fpcheck 1: pass \(series 3ffa51a1242808c5, rounding mode 1\)$' "round-up sum has the expected bits"
expect_count 'proc [0-9]+ \(fpcheck\): exit status 0$' 2 "both exited with status 0"

echo "== blocking and waking: sleeping programs among busy ones"
boot_n "$hard_stop" 8 "$exits" --append run=sleeper,sleeper,spin,spin,spin,spin,spin,spin
expect_count '^sleeper: sleep [0-3] of 30000 us returned 0 after [0-9]+ us$' 8 "eight sleeps returned 0"
short=$(sed -nE 's/^sleeper: sleep [0-3] of 30000 us returned 0 after ([0-9]+) us$/\1/p' "$log" |
	awk '$1 < 30000' | wc -l)
what="no sleep ended before its deadline ($short did)"
check test "$short" -eq 0
expect_count '^sleeper: too long a sleep gives -22$' 2 "a sleep too long is refused with -EINVAL"
expect_count 'proc [0-9]+ \((sleeper|spin)\): exit status 0$' 8 "all eight exited with status 0"

echo "== bad input to the kernel: clear errors, and the program goes on"
boot_n "$hard_stop" 1 "$exits" --append run=badcalls
expect_none '^badcalls: .*WRONG' "every bad call got the error it should"
expect '^badcalls: pass$' "badcalls passed"
expect 'proc [0-9]+ \(badcalls\): exit status 0$' "it exited normally"
expect_none 'panic' "no panic"

echo "== musl's own start-up code on the kernel's initial stack"
boot_n "$hard_stop" 1 "$exits" --append run=musl_start
expect '^musl_start: argc 2 argv\[0\] /bin/musl_start argv\[1\] 0$' "argc and argv"
expect '^musl_start: pagesz 4096 hwcap 0x[0-9a-f]+ random present execfn /bin/musl_start$' "auxv"
expect '^musl_start: tls 42, write -1 errno 38 \(Function not implemented\), pi 3.142$' \
	"TLS, errno after an undelegated syscall, float formatting"
expect 'proc [0-9]+ \(musl_start\): exit status 0$' "it exited with status 0"

echo "== FP/SIMD state between two programs that preempt each other on one CPU"
boot_n "$hard_stop" 2 "$exits" --smp 1 --append run=fpcheck,fpcheck
for i in 0 1; do
	expect "^fpcheck $i: pass " "fpcheck $i kept its registers and rounding mode"
done
turns=$(sed -nE 's/^fpcheck ([01]): round .*/\1/p' "$log" | uniq | wc -l)
what="their rounds interleave ($turns turns), so each was preempted by the other"
check test "$turns" -ge 4
finish
