#!/usr/bin/env python3
"""The host's side of make bench's tcp_host_to_guest_instr_per_mib (tools/bench.sh,
tools/bench_linux.sh).

    tools/bench_send.py port            a free TCP port on 127.0.0.1, for the forward
    tools/bench_send.py LOG HOSTPORT    waits until the guest's console, LOG, says that
                                        bench_net_host listens ("listening on port P for
                                        N MiB"), sends N MiB to 127.0.0.1:HOSTPORT (QEMU's
                                        forward to the guest's P), closes its side and
                                        waits for the guest to close too."""
import re
import socket
import sys
import time

TIMEOUT = 240  # seconds; a bound against a hang only


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(log):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        with open(log, errors="replace") as console:
            found = re.search(r"bench_net_host: listening on port \d+ for (\d+) MiB",
                              console.read())
        if found:
            return int(found.group(1))
        time.sleep(0.2)
    sys.exit("bench_send: the guest never listened")


def send(port, mibs):
    chunk = bytes(range(256)) * 4096  # 1 MiB
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        for _ in range(mibs):
            s.sendall(chunk)
        s.shutdown(socket.SHUT_WR)
        while s.recv(4096):
            pass


if sys.argv[1:] == ["port"]:
    print(free_port())
else:
    send(int(sys.argv[2]), listening(sys.argv[1]))
