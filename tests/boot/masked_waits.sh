#!/usr/bin/env bash
# Waits under their own signal mask (docs/vfs.md, Calls that wait): init=/bin/masked_waits
# checks ppoll, pselect and epoll_pwait with a mask that lets a signal through (pending
# before the call, or coming while it waits: EINTR, the handler under the call's mask)
# or blocks it (the timeout), the thread's own mask back after each, and bad masks.
source "$(dirname "$0")/lib.sh"

boot_program masked_waits
expect_checks masked_waits <<'CHECKS'
ppoll: a pending signal its mask lets through: EINTR at once, the handler ran under the call's mask, the thread's own back
ppoll: a signal its mask blocks: the timeout, then the signal once unblocked
ppoll: a signal that comes while it waits ends it \(EINTR\), the thread's mask back
pselect: a pending signal its mask lets through: EINTR at once, the handler ran under the call's mask, the thread's own back
pselect: a signal its mask blocks: the timeout, then the signal once unblocked
pselect: a signal that comes while it waits ends it \(EINTR\), the thread's mask back
epoll_pwait: a pending signal its mask lets through: EINTR at once, the handler ran under the call's mask, the thread's own back
epoll_pwait: a signal its mask blocks: the timeout, then the signal once unblocked
epoll_pwait: a signal that comes while it waits ends it \(EINTR\), the thread's mask back
a mask size other than 8: EINVAL
a mask at a bad address: EFAULT
a mask and nothing to wait for: 0, the mask as it was
CHECKS
expect '^masked_waits: 0 failures$' "every check passed"
expect_none 'panic|FAILED' "no panic, no failed check"
finish
