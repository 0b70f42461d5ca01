#!/usr/bin/env bash
# What Linux lets a program do at EL0 without a system call does not kill it here:
# CTR_EL0, DCZID_EL0 and the virtual counter read, __builtin___clear_cache (DC CVAU,
# IC IVAU) over fresh and executable pages, DC CIVAC, DC ZVA, WFI (trapped and skipped,
# as on Linux) and WFE; the PMU's event counter SIGILL, as on Linux, and with pmu.user=on
# instructions retired (a second boot). /bin/el0_access checks each as PID 1.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '^pm: process 1 \([a-z0-9_-]+\) (exited with status [0-9]+|killed)|, killed$' \
	--append "init=/bin/el0_access"
for what in 'CTR_EL0 reads \(bit 31 is RES1\)' 'CTR_EL0 gives cache lines of 16 bytes or more' \
	'__builtin___clear_cache over a fresh heap buffer' 'dc civac' \
	'__builtin___clear_cache over program text' \
	'code written, made executable, cache cleared, called' 'CNTFRQ_EL0 reads' \
	'CNTVCT_EL0 reads and advances' 'dc zva zeroes one block and nothing else' \
	'wfi returns' 'wfe returns' 'PMEVCNTR0_EL0 is SIGILL without pmu.user=on'; do
	expect "^$what: ok\$" "$what"
done
expect '^el0_access: 0 failures$' "every check passed"
expect '^pm: process 1 \(el0_access\) exited with status 0$' "the program ran to its end"
expect_none 'panic|killed|FAILED' "nothing panicked, was killed or failed"

boot "$hard_stop" '^pm: process 1 \([a-z0-9_-]+\) (exited with status [0-9]+|killed)|, killed$' \
	--append "init=/bin/el0_access pmu pmu.user=on"
expect '^PMEVCNTR0_EL0 counts the instructions of a loop: ok$' "pmu.user=on: the event counter reads"
expect '^pm: process 1 \(el0_access\) exited with status 0$' "pmu.user=on: the program ran to its end"
finish
