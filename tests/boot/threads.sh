#!/usr/bin/env bash
# Threads (docs/processes.md, Threads): init=/bin/threads runs musl's pthreads on the
# 4 CPUs -- mutexes, condition variables, semaphores, a robust mutex, a signal to one
# thread, 200 threads, exit, fork and execve in a threaded process; every frame comes
# back once init has ended.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/threads"
while read -r line; do
	expect "^threads: ${line}: ok\$" "$line"
done <<'CHECKS'
8 threads summed 1..200000 under a mutex, started together by a condition variable
each thread had its own TID and its own TLS, and pthread_join gave its result
the workers ran on more than one CPU \(getcpu\)
pthread_cond_timedwait times out with ETIMEDOUT
1000 semaphore ping-pongs between two threads
FUTEX_WAKE_OP: the word set atomically, the waiter on it woken
a robust mutex whose owner ended: EOWNERDEAD
pthread_kill: the handler ran in the thread it was sent to
CLOCK_THREAD_CPUTIME_ID counts each thread's own time, the process's all of it
200 threads created and joined one after another
exit from a threaded process ends all its threads
execve from a second thread: the others end, the program runs with its TID the PID
fork in a threaded process: the child runs its one thread
CHECKS
expect '^threads: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
expect_memory_back
finish
