#!/usr/bin/env bash
# Every end of a process reaches PM and every process can be ended.
# - A process the kernel kills (a fault) is reported to PM (XINIM_PM_DEATH), which logs
#   it with Linux's signal and forgets it as after an exit; for PID 1 the machine powers
#   off saying so, as Linux's "init killed" would. Running out of memory is its own
#   kill (SIGKILL, "out of memory"), not a segfault, and harms nothing else.
# - A process ended with KCALL_PROC_END dies whatever it does: computing at EL0 (at the
#   next interrupt), blocked in a receive, or in a call its server has taken (the
#   server's reply and copies then get -ESRCH). proc_ender checks its victims are gone.
source "$(dirname "$0")/lib.sh"

echo "== init=/bin/fault_null: killed by SIGSEGV, PM hears of it, the machine powers off"
boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/fault_null"
expect '^\[ *[0-9.]+\] proc 1 \(fault_null\): read translation fault .* addr 0, killed$' \
	"the kernel reports the fault"
expect '^pm: process 1 \(fault_null\) killed by SIGSEGV$' "PM logs the kill with Linux's signal"
expect '^init killed by SIGSEGV; powering off$' "init's death powers the machine off"
expect_memory_back
expect_none 'panic|exited with status' "no panic, and no exit status for a kill"

echo "== init=/bin/oom_touch on 128 MiB: killed for want of memory, not as a segfault"
boot "$hard_stop" '; powering off$|^panic' --mem 128M --append "init=/bin/oom_touch"
expect '^oom_touch: touching 1 GiB$' "the program runs"
expect '^\[ *[0-9.]+\] proc 1 \(oom_touch\): out of memory at [0-9a-f]+ addr [0-9a-f]+, killed$' \
	"the kernel says out of memory"
expect '^pm: process 1 \(oom_touch\) killed by SIGKILL \(out of memory\)$' \
	"PM says SIGKILL, out of memory (Linux's OOM killer)"
expect '^init killed by SIGKILL; powering off$' "the machine powers off"
expect_memory_back
expect_none 'panic|SIGSEGV|translation fault|FAILED' "no panic, and no segfault reported"

echo "== KCALL_PROC_END of processes computing, receiving, and in a call already taken"
boot "$hard_stop" '^proc_ender: [0-9]+ failures$' \
	--append "run=proc_end_spinner,proc_end_receiver,proc_end_caller,proc_ender"
expect '^proc_end_spinner: spinning$' "one victim computes"
expect '^proc_end_receiver: waiting$' "one waits in a receive"
expect '^proc_end_caller: calling proc_ender$' "one waits in a call"
expect '^proc_ender: process 16 ended \(0\): ok$' "the computing one dies at an interrupt"
expect '^proc_ender: process 17 ended \(0\): ok$' "the receiving one dies"
expect '^proc_ender: process 18 ended \(0\): ok$' "the caller dies, its call taken and unanswered"
expect '^proc_ender: a copy from the ended caller is refused \(-3\): ok$' "a copy from it: -ESRCH"
expect '^proc_ender: a reply to the ended caller is refused \(-3\): ok$' "a reply to it: -ESRCH"
expect '^proc_ender: 0 failures$' "every victim died"
expect_none 'panic|FAILED' "nothing panicked, no wait returned to a victim"
finish
