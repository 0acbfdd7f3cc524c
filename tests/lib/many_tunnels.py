#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""many_tunnels.py: "ip -batch" lines for N tunnel-mode ESP tunnels between
gateway A and N gateways that all live in netns B, for races and scale.

  many_tunnels.py setup a|b            addresses and routes of one side
  many_tunnels.py sas a|b N [FIRST] [--spi-base HEX] [--cmd add|update|delete]
                  [--no-sel]           the SAs of tunnels FIRST..FIRST+N-1
  many_tunnels.py policies a|b N [FIRST]
  many_tunnels.py remote I [N]         the outer addresses on B's side of
                                       tunnels I..I+N-1 (N defaults to 1)

Addressing (outside: the veth "wan"; inside: loopback):
  A: wan 192.0.2.1/24, LAN 10.1.0.1; routes 198.18.0.0/15 via 192.0.2.2.
  B: wan 192.0.2.2/24; B's gateways are 198.18.0.0 + I + 1, its LANs
     10.128.0.0 + I + 1, both whole ranges local on lo (AnyIP), so N
     gateways cost no addresses and no neighbour entries.
Each SA's selector is the two LAN hosts (/32), so xfrm_hc probes the far
LAN host through the tunnel with no rule. With --no-sel the SAs have none
(as charon installs them: the policies hold the traffic selectors), so
the peer has no ICMP target and uses the echo between xfrm-hc hosts. SPIs: A->B 0x10000000 + I,
B->A 0x20000000 + I (plus --spi-base, to rekey onto new SPIs).
"""
import ipaddress
import sys

KEY = "0x0102030405060708090a0b0c0d0e0f1011121314"
A_WAN, B_WAN = "192.0.2.1", "192.0.2.2"
A_LAN = "10.1.0.1"
GW_BASE = ipaddress.IPv4Address("198.18.0.0")
LAN_BASE = ipaddress.IPv4Address("10.128.0.0")
MAX_TUNNELS = (1 << 17) - 2


def remote(i):
    return str(GW_BASE + i + 1)


def lan(i):
    return str(LAN_BASE + i + 1)


def setup(side):
    if side == "a":
        return ["addr add %s/24 dev wan" % A_WAN,
                "link set wan up",
                "addr add %s/32 dev lo" % A_LAN,
                "route add 198.18.0.0/15 via %s" % B_WAN,
                "route add 10.128.0.0/9 dev wan src %s" % A_LAN]
    return ["addr add %s/24 dev wan" % B_WAN,
            "link set wan up",
            "route add local 198.18.0.0/15 dev lo",
            "route add local 10.128.0.0/9 dev lo",
            "route add %s/32 dev wan" % A_LAN]


def sa_line(cmd, src, dst, spi, ssel, dsel):
    head = "xfrm state %s src %s dst %s proto esp spi 0x%08x" % (
        cmd, src, dst, spi)
    if cmd == "delete":
        return head
    head += " reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' %s 128" % KEY
    if not ssel:
        return head
    return head + " sel src %s/32 dst %s/32" % (ssel, dsel)


def sas(side, n, first, spi_base, cmd, sel=True):
    out = []
    for i in range(first, first + n):
        gw, ln = remote(i), lan(i)
        a_lan, b_lan = (A_LAN, ln) if sel else (None, None)
        a2b = (A_WAN, gw, spi_base + 0x10000000 + i, a_lan, b_lan)
        b2a = (gw, A_WAN, spi_base + 0x20000000 + i, b_lan, a_lan)
        for sa in (a2b, b2a):
            out.append(sa_line(cmd, *sa))
    return out


def policies(side, n, first):
    out = []
    for i in range(first, first + n):
        gw, ln = remote(i), lan(i)
        if side == "a":
            mine, peer, me, them = A_LAN, ln, A_WAN, gw
        else:
            mine, peer, me, them = ln, A_LAN, gw, A_WAN
        out.append("xfrm policy add src %s/32 dst %s/32 dir out tmpl src %s"
                   " dst %s proto esp reqid 1 mode tunnel"
                   % (mine, peer, me, them))
        out.append("xfrm policy add src %s/32 dst %s/32 dir in tmpl src %s"
                   " dst %s proto esp reqid 1 mode tunnel"
                   % (peer, mine, them, me))
    return out


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    what, args = argv[1], argv[2:]
    spi_base, cmd, sel = 0, "add", True
    rest = []
    while args:
        a = args.pop(0)
        if a == "--spi-base":
            spi_base = int(args.pop(0), 16)
        elif a == "--cmd":
            cmd = args.pop(0)
        elif a == "--no-sel":
            sel = False
        else:
            rest.append(a)
    if what == "remote":
        first, n = int(rest[0]), int(rest[1]) if len(rest) > 1 else 1
        print("\n".join(remote(i) for i in range(first, first + n)))
        return
    side = rest[0]
    if side not in ("a", "b"):
        sys.exit("side must be a or b")
    if what == "setup":
        lines = setup(side)
    else:
        n = int(rest[1])
        first = int(rest[2]) if len(rest) > 2 else 0
        if n < 0 or first < 0 or first + n > MAX_TUNNELS:
            sys.exit("at most %d tunnels" % MAX_TUNNELS)
        if what == "sas":
            lines = sas(side, n, first, spi_base, cmd, sel)
        elif what == "policies":
            lines = policies(side, n, first)
        else:
            sys.exit(__doc__)
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv)
