#!/usr/bin/env python3
"""Free ports on 127.0.0.1 for QEMU's forwards, safe under parallel tests.

    freeports.py [COUNT]        prints COUNT (default 1) ports, one line

Asking the kernel for port 0 hands out a port from the ephemeral range
(ip_local_port_range), the same range every client connection of a
concurrent test draws from, so by the time QEMU binds it a client may hold
it ("Could not set up host forwarding rule").  Ports here come at random
from below that range, must bind for both TCP and UDP, and are reserved
for an hour with a lock file so two tests never get the same one.
"""
import os
import random
import socket
import sys
import tempfile
import time

LOW, HIGH = 20000, 32000  # below Linux's default ephemeral range (32768-)
HOLD = 3600  # seconds a reservation lasts
RESERVED = os.path.join(tempfile.gettempdir(), "toro-ports")


def _binds(port):
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _reserve(port):
    path = os.path.join(RESERVED, str(port))
    try:
        if time.time() - os.stat(path).st_mtime > HOLD:
            os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        return False
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        return True
    except FileExistsError:
        return False


def free_ports(count=1):
    os.makedirs(RESERVED, exist_ok=True)
    ports = []
    for _ in range(10000):
        if len(ports) == count:
            return ports
        port = random.randrange(LOW, HIGH)
        if port not in ports and _binds(port) and _reserve(port):
            ports.append(port)
    raise RuntimeError("no free port in %d-%d" % (LOW, HIGH))


def free_port():
    return free_ports(1)[0]


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    print(*free_ports(n))
