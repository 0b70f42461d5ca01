#!/usr/bin/env bash
# Bad buffers and arguments get Linux 6.1's answers on a real address space:
# /bin/bad_buffers runs as init and makes each call with a PROT_NONE, read-only, unmapped
# or kernel buffer, an fd with its upper 32 bits set, and vectors with bad lengths; it
# prints "NAME: got (want w): ok" for each, then the number of failures.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '^pm: process 1 \([a-z_-]+\) exited with status [0-9]+$' \
	--append "init=/bin/bad_buffers"
for check in "write from a PROT_NONE page" "write from a fresh PROT_NONE mapping" \
	"write from an untouched page made PROT_NONE" "write from address 16" \
	"write to the console from a kernel address" "write from above the program break" \
	"write from below the stack region" "write from an unmapped page" \
	"write to /dev/null from a kernel address" "write to /dev/null from an unmapped page" \
	"read of /dev/zero into a read-only page" "read of /dev/zero into a PROT_NONE page" \
	"getrandom into a read-only page" "readonly page unchanged" \
	"write to the /dev/null fd plus 1 << 32" "read of the /dev/zero fd plus 1 << 32" \
	"writev with a negative length" "writev whose lengths overflow ssize_t"; do
	expect "^$check: .*: ok$" "$check"
done
expect '^0 failures$' "every check gave Linux's answer"
expect '^pm: process 1 \(bad_buffers\) exited with status 0$' "the program ran to its end"
expect_none 'panic|killed|FAILED' "nothing panicked, was killed or failed"
finish
