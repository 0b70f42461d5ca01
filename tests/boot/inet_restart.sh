#!/usr/bin/env bash
# Killing NET under AF_INET sockets (docs/net.md): init=/bin/inet_restart runs `rs kill
# net` while a listener, a connection and a receive blocked on it stand. The fds stay
# valid, the listener listens on, the connection and the blocked receive end with
# ECONNRESET (never a hang), and RS says NET came back.
source "$(dirname "$0")/lib.sh"
trap 'stop_qemu; rm -f "$log"' EXIT

boot_program inet_restart
expect '^rs: net \(pid 5\) died: killed by rs kill; restarted as generation 2 ' "NET killed and back"
expect_checks inet_restart <<'CHECKS'
a listener serves before NET's death
rs kill net
a receive blocked across the death ends: ECONNRESET
the socket fds stay valid
the open connection: ECONNRESET
the listener listens on: a new connection echoes
CHECKS
expect '^inet_restart: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "the program ended"
expect_none 'panic|FAILED|killed by SIG' "no panic, no failed check, no crash"
finish
