#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""events_after_gone.py [--all] FILE FROM_MS TO_MS REMOTE...: check a stamped
"xfrm-hc -j monitor" log (tests/lib/stamped.py) for events about a peer
after its peer-gone, among the lines read in [FROM_MS, TO_MS).

Prints "gone G of N" (how many of the REMOTEs got a peer-gone), and one
line per event that came after its peer's peer-gone. Exit 1 if any did.
With no REMOTE, every peer-gone in the window counts. --all: exit 2 unless
every REMOTE got its peer-gone (to wait for a listener to catch up)."""
import json
import sys


def main():
    args = sys.argv[1:]
    need_all = args[:1] == ["--all"]
    if need_all:
        args = args[1:]
    path, lo, hi = args[0], int(args[1]), int(args[2])
    want = set(args[3:])
    gone = set()
    late = []
    with open(path) as f:
        for line in f:
            ms, _, text = line.partition(" ")
            if not ms.isdigit() or not lo <= int(ms) < hi:
                continue
            try:
                ev = json.loads(text)
            except ValueError:
                continue
            remote = (ev.get("peer") or {}).get("remote")
            if remote is None or (want and remote not in want):
                continue
            if remote in gone:
                late.append("%s after its peer-gone: %s" % (ev["event"], remote))
            if ev["event"] == "peer-gone":
                gone.add(remote)
    print("gone %d of %d" % (len(gone), len(want) if want else len(gone)))
    for msg in late[:20]:
        print(msg)
    if late:
        sys.exit(1)
    sys.exit(2 if need_all and gone != want else 0)


if __name__ == "__main__":
    main()
