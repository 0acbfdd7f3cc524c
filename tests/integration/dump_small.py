#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Dumps read 4 KiB at a time, as from a default-sized buffer.

  dump_small.py peers
      Dump the peers: print "REMOTE SAS" for each, joining the SAs of
      consecutive messages of one peer, then "done" if the dump ended
      without an error.
  dump_small.py rules|checks CMD...
      Dump the rules (or checks) reading one small buffer at a time; after
      the first read, run CMD (which deletes an entry the dump already
      sent), then read the rest. Then dump again, undisturbed. Print the
      keys the first dump missed, and "intr" if one of its messages came
      flagged NLM_F_DUMP_INTR. Exit 0 if the first dump was flagged or
      missed nothing, 1 if it missed entries silently.

The kernel fills the next buffer of a dump as the last one is read, so
the entries CMD shifts are those two buffers on: give enough entries for
three buffers of 4 KiB (about 40 rules or 15 checks each).
"""
import ipaddress
import struct
import subprocess
import sys

from genl import NLM_F_DUMP, NLMSG_DONE, NLMSG_ERROR, Genl, parse_attrs

NLM_F_REQUEST = 1
NLM_F_DUMP_INTR = 0x10
# enum xfrm_hc_cmd, enum xfrm_hc_attr and the key inside each nest
WHAT = {
    "rules": (6, 5, 1, lambda b: struct.unpack("=I", b)[0]),
    "checks": (16, 8, 2, lambda b: b.rstrip(b"\0").decode()),
    "peers": (8, 6, None, None),
}
PEER_REMOTE, PEER_SA = 4, 22
# Small reads keep the kernel's dump buffers small: many reads per dump.
READ = 4096


def dump(g, fam, what, between=None):
    cmd, nest, key, get = WHAT[what]
    g.seq += 1
    body = struct.pack("=BBH", cmd, 1, 0)
    g.sk.send(struct.pack("=IHHII", 16 + len(body), fam,
                          NLM_F_REQUEST | NLM_F_DUMP, g.seq, 0) + body)
    keys, intr, reads = [], False, 0
    while True:
        data = g.sk.recv(READ)
        reads += 1
        if reads == 1 and between:
            subprocess.run(between, check=True)
        while data:
            nlen, ntype, nflags, _, _ = struct.unpack_from("=IHHII", data)
            msg, data = data[16:nlen], data[(nlen + 3) & ~3:]
            if ntype == NLMSG_ERROR or ntype == NLMSG_DONE:
                err = -struct.unpack_from("=i", msg)[0]
                if err:
                    raise OSError(err, "dump")
                return keys, intr, reads
            intr |= bool(nflags & NLM_F_DUMP_INTR)
            body = parse_attrs(msg[4:])[nest]
            keys.append(get(parse_attrs(body)[key]) if get else body)


def peer_sas(body):
    """The remote address of a peer nest, and how many SAs it holds."""
    remote, n = None, 0
    while len(body) >= 4:
        alen, atype = struct.unpack_from("=HH", body)
        if atype & 0x3FFF == PEER_REMOTE:
            remote = str(ipaddress.ip_address(body[4:alen]))
        n += atype & 0x3FFF == PEER_SA
        body = body[(alen + 3) & ~3:]
    return remote, n


def peers(g, fam):
    bodies, _, _ = dump(g, fam, "peers")
    out = []
    for remote, n in map(peer_sas, bodies):
        if out and out[-1][0] == remote:
            out[-1][1] += n
        else:
            out.append([remote, n])
    for remote, n in out:
        print(remote, n)
    print("done")
    return 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in WHAT or \
            (sys.argv[1] != "peers" and len(sys.argv) < 3):
        print(__doc__, file=sys.stderr)
        return 2
    # The kernel sizes dump buffers by the largest read of the socket so
    # far: resolving (64 KiB reads) takes a socket of its own.
    fam, _ = Genl().resolve()
    if sys.argv[1] == "peers":
        return peers(Genl(), fam)
    first, intr, reads = dump(Genl(), fam, sys.argv[1], sys.argv[2:])
    after, _, _ = dump(Genl(), fam, sys.argv[1])
    missed = sorted(set(after) - set(first))
    print("reads %d, entries %d then %d, missed %s%s" %
          (reads, len(first), len(after), missed or "none",
           ", intr" if intr else ""))
    return 0 if intr or not missed else 1


if __name__ == "__main__":
    sys.exit(main())
