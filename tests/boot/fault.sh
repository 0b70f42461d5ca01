#!/usr/bin/env bash
# A deliberate kernel fault, and a call of panic, give a readable report and halt every
# CPU; the W^X
# permissions of the kernel image hold (text not writable, rodata not writable, data
# not executable).
source "$(dirname "$0")/lib.sh"
halted='panic: (all [0-9]+ cpus halted|[0-9]+ of [0-9]+ other cpus halted)'
reg='[0-9a-f]{16}'

boot "$hard_stop" "$halted" --append test=fault
expect 'panic: cpu 0: kernel fault: data abort \(same EL\)$' "decoded exception class"
expect '^  write, translation fault at level [0-3]$' "decoded fault status"
expect "^  esr 0000000096[0-9a-f]{6}  elr ffff[0-9a-f]{12}  far 0000000000000000  spsr $reg\$" "ESR, ELR, FAR and SPSR"
expect '^  pc  test_fault\+0x[0-9a-f]+$' "faulting pc named"
for r in $(seq 0 30); do
	expect "  x$r +$reg" "register x$r printed"
done
expect "  sp  $reg" "sp printed"
expect '^backtrace:$' "backtrace header"
expect '^  #0  ffff[0-9a-f]{12}  test_fault\+0x' "backtrace frame 0 is the faulting function"
expect '^  #[1-9] +ffff[0-9a-f]{12}  selftest_run\+0x' "backtrace reaches the caller"
expect '^  #[1-9] +ffff[0-9a-f]{12}  kmain\+0x' "backtrace reaches kmain"
expect 'panic: all 4 cpus halted' "every cpu halted"

boot "$hard_stop" "$halted" --append test=panic
expect '^\[ *[0-9.]+\] panic: cpu 0: selftest panic with 42$' "panic message formatted"
expect '^  #0  ffff[0-9a-f]{12}  test_panic\+0x' "backtrace starts at the call of panic"
expect '^  #1  ffff[0-9a-f]{12}  selftest_run\+0x' "then its caller, once"
expect 'panic: all 4 cpus halted' "every cpu halted"

boot "$hard_stop" "$halted" --append test=wx
expect 'panic: cpu 0: kernel fault: data abort' "writing kernel text faults"
expect '^  write, permission fault at level 3$' "text is read-only"
expect '^  pc  test_write_text\+0x' "pc in test_write_text"

boot "$hard_stop" "$halted" --append test=rodata
expect '^  write, permission fault at level 3$' "rodata is read-only"
expect '^  pc  test_write_rodata\+0x' "pc in test_write_rodata"

boot "$hard_stop" "$halted" --append test=nx
expect 'panic: cpu 0: kernel fault: instruction abort \(same EL\)' "executing data faults"
expect '^  fetch, permission fault at level 3$' "data is not executable"
expect 'panic: all 4 cpus halted' "every cpu halted"
finish
