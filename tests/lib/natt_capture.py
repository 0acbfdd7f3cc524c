#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Capture RFC 3948 NAT-T keepalives on an interface, or send some.

    natt_capture.py capture DEV SECONDS [--src ADDR] [--port 4500]
                    [--ready FILE]
    natt_capture.py send SRC DST [--sport 4500] [--dport 4500]
                    [--count N] [--every S] [--payload HEX]

capture: for SECONDS, an AF_PACKET socket on DEV (run it in the interface's netns)
sees every IPv4 or IPv6 UDP datagram to or from PORT. A keepalive is one
whose payload is exactly the byte 0xFF; ESP in UDP, IKE and anything else
on the port only counts as "other". With --src, only datagrams from ADDR
count at all. FILE is created once the socket is open. Prints one JSON
object:

  count       keepalives seen
  times       when, in seconds since the capture started
  intervals   between consecutive keepalives, seconds
  keepalives  each one: t, src, sport, dst, dport, dir ("in" or "out"),
              ip (every field of its IP header: iphdr.py) and udp (len,
              check, csum_ok)
  other       other UDP datagrams to or from PORT (e.g. ESP in UDP)

send: N (1) datagrams from SRC:SPORT to DST:DPORT, S (1) seconds apart,
with the payload HEX (ff: a keepalive), through a raw socket, so that the
port can be in use by an encapsulation socket. Until killed with --count 0.

Standard library only.
"""
import argparse
import ipaddress
import json
import select
import socket
import struct
import sys
import time

import iphdr

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
ETH_P_8021Q = 0x8100
PACKET_OUTGOING = 4
IPPROTO_UDP = 17


def udp_of(frame):
    """(src, dst, sport, dport, payload) of a UDP datagram, or None."""
    if len(frame) < 14:
        return None
    off = 12
    etype = struct.unpack_from("!H", frame, off)[0]
    while etype == ETH_P_8021Q and len(frame) >= off + 6:
        off += 4
        etype = struct.unpack_from("!H", frame, off)[0]
    off += 2
    if etype == ETH_P_IP:
        if len(frame) < off + 20:
            return None
        vihl, _, tot_len = struct.unpack_from("!BBH", frame, off)
        ihl = (vihl & 0xF) * 4
        frag = struct.unpack_from("!H", frame, off + 6)[0]
        if frame[off + 9] != IPPROTO_UDP or frag & 0x1FFF:
            return None
        src = socket.inet_ntop(socket.AF_INET, frame[off + 12:off + 16])
        dst = socket.inet_ntop(socket.AF_INET, frame[off + 16:off + 20])
        end = off + tot_len     # not the frame's end: Ethernet pads
        off += ihl
    elif etype == ETH_P_IPV6:
        if len(frame) < off + 40:
            return None
        plen = struct.unpack_from("!H", frame, off + 4)[0]
        if frame[off + 6] != IPPROTO_UDP:     # no extension headers here
            return None
        src = socket.inet_ntop(socket.AF_INET6, frame[off + 8:off + 24])
        dst = socket.inet_ntop(socket.AF_INET6, frame[off + 24:off + 40])
        off += 40
        end = off + plen
    else:
        return None
    if len(frame) < off + 8 or end > len(frame):
        return None
    sport, dport, ulen = struct.unpack_from("!HHH", frame, off)
    payload = frame[off + 8:min(end, off + ulen)]
    return src, dst, sport, dport, payload


def capture(args):
    want_src = ipaddress.ip_address(args.src) if args.src else None
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((args.dev, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("ready\n")
    start = time.monotonic()
    end = start + args.seconds
    kas = []
    other = 0
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        if not select.select([s], [], [], left)[0]:
            continue
        frame, addr = s.recvfrom(65536)
        now = time.monotonic()
        d = udp_of(frame)
        if d is None:
            continue
        src, dst, sport, dport, payload = d
        if args.port not in (sport, dport):
            continue
        if want_src is not None and ipaddress.ip_address(src) != want_src:
            continue
        if payload == b"\xff":
            pkt = iphdr.frame_ip(frame)
            ip = iphdr.ip_header(pkt)
            l4 = pkt[ip["ihl"] * 4 if ip["version"] == 4 else 40:]
            ulen, ucheck = struct.unpack_from("!HH", l4, 4)
            kas.append({"t": round(now - start, 6), "src": src, "sport": sport,
                        "dst": dst, "dport": dport,
                        "dir": "out" if addr[2] == PACKET_OUTGOING else "in",
                        "ip": ip,
                        "udp": {"len": ulen, "check": ucheck,
                                "csum_ok": iphdr.l4_csum_ok(ip, pkt)}})
        else:
            other += 1
    times = [k["t"] for k in kas]
    print(json.dumps({
        "count": len(kas),
        "times": times,
        "intervals": [round(b - a, 6) for a, b in zip(times, times[1:])],
        "keepalives": kas,
        "other": other,
    }), flush=True)
    return 0


def send(args):
    v6 = ":" in args.dst
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_RAW, IPPROTO_UDP)
    if v6:
        # IPV6_CHECKSUM: the kernel fills in the UDP checksum at offset 6.
        s.setsockopt(socket.IPPROTO_IPV6, 7, 6)
    s.bind((args.src, 0))
    payload = bytes.fromhex(args.payload)
    # IPv4: checksum 0, "none", as RFC 768 allows.
    dgram = struct.pack("!HHHH", args.sport, args.dport, 8 + len(payload), 0) + payload
    n = 0
    while args.count == 0 or n < args.count:
        if n:
            time.sleep(args.every)
        s.sendto(dgram, (args.dst, 0))
        n += 1
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("dev")
    c.add_argument("seconds", type=float)
    c.add_argument("--src", help="count only datagrams from this address")
    c.add_argument("--port", type=int, default=4500)
    c.add_argument("--ready", help="file created once capturing")
    sd = sub.add_parser("send")
    sd.add_argument("src")
    sd.add_argument("dst")
    sd.add_argument("--sport", type=int, default=4500)
    sd.add_argument("--dport", type=int, default=4500)
    sd.add_argument("--count", type=int, default=1, help="0: until killed")
    sd.add_argument("--every", type=float, default=1.0, help="seconds")
    sd.add_argument("--payload", default="ff", help="hex")
    args = p.parse_args()
    return capture(args) if args.cmd == "capture" else send(args)


if __name__ == "__main__":
    sys.exit(main())
