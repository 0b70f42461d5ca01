#!/usr/bin/env bash
# First light: unmodified static programs on Debian's musl and dietlibc run as PID 1,
# started by PM through execve semantics (read through VFS, address space built by MM),
# and every system call they make is served by VFS, PM or MM.
source "$(dirname "$0")/lib.sh"
exited='^pm: process 1 \([a-z-]+\) exited with status [0-9]+$'

for program in hello-musl hello-diet; do
	echo "== init=/bin/$program"
	boot 60 "$exited" --append "init=/bin/$program"
	expect "^pm: init /bin/$program started as process 1$" "PM started $program as PID 1"
	expect "^hello from /bin/$program \\(1 arguments\\): pid 1$" "printf works and getpid is 1"
	expect '^malloc and calloc 1024 KiB: ok$' "1 MiB allocated, every page faulted in zeroed"
	expect '^malloc and calloc 8192 KiB: ok$' "8 MiB allocated, every page faulted in zeroed"
	expect '^/etc/issue: 6 bytes: XINIM$' "a file of the boot archive is opened and read"
	expect '^stat: ok$' "stat agrees with what was read"
	expect '^read into a bad pointer: EFAULT: ok$' "read into a bad pointer: -EFAULT"
	expect '^write from a bad pointer: EFAULT: ok$' "write from a bad pointer: -EFAULT"
	expect '^open a bad path: EFAULT: ok$' "openat of a bad path: -EFAULT"
	expect '^an unknown system call: ENOSYS: ok$' "an unknown system call: -ENOSYS, and it goes on"
	expect "^/bin/$program: 0 failures$" "every check of the program passed"
	expect "^pm: process 1 \\($program\\) exited with status 0$" "PM logs the exit status 0"
	expect_none 'panic|killed|FAILED' "nothing panicked, was killed or failed"
done

echo "== plain boot: /sbin/init"
boot 60 "$exited"
expect '^init: XINIM is up \(pid 1\)' "/sbin/init runs as PID 1"
expect '^pm: process 1 \(init\) exited with status 0$' "and exits 0"

finish
