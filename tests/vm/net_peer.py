#!/usr/bin/env python3
"""Host-side peer of the virtio-net VM tests (net_virtio.c, run-net-test.sh).

Listens on 127.0.0.1 (the guest reaches it as 10.0.2.2) and, with --connect,
keeps connecting to 127.0.0.1:PORT, QEMU's forward into the guest.  Every
session starts with a line from the guest, "TORO <label> <mode> <bytes>",
and mode says what the peer does:

  echo  send back everything received, until the guest's end of stream
  recv  read until the end of stream
  send  send <bytes> random bytes, end the stream, wait for the guest's end
  ping  send <bytes> random bytes, read them echoed back, then close

Per direction it prints "xfer <label> g2h|h2g <bytes> <crc32>" (the guest
prints the same lines), "time <label> <seconds>", and "error <label> ..."
when something is wrong.  It always prints before it closes, and the guest
waits for that close before it prints (and exits, taking QEMU's buffers with
it): data still on its way when the VM ends is not lost unnoticed.  Only 127.0.0.1 is ever used.  It runs until
killed, or --deadline seconds.

  net_peer.py --port-file F [--connect PORT] [--deadline S]
      writes "PEERPORT FWDPORT" to F once listening: the port it listens on,
      and a free port for QEMU's forward (the one --connect then uses when
      it is given as 0).
"""
import argparse
import os
import socket
import sys
import threading
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from freeports import free_port  # noqa: E402

CHUNK = 65536
HELLO_WAIT = 5.0  # seconds to wait for the guest's line once connected
IO_WAIT = 120.0   # seconds without progress before a session gives up
lock = threading.Lock()


def say(line):
    with lock:
        print(line, flush=True)


def read_hello(sock):
    """The guest's first line as (label, mode, bytes), or None."""
    data = b""
    while not data.endswith(b"\n") and len(data) < 200:
        b = sock.recv(1)
        if not b:
            return None
        data += b
    words = data.decode("ascii", "replace").split()
    if len(words) != 4 or words[0] != "TORO" or not words[3].isdigit():
        raise ValueError("bad hello %r" % data)
    return words[1], words[2], int(words[3])


def receive(sock, echo=False):
    """Reads to the end of stream: (bytes, crc32, data if kept)."""
    n, crc = 0, 0
    while True:
        b = sock.recv(CHUNK)
        if not b:
            return n, crc
        n += len(b)
        crc = zlib.crc32(b, crc)
        if echo:
            sock.sendall(b)


def send_random(sock, total, sent_copy=None):
    n, crc = 0, 0
    while n < total:
        b = os.urandom(min(CHUNK, total - n))
        sock.sendall(b)
        if sent_copy is not None:
            sent_copy.append(b)
        n += len(b)
        crc = zlib.crc32(b, crc)
    return n, crc


def ping(sock, label, total):
    """Sends total random bytes while reading the echo; checks it.

    The stream stays open until the whole echo is in: the guest's end of
    stream then tells it that we have everything it sent.
    """
    sent = []
    result = {}

    def sender():
        result["h2g"] = send_random(sock, total, sent)

    t = threading.Thread(target=sender)
    t.start()
    got = bytearray()
    while len(got) < total:
        b = sock.recv(CHUNK)
        if not b:
            break
        got += b
    t.join()
    h2g = result.get("h2g", (0, 0))
    xfer(label, "h2g", *h2g)
    xfer(label, "g2h", len(got), zlib.crc32(got))
    if bytes(got) != b"".join(sent) or len(got) != total:
        say("error %s echo differs (%d bytes back of %d)" % (label, len(got), total))


def xfer(label, direction, n, crc):
    say("xfer %s %s %d %08x" % (label, direction, n, crc))


def session(sock, hello):
    label, mode, total = hello
    t0 = time.monotonic()
    if mode == "echo":
        n, crc = receive(sock, echo=True)
        xfer(label, "g2h", n, crc)
        xfer(label, "h2g", n, crc)
    elif mode == "recv":
        n, crc = receive(sock)
        xfer(label, "g2h", n, crc)
        if n != total:
            say("error %s got %d bytes of %d" % (label, n, total))
    elif mode == "send":
        xfer(label, "h2g", *send_random(sock, total))
        sock.shutdown(socket.SHUT_WR)
        receive(sock)  # until the guest closes: it has read everything
    elif mode == "ping":
        ping(sock, label, total)
    else:
        say("error %s unknown mode %s" % (label, mode))
        return
    say("time %s %.3f" % (label, time.monotonic() - t0))


def serve_one(conn):
    with conn:
        conn.settimeout(IO_WAIT)
        try:
            hello = read_hello(conn)
            if hello:
                session(conn, hello)
        except (OSError, ValueError) as e:
            say("error server %s" % e)


def server(listener):
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve_one, args=(conn,), daemon=True).start()


def client(port):
    """Connects through QEMU's forward until the guest answers, session after session.

    QEMU accepts on the forward port even while the guest does not listen,
    then closes: such a connection ends before the hello and is retried.
    """
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=HELLO_WAIT) as s:
                hello = read_hello(s)
                if not hello:
                    raise ConnectionResetError("closed before the hello")
                s.settimeout(IO_WAIT)
                session(s, hello)
        except (OSError, ValueError) as e:
            if not isinstance(e, (ConnectionError, socket.timeout)):
                say("error client %s" % e)
            time.sleep(0.2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--connect", type=int)
    ap.add_argument("--deadline", type=float, default=600)
    args = ap.parse_args()

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    fwd = args.connect if args.connect else free_port()
    threading.Thread(target=server, args=(listener,), daemon=True).start()
    if args.connect is not None:
        threading.Thread(target=client, args=(fwd,), daemon=True).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d\n" % (listener.getsockname()[1], fwd))
    os.rename(tmp, args.port_file)
    time.sleep(args.deadline)
    say("error peer deadline of %gs reached" % args.deadline)
    return 1


if __name__ == "__main__":
    sys.exit(main())
