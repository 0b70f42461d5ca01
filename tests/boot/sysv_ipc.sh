#!/usr/bin/env bash
# System V semaphores and message queues (docs/processes.md): init=/bin/sysv_ipc takes
# turns with a child on semaphores, gets a killed child's SEM_UNDO hold back, times out
# in semtimedop, passes messages of several types across fork, has a blocked msgrcv
# interrupted by a handler (EINTR), wakes waiters with IPC_RMID (EIDRM), and leaves no
# set or queue; every frame comes back once init has ended.
#   sysv_ipc.sh [INJECT]   with INJECT (pm:midway:150...): the same run while PM dies at
#                          that request (docs/resurrection.md), with no visible effect.
source "$(dirname "$0")/lib.sh"
inject=${1:-}

boot_program sysv_ipc "$inject"
expect_checks sysv_ipc <<'CHECKS'
semget\(IPC_PRIVATE\) of two semaphores
a parent and its child take 100 turns each on two semaphores
IPC_STAT, GETVAL and GETPID after the turns
IPC_RMID of the set
SEM_UNDO: a killed child's hold is given back
semtimedop times out with EAGAIN after its timeout
an array that cannot complete changes nothing
msgget\(IPC_PRIVATE\)
msgrcv by type: 2, then the lowest up to 3, then the oldest
the child received the parent's reply of type 10
E2BIG, then MSG_NOERROR truncates
IPC_NOWAIT: ENOMSG
IPC_STAT of the queue
a blocked msgrcv: the handler runs and it fails with EINTR, even under SA_RESTART
IPC_RMID of a set: its waiter fails with EIDRM
IPC_RMID of a queue: its waiter fails with EIDRM
SEM_INFO and MSG_INFO: no set, queue or message left
CHECKS
expect '^sysv_ipc: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
expect_memory_back
finish
