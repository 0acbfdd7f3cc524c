#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Detection time benchmark, run inside the VM (tests/bench/detect runs it).

Gateways with real ESP tunnels. For each setting, a trial: the peer is
up, the link is cut (tc netem loss 100% on the near gateway's WAN), and the
time from just before the cut is asked for to the moment "xfrm-hc -j
monitor" prints peer-down is the detection time: the clock starts before
the cause, so every figure is an upper bound. tc runs already, reading
its commands from a pipe ("tc -batch -"): the clock starts as the cut's
line is written, and tc's parsing, its netlink request, the monitor's
read and its print all count; only the start of a process (tens of ms
under emulation, nothing to do with detection) does not. Settings alternate trial by
trial, so slow phases of the emulated machine hit all of them alike.
Reported as a ratio of the bound (misses + 1) * interval * (1 + jitter).

  passive  a busy tunnel (ping), no probe target, the far side answering
           no echo: detection from the SA counters alone
  probing  an idle tunnel, ICMP probes to a probe target, no echo
  echo     an idle tunnel, nothing configured but the interval: the far
           side runs xfrm-hc and answers the echo (its own tunnel pair)
"""
import json
import os
import statistics
import subprocess
import sys
import time

from benchlib import TOP, XHC, Cutter, Monitor, pct, sh

# The near and far gateway of each kind's tunnel.
PAIRS = {"plain": ("bench-gw-a", "bench-gw-b"),
         "echo": ("bench-gw-c", "bench-gw-d")}
MISSES, JITTER = 3, 10
SETTINGS = [
    # name, interval ms, kind
    ("passive 100ms", 100, "passive"),
    ("probing 100ms", 100, "probing"),
    ("echo 100ms", 100, "echo"),
    ("passive 1s", 1000, "passive"),
    ("probing 1s", 1000, "probing"),
    ("echo 1s", 1000, "echo"),
]


def pair(kind):
    return PAIRS["echo" if kind == "echo" else "plain"]


def peer(ns):
    out = sh(f"{XHC} -n {ns} -j peer show")
    peers = json.loads(out)
    return peers[0] if peers else None


def setup():
    sh("modprobe xfrm_hc")
    for a, b in PAIRS.values():
        sh(f"bash -c '. {TOP}/tests/lib/tunnel.sh; esp_gateways {a} {b}'")
    # The plain pair's far side is a host without xfrm-hc's responder.
    a, b = PAIRS["plain"]
    sh(f"{XHC} -n {b} defaults set echo-responder off")


def configure(interval, kind):
    a, _ = pair(kind)
    probe = "probe-src 10.1.0.1 probe-dst 10.2.0.1" if kind == "probing" else ""
    mode = "idle" if kind == "probing" else "on-demand"
    # Profiles of a peer cannot drop a probe target: use rules instead.
    sh(f"{XHC} -n {a} rule flush")
    sh(f"{XHC} -n {a} rule add prio 1 interval {interval}ms misses {MISSES} "
       f"jitter {JITTER} mode {mode} {probe}")


def settled(p, kind):
    if not p or p["state"] != "up":
        return False
    if kind == "passive":
        return True
    want = "echo" if kind == "echo" else "icmp"
    return p.get("probe") == want and p["probes_answered"] > 0


def trial(mons, cutters, interval, kind):
    a, _ = pair(kind)
    mon, cut = mons[a], cutters[a]
    configure(interval, kind)
    ping = None
    passive = kind == "passive"
    if passive:
        ping = subprocess.Popen(["ip", "netns", "exec", a, "ping", "-q", "-i",
                                 "0.05", "-I", "10.1.0.1", "10.2.0.1"],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    # Up and settled: a few intervals with evidence.
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if settled(peer(a), kind):
            break
        time.sleep(0.1)
    time.sleep(3 * interval / 1000)
    bound_ms = (MISSES + 1) * interval * (1 + JITTER / 100)
    # The clock starts before the cut is asked for (upper bound).
    t0 = time.monotonic_ns()
    cut.send("qdisc add dev wan root netem loss 100%")
    t1, ev = mon.wait("peer-down", t0, 20 * bound_ms / 1000)
    cut.send("qdisc del dev wan root")
    if ping:
        ping.kill()
        ping.wait()
    mon.wait("peer-up", t1 or t0, 30)
    if t1 is None:
        return None, bound_ms
    return (t1 - t0) / 1e6, bound_ms


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    setup()
    mons = {a: Monitor(a) for a, _ in PAIRS.values()}
    cutters = {a: Cutter(a) for a, _ in PAIRS.values()}
    res = {name: [] for name, _, _ in SETTINGS}
    bounds = {}
    missed = {name: 0 for name, _, _ in SETTINGS}
    for i in range(trials):
        for name, interval, kind in SETTINGS:
            ms, bound = trial(mons, cutters, interval, kind)
            bounds[name] = bound
            if ms is None:
                missed[name] += 1
            else:
                res[name].append(ms)
            print(f"# trial {i + 1} {name}: "
                  f"{'no peer-down' if ms is None else f'{ms:.0f} ms'}",
                  flush=True)
    kernel = os.uname().release
    print(f"\n| kernel {kernel} | trials | median ms | p99 ms | "
          f"median / bound | p99 / bound | bound ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, _, _ in SETTINGS:
        v, b = res[name], bounds[name]
        if not v:
            print(f"| {name} | 0 | - | - | - | - | {b:.0f} |")
            continue
        med, p99 = statistics.median(v), pct(v, 0.99)
        print(f"| {name} | {len(v)}{f' ({missed[name]} missed)' if missed[name] else ''} "
              f"| {med:.0f} | {p99:.0f} | {med / b:.2f} | {p99 / b:.2f} | {b:.0f} |")
    for mon in mons.values():
        mon.p.terminate()
    for a, b in PAIRS.values():
        sh(f"ip netns del {a}; ip netns del {b}", check=False)


if __name__ == "__main__":
    main()
