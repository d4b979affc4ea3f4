#!/usr/bin/env python3
"""Host-side driver of tests/vm/echo_server.c, through QEMU's forwards on
127.0.0.1 (never any other address).

  echo_clients.py test --tcp P --udp P [--clients 64] [--bytes 1048576]
                       [--short 1000] [--deadline S]
      1. waits until the server echoes (one TCP connection that counts);
      2. UDP echo: 64 datagrams of 1..1400 bytes, byte-exact; then a burst
         of 200 datagrams the server sends from one buffer it rewrites
         after each send, each checked as sent;
      3. --clients concurrent connections, --bytes each, byte-exact
         (random data, 64 KiB blocks in lock-step);
      4. 100 short connections in sequence (connect, 16 bytes, echo, close),
         a pause until the server says (over UDP) it noted its heap, then
         --short more.
      The server must be started with TOTAL = 1 + clients + 100 + short and
      WARM = 1 + clients + 100.  Prints "echo-clients: ok ..." or "error ...",
      exits 0 or 1.

  echo_clients.py bench --tcp P --discard P [--conns 32] [--size 64]
                        [--seconds 10] [--bulk BYTES]
      waits as above, then request/response: --conns connections each
      sending --size bytes and reading them back, for --seconds; then one
      bulk transfer of --bulk bytes to the discard port.  Prints
      "rps N" and "bulk_mibs X".  Uses 1 + conns + 1 connections.
"""
import argparse
import os
import socket
import sys
import threading
import time

HOST = "127.0.0.1"
BLOCK = 65536
WARMUP = 100  # short connections before the server's first heap snapshot


def log(*a):
    print(*a, flush=True)


def recv_exact(s, n):
    parts, got = [], 0
    while got < n:
        b = s.recv(min(n - got, 1 << 20))
        if not b:
            raise IOError("end of stream after %d of %d bytes" % (got, n))
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def wait_ready(port, deadline):
    """One connection that reached the server: slirp accepts and then drops
    connections while nothing listens in the guest, so ask for an echo."""
    while time.time() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=5) as s:
                s.sendall(b"ready?")
                if recv_exact(s, 6) == b"ready?":
                    return
        except (OSError, IOError):
            pass
        time.sleep(0.5)
    raise IOError("the server never answered on %d" % port)


def udp_echo(port, count=64):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.settimeout(2)
        for i in range(count):
            size = 1 + (i * 211) % 1400
            data = os.urandom(size)
            for attempt in range(3):  # UDP may drop; a wrong answer never passes
                u.sendto(data, (HOST, port))
                try:
                    got, _ = u.recvfrom(2048)
                except socket.timeout:
                    continue
                if got != data:
                    raise IOError("udp datagram %d came back different" % i)
                break
            else:
                raise IOError("udp datagram %d: no echo in 3 tries" % i)


def udp_burst(port):
    """echo_server.c's udp_burst(): 200 datagrams sent from one buffer that
    the server rewrites after each call; each must arrive as it was sent.
    UDP may drop some, but none may be mixed up and most must arrive."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        u.settimeout(1)
        u.sendto(b"echo-server: burst", (HOST, port))
        seen = set()
        while True:
            try:
                got, _ = u.recvfrom(2048)
            except socket.timeout:
                break
            seq = int(got[:4])
            if len(got) != 1000 or got[4:] != bytes([65 + seq % 26]) * 996:
                raise IOError("udp burst datagram %d was changed after it was sent" % seq)
            seen.add(seq)
        if len(seen) < 100:
            raise IOError("udp burst: only %d of 200 datagrams arrived" % len(seen))
        return len(seen)


def heap_noted(port, deadline):
    """Stay quiet until echo_server.c has taken its heap snapshot, which it
    does after 300 ms without events; asked over UDP (HEAP_QUESTION)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.settimeout(0.5)
        while time.time() < deadline:
            time.sleep(0.5)
            u.sendto(b"echo-server: heap noted?", (HOST, port))
            try:
                if u.recvfrom(64)[0] == b"yes":
                    return
            except socket.timeout:
                pass
    raise IOError("the server never noted its heap (never quiet for 300 ms?)")


def client_bulk(port, nbytes, errors, idx, opening, start):
    """Connections open one after the other (QEMU's slirp listens with a
    backlog of 1 and resets what overflows it), each proven by one byte of
    echo; then all of them move their data at once."""
    phase = "opening"
    try:
        with opening:
            s = socket.create_connection((HOST, port), timeout=120)
            first = os.urandom(1)
            s.sendall(first)
            if recv_exact(s, 1) != first:
                raise IOError("first byte differs")
        start.wait()
        phase = "transfer"
        with s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            left = nbytes - 1
            while left > 0:
                block = os.urandom(min(BLOCK, left))
                s.sendall(block)
                if recv_exact(s, len(block)) != block:
                    raise IOError("echo differs")
                left -= len(block)
    except Exception as e:  # noqa: BLE001 (reported, the run fails)
        if not isinstance(e, threading.BrokenBarrierError):
            errors.append("client %d (%s, %d bytes left): %r" % (idx, phase, left if phase == "transfer" else nbytes, e))
        start.abort()


def concurrent(port, clients, nbytes):
    errors = []
    opening, start = threading.Lock(), threading.Barrier(clients, timeout=300)
    ts = [threading.Thread(target=client_bulk, args=(port, nbytes, errors, i, opening, start))
          for i in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise IOError("; ".join(errors[:3]))


def short(port, count):
    for i in range(count):
        with socket.create_connection((HOST, port), timeout=30) as s:
            msg = b"short %10d\n" % i
            s.sendall(msg)
            if recv_exact(s, len(msg)) != msg:
                raise IOError("short connection %d: echo differs" % i)


def run_test(a):
    deadline = time.time() + a.deadline
    t0 = time.time()
    wait_ready(a.tcp, deadline)
    t1 = time.time()
    udp_echo(a.udp)
    burst = udp_burst(a.udp)
    t2 = time.time()
    concurrent(a.tcp, a.clients, a.bytes)
    short(a.tcp, WARMUP)  # to the heap's plateau (receive buffers kept for reuse)
    heap_noted(a.udp, deadline)  # quiet until the server notes its heap (WARM)
    t3 = time.time()
    short(a.tcp, a.short)
    t4 = time.time()
    log("echo-clients: ok: ready %.1fs, udp 64 datagrams + burst (%d of 200) %.1fs, "
        "%d x %d bytes concurrent %.1fs, %d short connections %.1fs"
        % (t1 - t0, burst, t2 - t1, a.clients, a.bytes, t3 - t2, a.short, t4 - t3))


def rr_client(port, size, stop_at, counts, idx, errors, opening):
    try:
        with opening:  # one at a time: see client_bulk()
            s = socket.create_connection((HOST, port), timeout=30)
        with s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            msg = bytes([idx & 0xff]) * size
            while time.time() < stop_at:
                s.sendall(msg)
                if recv_exact(s, size) != msg:
                    raise IOError("echo differs")
                if time.time() <= stop_at:
                    counts[idx] += 1
    except Exception as e:  # noqa: BLE001
        errors.append(str(e))


def run_bench(a):
    wait_ready(a.tcp, time.time() + a.deadline)
    counts, errors = [0] * a.conns, []
    start = time.time()
    stop_at = start + a.seconds
    opening = threading.Lock()
    ts = [threading.Thread(target=rr_client, args=(a.tcp, a.size, stop_at, counts, i, errors, opening))
          for i in range(a.conns)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:  # a stalled connection (30 s without its echo) counts what it did
        log("error rr: %d of %d connections failed: %s" % (len(errors), a.conns, "; ".join(errors[:3])))
    log("rps %.0f" % (sum(counts) / (stop_at - start)))
    block = os.urandom(BLOCK)
    with socket.create_connection((HOST, a.discard), timeout=120) as s:
        t0 = time.time()
        left = a.bulk
        while left > 0:
            s.sendall(block[:min(BLOCK, left)])
            left -= min(BLOCK, left)
        s.shutdown(socket.SHUT_WR)
        got = int.from_bytes(recv_exact(s, 8), "big")
        t1 = time.time()
    if got != a.bulk:
        log("error bulk: the server counted %d of %d bytes" % (got, a.bulk))
    log("bulk_mibs %.2f" % (a.bulk / (t1 - t0) / 1048576))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["test", "bench"])
    p.add_argument("--tcp", type=int, required=True)
    p.add_argument("--udp", type=int)
    p.add_argument("--discard", type=int)
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--bytes", type=int, default=1 << 20)
    p.add_argument("--short", type=int, default=1000)
    p.add_argument("--conns", type=int, default=32)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--bulk", type=int, default=64 << 20)
    p.add_argument("--deadline", type=float, default=120)
    a = p.parse_args()
    try:
        run_test(a) if a.what == "test" else run_bench(a)
    except Exception as e:  # noqa: BLE001
        log("error %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
