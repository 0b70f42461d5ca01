#!/usr/bin/env bash
# Pipes and FIFOs (docs/vfs.md): init=/bin/pipes checks pipe2, EOF, SIGPIPE and EPIPE,
# O_NONBLOCK and PIPE_BUF, 4 MiB between two processes, signals cutting a blocked read
# short, poll, FIONREAD and a named FIFO; then BusyBox's shell runs pipelines over a file
# larger than a pipe, here-documents and command substitution; free and df read /proc.
source "$(dirname "$0")/lib.sh"
extra=$(mktemp -d)
trap 'stop_qemu; rm -f "$log"; rm -rf "$extra"' EXIT

boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/pipes"
while read -r line; do
	expect "^pipes: ${line}: ok\$" "$line"
done <<'CHECKS'
pipe2 with O_CLOEXEC
a pipe is a FIFO, not seekable
bytes through, FIONREAD
a read or write of 0 bytes: 0 at once, empty pipe or not
end of file once the writer is gone
pipe2's unknown flags: EINVAL
a pipe whose reader is gone
writing to it: SIGPIPE, then EPIPE
SIGPIPE's default ends the writer
O_NONBLOCK: an empty pipe's read is EAGAIN
a full pipe: 64 KiB, then EAGAIN
to the last byte
PIPE_BUF: a write of 200 bytes with 100 free goes in whole or not at all
poll: readable, not writable when full
4 MiB between two processes, in order, each write whole
a blocked read cut short by a signal: EINTR
with SA_RESTART the read goes on after the handler
select: an empty pipe writable not readable, a timeout, then readable
select of a closed fd: EBADF
mkfifo
a writer without a reader, O_NONBLOCK: ENXIO
a FIFO's two ends meet by name
CHECKS
expect '^pipes: 0 failures$' "every check passed"
expect_none 'panic|FAILED' "no panic, no failed check"

mkdir -p "$extra/x"
cat >"$extra/x/pipelines.sh" <<'SCRIPT'
#!/bin/sh
mkdir -p /tmp && cd /tmp
seq 1 100000 > big
echo "lines $(cat big | wc -l)"
cat big big | sort -n | uniq -c | tail -1 | head -1
echo hello | tr a-z A-Z
cat <<END
here $((6 * 7))
END
yes | head -2 | wc -l
free | grep '^Mem:'
df / | tail -1
cat /proc/uptime /proc/loadavg
echo "through /dev/stdin" | cat /dev/stdin
echo "through /dev/fd/1" > /dev/fd/1
echo "exe $(readlink /proc/self/exe), fd 2 $(readlink /proc/self/fd/2)"
sleep 1000 | sleep 1000 &
echo "reader's fd 0: $(readlink /proc/$!/fd/0)"
grep -E '^[0-9a-f]{8,}-[0-9a-f]{8,} r-xp 00000000 00:00 0 *$' /proc/self/maps | head -1 | sed 's/^/code: /'
grep '\[stack\]$' /proc/self/maps | sed 's/^.* rw-p .*/stack: rw-p/'
# A process just made (BusyBox runs cut in the forked shell: the shell's name) is in PM's
# table: its name, not a stand-in's "?".
echo "stat: $(cut -d' ' -f2,3 /proc/self/stat), cmdline: $(tr '\0' ' ' < /proc/self/cmdline)"
kill $!
SCRIPT
chmod 755 "$extra/x/pipelines.sh"
boot "$hard_stop" '; powering off$|^panic' --append "init=/x/pipelines.sh" --extra-rootfs "$extra"
expect '^lines 100000$' "a file larger than a pipe through cat and wc"
expect '^ +2 100000$' "a five-stage pipeline: cat, sort, uniq -c, tail, head"
expect '^HELLO$' "echo | tr"
expect '^here 42$' "a here-document"
expect '^2$' "yes | head: the writer ends by SIGPIPE"
expect '^Mem: +[1-9][0-9]+ +[1-9][0-9]+ +[1-9][0-9]+ ' "free: the machine's memory from /proc/meminfo"
expect '^tmpfs +[1-9][0-9]+ +[0-9]+ +[1-9][0-9]+ +[0-9]+% /$' "df: the tree from /proc/mounts and statfs"
expect '^[0-9]+\.[0-9]{2} [0-9.]+$' "/proc/uptime"
expect '^0\.00 0\.00 0\.00 ' "/proc/loadavg"
expect '^through /dev/stdin$' "cat /dev/stdin opens the pipe again through /proc/self/fd/0"
expect '^through /dev/fd/1$' "a write to /dev/fd/1"
expect '^exe /bin/busybox, fd 2 /dev/console$' "/proc/self/exe and fd/2 name their files"
expect "^reader's fd 0: pipe:\\[[0-9]+\\]$" "a pipeline's reader: its fd 0 is a pipe"
expect '^code: [0-9a-f]+-[0-9a-f]+ r-xp ' "/proc/self/maps: the program's code"
expect '^stack: rw-p$' "/proc/self/maps: the stack, read-write"
expect '^stat: \([a-z][a-z.]*\) R, cmdline: tr \\0   $' "/proc/self/stat of a process just made, and cmdline"
expect '^init exited with status 0; powering off$' "the script ended"
expect_none 'panic|killed by SIGSEGV|hung' "no panic, no crash, no hang"
finish
