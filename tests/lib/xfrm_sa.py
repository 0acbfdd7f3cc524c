#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Install and list XFRM SAs over raw netlink, for what iproute2 6.1 lacks.

Debian 12's iproute2 (6.1) can neither set nor show XFRMA_SA_DIR and
XFRMA_NAT_KEEPALIVE_INTERVAL, which newer kernels (6.12) have. Run it in a
namespace with "ip netns exec NS python3 xfrm_sa.py ...".

  xfrm_sa.py add src ADDR dst ADDR [proto esp] spi SPI reqid N
                 mode tunnel|transport aead ALGO HEXKEY ICVBITS
                 [encap espinudp|espinudp-nonike SPORT DPORT [OADDR]]
                 [replay-window N] [dir in|out] [nat-keepalive SECONDS]
                 [sel-any]
      Send XFRM_MSG_NEWSA. The outer family comes from the addresses.
      Without sel-any the selector is left zero (family 0), as iproute2
      sends it when no "sel" is given: the kernel then gives it the outer
      family. sel-any sets an IPv4 0.0.0.0/0 selector, like
      "sel src 0.0.0.0/0 dst 0.0.0.0/0". Lifetimes are unlimited.
      Exit 0 on success; on failure print the error and the kernel's
      extended ack to stderr and exit 1. Kernels that predate dir and
      nat-keepalive (such as 6.1) ignore them silently: check with dump.
  xfrm_sa.py migrate src ADDR[/PLEN] dst ADDR[/PLEN] dir in|out|fwd
                     [reqid N] old SRC DST new SRC DST [old SRC DST new ...]
      Send XFRM_MSG_MIGRATE, as libreswan does for MOBIKE, which iproute2
      cannot: the policy is the one whose selector holds src and dst
      (its inner addresses), each "old SRC DST new SRC DST" moves its
      tunnel-mode ESP template, and the SA of those outer addresses if
      one is still there, to the new ones (XFRMA_MIGRATE, struct
      xfrm_user_migrate). reqid (default 0: any) applies to the pairs
      after it.
  xfrm_sa.py batch
      Read commands from stdin, one a line: "NETNS COMMAND ARGS...", and
      run each in the network namespace NETNS (/run/netns/NETNS), all from
      one process: both ends of a tunnel then change within milliseconds,
      as in an IKE exchange, not a second apart.
  xfrm_sa.py dump
      Dump every SA of the namespace (XFRM_MSG_GETSA), one line each:
      "src A dst B spi 0xSPI reqid N dir in|out|none nat-keepalive SECONDS"
      (0 when not set).

Example:
  xfrm_sa.py add src 192.0.2.1 dst 192.0.2.2 spi 0xa1b2 reqid 1 \\
      mode tunnel aead 'rfc4106(gcm(aes))' 0x0102...1314 128 \\
      encap espinudp 4500 4500 dir out nat-keepalive 5 sel-any
"""
import ctypes
import errno
import os
import socket
import struct
import sys

# Netlink attributes are built and read as for generic netlink.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../integration"))
from genl import attr, parse_attrs  # noqa: E402

NETLINK_XFRM = 6
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2

XFRM_MSG_NEWSA, XFRM_MSG_GETSA = 0x10, 0x12
XFRM_MSG_MIGRATE = 0x21

# enum xfrm_attr_type_t
XFRMA_ENCAP = 4
XFRMA_MIGRATE = 17
XFRMA_ALG_AEAD = 18
XFRMA_SA_DIR = 33
XFRMA_NAT_KEEPALIVE_INTERVAL = 34

XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT = 1, 2
XFRM_MODE_TRANSPORT, XFRM_MODE_TUNNEL = 0, 1
UDP_ENCAP_ESPINUDP_NON_IKE, UDP_ENCAP_ESPINUDP = 1, 2
XFRM_INF = (1 << 64) - 1

DIRS = {"in": XFRM_SA_DIR_IN, "out": XFRM_SA_DIR_OUT}
XFRM_POLICY_IN, XFRM_POLICY_OUT, XFRM_POLICY_FWD = 0, 1, 2
POLICY_DIRS = {"in": XFRM_POLICY_IN, "out": XFRM_POLICY_OUT,
               "fwd": XFRM_POLICY_FWD}
MODES = {"transport": XFRM_MODE_TRANSPORT, "tunnel": XFRM_MODE_TUNNEL}
ENCAPS = {"espinudp": UDP_ENCAP_ESPINUDP,
          "espinudp-nonike": UDP_ENCAP_ESPINUDP_NON_IKE}

# x86_64 layouts, explicit padding ("=" means no implicit alignment).
# struct xfrm_selector, 56 bytes: daddr, saddr, dport, dport_mask, sport,
# sport_mask (__be16, kept 0 here), family, prefixlen_d, prefixlen_s,
# proto, 3 pad, ifindex, user.
SELECTOR = "16s16s8sHBBB3xiI"
# struct xfrm_usersa_info, 224 bytes: sel; id (daddr, __be32 spi as 4
# bytes, proto, 3 pad); saddr; lft (8 x u64); curlft (4 x u64); stats
# (3 x u32); seq, reqid, family, mode, replay_window, flags, 7 pad.
USERSA_INFO = "=56s16s4sB3x16s8Q4Q3IIIHBBB7x"
# struct xfrm_algo_aead header, 72 bytes: alg_name, key and ICV bits.
ALGO_AEAD = "=64sII"
# struct xfrm_encap_tmpl, 24 bytes: type, __be16 sport/dport, 2 pad, oa.
ENCAP_TMPL = "=H2s2s2x16s"

# struct xfrm_userpolicy_id, 64 bytes: sel, index, dir, 3 pad.
USERPOLICY_ID = "=56sIB3x"
# struct xfrm_user_migrate, 76 bytes: old daddr and saddr, new daddr and
# saddr, proto, mode, reserved, reqid, old family, new family.
USER_MIGRATE = "=16s16s16s16sBBHIHH"

assert struct.calcsize("=" + SELECTOR) == 56
assert struct.calcsize(USERPOLICY_ID) == 64
assert struct.calcsize(USER_MIGRATE) == 76
assert struct.calcsize(USERSA_INFO) == 224
assert struct.calcsize(ALGO_AEAD) == 72
assert struct.calcsize(ENCAP_TMPL) == 24


class UsageError(Exception):
    pass


def parse_addr(text):
    """Return (family, 16-byte xfrm_address_t) for an IPv4/IPv6 address."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            raw = socket.inet_pton(family, text)
        except OSError:
            continue
        return family, raw.ljust(16, b"\0")
    raise UsageError("bad address %r" % text)


def format_addr(family, raw):
    if family == socket.AF_INET:
        return socket.inet_ntop(family, raw[:4])
    if family == socket.AF_INET6:
        return socket.inet_ntop(family, raw)
    return raw.hex()


def parse_int(text, what, limit):
    try:
        val = int(text, 0)
    except ValueError:
        raise UsageError("bad %s %r" % (what, text)) from None
    if not 0 <= val < limit:
        raise UsageError("%s %r out of range" % (what, text))
    return val


def parse_key(text):
    hexstr = text[2:] if text.lower().startswith("0x") else text
    try:
        return bytes.fromhex(hexstr)
    except ValueError:
        raise UsageError("bad hex key %r" % text) from None


def selector(family=0):
    """All-zero addresses and ports: any/any of family (0: unset)."""
    return struct.pack("=" + SELECTOR, b"", b"", b"", family, 0, 0, 0, 0, 0)


def build_newsa(argv):
    """Parse "add" words into the body of an XFRM_MSG_NEWSA message."""
    opt = {"proto": "esp", "replay-window": "0"}
    args = list(argv)

    def take(n):
        if len(args) < n:
            raise UsageError("missing argument")
        vals = args[:n]
        del args[:n]
        return vals

    while args:
        word = take(1)[0]
        if word in ("src", "dst", "proto", "spi", "reqid", "mode", "dir",
                    "nat-keepalive", "replay-window"):
            opt[word] = take(1)[0]
        elif word == "aead":
            opt["aead"] = take(3)
        elif word == "encap":
            opt["encap"] = take(3)
            if args:
                try:
                    parse_addr(args[0])
                    opt["encap"].append(take(1)[0])
                except UsageError:
                    pass
        elif word == "sel-any":
            opt["sel-any"] = True
        else:
            raise UsageError("unknown word %r" % word)

    for need in ("src", "dst", "spi", "reqid", "mode", "aead"):
        if need not in opt:
            raise UsageError("%s is required" % need)
    if opt["proto"] != "esp":
        raise UsageError("only proto esp is supported")
    family, saddr = parse_addr(opt["src"])
    dfamily, daddr = parse_addr(opt["dst"])
    if family != dfamily:
        raise UsageError("src and dst are of different families")
    if opt["mode"] not in MODES:
        raise UsageError("bad mode %r" % opt["mode"])

    lft = (XFRM_INF,) * 4 + (0,) * 4
    info = struct.pack(USERSA_INFO,
                       selector(socket.AF_INET if "sel-any" in opt else 0),
                       daddr,
                       struct.pack(">I", parse_int(opt["spi"], "spi",
                                                   1 << 32)),
                       socket.IPPROTO_ESP, saddr, *lft,
                       0, 0, 0, 0,  # curlft
                       0, 0, 0,  # stats
                       0,  # seq
                       parse_int(opt["reqid"], "reqid", 1 << 32),
                       family, MODES[opt["mode"]],
                       parse_int(opt["replay-window"], "replay-window",
                                 256),
                       0)  # flags

    name, key, icv = opt["aead"]
    key = parse_key(key)
    body = info + attr(XFRMA_ALG_AEAD,
                       struct.pack(ALGO_AEAD, name.encode(), len(key) * 8,
                                   parse_int(icv, "ICV bits", 1 << 32)) +
                       key)
    if "encap" in opt:
        etype, sport, dport = opt["encap"][:3]
        if etype not in ENCAPS:
            raise UsageError("bad encap type %r" % etype)
        oaddr = b"\0" * 16
        if len(opt["encap"]) > 3:
            oaddr = parse_addr(opt["encap"][3])[1]
        body += attr(XFRMA_ENCAP, struct.pack(
            ENCAP_TMPL, ENCAPS[etype],
            struct.pack(">H", parse_int(sport, "sport", 1 << 16)),
            struct.pack(">H", parse_int(dport, "dport", 1 << 16)),
            oaddr))
    if "dir" in opt:
        if opt["dir"] not in DIRS:
            raise UsageError("bad dir %r" % opt["dir"])
        body += attr(XFRMA_SA_DIR, struct.pack("=B", DIRS[opt["dir"]]))
    if "nat-keepalive" in opt:
        body += attr(XFRMA_NAT_KEEPALIVE_INTERVAL, struct.pack(
            "=I", parse_int(opt["nat-keepalive"], "nat-keepalive",
                            1 << 32)))
    return body


def parse_prefix(text):
    """Return (family, 16-byte address, prefix length) of ADDR[/PLEN]."""
    addr, _, plen = text.partition("/")
    family, raw = parse_addr(addr)
    full = 32 if family == socket.AF_INET else 128
    return family, raw, parse_int(plen, "prefix length", full + 1) \
        if plen else full


def build_migrate(argv):
    """Parse "migrate" words into the body of an XFRM_MSG_MIGRATE message."""
    opt = {}
    moves = []
    reqid = 0
    args = list(argv)

    def take(n):
        if len(args) < n:
            raise UsageError("missing argument")
        vals = args[:n]
        del args[:n]
        return vals

    while args:
        word = take(1)[0]
        if word in ("src", "dst", "dir"):
            opt[word] = take(1)[0]
        elif word == "reqid":
            reqid = parse_int(take(1)[0], "reqid", 1 << 32)
        elif word == "old":
            osrc, odst, new, nsrc, ndst = take(5)
            if new != "new":
                raise UsageError("\"old SRC DST\" wants \"new SRC DST\"")
            moves.append((osrc, odst, nsrc, ndst, reqid))
        else:
            raise UsageError("unknown word %r" % word)

    for need in ("src", "dst", "dir"):
        if need not in opt:
            raise UsageError("%s is required" % need)
    if not moves:
        raise UsageError("old SRC DST new SRC DST is required")
    if opt["dir"] not in POLICY_DIRS:
        raise UsageError("bad dir %r" % opt["dir"])
    family, saddr, splen = parse_prefix(opt["src"])
    dfamily, daddr, dplen = parse_prefix(opt["dst"])
    if family != dfamily:
        raise UsageError("src and dst are of different families")

    sel = struct.pack("=" + SELECTOR, daddr, saddr, b"", family, dplen,
                      splen, 0, 0, 0)
    body = struct.pack(USERPOLICY_ID, sel, 0, POLICY_DIRS[opt["dir"]])
    entries = b""
    for osrc, odst, nsrc, ndst, rq in moves:
        ofam, osaddr = parse_addr(osrc)
        ofam2, odaddr = parse_addr(odst)
        nfam, nsaddr = parse_addr(nsrc)
        nfam2, ndaddr = parse_addr(ndst)
        if ofam != ofam2 or nfam != nfam2:
            raise UsageError("SRC and DST are of different families")
        entries += struct.pack(USER_MIGRATE, odaddr, osaddr, ndaddr, nsaddr,
                               socket.IPPROTO_ESP, XFRM_MODE_TUNNEL, 0, rq,
                               ofam, nfam)
    return body + attr(XFRMA_MIGRATE, entries)


class Xfrm:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_XFRM)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sk.bind((0, 0))
        self.seq = 0

    def send(self, mtype, flags, body=b""):
        """Send one request; return (errno, extack, [reply bodies])."""
        self.seq += 1
        hdr = struct.pack("=IHHII", 16 + len(body), mtype,
                          NLM_F_REQUEST | flags, self.seq, 0)
        self.sk.send(hdr + body)
        replies = []
        while True:
            data = self.sk.recv(1 << 20)
            while len(data) >= 16:
                nlen, ntype, nflags, seq, _ = struct.unpack_from("=IHHII",
                                                                 data)
                msg, data = data[16:nlen], data[(nlen + 3) & ~3:]
                if seq != self.seq:
                    continue
                if ntype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", msg)[0]
                    return err, self.extack(msg, nflags), replies
                if ntype == NLMSG_DONE:
                    err = 0
                    if len(msg) >= 4:
                        err = -struct.unpack_from("=i", msg)[0]
                    return err, self.extack(msg[4:], nflags, 0), replies
                replies.append((ntype, msg))

    @staticmethod
    def extack(msg, nflags, off=None):
        """Text of the extended ack TLVs of an error or done message."""
        if not nflags & NLM_F_ACK_TLVS:
            return ""
        if off is None:
            # error code, then the request: its header only if capped
            off = 4 + 16
            if not nflags & NLM_F_CAPPED:
                off = 4 + ((struct.unpack_from("=I", msg, 4)[0] + 3) & ~3)
        tlv = parse_attrs(msg[off:])
        text = tlv.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
        if NLMSGERR_ATTR_OFFS in tlv:
            text += " (at offset %d)" % struct.unpack(
                "=I", tlv[NLMSGERR_ATTR_OFFS])[0]
        return text.strip()


def failed(what, err, extack):
    print("xfrm_sa.py: %s: %s (%s)%s" % (
        what, os.strerror(err), errno.errorcode.get(err, err),
        ": " + extack if extack else ""), file=sys.stderr)
    return 1


def cmd_add(argv):
    body = build_newsa(argv)
    err, extack, _ = Xfrm().send(XFRM_MSG_NEWSA, NLM_F_ACK, body)
    if err:
        return failed("XFRM_MSG_NEWSA", err, extack)
    return 0


def cmd_migrate(argv):
    body = build_migrate(argv)
    err, extack, _ = Xfrm().send(XFRM_MSG_MIGRATE, NLM_F_ACK, body)
    if err:
        return failed("XFRM_MSG_MIGRATE", err, extack)
    return 0


def cmd_dump(argv):
    if argv:
        raise UsageError("dump takes no arguments")
    err, extack, replies = Xfrm().send(XFRM_MSG_GETSA, NLM_F_DUMP)
    if err:
        return failed("XFRM_MSG_GETSA", err, extack)
    size = struct.calcsize(USERSA_INFO)
    names = {v: k for k, v in DIRS.items()}
    for mtype, msg in replies:
        if mtype != XFRM_MSG_NEWSA or len(msg) < size:
            continue
        f = struct.unpack_from(USERSA_INFO, msg)
        daddr, spi, saddr = f[1], f[2], f[4]
        reqid, family = f[-5], f[-4]
        attrs = parse_attrs(msg[size:])
        sa_dir = attrs.get(XFRMA_SA_DIR, b"\0")[0]
        keepalive = 0
        if XFRMA_NAT_KEEPALIVE_INTERVAL in attrs:
            keepalive = struct.unpack(
                "=I", attrs[XFRMA_NAT_KEEPALIVE_INTERVAL][:4])[0]
        print("src %s dst %s spi 0x%08x reqid %d dir %s nat-keepalive %d" % (
            format_addr(family, saddr), format_addr(family, daddr),
            struct.unpack(">I", spi)[0], reqid,
            names.get(sa_dir, "none" if not sa_dir else str(sa_dir)),
            keepalive))
    return 0


CLONE_NEWNET = 0x40000000


def enter_netns(name):
    """Move this process into network namespace NAME, for new sockets."""
    fd = os.open(os.path.join("/run/netns", name), os.O_RDONLY)
    try:
        if hasattr(os, "setns"):
            os.setns(fd, CLONE_NEWNET)
        else:  # Python before 3.12
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.setns(fd, CLONE_NEWNET):
                err = ctypes.get_errno()
                raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def cmd_batch(argv):
    if argv:
        raise UsageError("batch takes no arguments")
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if len(words) < 2 or words[1] not in CMDS or words[1] == "batch":
            raise UsageError("bad batch line %r" % line.strip())
        enter_netns(words[0])
        ret = CMDS[words[1]](words[2:])
        if ret:
            return ret
    return 0


CMDS = {"add": cmd_add, "migrate": cmd_migrate, "dump": cmd_dump,
        "batch": cmd_batch}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in CMDS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return CMDS[sys.argv[1]](sys.argv[2:])
    except UsageError as e:
        print("xfrm_sa.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
