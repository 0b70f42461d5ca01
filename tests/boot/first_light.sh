#!/usr/bin/env bash
# First light: unmodified static programs on Debian's musl and dietlibc run as PID 1,
# started by PM through execve semantics (read through VFS, address space built by MM),
# and every system call they make is served by VFS, PM or MM: the trace (read by
# trace_syscalls as they run) shows each as a call to its server and the server's reply.
source "$(dirname "$0")/lib.sh"
exited='^pm: process 1 \([a-z-]+\) exited with status [0-9]+$'
traced='^trace: records lost'

# expect_served NAME NUMBER SERVER: the trace shows NAME's calls going to SERVER, each replied.
expect_served() {
	expect "^trace: $1 \\($2\\) -> $3: ([1-9][0-9]*) calls, \\1 replies$" "$1: calls to $3, each answered"
}

for program in hello-musl hello-diet; do
	echo "== init=/bin/$program"
	# trace_syscalls reads the trace rings while the program runs; both run in guest time
	# (-icount), so whether it keeps up does not depend on the host.
	boot "$hard_stop" "$traced" --append "run=pm,vfs,mm,trace_syscalls init=/bin/$program init.exit=halt"
	expect "^pm: init /bin/$program started as process 1$" "PM started $program as PID 1"
	expect '^\[ *[0-9]+\.[0-9]{6}\] rtc: pl031 at 9010000, 20[0-9]{2}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] UTC$' \
		"the kernel read the PL031 at boot and logged the date"
	expect "^hello from /bin/$program \\(1 arguments\\): pid 1$" "printf works and getpid is 1"
	expect '^malloc and calloc 1024 KiB: ok$' "1 MiB allocated, every page faulted in zeroed"
	expect '^malloc and calloc 8192 KiB: ok$' "8 MiB allocated, every page faulted in zeroed"
	expect '^/etc/issue: 6 bytes: XINIM$' "a file of the boot archive is opened and read"
	expect '^stat: ok$' "stat agrees with what was read"
	expect '^read into a bad pointer: EFAULT: ok$' "read into a bad pointer: -EFAULT"
	expect '^write from a bad pointer: EFAULT: ok$' "write from a bad pointer: -EFAULT"
	expect '^open a bad path: EFAULT: ok$' "openat of a bad path: -EFAULT"
	expect '^an unknown system call: ENOSYS: ok$' "an unknown system call: -ENOSYS, and it goes on"
	expect '^time is after 2020-01-01: ok$' "time(NULL) is the RTC's time of day, not 1970's"
	expect "^/bin/$program: 0 failures$" "every check of the program passed"
	expect "^pm: process 1 \\($program\\) exited with status 0$" "PM logs the exit status 0"
	expect_none 'panic|killed|FAILED' "nothing panicked, was killed or failed"
	expect_served openat 56 vfs
	expect_served read 63 vfs
	expect_served close 57 vfs
	expect_served newfstatat 79 vfs
	expect_served mmap 222 mm
	expect_served munmap 215 mm
	expect_served getpid 172 pm
	expect_served unknown 500 pm
	expect '^trace: (write \(64\)|writev \(66\)) -> vfs: ([1-9][0-9]*) calls, \2 replies$' "printf: writes to VFS, each answered"
	expect '^trace: (exit \(93\)|exit_group \(94\)) -> pm: 1 calls' "the exit goes to PM"
	expect '^trace: page faults -> mm: ([1-9][0-9]*) calls, \1 replies$' "page faults: calls to MM, each answered"
	expect_none '^trace: .*(several servers|another process)' "no system call went anywhere else"
	expect '^trace: records lost 0, calls not counted 0$' "the trace lost nothing, so the counts are whole"
done

echo "== EXTRA_ROOTFS: a program of one's own as init, a file replaced"
extra=$(mktemp -d)
trap 'stop_qemu; rm -f "$log"; rm -rf "$extra"' EXIT
mkdir -p "$extra/x" "$extra/etc"
cp "$build/userland/bin/hello-musl" "$extra/x/prog"
printf 'XINIM\nreplaced by EXTRA_ROOTFS\n' >"$extra/etc/issue"
boot "$hard_stop" "$exited" --append "init=/x/prog one two" --extra-rootfs "$extra"
expect '^hello from /x/prog \(3 arguments\): pid 1$' "/x/prog runs as PID 1 with init='s arguments"
expect '^/etc/issue: 31 bytes: XINIM$' "the extra tree's /etc/issue replaced the archive's"
expect '^/x/prog: 0 failures$' "every check of the program passed"
expect '^pm: process 1 \(prog\) exited with status 0$' "PM logs its exit status 0"

finish
