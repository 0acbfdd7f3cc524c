#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Load and unload a module N times in one process, for the load test.

  load_cycles.py KO N

Each cycle: finit_module(KO), the genl family "xfrm_hc" must be listed,
delete_module, the family must be gone. Listing is a dump of the genl
controller: a by-name lookup would autoload the module. One process with
raw syscalls instead of four execs per cycle: under software emulation the
execs, not the module, were most of the time. Prints "ok" or what failed.
"""
import ctypes
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genl  # noqa: E402

SYS_FINIT_MODULE = 313
SYS_DELETE_MODULE = 176
NLM_F_DUMP = 0x300

libc = ctypes.CDLL(None, use_errno=True)


def family_listed(g):
    g.seq += 1
    body = bytes([genl.CTRL_CMD_GETFAMILY, 1, 0, 0])
    hdr = genl.struct.pack("=IHHII", 16 + len(body), genl.GENL_ID_CTRL,
                           genl.NLM_F_REQUEST | NLM_F_DUMP, g.seq, 0)
    g.sk.send(hdr + body)
    found = False
    while True:
        data = g.sk.recv(65536)
        while data:
            nlen, ntype = genl.struct.unpack_from("=IH", data)
            msg, data = data[16:nlen], data[(nlen + 3) & ~3:]
            if ntype in (genl.NLMSG_ERROR, 3):  # NLMSG_DONE is 3
                return found
            name = genl.parse_attrs(msg[4:]).get(genl.CTRL_ATTR_FAMILY_NAME)
            if name and name.rstrip(b"\0") == b"xfrm_hc":
                found = True


def main():
    ko, cycles = sys.argv[1], int(sys.argv[2])
    g = genl.Genl()
    for i in range(1, cycles + 1):
        fd = os.open(ko, os.O_RDONLY)
        rc = libc.syscall(SYS_FINIT_MODULE, fd, b"", 0)
        os.close(fd)
        if rc:
            print("load %d failed: %s" % (i, os.strerror(ctypes.get_errno())))
            return 1
        if not family_listed(g):
            print("family missing after load %d" % i)
            return 1
        if libc.syscall(SYS_DELETE_MODULE, b"xfrm_hc", os.O_NONBLOCK):
            print("unload %d failed: %s" %
                  (i, os.strerror(ctypes.get_errno())))
            return 1
        if family_listed(g):
            print("family left after unload %d" % i)
            return 1
        if os.path.isdir("/sys/module/xfrm_hc"):
            print("module still present after unload %d" % i)
            return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
