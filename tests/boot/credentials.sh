#!/usr/bin/env bash
# Credentials, resource limits and CPU time (docs/processes.md): init=/bin/credentials
# switches uids and gids in a child and checks every get* value and refusal, forks until
# RLIMIT_NPROC refuses (EAGAIN), then forks until the system refuses (EAGAIN or ENOMEM)
# and goes on, mallocs under RLIMIT_AS and RLIMIT_DATA until NULL, checks RLIMIT_NOFILE
# and RLIMIT_STACK, times(), getrusage, the CPU-time clocks and affinity; and every frame
# comes back once init has ended.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/credentials"
expect '^credentials: uid and gid switches in a child: ok$' "uid and gid switches, get* values and refusals"
expect '^credentials: unprivileged: setreuid, setuid\(0\), setresuid\(0, 0, 0\) refused, EPERM: ok$' \
	"an unprivileged process cannot become root"
expect '^credentials: a child inherits every id: ok$' "ids inherited at fork"
expect "^credentials: kill of root's init as uid 2000: EPERM: ok$" "kill's permission: refused"
expect "^credentials: kill of its own uid's child: allowed: ok$" "kill's permission: allowed"
expect '^credentials: execve: the saved uid becomes the effective one: ok$' "ids at execve"
expect '^rs: status: Operation not permitted$' "RS refuses the rs command of uid 1000"
expect '^credentials: rs status as uid 1000: refused \(RS asks PM\): ok$' "its exit status"
expect '^credentials: RLIMIT_NPROC: the fourth process of the uid is refused, EAGAIN: ok$' \
	"RLIMIT_NPROC refuses a fork with EAGAIN"
expect '^credentials: forks until refused: EAGAIN or ENOMEM: ok$' "forks until the system refuses one"
expect '^credentials: every orphan reaped by init: ok$' "the children all end and are reaped"
expect '^credentials: the system goes on: a fork after all that: ok$' "the system keeps running"
expect '^credentials: RLIMIT_AS: malloc gets NULL, a bigger mmap ENOMEM: ok$' "malloc under RLIMIT_AS until NULL"
expect '^credentials: RLIMIT_DATA: malloc gets NULL, read-only mappings go on: ok$' "RLIMIT_DATA: malloc NULL, brk refused past it"
expect '^credentials: RLIMIT_NOFILE 5: fd 5 refused \(EMFILE, EBADF, EINVAL\): ok$' "RLIMIT_NOFILE in VFS"
expect '^credentials: RLIMIT_STACK 256 KiB at exec: 512 KiB down is not \(SIGSEGV\): ok$' \
	"RLIMIT_STACK sizes exec's stack"
expect '^credentials: times\(\) grows after a busy loop: ok$' "times() grows after a busy loop"
expect "^credentials: wait4's rusage of a busy child: ok$" "wait4 fills the rusage"
expect '^credentials: sched_setaffinity to CPU 1: ok$' "sched_setaffinity"
expect '^credentials: it runs on CPU 1 alone from then on: ok$' "the kernel keeps it on CPU 1"
expect '^credentials: a forked child inherits CPU 1 and runs there: ok$' "fork hands the CPUs down"
expect '^credentials: moved to CPU 3: ok$' "a new set moves it"
expect '^credentials: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
expect_memory_back
finish
