#!/usr/bin/env bash
# Memory calls that Linux refuses are refused with Linux's errno and change nothing:
# /bin/mm_refused runs as init, makes each (a MAP_FIXED mmap at 0 over its own program
# first), and after each checks that it still runs and that its data, heap and mappings
# hold what it wrote. Then 65,530 regions (Linux's vm.max_map_count), a MAP_FIXED mmap
# that does not fit in a full table, and 2,000 brk cycles up to 7.8 GiB.
source "$(dirname "$0")/lib.sh"
# A program whose text a refused call unmapped dies of a fault: stop there too.
boot "$hard_stop" '^pm: process 1 \([a-z_-]+\) exited with status [0-9]+$|killed' \
	--append "init=/bin/mm_refused"
expect '^mmap MAP_FIXED 64 MiB at 0: .*: ok$' "MAP_FIXED below 64 KiB: -EPERM"
expect '^memory intact after MAP_FIXED at 0: ok$' "...and the program's memory is untouched"
expect '^mmap MAP_FIXED at 0x1000: .*: ok$' "MAP_FIXED at 0x1000: -EPERM"
expect '^mmap hint 0x1000 is moved above 64 KiB: ok$' "a hint below 64 KiB is moved"
expect '^mmap length 0: .*: ok$' "length 0: -EINVAL"
expect '^mmap length rounding up to 0: .*: ok$' "a length that wraps: -ENOMEM"
expect '^mmap length 2\^48: .*: ok$' "a length past user space: -ENOMEM"
expect '^mmap MAP_FIXED at a kernel address: .*: ok$' "MAP_FIXED at a kernel address: -ENOMEM"
expect '^mmap MAP_FIXED across the user limit: .*: ok$' "MAP_FIXED across the user limit: -ENOMEM"
expect '^mmap an unaligned offset: .*: ok$' "an unaligned offset: -EINVAL"
expect '^mmap a file mapping of fd -1: .*: ok$' "a file mapping of no fd: -EBADF"
expect '^mmap writable and executable \(W\^X, deliberate\): .*: ok$' "W^X: -EACCES"
expect '^memory intact after the refused mmaps: ok$' "the refusals changed nothing"
expect '^madvise unknown advice: .*: ok$' "unknown advice: -EINVAL"
expect '^2000 brk cycles: ok$' "the break grows by 8 MiB and shrinks by 4 MiB 2,000 times"
expect '^brk back to its start: ok$' "and goes back down"
expect '^more than 32,000 alternate mprotects succeed: ok$' "65,530 regions a process"
expect '^then mprotect fails with ENOMEM: ok$' "then -ENOMEM"
expect '^mmap MAP_FIXED splitting a region with the table full: .*: ok$' \
	"MAP_FIXED that needs a split the full table has no room for: -ENOMEM"
expect '^memory intact after MAP_FIXED with the table full: ok$' "...and its pages are still there"
expect '^memory intact after everything: ok$' "the program's memory at the end"
expect '^0 failures$' "every check of the program passed"
expect '^pm: process 1 \(mm_refused\) exited with status 0$' "it exited normally"
expect_none 'panic|killed|FAILED' "nothing panicked, was killed or failed"
finish
