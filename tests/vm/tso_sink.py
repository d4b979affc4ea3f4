#!/usr/bin/env python3
"""A TCP sink for run-tso-test.sh: checks a guest's stream byte for byte.

    tso_sink.py ADDR PORT BYTES [--deadline S]

Accepts one connection on ADDR:PORT and reads to its end of stream.  The
stream must be BYTES bytes of the splitmix64 sequence (word i, little-endian,
is splitmix64(i): net_virtio.c's send mode).  Answers "ok BYTES\\n" if every
byte matched, else "bad ...\\n", then closes.  Prints "sink: ok|bad ..." with
the byte count, the first differing offset and the sha256 of what arrived
and of what should have; exit status 0 only for ok.
"""
import argparse
import hashlib
import socket
import struct
import sys

M = (1 << 64) - 1


def expected(nbytes):
    """The stream's first nbytes, in 64 KiB pieces."""
    w = 0
    while nbytes > 0:
        n = min(nbytes, 65536) // 8
        words = []
        for i in range(w, w + n):
            x = (i + 0x9E3779B97F4A7C15) & M
            x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
            x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M
            words.append(x ^ (x >> 31))
        w += n
        nbytes -= n * 8
        yield struct.pack("<%dQ" % n, *words)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("bytes", type=int)
    ap.add_argument("--deadline", type=float, default=300)
    a = ap.parse_args()
    if a.bytes <= 0 or a.bytes % 8:
        sys.exit("sink: BYTES must be a positive multiple of 8")
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.addr, a.port))
    ls.listen(1)
    ls.settimeout(a.deadline)
    print("sink: listening on %s:%d" % (a.addr, a.port), flush=True)
    conn, peer = ls.accept()
    conn.settimeout(a.deadline)
    got, want = hashlib.sha256(), hashlib.sha256()
    n, first_bad = 0, None
    gen = expected(a.bytes)
    pending = b""
    while True:
        data = conn.recv(1 << 20)
        if not data:
            break
        got.update(data)
        off = 0
        while off < len(data):
            if not pending:
                pending = next(gen, b"")
                if not pending:
                    break  # more than BYTES: the count below says so
                want.update(pending)
            k = min(len(pending), len(data) - off)
            if first_bad is None and data[off:off + k] != pending[:k]:
                first_bad = n + off + next(i for i in range(k) if data[off + i] != pending[i])
            pending = pending[k:]
            off += k
        n += len(data)
    for rest in gen:
        want.update(rest)
    ok = n == a.bytes and first_bad is None and got.digest() == want.digest()
    verdict = "ok %d" % n if ok else "bad %d bytes, first wrong at %s" % (n, first_bad)
    conn.sendall((verdict + "\n").encode())
    conn.close()
    print("sink: %s from %s; sha256 got %s want %s" % (verdict, peer[0], got.hexdigest(),
                                                       want.hexdigest()), flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
