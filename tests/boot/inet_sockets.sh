#!/usr/bin/env bash
# AF_INET sockets through VFS and NET over lwIP's loopback (docs/net.md, The VFS side):
# init=/bin/inet_sockets, the same binary that passes on Linux, checks TCP between two
# processes (1 MiB each way), MSG_PEEK, MSG_DONTWAIT, SO_RCVTIMEO, options, MSG_WAITALL,
# shutdown, ECONNREFUSED (blocking and not), EADDRINUSE, a peer's reset (ECONNRESET,
# then EPIPE with SIGPIPE, MSG_NOSIGNAL) and exit, bad input (EFAULT, EINVAL, ENOTSOCK,
# EBADF ...), UDP (addresses, MSG_PEEK, MSG_TRUNC, connect, sendmsg/recvmsg), poll and
# epoll readiness, and 200 connections opened and closed with no fd left behind.
source "$(dirname "$0")/lib.sh"
trap 'stop_qemu; rm -f "$log"' EXIT

checks=$(grep -c 'check(' "$top/userland/test/inet_sockets.c")
boot_program inet_sockets
expect_count '^inet: .*: ok$' "$checks" "every check of inet_sockets.c said ok"
expect '^inet: 0 failures$' "inet_sockets: no failure"
expect_none 'FAILED|panic' "no failed check, no panic"
expect_memory_back	# 200 connections and 1 MiB each way left nothing held
finish
