# SPDX-License-Identifier: GPL-2.0
"""Every field of an IPv4 or IPv6 header as seen on the wire, and the
checksums of what it carries, for tests that assert whole headers.

    ip_header(pkt)          pkt starts at the IP header: a dict of its
                            fields, "hex" (the header's bytes) and, for
                            IPv4, "csum_ok"; None if it is no IP header
    l4_csum_ok(ip, seg)     the UDP, ICMP or ICMPv6 checksum of seg (the
                            whole segment) is right; IPv4 UDP's 0 ("none")
                            counts as right
    frame_ip(frame)         the IP packet in an Ethernet frame (VLAN tags
                            skipped), or None

Standard library only.
"""
import socket
import struct

ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
ETH_P_8021Q = 0x8100
IPPROTO_ICMP = 1
IPPROTO_UDP = 17
IPPROTO_ICMPV6 = 58


def csum(data):
    """The Internet checksum (RFC 1071) of data, as a sum: 0 if right."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame_ip(frame):
    """The IP packet of an Ethernet frame, by the version nibble: after
    decapsulation the kernel rebuilds the outer MAC header, whose
    EtherType need not name the inner family."""
    if len(frame) < 14:
        return None
    off = 12
    while struct.unpack_from("!H", frame, off)[0] == ETH_P_8021Q and \
            len(frame) >= off + 6:
        off += 4
    off += 2
    if len(frame) <= off or frame[off] >> 4 not in (4, 6):
        return None
    return frame[off:]


def ip_header(pkt):
    if not pkt:
        return None
    ver = pkt[0] >> 4
    if ver == 4 and len(pkt) >= 20:
        ihl = pkt[0] & 0xF
        if ihl < 5 or len(pkt) < ihl * 4:
            return None
        tos, tot_len, ident, frag, ttl, proto, check = \
            struct.unpack_from("!BHHHBBH", pkt, 1)
        hdr = pkt[:ihl * 4]
        return {
            "version": 4, "ihl": ihl, "tos": tos, "tot_len": tot_len,
            "id": ident, "frag_off": frag, "ttl": ttl, "protocol": proto,
            "check": check, "csum_ok": csum(hdr) == 0,
            "src": socket.inet_ntop(socket.AF_INET, pkt[12:16]),
            "dst": socket.inet_ntop(socket.AF_INET, pkt[16:20]),
            "options": hdr[20:].hex(), "hex": hdr.hex(),
        }
    if ver == 6 and len(pkt) >= 40:
        first, plen, nh, hlim = struct.unpack_from("!IHBB", pkt, 0)
        return {
            "version": 6, "tclass": (first >> 20) & 0xFF,
            "flowlabel": first & 0xFFFFF, "payload_len": plen,
            "nexthdr": nh, "hop_limit": hlim,
            "src": socket.inet_ntop(socket.AF_INET6, pkt[8:24]),
            "dst": socket.inet_ntop(socket.AF_INET6, pkt[24:40]),
            "hex": pkt[:40].hex(),
        }
    return None


def l4_csum_ok(ip, pkt):
    """pkt is the whole IP packet whose header ip_header() gave ip."""
    if ip["version"] == 4:
        hl = ip["ihl"] * 4
        seg = pkt[hl:ip["tot_len"]]
        if ip["protocol"] == IPPROTO_ICMP:
            return csum(seg) == 0
        if ip["protocol"] == IPPROTO_UDP and seg[6:8] == b"\0\0":
            return True
        pseudo = pkt[12:20] + struct.pack("!BBH", 0, ip["protocol"],
                                          len(seg))
    else:
        seg = pkt[40:40 + ip["payload_len"]]
        pseudo = pkt[8:40] + struct.pack("!IxxxB", len(seg), ip["nexthdr"])
    return csum(pseudo + seg) == 0
