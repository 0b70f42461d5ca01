#!/usr/bin/env python3
"""The network from the outside (docs/net.md): QEMU's user network with restrict=on (no
packet leaves this machine), forwards on 127.0.0.1 only (boot/run.sh --hostfwd,
--guestfwd), the host's side played here.

    net.py dhcp | httpd | wget | nc | udp | driver_kill

Each boots in real time (no -icount: an idle guest's clock would jump ahead of a host
that answers in host time) and checks what the guest prints and what the host gets.
`net.py relay PORT` is guestfwd's command: the connection on its standard input and
output, to 127.0.0.1:PORT."""
import hashlib
import http.server
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keys import Checks, Console, Timeout  # noqa: E402

HERE = os.path.abspath(__file__)
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


def random_file(path, size):
    data = os.urandom(size)
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()


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
    return Console(append="init=" + init, extra=["--extra-rootfs", rootfs.dir.name, *extra],
                   icount=False)


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
        expect(c, checks, r"\n0\.0\.0\.0 +10\.0\.2\.2 +0\.0\.0\.0 +UG +0 +0 +0 +eth0",
               "route -n: the default route through 10.0.2.2")
        expect(c, checks, r"\n10\.0\.2\.0 +0\.0\.0\.0 +255\.255\.255\.0 +U +0 +0 +0 +eth0",
               "route -n: the local network")
        expect(c, checks, r"\n *eth0: +[1-9][0-9]* +[1-9][0-9]* ", "/proc/net/dev: eth0 received")
        expect(c, checks, r"\neth0\t00000000\t0202000A\t0003\t", "/proc/net/route: default")
        expect(c, checks, r"net: done", "the script ran to its end")


def httpd(checks):
    rootfs = Rootfs()
    digest = random_file(rootfs.path("/www/big.bin"), 1 << 20)
    init = rootfs.script("httpd.sh", "httpd -p 80 -h /www\necho net: httpd ready\n"
                         "exec sleep 100000\n")
    port = free_port()
    with boot(rootfs, init, "--hostfwd", "%d:80" % port) as c:
        if not expect(c, checks, r"net: httpd ready", "busybox httpd listens on port 80"):
            return
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/big.bin" % port,
                                        timeout=SCRIPT_TIMEOUT) as r:
                got = r.read()
        except OSError as e:
            got = b""
            print("fetch: %s" % e)
        checks.check(len(got) == 1 << 20 and hashlib.sha256(got).hexdigest() == digest,
                     "the host fetched 1 MiB through the forward, byte for byte (%d bytes)"
                     % len(got))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def wget(checks):
    served = tempfile.TemporaryDirectory()
    digest = random_file(os.path.join(served.name, "file.bin"), 512 << 10)
    handler = lambda *a: QuietHandler(*a, directory=served.name)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rootfs = Rootfs()
    init = rootfs.script("wget.sh", "wget -q -O /tmp/file.bin http://10.0.2.100/file.bin\n"
                         "echo \"net: wget status $?\"\nsha256sum /tmp/file.bin\n")
    relay = "%s %s relay %d" % (sys.executable, HERE, server.server_address[1])
    with boot(rootfs, init, "--guestfwd", "80:" + relay) as c:
        expect(c, checks, r"net: wget status 0", "wget from the host's server through guestfwd")
        expect(c, checks, digest + r"  /tmp/file\.bin", "512 KiB, byte for byte")
    server.shutdown()


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
    relay = "%s %s relay %d" % (sys.executable, HERE, echo_server())
    init = rootfs.script("nc.sh", "nc -l -p 81 -e /bin/cat &\n"
                         "echo net: nc listens\n"
                         "echo 'hello from the guest' | nc 10.0.2.100 7 | sed 's/^/echoed: /'\n"
                         "wait\necho net: done\nexec sleep 100000\n")
    port = free_port()
    with boot(rootfs, init, "--hostfwd", "%d:81" % port, "--guestfwd", "7:" + relay) as c:
        expect(c, checks, r"echoed: hello from the guest",
               "nc from the guest to the host's echo server and back")
        if expect(c, checks, r"net: nc listens", "nc -l in the guest"):
            got = b""
            for _ in range(50):  # the listener may not be up the moment the line shows
                try:
                    got = talk(port, b"hello from the host\n")
                    break
                except OSError:
                    time.sleep(0.2)
            checks.check(got == b"hello from the host\n",
                         "the host's line echoed by nc -e cat in the guest (%r)" % got)


def udp(checks):
    rootfs = Rootfs()
    init = rootfs.script("udp.sh", "echo net: udp ready\nexec /bin/udp_echo 7\n")
    port = free_port(socket.SOCK_DGRAM)
    with boot(rootfs, init, "--hostfwd", "udp:%d:7" % port) as c:
        if not expect(c, checks, r"udp_echo: listening", "a UDP echo server in the guest"):
            return
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(1)
            answers = 0
            for i in range(3):
                datagram = b"datagram %d" % i
                for _ in range(30):  # UDP may be lost; a lost one is sent again
                    s.sendto(datagram, ("127.0.0.1", port))
                    try:
                        if s.recv(2048) == datagram:
                            answers += 1
                            break
                    except socket.timeout:
                        pass
            checks.check(answers == 3, "three datagrams echoed by the guest (%d)" % answers)


def expect_none(c, checks, pattern, what):
    import re
    checks.check(re.search(pattern, c.output) is None, what)


def send_file(port, data, checks, what):
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=SCRIPT_TIMEOUT) as s:
                s.sendall(data)
            checks.check(True, what)
            return
        except OSError:
            time.sleep(0.2)
    checks.check(False, what)


def driver_kill(checks):
    """10 MiB from the host while the driver is killed; TCP sends again what was lost."""
    rootfs = Rootfs()
    data = os.urandom(10 << 20)
    init = rootfs.script("kill.sh", "nc -l -p 82 > /tmp/big &\necho net: receiver ready\n"
                         "until [ $(stat -c %s /tmp/big) -gt 3000000 ]; do sleep 0.05; done\n"
                         "rs kill dev && echo net: driver killed\nwait\nrs status\n"
                         "sha256sum /tmp/big\necho net: done\nexec sleep 100000\n")
    port = free_port()
    with boot(rootfs, init, "--hostfwd", "%d:82" % port) as c:
        if expect(c, checks, r"net: receiver ready", "nc -l in the guest"):
            sender = threading.Thread(target=send_file, args=(port, data, checks,
                                                              "the host sent 10 MiB"))
            sender.start()
            expect(c, checks, r"net: driver killed", "the driver killed mid-transfer")
            expect(c, checks, hashlib.sha256(data).hexdigest() + r"  /tmp/big",
                   "all 10 MiB arrived, byte for byte")
            sender.join()
            expect_none(c, checks, r"panic", "no panic")


def relay(port):
    """guestfwd's command: standard input and output to 127.0.0.1:port and back."""
    s = socket.create_connection(("127.0.0.1", int(port)))

    def upstream():
        while True:
            data = os.read(0, 65536)
            if not data:
                s.shutdown(socket.SHUT_WR)
                return
            s.sendall(data)
    threading.Thread(target=upstream, daemon=True).start()
    while True:
        data = s.recv(65536)
        if not data:
            return
        os.write(1, data)


TESTS = {"dhcp": dhcp, "httpd": httpd, "wget": wget, "nc": nc, "udp": udp, "driver_kill": driver_kill}


def main():
    if sys.argv[1] == "relay":
        relay(sys.argv[2])
        return 0
    checks = Checks()
    try:
        TESTS[sys.argv[1]](checks)
    except Timeout as e:
        checks.check(False, str(e))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
