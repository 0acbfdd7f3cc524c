#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""BGP failover benchmark, run inside the VM (tests/bench/bgp-failover).

The topology of tests/integration/87-bgp-frr.sh (bgp_gateways and
frr_gateways in tests/lib/bgp.sh): A has route-based tunnels to B (xfrm1)
and C (xfrm2), FRR's zebra and bgpd in each netns, eBGP over each tunnel,
B and C announce 10.9.0.0/24 and A prefers B. Modes, alternating trial by
trial (FRR is restarted for each trial with the mode's configuration):

  a  xfrm-hc check on xfrm1, 100 ms x 3, action failover: the carrier drops,
     zebra sees xfrm1 down, bgpd resets the session (fast-external-failover)
     and installs C's route
  b  no check; FRR's bfdd on the BGP sessions, 100 ms x 3 on A, B and C,
     through the same tunnels: BFD down resets the session
  c  no check, no BFD, FRR's default BGP timers (keepalive 60 s, hold 180
     s): the hold timer ends the session; the floor
  d  no check: the module's zero-config echo (echo_probe=1; B answers
     with nothing configured) probes the peer of xfrm1's SAs at 100 ms x 3,
     and a hook on A's peer-down event takes xfrm1 down ("ip link set
     down"), peer-up brings it back: peers have no failover action
  e  as a, plus a covering route A's FIB already holds, 10.9.0.0/16 through
     xfrm2 (added by hand, out of zebra's way): when xfrm1's carrier goes,
     the kernel (ignore_routes_with_linkdown) falls back to it at once,
     without waiting for bgpd
  f  as a, at misses 2: the same detection bound as bfdd's 100 ms x 3.
     bfdd declares a session down 3 intervals after the last packet it
     received; a check's probe is lost one timeout (an interval) after it
     was sent, so misses 3 is bounded by (3 + 1) x 100 ms and misses 2 by
     3 x 100 ms

Modes a, b, d, e and f run BGP with keepalive 3 s, hold 9 s (so that B's side
of a session is gone within seconds and the next trial starts clean); the
timers do not take part in their failover.

Each trial: traffic to the service every 10 ms (tests/lib/gap.py), the
clock started, the tunnel to B cut (tc netem loss 100% on A's WAN to B),
and once the service answers from C and B's side has timed out, restored;
the trial ends when B's route is the best again. Reported per mode: the
gap in the service's answers at failover, from packets (the last answer
from B to the first from C, by send time), median and p99; the time from
just before the cut (tc's start-up counted, an upper bound) to detection
(the check-down or peer-down event as read from the monitor, modes a, d,
e; BFD's own "down" as bgpd logs it is not read); and the packets a
second the idle tunnel to B carries (both directions, ESP counters of A's
two SAs, over 10 s with no traffic, first 5 trials of a mode): probes,
BFD and BGP keepalives.
"""
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import TOP, XHC, Monitor, pct, sh, wait_until

GAP = os.path.join(TOP, "tests/lib/gap.py")
LIB = (f". {TOP}/tests/lib/tunnel.sh; . {TOP}/tests/lib/bgp.sh")
A, B, C = "bench-bgp-a", "bench-bgp-b", "bench-bgp-c"
INTERVAL, MISSES, UP = 100, 3, 3
MODES = "abcdef"
IDLE_S = 10
# The idle tunnel's packets are counted in the first IDLE_TRIALS trials
# of each mode (they hardly vary); later trials only settle before the cut.
IDLE_TRIALS = 5
SETTLE_S = 3
ECHO_PARAM = "/sys/module/xfrm_hc/parameters/echo_probe"
FAR_ECHO_WAYS = ((B, "192.0.2.2", "192.0.2.1", 1),
                 (C, "198.51.100.2", "198.51.100.1", 2))


def lib(cmd, check=True, env=None):
    e = dict(os.environ, **(env or {}))
    return subprocess.run(["bash", "-c", f"{LIB}; {cmd}"], check=check,
                          capture_output=True, text=True, env=e).stdout


def session(d, ns, nb):
    return lib(f"frr_session {ns} {d} {nb}", check=False).strip()


def best_nexthop(d):
    out = lib(f"frr_vtysh {A} {d}/a 'show bgp ipv4 unicast 10.9.0.0/24 json'",
              check=False)
    try:
        for p in json.loads(out).get("paths", []):
            if p.get("bestpath", {}).get("overall"):
                return p["nexthops"][0]["ip"]
    except (ValueError, KeyError, IndexError):
        pass
    return None


def via(dev):
    return f"dev {dev} " in sh(f"ip -n {A} route get 10.9.0.1 from 10.1.0.1",
                               check=False)


def sa_packets():
    return sum(int(lib(f"xfrm_sa_packets {A} {spi}", check=False) or 0)
               for spi in ("0xa1b2", "0xb2a1"))


class Mode:
    def __init__(self, name, tmp):
        self.name = name
        self.dir = os.path.join(tmp, f"frr-{name}")
        self.hook = None

    def start(self):
        env = {"BFD": "1" if self.name == "b" else "0"}
        if self.name == "c":
            env["FRR_A_OPTS"] = env["FRR_FAR_OPTS"] = "slow"
        elif self.name == "b":
            env["FRR_A_OPTS"] = env["FRR_FAR_OPTS"] = "bfd"
        subprocess.run(["rm", "-rf", self.dir])
        lib(f"frr_gateways {A} {B} {C} {self.dir}", env=env)
        if self.name in "aef":
            misses = MISSES - 1 if self.name == "f" else MISSES
            sh(f"{XHC} -n {A} check add name primary src 10.1.0.1 "
               f"dst 10.2.0.1 dev xfrm1 interval {INTERVAL}ms "
               f"misses {misses} up {UP} action failover")
        if self.name == "e":
            sh(f"ip -n {A} route add 10.9.0.0/16 dev xfrm2 src 10.1.0.1 "
               "metric 1000")
        if self.name == "d":
            # The echo's inner addresses are the outer ones here (A's
            # if_id policies are 0.0.0.0/0); B's and C's hand-made
            # policies are narrower than IKE would have made them against
            # A's: give them the reply's way back.
            for ns, frm, to, reqid in FAR_ECHO_WAYS:
                sh(f"ip -n {ns} xfrm policy add src {frm}/32 dst {to}/32 "
                   f"dir out tmpl src {frm} dst {to} proto esp "
                   f"reqid {reqid} mode tunnel")
            with open(ECHO_PARAM, "w") as f:
                f.write("Y\n")
            sh(f"{XHC} -n {A} defaults set interval {INTERVAL}ms "
               f"misses {MISSES}")
            self.hook = subprocess.Popen(
                ["bash", "-c",
                 f"ip netns exec {A} {XHC} -j monitor | while read -r l; do "
                 "case $l in "
                 f"*'\"peer-down\"'*192.0.2.2*) ip -n {A} link set xfrm1 down ;; "
                 f"*'\"peer-up\"'*192.0.2.2*) ip -n {A} link set xfrm1 up ;; "
                 "esac; done"], start_new_session=True)

    def ready(self):
        if session(f"{self.dir}/a", A, "10.2.0.1") != "Established":
            return False
        if session(f"{self.dir}/a", A, "10.3.0.1") != "Established":
            return False
        if self.name in "aef":
            c = json.loads(sh(f"{XHC} -n {A} -j check show name primary"))
            if c[0]["state"] != "up":
                return False
        if self.name == "d":
            p = json.loads(sh(f"{XHC} -n {A} -j peer show"))
            if not any(x.get("probe") == "echo" and x.get("state") == "up"
                       and x.get("remote") == "192.0.2.2" for x in p):
                return False
        return best_nexthop(self.dir) == "10.2.0.1" and via("xfrm1")

    def stop(self):
        if self.hook:
            os.killpg(self.hook.pid, signal.SIGTERM)
            self.hook.wait()
            self.hook = None
        sh(f"{XHC} -n {A} check del name primary", check=False)
        sh(f"ip -n {A} route del 10.9.0.0/16 dev xfrm2", check=False)
        for r in "abc":
            lib(f"frr_stop {self.dir}/{r}", check=False)
        if self.name == "d":
            for ns, frm, to, _ in FAR_ECHO_WAYS:
                sh(f"ip -n {ns} xfrm policy del src {frm}/32 dst {to}/32 "
                   "dir out", check=False)
            with open(ECHO_PARAM, "w") as f:
                f.write("N\n")
            sh(f"{XHC} -n {A} defaults set interval 1s misses 3", check=False)
            sh(f"ip -n {A} link set xfrm1 up", check=False)
        # zebra takes its routes away when it stops; the daemons may take
        # a moment to go.
        time.sleep(2)


def trial(mode, mon, tmp, idle):
    """gap ms at failover, the worst gap ms on the way back to B, the
    number of switches between B and C (2 without flaps), detection ms
    and idle packets/s; a key is missing or None where not measured."""
    mode.start()
    try:
        if not wait_until(mode.ready, 120, 0.5):
            print(f"# mode {mode.name}: not ready after 120 s: sessions "
                  f"{session(f'{mode.dir}/a', A, '10.2.0.1')}, "
                  f"{session(f'{mode.dir}/a', A, '10.3.0.1')}, best "
                  f"{best_nexthop(mode.dir)}, via xfrm1 {via('xfrm1')}; "
                  f"peers {sh(f'{XHC} -n {A} -j peer show', check=False)}; "
                  f"checks {sh(f'{XHC} -n {A} -j check show', check=False)}",
                  flush=True)
            return {}
        time.sleep(1)
        pps = None
        if idle:
            p0, t = sa_packets(), time.monotonic()
            time.sleep(IDLE_S)
            pps = (sa_packets() - p0) / (time.monotonic() - t)
        else:
            time.sleep(SETTLE_S)
        ready = os.path.join(tmp, "ready")
        if os.path.exists(ready):
            os.unlink(ready)
        gap = subprocess.Popen(["ip", "netns", "exec", A, "python3", GAP,
                                "measure", "10.1.0.1", "10.9.0.1",
                                "--ready", ready],
                               stdout=subprocess.PIPE, text=True)
        wait_until(lambda: os.path.exists(ready), 15, 0.02)
        time.sleep(0.5)
        # The clock starts before tc does: its start-up counts.
        t0 = time.monotonic_ns()
        sh(f"tc -n {A} qdisc add dev wanB root netem loss 100%")
        kind = {"a": "check-down", "e": "check-down", "f": "check-down",
                "d": "peer-down"}
        t1 = None
        if mode.name in kind:
            t1, _ = mon.wait(kind[mode.name], t0, 30,
                             check="primary" if mode.name in "aef" else None)
        limit = 400 if mode.name == "c" else 60
        wait_until(lambda: best_nexthop(mode.dir) == "10.3.0.1", limit, 0.2)
        # B's side must see the session gone before the link is back. In
        # mode c its hold time is 180 s: reset it there once A has moved,
        # which changes nothing that is measured.
        if mode.name == "c":
            lib(f"frr_vtysh {B} {mode.dir}/b 'clear bgp 10.1.0.5'",
                check=False)
        wait_until(lambda: session(f"{mode.dir}/b", B, "10.1.0.5")
                   != "Established", limit, 0.5)
        time.sleep(1)
        sh(f"tc -n {A} qdisc del dev wanB root")
        wait_until(lambda: best_nexthop(mode.dir) == "10.2.0.1", 120, 0.5)
        time.sleep(1)
        gap.send_signal(signal.SIGTERM)
        out, _ = gap.communicate(timeout=60)
        try:
            res = json.loads(out)
        except ValueError:
            res = {"switches": []}
        fail = [s["gap_ms"] for s in res["switches"]
                if s["from"] == "b" and s["to"] == "c"]
        other = [(s["from"], s["to"], s["gap_ms"]) for s in res["switches"]]
        print(f"# mode {mode.name} switches: {other}", flush=True)
        back = [s["gap_ms"] for s in res["switches"]
                if s["from"] == "c" and s["to"] == "b"]
        return {"gap": fail[0] if fail else None,
                "detect": (t1 - t0) / 1e6 if t1 else None, "pps": pps,
                "back": max(back) if back else None,
                "switches": len(res["switches"])}
    finally:
        mode.stop()


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    modes = sys.argv[2] if len(sys.argv) > 2 else MODES
    # Mode c waits out a 180 s hold time in every trial: it may run in
    # fewer of them (the first C_TRIALS), which the table shows.
    c_trials = int(sys.argv[3]) if len(sys.argv) > 3 else trials
    for ns in (A, B, C):
        sh(f"ip netns del {ns}", check=False)
    sh("modprobe xfrm_hc")
    with open(ECHO_PARAM, "w") as f:
        f.write("N\n")
    lib(f"bgp_gateways {A} {B} {C}")
    servers = [subprocess.Popen(["ip", "netns", "exec", ns, "python3", GAP,
                                 "serve", "10.9.0.1", name],
                                stderr=subprocess.DEVNULL)
               for ns, name in ((B, "b"), (C, "c"))]
    mon = Monitor(A)
    keys = ("gap", "back", "switches", "detect", "pps")
    res = {m: dict({k: [] for k in keys}, missed=0) for m in modes}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(trials):
            for m in modes:
                if m == "c" and i >= c_trials:
                    continue
                t = trial(Mode(m, tmp), mon, tmp, i < IDLE_TRIALS)
                r = res[m]
                if t.get("gap") is None:
                    r["missed"] += 1
                for k in keys:
                    if t.get(k) is not None:
                        r[k].append(t[k])
                vals = (("-" if t.get(k) is None else f"{t[k]:.1f}")
                        for k in keys)
                print(f"# trial {i + 1} mode {m}: " +
                      ", ".join(f"{k} {v}" for k, v in zip(keys, vals)),
                      flush=True)
    names = {
        "a": f"xfrm-hc check {INTERVAL} ms x {MISSES}, action failover",
        "b": "FRR bfdd 100 ms x 3 on the BGP sessions",
        "c": "BGP alone, FRR's default timers (60 s / 180 s)",
        "d": f"xfrm-hc echo {INTERVAL} ms x {MISSES}, hook takes xfrm1 down",
        "e": "as a, plus a covering route through xfrm2 in the FIB",
        "f": f"as a at misses {MISSES - 1}: bfdd's detection bound",
    }
    print(f"\n| kernel {os.uname().release} | trials | gap median ms | "
          "gap p99 ms | back to B: worst gap ms | trials with flaps | "
          "detect median ms | idle pkt/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for m in modes:
        r = res[m]
        g, b, d, p = r["gap"], r["back"], r["detect"], r["pps"]
        miss = f" ({r['missed']} missed)" if r["missed"] else ""
        cells = [f"{m}: {names[m]}", f"{len(g)}{miss}",
                 f"{statistics.median(g):.0f}" if g else "-",
                 f"{pct(g, 0.99):.0f}" if g else "-",
                 f"{max(b):.0f}" if b else "-",
                 str(sum(1 for n in r["switches"] if n > 2)),
                 f"{statistics.median(d):.0f}" if d else "-",
                 f"{statistics.median(p):.1f}" if p else "-"]
        print("| " + " | ".join(cells) + " |")
    mon.p.terminate()
    for s in servers:
        s.terminate()
    for ns in (A, B, C):
        sh(f"ip netns del {ns}", check=False)


if __name__ == "__main__":
    main()
