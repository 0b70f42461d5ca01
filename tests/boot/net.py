#!/usr/bin/env python3
"""The network from the outside (docs/net.md): QEMU's user network with restrict=on (no
packet leaves this machine), forwards on 127.0.0.1 only (boot/run.sh --hostfwd,
--guestfwd), the host's side played here: eth0's lease and routes as BusyBox shows them,
and nc both ways between the host and the guest, on an address set by hand too. (httpd, wget and the driver killed
mid-transfer: net_host.sh. UDP echo: between guest processes, inet_sockets.c; QEMU's
restricted network drops a guest's UDP answers to the host.)

    net.py dhcp | nc

Each boots under -icount as every boot test (net_host.sh too) and checks what the guest
prints and what the host gets; guestfwd's command is tcp_relay.py."""
import os
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keys import Checks, Console, Timeout  # noqa: E402

RELAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tcp_relay.py")
SCRIPT_TIMEOUT = 240  # seconds for a guest step; a bound against a hang only

# Waits until DHCP has given eth0 its address; every guest script starts with it.
NET_UP = """#!/bin/sh
i=0
until ifconfig eth0 2>/dev/null | grep -q 'inet addr:'; do
\ti=$((i + 1))
\t[ $i -gt 600 ] && echo "net: no address from DHCP" && exit 1
\tsleep 0.1
done
"""


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rootfs:
    """Files added to the boot archive (run.sh --extra-rootfs), scripts under /x."""

    def __init__(self):
        self.dir = tempfile.TemporaryDirectory()
        os.makedirs(os.path.join(self.dir.name, "x"))

    def path(self, name):
        path = os.path.join(self.dir.name, name.lstrip("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def script(self, name, body):
        path = self.path("/x/" + name)
        with open(path, "w") as f:
            f.write(NET_UP + body)
        os.chmod(path, 0o755)
        return "/x/" + name


def boot(rootfs, init, *extra):
    return Console(append="init=" + init, extra=["--extra-rootfs", rootfs.dir.name, *extra])


def expect(c, checks, pattern, what, timeout=SCRIPT_TIMEOUT):
    try:
        match = c.expect(pattern, timeout)
        checks.check(True, what)
        return match
    except Timeout as e:
        checks.check(False, "%s: %s" % (what, e))
        return None


def dhcp(checks):
    rootfs = Rootfs()
    init = rootfs.script("dhcp.sh", "ifconfig eth0; ifconfig lo; route -n\n"
                         "cat /proc/net/dev /proc/net/route\necho net: done\n")
    with boot(rootfs, init) as c:
        expect(c, checks, r"eth0 +Link encap:Ethernet +HWaddr 52:54:00:12:34:56",
               "ifconfig eth0: its MAC")
        expect(c, checks, r"inet addr:10\.0\.2\.15 +Bcast:10\.0\.2\.255 +Mask:255\.255\.255\.0",
               "ifconfig eth0: 10.0.2.15/24 from QEMU's DHCP")
        expect(c, checks, r"UP BROADCAST RUNNING MULTICAST", "ifconfig eth0: up and running")
        expect(c, checks, r"lo +Link encap:Local Loopback", "ifconfig lo")
        expect(c, checks, r"inet addr:127\.0\.0\.1 +Mask:255\.0\.0\.0", "lo: 127.0.0.1/8")
        expect(c, checks, r"\n10\.0\.2\.0 +0\.0\.0\.0 +255\.255\.255\.0 +U +0 +0 +0 +eth0",
               "route -n: the local network")
        # No default route: QEMU's DHCP names no router under restrict=on (libslirp
        # gives the router and DNS options only to a network that may leave the host).
        expect_none(c, checks, r"\n0\.0\.0\.0 +10\.0\.2\.2 ", "route -n: no default route")
        expect(c, checks, r"\n *eth0: +[1-9][0-9]* +[1-9][0-9]* ", "/proc/net/dev: eth0 received")
        expect(c, checks, r"\neth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t",
               "/proc/net/route: the local network, in Linux's hex")
        expect(c, checks, r"net: done", "the script ran to its end")


def echo_server():
    """A TCP echo server on 127.0.0.1: its port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def serve():
        while True:
            conn, _ = server.accept()
            with conn:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        break
                    conn.sendall(data)
    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1]


def talk(port, text, timeout=SCRIPT_TIMEOUT):
    """Sends text to 127.0.0.1:port, shuts the sending side, and reads to the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(text)
        s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            data = s.recv(65536)
            if not data:
                return got
            got += data


def nc(checks):
    rootfs = Rootfs()
    relay = "%s %d" % (RELAY, echo_server())
    # First an address by hand, then the lease's again (BusyBox ifconfig: SIOCSIFADDR,
    # SIOCSIFNETMASK), each carrying traffic.
    init = rootfs.script("nc.sh", "ifconfig eth0 10.0.2.16 netmask 255.255.255.0\n"
                         "ifconfig eth0 | sed -n 's/^ *inet /by hand: inet /p'\n"
                         "echo 'hello from 10.0.2.16' | nc 10.0.2.100 7 | sed 's/^/echoed: /'\n"
                         "ifconfig eth0 10.0.2.15 netmask 255.255.255.0\n"
                         "nc -l -p 81 -e /bin/cat &\n"
                         "echo net: nc listens\n"
                         "echo 'hello from the guest' | nc 10.0.2.100 7 | sed 's/^/echoed: /'\n"
                         "wait\necho net: done\nexec sleep 100000\n")
    port = free_port()
    with boot(rootfs, init, "--hostfwd", "%d:81" % port, "--guestfwd", "7:" + relay) as c:
        expect(c, checks, r"by hand: inet addr:10\.0\.2\.16 +Bcast:10\.0\.2\.255 +Mask:255\.255\.255\.0",
               "ifconfig eth0 10.0.2.16 netmask 255.255.255.0: the lease given back")
        expect(c, checks, r"echoed: hello from 10\.0\.2\.16",
               "nc from the address set by hand to the host's echo server and back")
        listening = expect(c, checks, r"net: nc listens", "nc -l in the guest")
        expect(c, checks, r"echoed: hello from the guest",
               "nc from the guest to the host's echo server and back")
        if listening:
            got = b""
            for _ in range(300):  # the listener may not be up the moment the line shows
                try:
                    got = talk(port, b"hello from the host\n")
                    break
                except OSError:
                    time.sleep(0.2)
            checks.check(got == b"hello from the host\n",
                         "the host's line echoed by nc -e cat in the guest (%r)" % got)


def expect_none(c, checks, pattern, what):
    import re
    checks.check(re.search(pattern, c.output) is None, what)


TESTS = {"dhcp": dhcp, "nc": nc}


def main():
    checks = Checks()
    try:
        TESTS[sys.argv[1]](checks)
    except Timeout as e:
        checks.check(False, str(e))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
