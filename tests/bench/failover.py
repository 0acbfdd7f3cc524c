#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Failover benchmark, run inside the VM (tests/bench/failover runs it).

Gateway a reaches the service address 10.9.0.1 through xfrm1 (to b) and,
as a backup route, through xfrm2 (to c); see xfrmi_gateways in
tests/lib/tunnel.sh. A health check on xfrm1 (interval 100 ms, misses 3,
up 3, action failover) turns xfrm1's carrier off when b stops answering.

Each trial: traffic to the service every 10 ms (tests/lib/gap.py), the
tunnel to b is cut (tc netem loss 100% on a's WAN to b), and restored once
the service answers from c. Reported: the gap in the service's answers at
failover, measured from packets (last answer from b to first from c, by
send time), the time from just before the cut (tc's start-up counted, so
an upper bound) to check-down as "xfrm-hc -j monitor" prints it, and the
gap when traffic moves back to b, from packets too. Each trial is two state changes;
more than 3 in 15 s would be flap damping (interval doubled), so a trial
starts only once the check's last change is 16 s old and it is not
flapping.

Then the check's round trip (rtt_last_us, sampled ~50 times) against
"ping -I 10.1.0.1 -i 0.1 -c 50 10.2.0.1", measured side by side.
"""
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import TOP, XHC, Monitor, pct, sh, wait_until

GAP = os.path.join(TOP, "tests/lib/gap.py")
A, B, C = "bench-fo-a", "bench-fo-b", "bench-fo-c"
INTERVAL, MISSES, UP = 100, 3, 3
GAP_TARGET_P99_MS = 450
RTT_TARGET_MS = 1.0
RTT_SAMPLES = 50
# Flap damping: more than 3 changes in 15 s (module/check_state.h).
QUIET_MS = 16000


def check_show(name):
    out = sh(f"{XHC} -n {A} -j check show name {name}", check=False)
    try:
        c = json.loads(out)
    except ValueError:
        return None
    return c[0] if c else None


def via(dev):
    return f"dev {dev} " in sh(f"ip -n {A} route get 10.9.0.1 from 10.1.0.1",
                               check=False)


def setup():
    for ns in (A, B, C):
        sh(f"ip netns del {ns}", check=False)
    sh(f"bash -c '. {TOP}/tests/lib/tunnel.sh; xfrmi_gateways {A} {B} {C}'")
    sh("modprobe xfrm_hc")
    servers = [subprocess.Popen(["ip", "netns", "exec", ns, "python3", GAP,
                                 "serve", "10.9.0.1", name],
                                stderr=subprocess.DEVNULL)
               for ns, name in ((B, "b"), (C, "c"))]
    sh(f"{XHC} -n {A} check add name primary src 10.1.0.1 dst 10.2.0.1 "
       f"dev xfrm1 interval {INTERVAL}ms misses {MISSES} up {UP} "
       f"action failover")
    return servers


def trial(mon, tmp):
    """(failover gap ms, detection ms, restore gap ms); None where missed."""
    def settled():
        c = check_show("primary") or {}
        return (c.get("state") == "up" and not c.get("flapping")
                and c.get("cur_interval_ms") == INTERVAL
                and c.get("last_change_ms", 0) >= QUIET_MS and via("xfrm1"))

    if not wait_until(settled, 60, 0.5):
        print("# primary not up, settled and routed through xfrm1 before "
              "the trial: " + json.dumps(check_show("primary")), flush=True)
    ready = os.path.join(tmp, "ready")
    if os.path.exists(ready):
        os.unlink(ready)
    gap = subprocess.Popen(["ip", "netns", "exec", A, "python3", GAP,
                            "measure", "10.1.0.1", "10.9.0.1", "--ready",
                            ready], stdout=subprocess.PIPE, text=True)
    wait_until(lambda: os.path.exists(ready), 15, 0.02)
    time.sleep(0.5)
    # The clock starts before tc does: its start-up counts (upper bound).
    t0 = time.monotonic_ns()
    sh(f"tc -n {A} qdisc add dev wanB root netem loss 100%")
    t1, _ = mon.wait("check-down", t0, 10, check="primary")
    # Let the traffic settle on c, then restore.
    wait_until(lambda: via("xfrm2"), 5, 0.05)
    time.sleep(1)
    sh(f"tc -n {A} qdisc del dev wanB root")
    t2 = time.monotonic_ns()
    mon.wait("check-up", t2, 15, check="primary")
    wait_until(lambda: via("xfrm1"), 5, 0.05)
    time.sleep(1)
    gap.send_signal(signal.SIGTERM)
    out, _ = gap.communicate(timeout=30)
    try:
        res = json.loads(out)
    except ValueError:
        res = {"switches": []}
    fail = [s["gap_ms"] for s in res["switches"]
            if s["from"] == "b" and s["to"] == "c"]
    back = [s["gap_ms"] for s in res["switches"]
            if s["from"] == "c" and s["to"] == "b"]
    return (fail[0] if fail else None,
            (t1 - t0) / 1e6 if t1 else None,
            back[-1] if back else None)


def rtt_compare():
    """Medians of the check's rtt_last_us and of ping's times, in ms."""
    ping = subprocess.Popen(["ip", "netns", "exec", A, "ping", "-I",
                             "10.1.0.1", "-i", "0.1", "-c", str(RTT_SAMPLES),
                             "10.2.0.1"], stdout=subprocess.PIPE, text=True)
    samples = []
    while len(samples) < RTT_SAMPLES:
        c = check_show("primary")
        if c and c.get("rtt_last_us"):
            samples.append(c["rtt_last_us"] / 1000)
        time.sleep(0.1)
    out, _ = ping.communicate(timeout=60)
    times = [float(m) for m in re.findall(r"time=([0-9.]+) ms", out)]
    return samples, times


def row(name, v, missed, target=None):
    if not v:
        return f"| {name} | 0 ({missed} missed) | - | - | {target or '-'} |"
    med, p99 = statistics.median(v), pct(v, 0.99)
    miss = f" ({missed} missed)" if missed else ""
    return f"| {name} | {len(v)}{miss} | {med:.0f} | {p99:.0f} | {target or '-'} |"


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    servers = setup()
    mon = Monitor(A)
    res = {"gap": [], "detect": [], "back": []}
    missed = {k: 0 for k in res}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(trials):
            vals = dict(zip(("gap", "detect", "back"), trial(mon, tmp)))
            for k, v in vals.items():
                if v is None:
                    missed[k] += 1
                else:
                    res[k].append(v)
            print(f"# trial {i + 1}: " + ", ".join(
                f"{k} {'-' if v is None else f'{v:.0f} ms'}"
                for k, v in vals.items()), flush=True)
    samples, times = rtt_compare()
    kernel = os.uname().release
    print(f"\n| kernel {kernel}: interval {INTERVAL} ms, misses {MISSES}, "
          f"up {UP} | trials | median ms | p99 ms | target |")
    print("| --- | --- | --- | --- | --- |")
    print(row("failover gap (b to c)", res["gap"], missed["gap"],
              f"p99 <= {GAP_TARGET_P99_MS} ms"
              + ("" if not res["gap"] else
                 " (met)" if pct(res["gap"], 0.99) <= GAP_TARGET_P99_MS
                 else " (missed)")))
    print(row("cut to check-down event", res["detect"], missed["detect"]))
    print(row("gap back (c to b)", res["back"], missed["back"]))
    print(f"\n| kernel {kernel}: round trip to 10.2.0.1 | samples | median ms |")
    print("| --- | --- | --- |")
    mc = statistics.median(samples) if samples else None
    mp = statistics.median(times) if times else None
    print(f"| check rtt_last_us | {len(samples)} | "
          f"{'-' if mc is None else f'{mc:.3f}'} |")
    print(f"| ping | {len(times)} | {'-' if mp is None else f'{mp:.3f}'} |")
    if mc is not None and mp is not None:
        d = mc - mp
        print(f"| difference (check - ping) | | {d:+.3f} "
              f"(target within {RTT_TARGET_MS} ms: "
              f"{'met' if abs(d) <= RTT_TARGET_MS else 'missed'}) |")
    mon.p.terminate()
    for s in servers:
        s.terminate()
    sh(f"{XHC} -n {A} check del name primary", check=False)
    for ns in (A, B, C):
        sh(f"ip netns del {ns}", check=False)


if __name__ == "__main__":
    main()
