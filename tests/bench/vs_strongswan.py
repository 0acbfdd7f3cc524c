#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""xfrm-hc against strongSwan's own DPD, run inside the VM
(tests/bench/vs-strongswan runs it).

Two identical IKEv2 tunnels negotiated by real charon instances, each
between its own pair of netns (tests/lib/strongswan.sh, ss_topo_v4):
  S: strongSwan's DPD at its fastest, xfrm-hc not watching;
  X: strongSwan's DPD at 30 s (a fallback), xfrm-hc watching.
Each trial cuts A's WAN (tc netem loss 100%) and takes the time from just
before the cut is asked for (a tc already running, fed its commands on a
pipe: benchlib.Cutter) to the moment A learns it: for S, the first SA or
policy deletion charon makes (ip xfrm monitor), for X, peer-down
(xfrm-hc -j monitor). Settings alternate trial by trial.

Idle cost, over a window on the idle tunnel, one setting at a time with
the other tunnel silent (S not yet up while X is measured; xfrm-hc not
watching X while S is): packets A's WAN sends a second, sends plus
receives, and the whole VM's busy CPU a second minus a window with both
silent (for S, charon's own CPU, A's and B's, beside it).
"""
import json
import os
import statistics
import subprocess
import sys
import threading
import time

from benchlib import TOP, XHC, Cutter, Monitor, cpu_busy_s, pct, sh, \
    wait_until

BASE = "/tmp/vs-ss"
S_A, S_B, X_A, X_B = "vs-s-a", "vs-s-b", "vs-x-a", "vs-x-b"
LIB = f"{TOP}/tests/lib/strongswan.sh"
# strongSwan's fastest DPD. dpd_delay is whole seconds (swanctl.conf(5);
# vici's parse_time takes an integer and a unit), so 1 s is the least
# that is not "off": a DPD after 1 s of inbound silence. Retransmits are
# fractional seconds (strongswan.conf(5), IKEv2 RETRANSMISSION): timeout
# = retransmit_timeout * retransmit_base^(n-1), here 0.1 s each, tried
# twice, so charon gives up 0.3 s after the first unanswered request.
SS_CHARON = "retransmit_timeout=0.1 retransmit_base=1 retransmit_tries=2"
SS_DPD = "dpd_delay = 1s"
MISSES = 3
SETTINGS = [
    # name, tunnel, xfrm-hc interval in ms (None: strongSwan's DPD)
    ("strongSwan DPD 1 s, retransmits 0.1 s", "S", None),
    ("xfrm-hc 1 s / misses 3", "X", 1000),
    ("xfrm-hc 100 ms / misses 3", "X", 100),
]
IDLE_WINDOW = 20


def lib(cmd, env=None):
    e = dict(os.environ, SS_BASE=BASE, **(env or {}))
    r = subprocess.run(["bash", "-c", f". {LIB}; {cmd}"], env=e,
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"failed: {cmd}\n{r.stdout}{r.stderr}")
    return r.stdout


class XfrmMonitor:
    """ip xfrm monitor in a netns: the read time of each "Deleted" line."""

    def __init__(self, ns):
        self.p = subprocess.Popen(["ip", "-n", ns, "xfrm", "monitor"],
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        self.lock = threading.Lock()
        self.deleted = []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.p.stdout:
            if line.startswith("Deleted"):
                with self.lock:
                    self.deleted.append(time.monotonic_ns())

    def wait(self, since, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                for t in self.deleted:
                    if t >= since:
                        return t
            time.sleep(0.005)
        return None


def child_up(t):
    return lib(f"ss_child_sas $SS_BASE/{t}-a").strip() != ""


def xpeer():
    peers = json.loads(sh(f"{XHC} -n {X_A} -j peer show"))
    return peers[0] if peers else None


def initiate(t):
    """Bring up tunnel T's CHILD_SA; a first try can meet a busy peer."""
    for _ in range(3):
        r = subprocess.run(["bash", "-c", f". {LIB}; ss_ctl $SS_BASE/{t}-a "
                            f"--initiate --child {t} --timeout 60"],
                           env=dict(os.environ, SS_BASE=BASE),
                           capture_output=True, text=True)
        if r.returncode == 0:
            return
        print(f"# initiate {t}: {r.stdout.strip().splitlines()[-1:]}",
              flush=True)
        time.sleep(2)
    sys.exit(f"tunnel {t} does not come up")


def setup():
    sh("modprobe xfrm_hc")
    lib(f"ss_topo_v4 {S_A} {S_B}; ss_topo_v4 {X_A} {X_B}")
    lib(f"ss_pair s {S_A} {S_B} 192.0.2.1 192.0.2.2 10.1.0.1/32 10.2.0.1/32",
        {"SS_A_CHARON": SS_CHARON, "SS_A_CONN": SS_DPD,
         "SS_B_CONN": "dpd_delay = 0s"})
    lib(f"ss_pair x {X_A} {X_B} 192.0.2.1 192.0.2.2 10.1.0.1/32 10.2.0.1/32",
        {"SS_B_CONN": "dpd_delay = 0s"})
    # Idle packet counts are ESP and IKE only: no ARP on the WAN.
    for a, b in ((S_A, S_B), (X_A, X_B)):
        for me, other, addr in ((a, b, "192.0.2.2"), (b, a, "192.0.2.1")):
            mac = sh(f"ip -n {other} -br link show wan").split()[2]
            sh(f"ip -n {me} neigh replace {addr} lladdr {mac} dev wan "
               "nud permanent")
    # Tunnel S: a rule that matches nothing, so xfrm-hc leaves it alone.
    sh(f"{XHC} -n {S_A} rule add remote 192.0.2.99/32")
    initiate("x")


def configure_x(interval):
    sh(f"{XHC} -n {X_A} rule flush")
    if interval is None:  # X silent: xfrm-hc does not watch it
        sh(f"{XHC} -n {X_A} rule add remote 192.0.2.99/32")
        return
    sh(f"{XHC} -n {X_A} rule add interval {interval}ms misses {MISSES} "
       "jitter 0 mode idle probe-src 10.1.0.1 probe-dst 10.2.0.1")


def charon_cpu_s():
    """CPU seconds used by tunnel S's two charon processes so far."""
    t = 0
    for side in ("s-a", "s-b"):
        with open(f"{BASE}/{side}/pid") as f:
            pid = f.read().strip()
        with open(f"/proc/{pid}/stat") as f:
            v = f.read().rsplit(")", 1)[1].split()
        t += int(v[11]) + int(v[12])  # utime, stime
    return t / os.sysconf("SC_CLK_TCK")


def wan_packets(ns):
    out = sh(f"ip netns exec {ns} cat /sys/class/net/wan/statistics/tx_packets "
             "/sys/class/net/wan/statistics/rx_packets").split()
    return int(out[0]), int(out[1])


def settle(tunnel, interval):
    """The tunnel is up and in its idle rhythm."""
    if tunnel == "S":
        ok = wait_until(lambda: child_up("s"), 60)
        time.sleep(3)
        return ok
    configure_x(interval)
    ok = wait_until(lambda: (p := xpeer()) is not None and
                    p["state"] == "up" and p["probes_answered"] > 0, 30)
    time.sleep(3 * interval / 1000 + 1)
    return ok


def idle_cost(tunnel, interval):
    """A sends a second, both ways a second, VM busy CPU s a second, and
    charon's CPU s a second (S only) on the idle tunnel."""
    ns = S_A if tunnel == "S" else X_A
    if tunnel == "S":
        configure_x(None)
        settle(tunnel, interval)
        c0 = charon_cpu_s()
    elif interval is None:
        configure_x(None)
        time.sleep(3)
    else:
        settle(tunnel, interval)
    tx0, rx0 = wan_packets(ns)
    b0, t0 = cpu_busy_s(), time.monotonic()
    time.sleep(IDLE_WINDOW)
    b1, dt = cpu_busy_s(), time.monotonic() - t0
    tx1, rx1 = wan_packets(ns)
    charon = (charon_cpu_s() - c0) / dt if tunnel == "S" else None
    return ((tx1 - tx0) / dt, (tx1 - tx0 + rx1 - rx0) / dt, (b1 - b0) / dt,
            charon)


def trial(xmon, smon, cutters, tunnel, interval):
    ns = S_A if tunnel == "S" else X_A
    if not settle(tunnel, interval):
        return None
    # The clock starts before the cut is asked for (upper bound).
    t0 = time.monotonic_ns()
    cutters[ns].send("qdisc add dev wan root netem loss 100%")
    if tunnel == "S":
        t1 = smon.wait(t0, 30)
    else:
        t1, _ = xmon.wait("peer-down", t0, 30)
    cutters[ns].send("qdisc del dev wan root")
    if tunnel == "S":
        # The IKE_SA is gone: initiate again.
        wait_until(lambda: not child_up("s"), 30)
        initiate("s")
    else:
        xmon.wait("peer-up", t1 or t0, 30)
    return None if t1 is None else (t1 - t0) / 1e6


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    setup()
    xmon, smon = Monitor(X_A), XfrmMonitor(S_A)
    cutters = {ns: Cutter(ns) for ns in (S_A, X_A)}
    res = {name: [] for name, _, _ in SETTINGS}
    missed = {name: 0 for name, _, _ in SETTINGS}
    rates = {}
    # X's settings first, S not up yet; then S, xfrm-hc not watching X.
    quiet = idle_cost("X", None)[2]
    for name, tunnel, interval in SETTINGS[1:] + SETTINGS[:1]:
        if tunnel == "S":
            initiate("s")
        rates[name] = idle_cost(tunnel, interval)
        r = rates[name]
        print(f"# idle {name}: A sends {r[0]:.2f}/s, {r[1]:.2f}/s both "
              f"ways, VM busy {1e3 * (r[2] - quiet):.1f} ms/s over quiet"
              + (f", charon {1e3 * r[3]:.1f} ms/s" if r[3] is not None
                 else ""), flush=True)
    for i in range(trials):
        for name, tunnel, interval in SETTINGS:
            ms = trial(xmon, smon, cutters, tunnel, interval)
            if ms is None:
                missed[name] += 1
            else:
                res[name].append(ms)
            print(f"# trial {i + 1} {name}: "
                  f"{'missed' if ms is None else f'{ms:.0f} ms'}", flush=True)
    print(f"\nkernel {os.uname().release}, {trials} trials per setting\n")
    print("| setting | trials | detect median ms | detect p99 ms | "
          "idle: A sends pkt/s | idle: pkt/s both ways | "
          "idle: VM CPU ms/s over quiet | idle: charon CPU ms/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    stat = {}
    for name, _, _ in SETTINGS:
        v = res[name]
        med, p99 = (statistics.median(v), pct(v, 0.99)) if v else (None, None)
        stat[name] = (med, p99)
        miss = f" ({missed[name]} missed)" if missed[name] else ""
        cell = (lambda x: "-" if x is None else f"{x:.0f}")
        r = rates[name]
        print(f"| {name} | {len(v)}{miss} | {cell(med)} | {cell(p99)} | "
              f"{r[0]:.2f} | {r[1]:.2f} | {1e3 * (r[2] - quiet):.1f} | "
              + ("-" if r[3] is None else f"{1e3 * r[3]:.1f}") + " |")
    s, x1, x100 = (stat[n] for n, _, _ in SETTINGS)
    r = [n for n, _, _ in SETTINGS]
    if None not in s + x1 + x100:
        print(f"\np99 strongSwan / xfrm-hc 100 ms: {s[1] / x100[1]:.1f}x, "
              f"median {s[0] / x100[0]:.1f}x")
        print(f"xfrm-hc 1 s vs strongSwan: median {x1[0]:.0f} vs {s[0]:.0f} ms, "
              f"p99 {x1[1]:.0f} vs {s[1]:.0f} ms (target: no slower: "
              f"{'met' if x1[1] <= s[1] and x1[0] <= s[0] else 'MISSED'})")
        print(f"idle sends, xfrm-hc 1 s vs strongSwan: {rates[r[1]][0]:.2f} vs "
              f"{rates[r[0]][0]:.2f} pkt/s (target: no more: "
              f"{'met' if rates[r[1]][0] <= rates[r[0]][0] else 'MISSED'})")
    lib("ss_stop $SS_BASE/s-a; ss_stop $SS_BASE/s-b; "
        "ss_stop $SS_BASE/x-a; ss_stop $SS_BASE/x-b")
    xmon.p.terminate()
    smon.p.terminate()


if __name__ == "__main__":
    main()
