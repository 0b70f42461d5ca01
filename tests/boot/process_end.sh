#!/usr/bin/env bash
# Every end of a process reaches PM and every process can be ended.
# - A process the kernel kills (a fault) is reported to PM (XINIM_PM_DEATH), which logs
#   it with Linux's signal and forgets it as after an exit; for PID 1 the machine powers
#   off saying so, as Linux's "init killed" would.
# - A process ended with KCALL_PROC_END while it computes at EL0, never calling the
#   kernel, dies at the next interrupt (proc_ender checks that its victims are gone).
source "$(dirname "$0")/lib.sh"

echo "== init=/bin/fault_null: killed by SIGSEGV, PM hears of it, the machine powers off"
boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/fault_null"
expect '^\[ *[0-9.]+\] proc 1 \(fault_null\): read translation fault .* addr 0, killed$' \
	"the kernel reports the fault"
expect '^pm: process 1 \(fault_null\) killed by SIGSEGV$' "PM logs the kill with Linux's signal"
expect '^init killed by SIGSEGV; powering off$' "init's death powers the machine off"
expect_none 'panic|exited with status' "no panic, and no exit status for a kill"

echo "== KCALL_PROC_END of a process that only computes"
boot "$hard_stop" '^proc_ender: [0-9]+ failures$' --append "run=proc_end_spinner,proc_ender"
expect '^proc_end_spinner: spinning$' "the victim computes"
expect '^proc_ender: process 16 ended \(0\): ok$' "it is gone soon after it was ended"
expect '^proc_ender: 0 failures$' "every victim died"
expect_none 'panic' "nothing panicked"
finish
