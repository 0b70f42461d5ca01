#!/usr/bin/env bash
# One huge request does not hold a server: /bin/big_transfer (init) reads 192 MiB of
# /dev/zero (VFS) and asks getrandom for 16 MiB (PM), and gets every byte (Linux's
# count), while served_meanwhile, started by the kernel at the servers' priority, makes
# small calls to both and times them. Under -icount, in guest time: its window covers
# both huge calls, and neither server kept it waiting more than BOUND_US. Before VFS and
# PM did long transfers a slice at a time, its calls waited for each whole transfer.
source "$(dirname "$0")/lib.sh"
# A slice of a transfer takes well under 1 ms; the rest is the CPUs' turns: 10-20 ms
# here, up to ~110 ms on a loaded host (where QEMU's turns between vCPUs move). Each huge
# call takes longer than the bound (~390 ms, ~470 ms), so a server that served one whole
# still fails it.
BOUND_US=250000

boot_n "$hard_stop" 2 '^(served_meanwhile: from .*|pm: process 1 \(big_transfer\) exited .*)$' \
	--append "run=pm,vfs,mm,served_meanwhile init=/bin/big_transfer init.exit=halt"
number='([0-9]+)'
expect "^big_transfer: read of /dev/zero: returned 201326592 \\(want 201326592\\)" \
	"a 192 MiB read of /dev/zero returns 192 MiB, as on Linux"
expect '^big_transfer: the buffer is zeros: ok$' "and fills the buffer with zeros"
expect "^big_transfer: getrandom: returned 16777216 \\(want 16777216\\)" \
	"a 16 MiB getrandom returns 16 MiB, as on Linux"
line() { grep -aE "$1" "$log" | head -1; }
read_line=$(line '^big_transfer: read of /dev/zero:')
random_line=$(line '^big_transfer: getrandom:')
window=$(line '^served_meanwhile: from ')
span='from ([0-9]+) to ([0-9]+) ticks'
what="the small calls' window covers both huge calls"
if [[ $window =~ $span.*VFS\ $number\ us,\ PM\ $number\ us ]]; then
	w0=${BASH_REMATCH[1]} w1=${BASH_REMATCH[2]} vfs=${BASH_REMATCH[3]} pm=${BASH_REMATCH[4]}
	[[ $read_line =~ $span ]] && r0=${BASH_REMATCH[1]}
	[[ $random_line =~ $span ]] && g1=${BASH_REMATCH[2]}
	check test -n "${r0:-}" -a -n "${g1:-}" -a "$w0" -lt "${r0:-0}" -a "$w1" -gt "${g1:-0}"
	what="VFS answered every small call within $BOUND_US us (slowest $vfs us)"
	check test "$vfs" -lt "$BOUND_US"
	what="PM answered every small call within $BOUND_US us (slowest $pm us)"
	check test "$pm" -lt "$BOUND_US"
else
	check false
fi
expect_none 'panic|killed|FAILED' "nothing panicked, was killed or failed"
finish
