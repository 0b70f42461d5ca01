#!/usr/bin/env bash
# Delegated Linux system calls: an unmodified musl program's calls go from the kernel to
# PM as sealed messages (and show in the trace as such); PM answers identity and uname
# (copied into the caller), -ENOSYS for what nobody serves (and says so once), -EFAULT
# for a bad pointer. Without the server, a system call gets -ENOSYS.
source "$(dirname "$0")/lib.sh"
exits='proc [0-9]+ \(syscalls_pm\): (exit status -?[0-9]+|.*killed)$'

for seal in on off; do
	echo "== system calls served by PM (ipc.seal=$seal)"
	boot "$hard_stop" "$exits" --append "run=pm,syscalls_pm ipc.seal=$seal"
	expect '^pm: serving as 65539$' "PM serves at PID 3, generation 1"
	expect '^syscalls_pm: getpid is the caller.s pid: 16$' "getpid answers the caller's PID"
	expect '^syscalls_pm: uname: XINIM 6\.1\.0-xinim #1 SMP aarch64$' "uname is copied into the caller"
	expect '^syscalls_pm: uname into a bad pointer: -14$' "uname into a bad pointer: -EFAULT"
	expect '^pm: system call 400 \(unknown\) from process 16: not implemented, -ENOSYS$' \
		"PM names a system call it does not serve"
	expect '^syscalls_pm: getpid in the trace, to PM and back: 1$' "the trace shows getpid going to PM and back"
	expect '^syscalls_pm: 0 failed$' "every check of the program passed"
	expect_count 'proc 16 \(syscalls_pm\): exit status 0$' 1 "syscalls_pm exited with status 0"
	expect_none 'panic|killed' "nothing panicked or was killed"
done

echo "== no server"
boot "$hard_stop" "$exits" --append run=syscalls_pm
expect '^syscalls_pm: getpid is the caller.s pid: -38 \(wrong\)$' "without PM, getpid is -ENOSYS"
expect_none 'panic|killed' "nothing panicked or was killed"
finish
