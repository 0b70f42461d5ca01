#!/usr/bin/env bash
# epoll (docs/vfs.md): init=/bin/epoll checks epoll_create1, level- and edge-triggered
# entries on a pipe, EPOLLONESHOT, MOD, DEL, epoll_ctl's errors (EEXIST, ENOENT, EBADF,
# EINVAL, EPERM, ELOOP, ENOSPC), timeouts of 0 and 50 ms, a wake-up by another
# process's write, a signal (EINTR), an entry going with its open file's last fd,
# EPOLLHUP, an instance inside another and in ppoll, and bad pointers changing nothing.
#   epoll.sh [INJECT]   with INJECT (vfs:midway:N...): the same run while VFS dies at that
#                       request (docs/resurrection.md), with no visible effect.
source "$(dirname "$0")/lib.sh"
inject=${1:-}
trap 'stop_qemu; rm -f "$log"' EXIT

boot_program epoll "$inject"
expect_checks epoll <<'CHECKS'
epoll_create1 with EPOLL_CLOEXEC: an anonymous node, 0600
epoll_create1's unknown flags: EINVAL
an epoll fd is not read: EINVAL
an empty pipe: nothing to report
level-triggered: reported while readable
edge-triggered: reported once
edge-triggered: a read is no new edge for EPOLLIN
edge-triggered: a write is a new edge
EPOLLONESHOT: once, then nothing though readable
MOD arms it again, with its new data
MOD: the events asked change
DEL: the fd is no longer watched
ADD twice: EEXIST
MOD, DEL of no entry: ENOENT
an fd that is not open: EBADF
the instance itself, no instance, an unknown op: EINVAL
EPOLLEXCLUSIVE: on ADD; MOD of it, or with EPOLLONESHOT: EINVAL
a regular file, a directory: EPERM
epoll_wait: maxevents 0, no instance, EBADF
past 1,024 entries: ENOSPC
closing the instances gives their entries back
a timeout of 50 ms passes
epoll_pwait2's timespec of 50 ms passes
epoll_pwait2's bad timespec: EINVAL
a wait without timeout woken by another process's write
a signal cuts a wait short: EINTR, even with SA_RESTART
the writer gone: EPOLLHUP, without asking
closing one of two fds of the open file keeps the entry
closing its last fd removes the entry
an instance inside another
ppoll of an instance with nothing ready: 0
ready inside: the outer reports it, ppoll sees POLLIN
a loop of instances: ELOOP
instances nested deeper than 5: ELOOP
the terminal: writable, nothing typed to read
the terminal, edge-triggered: once
ADD with an unmapped event: EFAULT, nothing added
a wait into an unmapped buffer: EFAULT, the event kept
CHECKS
expect '^epoll: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "the program ended"
expect_none 'panic|FAILED|killed by SIG' "no panic, no failed check, no crash"
finish
