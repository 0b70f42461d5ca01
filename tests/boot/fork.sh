#!/usr/bin/env bash
# The process tree, first part (docs/processes.md): fork with copy-on-write, wait4 and
# zombies. init=/bin/fork_wait checks copy-on-write isolation, getppid, the status of
# an exit and of a SIGSEGV, 200 children forked and reaped, an orphan reaped by init,
# ECHILD and EINVAL, process groups and sessions; and every frame comes back once init
# has ended.
source "$(dirname "$0")/lib.sh"

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/fork_wait"
expect '^fork_wait: the child saw the parent.s page, wrote its own, and knew its parent: ok$' \
	"a forked child sees its parent's page, then its own copy after a write"
expect "^fork_wait: the parent's page is still its own: ok$" "the parent's page is untouched"
expect '^fork_wait: a child killed by SIGSEGV: WIFSIGNALED, WTERMSIG SIGSEGV: ok$' \
	"a child's SIGSEGV is its parent's wait status"
expect '^fork_wait: 200 of 200 children forked and reaped with their status$' \
	"200 children forked and reaped, each with its exit status"
expect '^fork_wait: its orphan went to init \(getppid 1\) and init reaped it: ok$' \
	"an orphan goes to init, which reaps it"
expect '^fork_wait: a child.s setsid: a session and a group of its own, led by it: ok$' \
	"setsid and setpgid: groups and sessions as POSIX says"
expect '^fork_wait: fork and execve: O_CLOEXEC fds closed, the others open, a caught signal back to its default, an ignored one still ignored: ok$' \
	"execve in a child: close-on-exec fds closed, signal dispositions reset as POSIX says"
expect '^fork_wait: fexecve: the program open at an fd runs: ok$' "fexecve (execveat, AT_EMPTY_PATH)"
expect '^fork_wait: execveat: a path relative to a directory fd: ok$' "execveat with a directory fd"
expect '^fork_wait: execveat refuses an empty path without AT_EMPTY_PATH, unknown flags, a bad fd: ok$' \
	"execveat's errors"
expect '^fork_wait: chdir, getcwd, and a relative path from there: ok$' "chdir and getcwd"
expect '^fork_wait: umask: 022 at first: ok$' "umask's default"
expect '^fork_wait: a child inherits the working directory and the umask: ok$' \
	"cwd and umask inherited at fork"
expect '^fork_wait: chdir and getcwd refuse as Linux \(ENOTDIR, ENOENT, ERANGE\): ok$' \
	"chdir's and getcwd's errors"
expect '^fork_wait: fchdir to the root; umask gives the old mask: ok$' "fchdir, umask"
expect '^fork_wait: access: X_OK, R_OK.W_OK on a device, W_OK for root, ENOENT, EINVAL: ok$' \
	"access (faccessat) as Linux"
expect '^fork_wait: readlink: /bin/sh is /bin/busybox; cut to the size; EINVAL for a file: ok$' \
	"readlink (readlinkat)"
expect '^fork_wait: statfs: the tree.s blocks and files, in all and free; fstatfs of a bad fd: EBADF: ok$' \
	"statfs, fstatfs"
expect '^fork_wait: sync, fsync, fdatasync, syncfs: done; a device.s fsync EINVAL; EBADF: ok$' \
	"the sync calls"
expect '^fork_wait: vfork: the parent goes on once its child has ended: ok$' \
	"vfork: the parent waits for its child's end"
expect '^fork_wait: vfork, then execve in the child: ok$' "vfork and execve"
expect '^fork_wait: a child sleeps 50 ms while its parent waits for it: ok$' \
	"nanosleep: a sleeping child, a waiting parent"
expect '^fork_wait: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "init ended"
expect_none 'panic|FAILED' "no panic, no failed check"
expect_count '^pm: process [0-9]+ \(fork_wait\) exited' 1 "only init's exit is the console's news"
expect_memory_back
finish
