#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Capture ICMP and ICMPv6 echo requests on an interface, every header
field of each.

    echo_capture.py DEV SECONDS --src ADDR [--len N] [--ready FILE]

For SECONDS, an AF_PACKET socket on DEV (run it in the interface's netns)
sees every frame; an echo request from ADDR, N bytes of ICMP (type, code,
checksum, id, sequence and the rest) if given, counts. On a gateway's WAN
device in tunnel mode that is the inner packet as decrypted: the kernel
passes it up through the device again. FILE is created once the socket is
open. Prints one JSON object:

  count   echo requests seen
  echoes  each one: ip (every field of its IP header: iphdr.py) and icmp
          (type, code, len, csum_ok)

Standard library only.
"""
import argparse
import ipaddress
import json
import select
import socket
import sys
import time

import iphdr

ETH_P_ALL = 0x0003
ICMP_ECHO = 8
ICMPV6_ECHO_REQUEST = 128


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("dev")
    p.add_argument("seconds", type=float)
    p.add_argument("--src", required=True)
    p.add_argument("--len", type=int, help="ICMP length (header and data)")
    p.add_argument("--ready", help="file created once capturing")
    args = p.parse_args()
    want = ipaddress.ip_address(args.src)

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((args.dev, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("ready\n")
    end = time.monotonic() + args.seconds
    echoes = []
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        if not select.select([s], [], [], left)[0]:
            continue
        pkt = iphdr.frame_ip(s.recv(65536))
        ip = iphdr.ip_header(pkt)
        if ip is None or ipaddress.ip_address(ip["src"]) != want:
            continue
        if ip["version"] == 4:
            if ip["protocol"] != iphdr.IPPROTO_ICMP:
                continue
            l4 = pkt[ip["ihl"] * 4:ip["tot_len"]]
            echo = ICMP_ECHO
        else:
            if ip["nexthdr"] != iphdr.IPPROTO_ICMPV6:
                continue
            l4 = pkt[40:40 + ip["payload_len"]]
            echo = ICMPV6_ECHO_REQUEST
        if len(l4) < 8 or l4[0] != echo:
            continue
        if args.len is not None and len(l4) != args.len:
            continue
        echoes.append({"ip": ip, "icmp": {
            "type": l4[0], "code": l4[1], "len": len(l4),
            "csum_ok": iphdr.l4_csum_ok(ip, pkt)}})
    print(json.dumps({"count": len(echoes), "echoes": echoes}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
