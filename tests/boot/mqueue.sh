#!/usr/bin/env bash
# POSIX message queues (docs/vfs.md, Message queues): init=/bin/mqueue makes queues and
# checks their names and attributes, another user's permissions and ceilings, priorities,
# the limits' errors, receives and sends that wait (for a child, a timeout, a signal),
# mq_notify's signal, unlink while open, poll, the queue file's text, bad pointers, and
# queues, a registration and a wait across a restart of VFS.
#   mqueue.sh [INJECT]   with INJECT (vfs:midway:N...): the same run while VFS dies at
#                        that request (docs/resurrection.md), with no visible effect.
source "$(dirname "$0")/lib.sh"
inject=${1:-}

boot_program mqueue "$inject"
expect_checks mqueue <<'CHECKS'
a queue made with its attributes
its fd is close-on-exec
the queue is a file of mode 0600 and 80 bytes
write and fallocate on it: EINVAL, EOPNOTSUPP
on a file system of its own \(MQUEUE_MAGIC\)
O_CREAT \| O_EXCL of an existing queue: EEXIST
opened again by name
without attributes: 10 messages of 8192 bytes
no such queue: ENOENT
the name "/": ENOENT
a name with a second slash: EACCES
a name of 256 bytes: ENAMETOOLONG
attributes out of range: EINVAL
attributes are not looked at for an existing queue
O_RDWR \| O_WRONLY of an existing queue: EINVAL
another user: EACCES, the ceilings 10 and 8192, its own queue, RLIMIT_MSGQUEUE's EMFILE
highest priority first, first in first out within one
a message of 0 bytes
a message longer than mq_msgsize: EMSGSIZE
a buffer shorter than mq_msgsize: EMSGSIZE
priority 32768: EINVAL
O_NONBLOCK: an empty queue's receive is EAGAIN
O_NONBLOCK: a full queue's send is EAGAIN
mq_setattr clears O_NONBLOCK, gives the old
mq_setattr of another flag: EINVAL
a bad timeout is not looked at when the call need not wait
a bad timeout of a call that must wait: EINVAL
a send on a read-only fd, a receive on a write-only one: EBADF
an fd of no queue: EBADF
a blocked receive woken by a child's send
mq_timedreceive: ETIMEDOUT after its time
a timeout already past: ETIMEDOUT at once
mq_timedsend to a full queue: ETIMEDOUT
a blocked send goes in once a child receives
a blocked receive cut short by a signal: EINTR
with SA_RESTART the receive goes on after the handler
mq_notify registers
another process's registration: EBUSY
a message into the empty queue: the signal, SI_MESGQ, sigev_value
the registration ends when it fires: one signal
no signal for a message into a queue not empty
the next message into the empty queue: the signal
mq_notify\(NULL\) removes the registration
reading the queue's file: QSIZE and NOTIFY
and the registration
an unknown sigev_notify: EINVAL
mq_unlink
the name is gone
mq_unlink again: ENOENT
a new queue of that name is another, empty
the unlinked queue lives while it is open
a dup'd fd is the same queue
poll: an empty queue is writable
poll: a full queue is readable
poll waits for a child's message
mq_send from a bad buffer: EFAULT, nothing sent
mq_receive into a bad buffer: EFAULT, the message stays
a bad priority pointer: EFAULT, the message stays
mq_open of a bad name: EFAULT
mq_open with bad attributes: EFAULT
mq_getattr into a bad pointer: EFAULT
mq_notify of a bad pointer: EFAULT
mq_unlink of a bad name: EFAULT
mq_setattr with a bad old pointer: EFAULT, the flags as they were
after VFS's restart: the queue and its messages, in order
the child's wait went on: it got each message once
the registration kept across the restart fires
after its owner's execve a registration stays and signals nothing
CHECKS
expect '^mqueue: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
finish
