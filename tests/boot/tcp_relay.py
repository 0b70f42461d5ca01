#!/usr/bin/env python3
"""QEMU's guestfwd command for the net tests: the guest's connection (this process's
standard input and output) relayed to a service on the host's 127.0.0.1:PORT."""
import os
import socket
import sys
import threading
import time


def connect(port, patience=60):
    """The service may still be starting on a loaded host: try again for a while."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


peer = connect(int(sys.argv[1]))


def host_to_guest():
    while True:
        data = peer.recv(65536)
        if not data:
            break
        os.write(1, data)
    os.close(1)


replies = threading.Thread(target=host_to_guest)
replies.start()
while True:
    data = os.read(0, 65536)
    if not data:
        break
    peer.sendall(data)
peer.shutdown(socket.SHUT_WR)
replies.join()
