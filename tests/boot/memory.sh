#!/usr/bin/env bash
# sysinfo reports the kernel's free memory, and it follows what a program maps: touching
# 8 MiB takes at least 8 MiB, unmapping gives every byte back, page tables included.
source "$(dirname "$0")/lib.sh"

echo "== init=/bin/memory_balance"
boot "$hard_stop" '^init exited with status [0-9]+' --append init=/bin/memory_balance
expect '^sysinfo: [1-9][0-9]* MiB of RAM, uptime [0-9]+ s$' "sysinfo gives the RAM and the uptime"
expect_none 'WRONG' "free memory dropped by the mapping and came back whole after munmap"
expect '^/proc/self/status with a terabyte mapped: VmSize [0-9]+ kB$' "/proc tells a terabyte mapped"
expect_none 'rs: mm .*(hung|died)' "MM answered at once: no hang, no restart"
expect '^memory_balance: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "it exited 0"
finish
