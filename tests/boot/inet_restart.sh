#!/usr/bin/env bash
# NET's death under AF_INET sockets (docs/net.md, What a restart keeps): init=/bin/inet_restart
# with a listener, a connection and a receive blocked on it standing.
#   inet_restart.sh        `rs kill net` while NET waits for a message: the next NET goes on
#                          in lwIP's memory, whole; the connection and the blocked receive
#                          carry on, the listener listens on.
#   inet_restart.sh crash  NET crashes at its 2000th request (inject=net:crash:2000), in
#                          the middle of an echoing connection: the next NET starts lwIP
#                          again, the connection ends with ECONNRESET (never a hang), the
#                          listener listens on.
source "$(dirname "$0")/lib.sh"
trap 'stop_qemu; rm -f "$log"' EXIT

if [ "${1:-}" = crash ]; then
	boot_program "inet_restart crash" net:crash:2000
	expect '^net: took over 1 sockets, reset 2 connections, dropped 0$' \
		"the next NET starts lwIP again and resets the connection"
	expect_checks inet_restart <<'CHECKS'
a listener serves before NET's death
the echoing connection ends: ECONNRESET
the socket fds stay valid
both ends stay ended \(no hang\)
the listener listens on: a new connection echoes
CHECKS
else
	boot_program inet_restart
	expect '^rs: net \(pid 5\) died: killed by rs kill; restarted as generation 2 ' "NET killed and back"
	expect "^net: took over 3 sockets with lwIP's memory whole, reset 0 connections, dropped 0$" \
		"the next NET goes on in lwIP's memory"
	expect_checks inet_restart <<'CHECKS'
a listener serves before NET's death
rs kill net
the socket fds stay valid
a receive blocked across the death gets the byte sent after it
the connection carries bytes back
the listener listens on: a new connection echoes
CHECKS
fi
expect '^inet_restart: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "the program ended"
expect_none 'panic|FAILED|killed by SIG' "no panic, no failed check, no crash"
finish
