#!/usr/bin/env bash
# AF_UNIX sockets (docs/vfs.md, Sockets): init=/bin/unix_sockets checks socketpair,
# stream echo with another process, a bound path with listen, accept and connect,
# abstract names, datagrams and packets' bounds, SCM_RIGHTS passing a pipe's fd, poll
# and epoll readiness, EPIPE with SIGPIPE and MSG_NOSIGNAL, ECONNRESET, non-blocking
# sockets, SO_RCVTIMEO, options, bad input (EAFNOSUPPORT, ENOTSOCK, EBADF, EFAULT,
# EINVAL), 200 connections opened and closed, 8 MiB between two processes; then
# sendmmsg and recvmmsg waiting for each entry (one across a kill of VFS through the rs
# command's call), their timeout and a kept error, MSG_PEEK's rights, and the name of a
# peer that closed.
#   unix_sockets.sh [INJECT]   with INJECT (vfs:midway:N...): the same run while VFS dies
#                              at that request (docs/resurrection.md), with no visible
#                              effect: the sockets, their queues and connections are kept.
source "$(dirname "$0")/lib.sh"
inject=${1:-}
trap 'stop_qemu; rm -f "$log"' EXIT

boot_program unix_sockets "$inject"
expect_checks unix_sockets <<'CHECKS'
socketpair with SOCK_CLOEXEC
a socket is S_IFSOCK, not seekable
/proc/self/fd/N of a socket: socket:\[inode\]
stream echo over a socketpair with another process
send and recv over it
the echo ends at the end of the stream
MSG_PEEK leaves the bytes, FIONREAD counts them
shutdown\(SHUT_WR\): the peer reads the end, and still writes back
MSG_WAITALL: all 8 bytes of four writes
socket, bind to a path, listen
bind made an S_IFSOCK node
a second bind to the path: EADDRINUSE
binding a bound socket again: EINVAL
accept4: an unnamed peer, SOCK_CLOEXEC
echo over a bound path with listen, accept, connect
getsockname of the accepted socket: the listener's path
SO_PEERCRED: the connecting process
a full backlog with O_NONBLOCK: EAGAIN
connect to a path whose socket is closed: ECONNREFUSED
unlink takes the name away: bind again
connect to no such path: ENOENT
connect to an abstract name nobody has: ECONNREFUSED
an abstract name: bind, connect
getpeername: the abstract name
SOCK_SEQPACKET keeps each packet's bounds
a packet cut short: MSG_TRUNC
the peer gone: the end
SOCK_DGRAM over a socketpair: each datagram whole
recv with MSG_TRUNC gives a datagram's whole length
sendmmsg and recvmmsg: three datagrams, each its length
recvmmsg with nothing queued, MSG_DONTWAIT: EAGAIN
sendto a bound path, recvfrom names the sender
and the answer goes back to it
send without a peer: ENOTCONN
sendto a name whose socket is closed: ECONNREFUSED
sendmsg with SCM_RIGHTS of a pipe's read end
the pipe's reader lives on in flight
recvmsg installs it: the pipe's bytes read through it
SCM_RIGHTS of an fd not open: EBADF
a receive without room for rights
closes them: the pipe has no reader left
a socket closed with rights unread closes them
poll: writable, nothing to read
poll: readable once written
epoll: readable
epoll: nothing once read
epoll_wait woken by another process's write
the peer gone: EPOLLRDHUP and EPOLLHUP
a write to a stream whose peer is gone: SIGPIPE, then EPIPE
MSG_NOSIGNAL: EPIPE without SIGPIPE
a peer closed with bytes unread: ECONNRESET
SOCK_NONBLOCK: an empty socket's read is EAGAIN
a full socket: EAGAIN
MSG_DONTWAIT: EAGAIN
FIONBIO sets O_NONBLOCK
SO_RCVTIMEO: EAGAIN after the time
a blocked read cut short by a signal: EINTR
SO_TYPE
SO_RCVBUF set is doubled, as Linux's
SO_ERROR
an unknown option: ENOPROTOOPT
an option too short: EINVAL
AF_INET6, AF_PACKET, AF_NETLINK: EAFNOSUPPORT
unknown type flags: EINVAL
an unknown protocol: EPROTONOSUPPORT
a file that is no socket: ENOTSOCK
an fd not open: EBADF
send from a bad pointer: EFAULT, nothing sent
recv into a bad pointer: EFAULT, the byte still there
shutdown's bad how: EINVAL
socketpair into a bad pointer: EFAULT
bind of a bad pointer: EFAULT
addresses too long or short: EINVAL
an address of another family: EINVAL
listen on a datagram socket: EOPNOTSUPP
accept on a socket not listening: EINVAL
200 connections opened and closed, no fd left behind
8 MiB between two processes, in order, each send whole
recvmmsg waits for each entry, each datagram sent once the last was taken
MSG_WAITFORONE: the first, then only what is queued
a timeout is looked at after each datagram: one gone returns the first alone
a recvmmsg waiting while VFS restarts: each datagram once, in order
a signal while a later entry waits: the count of those before
an error after a datagram: the count, the error kept for the next receive
and recvmmsg answers the kept error first
sendmmsg into a full queue: each entry waits for room
MSG_PEEK with SCM_RIGHTS \(SOCK_STREAM\): a new fd of the file
the rights stay queued: the receive after the peek gets them too
MSG_PEEK with SCM_RIGHTS \(SOCK_DGRAM\): a new fd of the file
a datagram's rights stay queued for the receive after the peek
getpeername after the peer closed \(SOCK_STREAM\): still its name
getpeername after the peer closed \(SOCK_SEQPACKET\): still its name
a socketpair's peer closed: getpeername still answers, unnamed
a connected SOCK_DGRAM's peer closed: named until a send is refused, then ENOTCONN
CHECKS
expect '^unix_sockets: 0 failures$' "every check passed"
expect '^init exited with status 0; powering off$' "the program ended"
expect_none 'panic|FAILED|killed by SIG' "no panic, no failed check, no crash"
finish
