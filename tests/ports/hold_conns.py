#!/usr/bin/env python3
"""Hold many client connections open at once and check each is served.

    hold_conns.py {redis|http} HOST PORT N [-- CMD ARGS...]

Opens N TCP connections concurrently; on each, one request and its answer
(redis: PING -> +PONG; http: a keep-alive GET / -> 200 with the whole body).
Once all N have answered, with all of them still open, runs CMD (its output
passes through: the caller checks what the server reports), then makes the
same request again on every connection: each must still be open and served.
Prints one "hold_conns: ..." summary line per phase; exits 0 only if all N
connections passed both rounds (and CMD succeeded), else 1 with the first
errors.  Bounded: connecting waits at most 120 s, each answer 60 s.
"""
import asyncio
import resource
import subprocess
import sys
import time

CONNECT_TIMEOUT = 120  # SYNs dropped while the accept queue is full are retried
ANSWER_TIMEOUT = 60


async def redis_round(reader, writer):
    writer.write(b"PING\r\n")
    await writer.drain()
    line = await reader.readline()
    if line != b"+PONG\r\n":
        raise RuntimeError(f"PING answered {line!r}")


async def http_round(reader, writer):
    writer.write(b"GET / HTTP/1.1\r\nHost: toro\r\nConnection: keep-alive\r\n\r\n")
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/1.1 200"):
        raise RuntimeError(f"status line {lines[0]!r}")
    fields = {}
    for h in lines[1:]:
        if ":" in h:
            k, v = h.split(":", 1)
            fields[k.strip().lower()] = v.strip().lower()
    if fields.get("connection") == "close":
        raise RuntimeError("the server closes the connection")
    if "content-length" not in fields:
        raise RuntimeError("no Content-Length")
    await reader.readexactly(int(fields["content-length"]))


async def one(conns, i, host, port, proto_round, errors):
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection(host, port), CONNECT_TIMEOUT)
        conns[i] = (r, w)
        await asyncio.wait_for(proto_round(r, w), ANSWER_TIMEOUT)
    except Exception as e:  # report which connection and why, keep going
        errors.append(f"connection {i}: {type(e).__name__}: {e}")


async def again(conns, i, proto_round, errors):
    try:
        await asyncio.wait_for(proto_round(*conns[i]), ANSWER_TIMEOUT)
    except Exception as e:
        errors.append(f"connection {i}, second request: {type(e).__name__}: {e}")


def report(phase, n, errors, t0):
    print(f"hold_conns: {phase}: {n - len(errors)}/{n} ok in {time.monotonic() - t0:.1f} s",
          flush=True)
    for e in errors[:5]:
        print(f"hold_conns: {e}", file=sys.stderr, flush=True)
    return not errors


async def main(proto, host, port, n, cmd):
    proto_round = redis_round if proto == "redis" else http_round
    conns = [None] * n
    errors = []
    t0 = time.monotonic()
    await asyncio.gather(*(one(conns, i, host, port, proto_round, errors) for i in range(n)))
    ok = report("first request on each, all open", n, errors, t0)
    if ok and cmd:
        # in a thread: the event loop must not block (it owns the sockets)
        rc = await asyncio.to_thread(subprocess.call, cmd)
        ok = rc == 0
        if not ok:
            print(f"hold_conns: {cmd[0]} exited with {rc}", file=sys.stderr)
    if ok:
        errors = []
        t0 = time.monotonic()
        await asyncio.gather(*(again(conns, i, proto_round, errors) for i in range(n)))
        ok = report("second request on each", n, errors, t0)
    for c in conns:
        if c:
            c[1].close()
    return ok


if __name__ == "__main__":
    args = sys.argv[1:]
    cmd = []
    if "--" in args:
        cmd = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    if len(args) != 4 or args[0] not in ("redis", "http"):
        sys.exit(__doc__.split("\n\n")[1])
    n = int(args[3])
    # N sockets plus a few: lift the soft limit (often 1024) to the hard one
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sys.exit(0 if asyncio.run(main(args[0], args[1], int(args[2]), n, cmd)) else 1)
