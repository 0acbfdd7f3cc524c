#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How long traffic to a service stops when a tunnel fails over.

    gap.py serve ADDR NAME [--port P]
        A UDP echo server on ADDR:P that appends NAME to each answer, so the
        sender learns which server (which side of an anycast address) answered.
        Runs until killed.

    gap.py measure SRC DST [--port P] [--period MS] [--duration S]
                   [--ready FILE] [--min-gap MS]
        Sends a numbered datagram from SRC to DST:P every PERIOD ms (10) for
        S seconds (0: until SIGTERM or SIGINT), then waits one second for
        late answers and prints one JSON object:

          sent, answered, lost        datagrams
          period_ms                   the send period
          max_gap_ms                  the largest time between the sends of
                                      two consecutive answered datagrams
                                      (no loss: about period_ms)
          gap                         that gap: from_ms/to_ms (since the
                                      first send), from_real/to_real (epoch
                                      seconds, to compare with `date +%s.%N`),
                                      from_mono/to_mono (CLOCK_MONOTONIC),
                                      lost (datagrams in it), before/after
                                      (the server that answered the last
                                      send before it and the first after)
          gaps                        every gap of at least MS ms (default
                                      5 periods), in the same form, in order
          servers                     answers per server name
          switches                    each change of the answering server:
                                      at_ms, at_real, at_mono (the first
                                      send the new one answered), gap_ms
                                      (since the last answered send before
                                      it), from, to

        FILE is created once the first answer came back: start, wait for
        FILE, then cut the link, and read the gap.

Both ends run where the addresses are (e.g. under "ip netns exec").
Standard library only.
"""
import argparse
import json
import os
import select
import signal
import socket
import struct
import sys
import time

MAGIC = b"GAP1"
HDR = struct.Struct("!4sI")  # magic, sequence number


def serve(args):
    s = socket.socket(socket.AF_INET6 if ":" in args.addr else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.addr, args.port))
    name = args.name.encode()
    print(f"gap.py: serving {args.name} on {args.addr}:{args.port}",
          file=sys.stderr, flush=True)
    while True:
        data, peer = s.recvfrom(2048)
        if data[:4] == MAGIC:
            s.sendto(data[:HDR.size] + name, peer)


def gap_record(a, b, sent, first, answers, mono_to_real):
    """The gap between answered sequence numbers a < b."""
    ta, tb = sent[a], sent[b]
    return {
        "ms": round((tb - ta) * 1000, 1),
        "from_ms": round((ta - first) * 1000, 1),
        "to_ms": round((tb - first) * 1000, 1),
        "from_mono": round(ta, 6),
        "to_mono": round(tb, 6),
        "from_real": round(ta + mono_to_real, 6),
        "to_real": round(tb + mono_to_real, 6),
        "lost": b - a - 1,
        "before": answers[a],
        "after": answers[b],
    }


def measure(args):
    stop = [False]

    def on_signal(_sig, _frm):
        stop[0] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    fam = socket.AF_INET6 if ":" in args.dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((args.src, 0))
    s.setblocking(False)
    period = args.period / 1000
    mono_to_real = time.time() - time.monotonic()
    sent = {}       # seq -> monotonic send time
    answers = {}    # seq -> server name
    errors = 0
    ready = False
    seq = 0
    first = time.monotonic()
    end = first + args.duration if args.duration > 0 else None
    next_send = first

    def receive():
        nonlocal ready
        while True:
            try:
                data = s.recv(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                # ICMP errors surface here (no route, unreachable).
                continue
            if len(data) < HDR.size:
                continue
            magic, n = HDR.unpack_from(data)
            if magic != MAGIC or n not in sent or n in answers:
                continue
            answers[n] = data[HDR.size:].decode(errors="replace")
            if not ready and args.ready:
                with open(args.ready, "w") as f:
                    f.write(f"{time.time():.6f}\n")
                ready = True

    while not stop[0]:
        now = time.monotonic()
        if end is not None and now >= end:
            break
        if now >= next_send:
            seq += 1
            sent[seq] = now
            try:
                s.sendto(HDR.pack(MAGIC, seq), (args.dst, args.port))
            except OSError:
                errors += 1     # no route while the FIB switches over
            # Keep the schedule; after a stall, do not burst to catch up.
            next_send += period
            if next_send < now:
                next_send = now + period
        try:
            select.select([s], [], [], max(0, next_send - time.monotonic()))
        except InterruptedError:
            pass
        receive()
    # Late answers.
    late_end = time.monotonic() + 1
    while time.monotonic() < late_end:
        try:
            select.select([s], [], [], max(0, late_end - time.monotonic()))
        except InterruptedError:
            pass
        receive()

    got = sorted(answers)
    min_gap = args.min_gap if args.min_gap is not None else 5 * args.period
    gaps = []
    biggest = None
    switches = []
    for a, b in zip(got, got[1:]):
        g = gap_record(a, b, sent, first, answers, mono_to_real)
        if biggest is None or g["ms"] > biggest["ms"]:
            biggest = g
        if g["ms"] >= min_gap:
            gaps.append(g)
        if answers[a] != answers[b]:
            switches.append({"at_ms": g["to_ms"], "at_mono": g["to_mono"],
                             "at_real": g["to_real"], "gap_ms": g["ms"],
                             "from": answers[a], "to": answers[b]})
    servers = {}
    for name in answers.values():
        servers[name] = servers.get(name, 0) + 1
    print(json.dumps({
        "sent": len(sent),
        "answered": len(answers),
        "lost": len(sent) - len(answers),
        "send_errors": errors,
        "period_ms": args.period,
        "max_gap_ms": biggest["ms"] if biggest else None,
        "gap": biggest,
        "gaps": gaps,
        "servers": servers,
        "switches": switches,
    }), flush=True)
    return 0 if answers else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    sv = sub.add_parser("serve")
    sv.add_argument("addr")
    sv.add_argument("name")
    sv.add_argument("--port", type=int, default=7777)
    ms = sub.add_parser("measure")
    ms.add_argument("src")
    ms.add_argument("dst")
    ms.add_argument("--port", type=int, default=7777)
    ms.add_argument("--period", type=float, default=10, help="ms")
    ms.add_argument("--duration", type=float, default=0, help="s, 0: until signalled")
    ms.add_argument("--ready", help="file created at the first answer")
    ms.add_argument("--min-gap", type=float, help="ms, for the gaps list")
    args = p.parse_args()
    if args.cmd == "serve":
        return serve(args)
    return measure(args)


if __name__ == "__main__":
    sys.exit(main())
