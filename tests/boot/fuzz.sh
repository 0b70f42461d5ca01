#!/usr/bin/env bash
# The in-guest system-call fuzzer (userland/fuzz, docs/fuzzing.md) as PID 1: COUNT random
# system calls of a fixed SEED, each reproducible from (seed, index), with a health check
# of VFS, PM and MM every 1000 calls. Nothing may panic, no server may die or be killed,
# every health check must pass and init must exit 0.
#   fuzz.sh [SEED [COUNT]]   (defaults: the seed and count of make test)
source "$(dirname "$0")/lib.sh"
seed=${1:-1}
count=${2:-40000}
hard_stop=$((hard_stop + count / 500))	# about 4,000 calls a second of wall time here
# The end, whichever way it comes: init's exit, a process killed for a fault (init's
# kill leaves the machine on: docs/boot.md), or a kernel panic.
ended='^init exited with status [0-9]+; powering off$|killed|panic'

boot "$hard_stop" "$ended" --append "init=/bin/fuzz_syscalls $seed $count"
expect "^fuzz: seed $seed, calls 0 to $((count - 1)), " "the fuzzer started with seed $seed"
expect_none 'panic' "the kernel did not panic"
expect_none 'killed' "no process was killed (the fuzzer, a server)"
expect_none '\] proc [0-9]+ \((vfs|pm|mm)\): ' "no server exited or was killed (the kernel's line for it)"
expect_none '^fuzz: .*FAILED' "every health check passed"
checks=$(((count + 999) / 1000))	# one every 1000 calls and one at the end
expect "^fuzz: health checks: $checks passed, 0 failed$" "all $checks health checks ran and passed"
expect "^fuzz: $count calls, 0 failures$" "the summary: $count calls, 0 failures"
expect '^pm: process 1 \(fuzz_syscalls\) exited with status 0$' "PM logs the fuzzer's exit status 0"
expect '^init exited with status 0; powering off$' "init exited 0 and the machine powers off"
expect_memory_back
finish
