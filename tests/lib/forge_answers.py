#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Answer probes seen in one netns from another one: a forger's relay.

    forge_answers.py --see NS DEV --src A --dst B --from NS2 --count-file F

An AF_PACKET socket on DEV in netns NS sees each ICMP echo request from A
to B (on a gateway's WAN device in tunnel mode, the packet as decrypted),
and a raw ICMP socket in netns NS2, bound to B, sends back an echo reply
with the request's id, sequence and payload byte for byte: what a genuine
answer carries, but through NS2's tunnel instead of the one the probe took.
F holds the number of replies sent so far. Runs until killed.

Standard library only.
"""
import argparse
import ctypes
import os
import socket
import struct

ETH_P_ALL = 0x0003
CLONE_NEWNET = 0x40000000
ICMP_ECHO, ICMP_ECHOREPLY = 8, 0


def setns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), f"setns {name}")
    os.close(fd)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--see", nargs=2, metavar=("NS", "DEV"), required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--dst", required=True)
    p.add_argument("--from", dest="send_ns", required=True)
    p.add_argument("--count-file", required=True)
    args = p.parse_args()
    src, dst = socket.inet_aton(args.src), socket.inet_aton(args.dst)

    # A socket stays in the netns it was made in.
    setns(args.see[0])
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                       socket.htons(ETH_P_ALL))
    rx.bind((args.see[1], 0))
    setns(args.send_ns)
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    tx.bind((args.dst, 0))

    sent = 0
    with open(args.count_file, "w") as f:
        f.write("0\n")
    while True:
        pkt = rx.recv(65535)
        # SOCK_DGRAM: from the IP header on.
        if len(pkt) < 28 or pkt[0] >> 4 != 4 or pkt[9] != socket.IPPROTO_ICMP:
            continue
        ihl = (pkt[0] & 15) * 4
        if pkt[12:16] != src or pkt[16:20] != dst or pkt[ihl] != ICMP_ECHO:
            continue
        icmp = pkt[ihl:]
        reply = bytearray(icmp)
        reply[0] = ICMP_ECHOREPLY
        reply[2:4] = b"\0\0"
        reply[2:4] = struct.pack("!H", csum(bytes(reply)))
        tx.sendto(bytes(reply), (args.src, 0))
        sent += 1
        with open(args.count_file, "w") as f:
            f.write(f"{sent}\n")


if __name__ == "__main__":
    main()
