#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Detection time benchmark, run inside the VM (tests/bench/detect runs it).

Two gateways with a real ESP tunnel. For each setting, a trial: the peer
is up, the link is cut (tc netem loss 100% on a's WAN), and the time from
the cut (tc returned) to the moment "xfrm-hc -j monitor" prints peer-down is
the detection time. Settings alternate trial by trial, so slow phases of
the emulated machine hit all of them alike. Reported as a ratio of the
bound (misses + 1) * interval * (1 + jitter).
"""
import json
import os
import statistics
import subprocess
import sys
import time

from benchlib import TOP, XHC, Monitor, pct, sh

A, B = "bench-gw-a", "bench-gw-b"
MISSES, JITTER = 3, 10
SETTINGS = [
    # name, interval ms, passive (busy, no target) or probing (idle, target)
    ("passive 100ms", 100, True),
    ("probing 100ms", 100, False),
    ("passive 1s", 1000, True),
    ("probing 1s", 1000, False),
]


def peer():
    out = sh(f"{XHC} -n {A} -j peer show")
    peers = json.loads(out)
    return peers[0] if peers else None


def setup():
    sh(f"bash -c '. {TOP}/tests/lib/tunnel.sh; esp_gateways {A} {B}'")
    sh(f"modprobe xfrm_hc")


def configure(interval, passive):
    probe = "" if passive else "probe-src 10.1.0.1 probe-dst 10.2.0.1"
    mode = "on-demand" if passive else "idle"
    # Profiles of a peer cannot drop a probe target: use rules instead.
    sh(f"{XHC} -n {A} rule flush")
    sh(f"{XHC} -n {A} rule add prio 1 interval {interval}ms misses {MISSES} "
       f"jitter {JITTER} mode {mode} {probe}")


def trial(mon, interval, passive):
    configure(interval, passive)
    ping = None
    if passive:
        ping = subprocess.Popen(["ip", "netns", "exec", A, "ping", "-q", "-i",
                                 "0.05", "-I", "10.1.0.1", "10.2.0.1"],
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    # Up and settled: a few intervals with evidence.
    end = time.monotonic() + 30
    while time.monotonic() < end:
        p = peer()
        if p and p["state"] == "up" and (passive or p["probes_answered"] > 0):
            break
        time.sleep(0.1)
    time.sleep(3 * interval / 1000)
    bound_ms = (MISSES + 1) * interval * (1 + JITTER / 100)
    # The qdisc is in place when tc returns; its start-up (slow under
    # emulation) comes before that and is not detection time.
    sh(f"tc -n {A} qdisc add dev wan root netem loss 100%")
    t0 = time.monotonic_ns()
    t1, ev = mon.wait("peer-down", t0, 20 * bound_ms / 1000)
    sh(f"tc -n {A} qdisc del dev wan root")
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
    mon = Monitor(A)
    res = {name: [] for name, _, _ in SETTINGS}
    bounds = {}
    missed = {name: 0 for name, _, _ in SETTINGS}
    for i in range(trials):
        for name, interval, passive in SETTINGS:
            ms, bound = trial(mon, interval, passive)
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
    mon.p.terminate()
    sh(f"ip netns del {A}; ip netns del {B}", check=False)


if __name__ == "__main__":
    main()
