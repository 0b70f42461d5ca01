#!/usr/bin/env bash
# AF_INET sockets through VFS and NET over lwIP's loopback (docs/net.md, The VFS side):
# init=/bin/inet_sockets checks TCP echo between two processes, UDP echo,
# ECONNREFUSED, EADDRINUSE, a nonblocking connect, a peer gone (EPIPE, SIGPIPE and
# MSG_NOSIGNAL), poll and epoll readiness from NET's events, 1 MiB through a
# connection, 200 connections opened and closed, and bad input.
source "$(dirname "$0")/lib.sh"
trap 'stop_qemu; rm -f "$log"' EXIT

boot_program inet_sockets
expect_checks inet_sockets <<'CHECKS'
socket, bind 127\.0\.0\.1:7000, listen
accept: the peer's address
TCP echo between two processes over the loopback
UDP echo
connect to a closed port: ECONNREFUSED
a second bind to a port in use: EADDRINUSE
a nonblocking connect: EINPROGRESS
a peer gone: EPIPE or ECONNRESET, no SIGPIPE with MSG_NOSIGNAL
and SIGPIPE without it
poll: a listener with nothing to accept
poll: a connection to accept
epoll: bytes to read
read them
1 MiB through a connection, in order
200 connections opened and closed, no fd left behind
bind of a bad pointer: EFAULT
a short address: EINVAL
TCP_NODELAY
CHECKS
expect '^inet_sockets: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "the program ended"
expect_none 'panic|FAILED|killed by SIG' "no panic, no failed check, no crash"
finish
