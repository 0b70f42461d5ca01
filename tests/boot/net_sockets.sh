#!/usr/bin/env bash
# AF_INET sockets as programs use them (userland/test/inet_sockets.c): UDP echo, TCP
# between two processes, Linux's errors, a nonblocking connect, 200 connections.
source "$(dirname "$0")/lib.sh"

echo "== inet_sockets over lo"
boot "$hard_stop" '; powering off$|^panic' --append "init=/bin/inet_sockets"
expect_count '^inet_sockets: .*: FAILED$' 0 "no check failed"
expect '^inet_sockets: 0 failures$' "inet_sockets: 0 failures"
expect_none 'panic|rs: net .*died' "no panic, NET never died"
finish
