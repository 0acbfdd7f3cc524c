#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink for tests: what the tool cannot send on purpose.

  genl.py request CMD [TYPE:KIND:VALUE ...]
      Send command CMD (a number) with raw attributes (KIND u32, u64, str,
      bin as hex) and print "error ERRNO EXTACK" or "ok".
  genl.py dump CMD
      The same as a dump request (NLM_F_DUMP): "ok" once it is done.
  genl.py reserved CMD[:dump]
      Send CMD (as a dump with ":dump") with no attributes and the
      genlmsghdr's reserved field set to 1: print the outcome as request.
  genl.py flood SECONDS CMD[:dump] ...
      From one socket, send the commands (no attributes) round and round
      for SECONDS, each waiting for its answer; print how many were sent,
      how many of them were accepted, and the errors of the others by
      name and count ("EINVAL:3,ENOENT:1", or "-" for none).
  genl.py hold READY GO
      Resolve the family, join the events group, send one request, touch
      READY, wait until the file GO exists, then send another request and
      print its outcome: the family may be gone by then.
  genl.py join
      Try to join the events group: print "EPERM" (exit 0) or "joined"
      (exit 1). Run it as "python3 - join < genl.py" from an unprivileged
      user who may not read the checkout.
"""
import errno
import os
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def parse_attrs(buf):
    out = {}
    while len(buf) >= 4:
        alen, atype = struct.unpack_from("=HH", buf)
        if alen < 4:
            break
        out[atype & 0x3FFF] = buf[4:alen]
        buf = buf[(alen + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sk.bind((0, 0))
        self.seq = 0

    def send(self, family, cmd, payload=b"", version=1, flags=0, reserved=0):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, reserved) + payload
        hdr = struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0)
        self.sk.send(hdr + body)
        return self.recv()

    def recv(self):
        """Return (errno, extack, [attrs of each reply])."""
        replies = []
        while True:
            data = self.sk.recv(65536)
            while data:
                nlen, ntype, nflags, _, _ = struct.unpack_from("=IHHII", data)
                msg, data = data[16:nlen], data[(nlen + 3) & ~3:]
                if ntype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", msg)[0]
                    extack = ""
                    if nflags & NLM_F_ACK_TLVS:
                        tlv = parse_attrs(msg[20:])
                        if NLMSGERR_ATTR_MSG in tlv:
                            extack = tlv[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
                    return err, extack, replies
                if ntype == NLMSG_DONE:
                    return -struct.unpack_from("=i", msg)[0], "", replies
                replies.append(parse_attrs(msg[4:]))

    def resolve(self, name="xfrm_hc"):
        err, _, rep = self.send(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                attr(CTRL_ATTR_FAMILY_NAME,
                                     name.encode() + b"\0"))
        if err:
            raise OSError(err, "resolve " + name)
        a = rep[0]
        fam = struct.unpack("=H", a[CTRL_ATTR_FAMILY_ID][:2])[0]
        groups = {}
        for g in parse_attrs(a.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
            ga = parse_attrs(g)
            groups[ga[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                struct.unpack("=I", ga[CTRL_ATTR_MCAST_GRP_ID])[0]
        return fam, groups


def encode(spec):
    atype, kind, value = spec.split(":", 2)
    if kind == "u32":
        data = struct.pack("=I", int(value, 0))
    elif kind == "u64":
        data = struct.pack("=Q", int(value, 0))
    elif kind == "str":
        data = value.encode() + b"\0"
    else:
        data = bytes.fromhex(value)
    return attr(int(atype, 0), data)


def outcome(err, extack):
    if err:
        return "error %s %s" % (errno.errorcode.get(err, err), extack)
    return "ok"


def main():
    g = Genl()
    if sys.argv[1] in ("request", "dump"):
        fam, _ = g.resolve()
        payload = b"".join(encode(s) for s in sys.argv[3:])
        err, extack, _ = g.send(fam, int(sys.argv[2], 0), payload,
                                flags=NLM_F_DUMP if sys.argv[1] == "dump" else 0)
        print(outcome(err, extack))
        return 0 if not err else 1
    if sys.argv[1] == "reserved":
        fam, _ = g.resolve()
        cmd = sys.argv[2]
        err, extack, _ = g.send(fam, int(cmd.split(":")[0], 0), reserved=1,
                                flags=NLM_F_DUMP if cmd.endswith(":dump") else 0)
        print(outcome(err, extack))
        return 0 if not err else 1
    if sys.argv[1] == "flood":
        fam, _ = g.resolve()
        cmds = [(int(c.split(":")[0], 0), c.endswith(":dump"))
                for c in sys.argv[3:]]
        end = time.monotonic() + float(sys.argv[2])
        n = accepted = 0
        errors = {}
        while time.monotonic() < end:
            for cmd, dump in cmds:
                err, _, _ = g.send(fam, cmd, flags=NLM_F_DUMP if dump else 0)
                n += 1
                if err:
                    name = errno.errorcode.get(err, str(err))
                    errors[name] = errors.get(name, 0) + 1
                else:
                    accepted += 1
        print(n, accepted, ",".join("%s:%d" % e for e in sorted(errors.items()))
              or "-")
        return 0
    if sys.argv[1] == "hold":
        ready, go = sys.argv[2], sys.argv[3]
        fam, groups = g.resolve()
        g.sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups["events"])
        err, extack, _ = g.send(fam, 1)
        print("before:", outcome(err, extack), flush=True)
        open(ready, "w").close()
        deadline = time.time() + 60
        while not os.path.exists(go) and time.time() < deadline:
            time.sleep(0.05)
        err, extack, _ = g.send(fam, 1)
        print("after:", outcome(err, extack))
        return 0
    if sys.argv[1] == "join":
        _, groups = g.resolve()
        try:
            g.sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
                            groups["events"])
        except PermissionError:
            print("EPERM")
            return 0
        print("joined")
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
