#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Scale benchmark, run inside the VM (tests/bench/scale runs it).

  scale.py [--peers N] [--fast N] [--fail N] [--trials N]
           [--attach-trials N] [--window S] [--busy-interval S] [--rate R]
           [--probe-cpu-pct P] [--probe-softirq-pct P] [--iperf-rounds N]
           [--echo PATH] [--json FILE]

Netns sc-a is the concentrator: every tunnel ends there, on one outer
address (192.0.2.1 on its loopback), and xfrm_hc watches it. The far
gateways live in more netns, each behind a veth of its own to sc-a
(tests/lib/many_tunnels.py addressing, AnyIP on their side):
  bulk  sc-b1, sc-b4, ...: 198.18.0.0/16, a /19 (8,192 peers) each,
                               the peers the others leave
  fast  sc-b2, 198.19.0.0/17   --fast peers (timer lateness at 100 ms)
  fail  sc-b3, 198.19.128.0/17 --fail peers (they die together)
At most 8,192 far gateways share a netns: on 6.12 each ESP packet walks a
per-netns, per-CPU list of the SAs that received there, and one netns of
35,000 gateways made the far side, not the module, the cost measured.
Each peer has an inbound and an outbound SA whose /32 selectors give it a
probe target. One rule (prio 20, remote 198.18.0.0/15) watches them all;
"quiet" is that rule at 3600 s, "probing" at 1 s in idle mode.

Parts, in order (numbers from the scale issue):
 1. attach cost: the A side's SAs installed with "ip -batch", alternately
    without and with the module (with: until the module counts them all);
    memory: unreclaimable slab + vmalloc + percpu with the module loaded
    and attached, against unloaded, and the module's struct sizes.
 2. probe cost and lateness (part "probes"), alternating in each trial:
    Q quiet; A probing (all peers idle, 1 s); T the same, ticks only;
    F the fast group at 100 ms, the rest quiet (FT: ticks only); B quiet
    with echo_flood sending A's echoes from userspace (on 6.12 that leaves
    every inbound SA of sc-a in the kernel's per-CPU input list, which
    nothing trims: trials after the first start with it full). CPU is
    /proc/stat busy time
    over the window, minus Q's, per echo; lateness from debugfs
    xfrm_hc/timer_lateness.
    Busy tunnels (part "busy"): C probing (--busy-interval) with
    echo_flood traffic on every tunnel (probes sent must be 0).
 3. data path: iperf3 through tunnel 0, module loaded vs unloaded, rounds
    alternating; 4. each unload there has every SA monitored: its time,
    and that nothing is left (object counts, slab caches, dmesg).
 5. mass failure: the fail group's link is cut; "xfrm-hc -j monitor" must
    report each of its peers dead (events or a resync's dump), and
    "xfrm-hcd --teardown --rate R" deletes their SAs: time to the
    last deletion.
"""
import argparse
import ctypes
import ipaddress
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from benchlib import TOP, XHC, XHCD, pct, sh, wait_until

sys.path.insert(0, os.path.join(TOP, "tests/integration"))
import genl  # noqa: E402

MANY = os.path.join(TOP, "tests/lib/many_tunnels.py")
A = "sc-a"
A_WAN, A_LAN = "192.0.2.1", "10.1.0.1"
RULE_ALL = "prio 20 remote 198.18.0.0/15"
QUIET = "interval 3600s mode idle"
PROBING = "interval 1s misses 3 mode idle"
DEBUGFS = "/sys/kernel/debug/xfrm_hc"
CPU_NAMES = ("user", "nice", "system", "idle", "iowait", "irq", "softirq",
             "steal")


def log(msg):
    print("# " + msg, flush=True)


class Group:
    def __init__(self, name, ns, link, first, count, prefix, lan_prefix):
        self.name, self.ns, self.link = name, ns, link
        self.first, self.count = first, count
        self.prefix, self.lan_prefix = prefix, lan_prefix


BULK_PER_NS = 8192


def groups_for(args):
    """bulk, fast, fail, then the rest of bulk. Tunnel I's gateway is
    198.18.0.0 + I + 1, so a /19 holds tunnels 8192 J - 1 .. 8192 J + 8190
    (the first one 0 .. 8190)."""
    bulk = args.peers - args.fast - args.fail
    if bulk < 1 or bulk > 65535 or args.fast > 32767 or args.fail > 32767:
        sys.exit("scale: need fast, fail <= 32767 and 1 <= the rest <= 65535")
    parts = []
    for j in range(8):
        first = max(0, BULK_PER_NS * j - 1)
        last = min(bulk, BULK_PER_NS * (j + 1) - 1)
        if first >= last:
            break
        link = 1 if j == 0 else 3 + j
        parts.append(Group("bulk", f"sc-b{link}", link, first, last - first,
                           f"198.18.{32 * j}.0/19", f"10.128.{32 * j}.0/19"))
    return [parts[0],
            Group("fast", "sc-b2", 2, 65536, args.fast, "198.19.0.0/17",
                  "10.129.0.0/17"),
            Group("fail", "sc-b3", 3, 98304, args.fail, "198.19.128.0/17",
                  "10.129.128.0/17")] + parts[1:]


def fair():
    """For the children that are measured or that must not preempt the
    kernel's work (see main): back to the normal scheduling class."""
    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))


def many(*args):
    return sh("python3 %s %s" % (MANY, " ".join(str(a) for a in args)))


def batch(ns, lines):
    """ip -batch of LINES in NS; the seconds it took."""
    with tempfile.NamedTemporaryFile("w", suffix=".batch", delete=False) as f:
        f.write(lines)
        path = f.name
    t0 = time.monotonic()
    subprocess.run(["ip", "-n", ns, "-batch", path], check=True)
    dt = time.monotonic() - t0
    os.unlink(path)
    return dt


def a_sas(groups):
    return "".join(many("sas a", g.count, g.first) for g in groups)


def crypto_warm():
    """The first SA of an AEAD instantiates it: modules load and the
    crypto manager tests them, which on a starved VM outlasts the 60 s an
    SA add waits for it ("Requested AEAD algorithm not found"). Once, a
    few times over, before the batches."""
    key = "0x0102030405060708090a0b0c0d0e0f1011121314"
    sa = (f"ip -n {A} xfrm state %s src 192.0.2.9 dst 192.0.2.10 proto esp "
          "spi 0x9")
    for _ in range(5):
        if subprocess.call((sa % "add") + f" aead 'rfc4106(gcm(aes))' {key} "
                           "128 mode tunnel", shell=True) == 0:
            sh(sa % "delete")
            return
        time.sleep(5)
    sys.exit("scale: rfc4106(gcm(aes)) cannot be instantiated")


def setup(groups):
    sh("sysctl -qw net.core.rmem_max=33554432 net.core.wmem_max=33554432")
    sh(f"ip netns add {A}")
    sh(f"ip -n {A} link set lo up; ip -n {A} addr add {A_WAN}/32 dev lo; "
       f"ip -n {A} addr add {A_LAN}/32 dev lo")
    crypto_warm()
    for g in groups:
        sh(f"ip netns add {g.ns}; ip -n {g.ns} link set lo up")
        sh(f"ip link add wan{g.link} netns {A} type veth peer name wan "
           f"netns {g.ns}")
        sh(f"ip -n {A} addr add 192.168.{g.link}.1/30 dev wan{g.link}; "
           f"ip -n {A} link set wan{g.link} up; "
           f"ip -n {A} route add {g.prefix} via 192.168.{g.link}.2; "
           f"ip -n {A} route add {g.lan_prefix} dev wan{g.link} src {A_LAN}")
        sh(f"ip -n {g.ns} addr add 192.168.{g.link}.2/30 dev wan; "
           f"ip -n {g.ns} link set wan up; "
           f"ip -n {g.ns} route add local {g.prefix} dev lo; "
           f"ip -n {g.ns} route add local {g.lan_prefix} dev lo; "
           f"ip -n {g.ns} route add {A_WAN}/32 via 192.168.{g.link}.1; "
           f"ip -n {g.ns} route add {A_LAN}/32 via 192.168.{g.link}.1")
        # The far side answers every probe: its SAs and policies.
        dt = batch(g.ns, many("sas b", g.count, g.first) +
                   many("policies b", g.count, g.first))
        log(f"{g.name}: {g.count} peers in {g.ns}, far side in {dt:.1f} s")
    dt = batch(A, "".join(many("policies a", g.count, g.first)
                          for g in groups))
    log(f"{A}: policies in {dt:.1f} s")


def stat_names():
    """enum xfrm_hc_stat's names, by value, from the uapi header."""
    text = open(os.path.join(TOP, "uapi/linux/xfrm_hc.h")).read()
    body = text[text.index("enum xfrm_hc_stat {"):]
    body = body[:body.index("};")]
    names = re.findall(r"^\s*XFRM_HC_STAT_(\w+)", body, re.M)
    return {i: n.lower() for i, n in enumerate(names)}


class Stats:
    """The module's counters for sc-a over a socket opened there once:
    starting the tool under load takes seconds, which would skew each
    window's edges."""
    CLONE_NEWNET = 0x40000000

    def __init__(self, ns=A):
        self.ns = ns
        self.names = stat_names()
        self.sock = None
        self.family = None

    def open(self):
        libc = ctypes.CDLL(None, use_errno=True)
        home = os.open("/proc/self/ns/net", os.O_RDONLY)
        there = os.open(f"/var/run/netns/{self.ns}", os.O_RDONLY)
        if libc.setns(there, self.CLONE_NEWNET):
            sys.exit("scale: setns to %s failed" % self.ns)
        try:
            self.sock = genl.Genl()
        finally:
            libc.setns(home, self.CLONE_NEWNET)
            os.close(home)
            os.close(there)

    def get(self):
        if not self.sock:
            self.open()
        for _ in range(2):
            try:
                if self.family is None:
                    self.family, _ = self.sock.resolve()
                err, _, rep = self.sock.send(self.family, 1)  # VERSION_GET
            except OSError:
                err = 1
            if not err and rep:
                break
            self.family = None  # the module was reloaded: a new family id
        else:
            return {}
        out = {}
        for k, v in genl.parse_attrs(rep[0].get(3, b"")).items():
            if k in self.names and len(v) == 8:
                out[self.names[k]] = int.from_bytes(v, sys.byteorder)
        return out


STATS = Stats()


def stats():
    return STATS.get()


def stat(name):
    return stats().get(name, -1)


def load(rule=QUIET):
    t0 = time.monotonic()
    # The far gateways' SAs (sc-b*) are not watched: only the rules of
    # sc-a monitor.
    sh(f"modprobe xfrm_hc default_rule=0 probe_cpu_pct={PROBE_CPU_PCT} "
       f"probe_softirq_pct={PROBE_SOFTIRQ_PCT}")
    sh(f"{XHC} -n {A} rule add {RULE_ALL} {rule}")
    return time.monotonic() - t0


def unload():
    t0 = time.monotonic()
    sh("modprobe -r xfrm_hc")
    return time.monotonic() - t0


def rule(spec, prio_remote=RULE_ALL):
    prio = prio_remote.split()[1]
    sh(f"{XHC} -n {A} rule del prio {prio}", check=False)
    sh(f"{XHC} -n {A} rule add {prio_remote} {spec}")


def sa_count(ns=A):
    m = re.search(r"count (\d+)", sh(f"ip -n {ns} xfrm state count"))
    return int(m.group(1)) if m else -1


def meminfo():
    sh("sync; echo 3 >/proc/sys/vm/drop_caches")
    m = {}
    for line in open("/proc/meminfo"):
        k, v = line.split(":")
        m[k] = int(v.split()[0]) * 1024
    return m["SUnreclaim"] + m["VmallocUsed"] + m.get("Percpu", 0)


def mem_parts():
    """Where kernel memory is, by part: each slab cache's pages (waste in
    them included), vmalloc by caller, and the unreclaimable slab that no
    cache holds (kmalloc of more than 8 KiB goes straight to pages)."""
    parts, caches = {}, 0
    for line in open("/proc/slabinfo").readlines()[2:]:
        f = line.split()
        b = int(f[14]) * int(f[5]) * 4096
        parts[f"slab {f[0]}"] = b
        caches += b
    for line in open("/proc/vmallocinfo"):
        f = line.split()
        if len(f) > 2:
            k = f"vmalloc {f[2].split('+')[0]}"
            parts[k] = parts.get(k, 0) + int(f[1])
    m = {}
    for line in open("/proc/meminfo"):
        k, v = line.split(":")
        m[k] = int(v.split()[0]) * 1024
    parts["unreclaimable slab held by no cache (large kmalloc)"] = (
        m["SUnreclaim"] + m["SReclaimable"] - caches)
    return parts


def mem_parts_delta(before, after, per, min_bytes=100000):
    """The parts that grew or shrank by more than min_bytes, per peer."""
    d = {k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)}
    return sorted(((v / per, k) for k, v in d.items() if abs(v) >= min_bytes),
                  reverse=True)


def slab_size(cache):
    try:
        return int(open(f"/sys/kernel/slab/{cache}/slab_size").read())
    except OSError:
        return None


def part_attach(groups, args, res):
    n_sas = 2 * sum(g.count for g in groups)
    lines = a_sas(groups)
    without, with_ = [], []
    for t in range(args.attach_trials):
        sh(f"ip -n {A} xfrm state flush")
        without.append(batch(A, lines))
        sh(f"ip -n {A} xfrm state flush")
        load()
        t0 = time.monotonic()
        batch(A, lines)
        if not wait_until(lambda: stat("sas") == n_sas, 600, 0.05):
            sys.exit(f"scale: the module counts {stat('sas')} of {n_sas} SAs")
        with_.append(time.monotonic() - t0)
        if t < args.attach_trials - 1:
            sh(f"ip -n {A} xfrm state flush")
            wait_until(lambda: stat("sas") == 0, 600)
            unload()
        log(f"attach trial {t + 1}: {n_sas} SAs in {without[-1]:.1f} s "
            f"without, {with_[-1]:.1f} s with the module")
    ratios = [w / o for w, o in zip(with_, without)]
    res["attach"] = {"sas": n_sas, "without_s": without, "with_s": with_,
                     "ratio_median": statistics.median(ratios),
                     "ratio_max": max(ratios)}

    # Memory: the same SAs, the module unloaded, then loaded and attached.
    unload_s = unload()
    m0 = meminfo()
    parts0 = mem_parts()
    t0 = time.monotonic()
    load()
    peers = sum(g.count for g in groups)
    wait_until(lambda: stat("peers") == peers and stat("sas") == n_sas, 600,
               0.05)
    load_s = time.monotonic() - t0
    # The tables' last resize frees the old buckets after a grace period.
    time.sleep(5)
    m1 = meminfo()
    parts = mem_parts_delta(parts0, mem_parts(), peers)
    for per, k in parts:
        log(f"memory part: {per:.1f} B per peer in {k}")
    peer_sz, sa_sz = slab_size("xfrm_hc_peer"), slab_size("xfrm_hc_sa")
    total = m1 - m0
    res["memory"] = {"peers": peers, "sas": n_sas, "bytes": total,
                     "peer_slab_size": peer_sz, "sa_slab_size": sa_sz,
                     "other_per_peer": (total - peers * (peer_sz or 0) -
                                        n_sas * (sa_sz or 0)) / peers,
                     "per_peer_all": total / peers,
                     "parts_per_peer": [[k, per] for per, k in parts],
                     "load_s": load_s, "unload_s": unload_s}
    log(f"memory: {total} bytes for {peers} peers and {n_sas} SAs; "
        f"struct peer {peer_sz}, struct sa {sa_sz}; load {load_s:.2f} s, "
        f"unload {unload_s:.2f} s")
    part_update_in_place(lines, peers, n_sas, res)
    part_config_changes(groups, res)


def part_update_in_place(lines, peers, n_sas, res):
    """An update in place that sets an if_id moves an SA to another peer
    with no new SA. The time from the update until the module shows the
    new peer, 5 times, and the work item that applied each batch of SA
    changes (xfrm_hc_sa_work, holding the namespace's lock): before
    2026-12-04 that was one walk of every SA, now one lookup. Then the
    SA is deleted and added as it was (an update cannot clear an
    if_id)."""
    first = lines.splitlines()[0]
    w = first.split()
    delete = " ".join(w[:1] + ["state", "delete"] + w[3:11])
    update = first.replace("xfrm state add", "xfrm state update") + " if_id 7"
    moves = []
    walk = WalkTimer("xfrm_hc_sa_work")
    for _ in range(5):
        t0 = time.monotonic()
        sh(f"ip -n {A} {update}")
        if not wait_until(lambda: stat("peers") == peers + 1, 60, 0.005):
            sys.exit("scale: an SA updated in place did not move")
        moves.append(time.monotonic() - t0)
        sh(f"ip -n {A} {delete}; ip -n {A} {first}")
        if not wait_until(lambda: stat("peers") == peers and
                          stat("sas") == n_sas, 60, 0.05):
            sys.exit("scale: the SA added again is not monitored")
    res["update_in_place_s"] = moves
    res["sweep_us"] = walk.stop()
    log("an SA updated in place (new if_id) moved in " +
        ", ".join(f"{m * 1000:.0f}" for m in moves) + " ms; the SA change work items took " +
        ", ".join(f"{u / 1000:.1f}" for u in res["sweep_us"]) + " ms")


def part_config_changes(groups, res):
    """What a configuration change costs among every peer, each 5 times,
    timed in the kernel (function_graph: the genl request's handler, the
    netns lock held all along): "defaults set"; a rule for 1 peer added,
    then deleted; a rule for every peer added, then deleted. Each moves
    its peers and back. Compared with the module's load, which attaches
    the same SAs from nothing. And the walk of every SA that each of
    these paid before 2026-12-04, still taken when a rule may bring in an
    SA that no rule watches: "walk" adds a rule for an SA installed for
    it, outside every rule."""
    one = ipaddress.IPv4Address("198.18.0.0") + groups[0].first + 1
    key = "0x0102030405060708090a0b0c0d0e0f1011121314"
    outside = (f"src {A_WAN} dst 203.0.113.1 proto esp spi 0x7fff")
    sh(f"ip -n {A} xfrm state add {outside} reqid 7 mode tunnel "
       f"aead 'rfc4106(gcm(aes))' {key} 128")
    ops = [("walk", "rule add prio 10 remote 203.0.113.0/24 interval 2s",
            "rule del prio 10"),
           ("defaults", "defaults set interval 2s", "defaults set interval 1s"),
           ("rule_1", f"rule add prio 10 remote {one}/32 interval 2s",
            "rule del prio 10"),
           ("rule_all", f"rule add prio 10 {RULE_ALL.split(' ', 2)[2]} "
            "interval 2s", "rule del prio 10")]
    fns = {"defaults": ["xfrm_hc_nl_defaults_set"],
           "walk": ["xfrm_hc_nl_rule_add"],
           "rule_1": ["xfrm_hc_nl_rule_add", "xfrm_hc_nl_rule_del"],
           "rule_all": ["xfrm_hc_nl_rule_add", "xfrm_hc_nl_rule_del"]}
    out = {}
    for name, do, undo in ops:
        timer = WalkTimer(" ".join(fns[name]))
        wall = []
        for _ in range(5):
            for cmd in (do, undo):
                t0 = time.monotonic()
                sh(f"{XHC} -n {A} {cmd}")
                wall.append(time.monotonic() - t0)
        each = timer.stop_each()
        out[name] = {"wall_s": wall,
                     "us": {fn: each.get(fn, []) for fn in fns[name]}}
        log(f"config {name}: " + "; ".join(
            f"{fn} " + ", ".join(f"{u / 1000:.1f}" for u in each.get(fn, []))
            + " ms" for fn in fns[name]))
        if name == "walk":
            # Every SA watched again: the others walk nothing.
            sh(f"ip -n {A} xfrm state delete {outside}")
    res["config_changes"] = out


class WalkTimer:
    """How long each call of module functions took, by the kernel's
    function_graph tracer: the walk alone, not ip or the polling around
    it. An empty list if tracing is not available. FN may name several
    functions, space-separated: stop_each() tells them apart."""

    T = "/sys/kernel/tracing"

    def __init__(self, fn):
        self.ok = True
        try:
            if not os.path.exists(f"{self.T}/trace"):
                sh(f"mount -t tracefs nodev {self.T}")
            # Only @fn is patched: its callees run untraced, at full speed.
            for f, v in (("current_tracer", "nop"), ("set_ftrace_filter", fn),
                         ("set_graph_function", fn), ("trace", ""),
                         ("current_tracer", "function_graph")):
                with open(f"{self.T}/{f}", "w") as fp:
                    fp.write(v + "\n")
        except (OSError, subprocess.CalledProcessError) as e:
            log(f"no function_graph timing of {fn}: {e}")
            self.ok = False

    def stop(self):
        return [us for _, us in self.calls()]

    def stop_each(self):
        each = {}
        for fn, us in self.calls():
            each.setdefault(fn, []).append(us)
        return each

    def calls(self):
        if not self.ok:
            return []
        with open(f"{self.T}/trace") as fp:
            text = fp.read()
        for f, v in (("current_tracer", "nop"), ("set_graph_function", ""),
                     ("set_ftrace_filter", "")):
            with open(f"{self.T}/{f}", "w") as fp:
                fp.write(v + "\n")
        # "  1)  # 1234.567 us  |  xfrm_hc_sa_sweep [xfrm_hc]();"
        return [(m.group(2), float(m.group(1))) for m in
                re.finditer(r"([0-9.]+) us +\|\s+(\w+)", text)]


class MemWatch:
    """Samples memory every 2 s while probes run: when the VM cannot keep
    up, what piles up is the first thing to know. Keeps the biggest slab
    caches of the last sample, and says when memory runs short, so that
    a window can end before the OOM killer ends the run."""

    def __init__(self):
        self.samples = []
        self.short = False
        self.stop = False
        threading.Thread(target=self.run, daemon=True).start()

    @staticmethod
    def meminfo():
        m = {}
        for line in open("/proc/meminfo"):
            k, v = line.split(":")
            m[k] = int(v.split()[0])
        return m

    @staticmethod
    def top_slabs(n=6):
        caches = []
        for line in open("/proc/slabinfo").readlines()[2:]:
            f = line.split()
            caches.append((int(f[2]) * int(f[3]) // 1024, f[0], int(f[1])))
        return sorted(caches, reverse=True)[:n]

    def run(self):
        while not self.stop:
            m = self.meminfo()
            self.samples.append((time.monotonic(), m["MemAvailable"],
                                 m["SUnreclaim"], self.top_slabs()))
            self.short = m["MemAvailable"] < m["MemTotal"] // 8
            time.sleep(2)

    def summary(self, t0, t1):
        s = [x for x in self.samples if t0 <= x[0] <= t1]
        if len(s) < 2:
            return None
        return {"unreclaimable_kb": [s[0][2], s[-1][2]],
                "available_kb": [s[0][1], s[-1][1]],
                "top_slabs_kb": s[-1][3]}


MEM = None
# The far gateways answer in the same VM, so every probe costs about three
# times its sending again: a smaller share than the default keeps it alive.
PROBE_CPU_PCT = 10
PROBE_SOFTIRQ_PCT = 75


def cpu_busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    c = dict(zip(CPU_NAMES, v))
    hz = os.sysconf("SC_CLK_TCK")
    busy = sum(c[k] for k in CPU_NAMES if k not in ("idle", "iowait"))
    return busy / hz, c["softirq"] / hz


def losses(groups):
    """Where packets were dropped: the backlog (softnet_stat, with its
    time_squeeze), each netns's devices (gro_cells) and XFRM error
    counters, as one dict of totals."""
    d = {"backlog_drops": 0, "time_squeeze": 0}
    with open("/proc/net/softnet_stat") as f:
        for line in f:
            col = line.split()
            d["backlog_drops"] += int(col[1], 16)
            d["time_squeeze"] += int(col[2], 16)
    for ns in [A] + [g.ns for g in groups]:
        # Devices count what gro_cells (after decryption) dropped.
        for ln in json.loads(sh(f"ip -n {ns} -j -s link show") or "[]"):
            rx = ln.get("stats64", {}).get("rx", {})
            if rx.get("dropped"):
                d[f"{ns}:{ln['ifname']}:rx_dropped"] = rx["dropped"]
        out = sh(f"ip netns exec {ns} cat /proc/net/xfrm_stat", check=False)
        for line in out.splitlines():
            k, v = line.split()
            if int(v):
                d[f"{ns}:{k}"] = int(v)
    return d


def lost_delta(l0, l1):
    return {k: v - l0.get(k, 0) for k, v in l1.items() if v != l0.get(k, 0)}


def lateness():
    h = {}
    try:
        for line in open(f"{DEBUGFS}/timer_lateness"):
            floor, n = line.split()
            h[int(floor)] = int(n)
    except OSError:
        pass
    return h


def lateness_pct(h0, h1, q):
    """The q-quantile of lateness between two snapshots, in us (the upper
    edge of its bucket: 4 buckets per power of two)."""
    d = sorted((k, h1[k] - h0.get(k, 0)) for k in h1 if h1[k] > h0.get(k, 0))
    total = sum(n for _, n in d)
    if not total:
        return None, 0
    seen = 0
    for k, n in d:
        seen += n
        if seen >= q * total:
            # The bucket's upper edge: the next bucket's floor.
            return k + (1 << max(0, k.bit_length() - 3)), total
    return d[-1][0], total


def echo_flood(args, groups, rate, secs):
    """echo_flood to every peer's far LAN host, one process per group."""
    procs = []
    for g in groups:
        # Tunnel I's far LAN host (many_tunnels.py).
        lan = str(ipaddress.IPv4Address("10.128.0.0") + g.first + 1)
        procs.append(subprocess.Popen(
            ["ip", "netns", "exec", A, args.echo, A_LAN, lan, str(g.count),
             str(rate), str(secs)], stdout=subprocess.PIPE, text=True,
            preexec_fn=fair))
    return procs


def echo_result(procs):
    tot = {"sent": 0, "answered": 0, "user_us": 0, "sys_us": 0}
    for p in procs:
        out, _ = p.communicate()
        f = out.split()
        for k, v in zip(f[0::2], f[1::2]):
            tot[k] += int(v)
    return tot


def window(args, phase, groups, flood_rate=0, warmup=0):
    """One measured window: CPU, module counters, lateness. With a flood
    and no warm-up the window is the flood's run; with one, the flood runs
    WARMUP seconds before the window opens and stops when it closes."""
    procs = []
    if flood_rate and warmup:
        procs = echo_flood(args, groups, flood_rate, args.window + warmup)
        time.sleep(warmup)
    l0 = losses(groups)
    # CPU and time first, back to back: the edges of the window.
    t0, (b0, si0) = time.monotonic(), cpu_busy()
    s0, h0 = stats(), lateness()
    if flood_rate and not warmup:
        procs = echo_flood(args, groups, flood_rate, args.window)
        echo = echo_result(procs)
    else:
        # A window ends early if memory runs short (see MemWatch).
        end = t0 + args.window
        while time.monotonic() < end and not MEM.short:
            time.sleep(0.2)
    t1, (b1, si1) = time.monotonic(), cpu_busy()
    dt = t1 - t0
    s1, h1 = stats(), lateness()
    lost = lost_delta(l0, losses(groups))
    if warmup or not procs:
        echo = echo_result(procs) if procs else None
    w = {"phase": phase, "seconds": dt, "busy_s": b1 - b0,
         "softirq_s": si1 - si0,
         "probes": s1.get("probes_sent", 0) - s0.get("probes_sent", 0),
         "answered": (s1.get("probes_answered", 0) -
                      s0.get("probes_answered", 0)),
         "late_ticks": s1.get("late_ticks", 0) - s0.get("late_ticks", 0),
         "shed": s1.get("probes_shed", 0) - s0.get("probes_shed", 0),
         "echo": echo, "lost": lost, "memory": MEM.summary(t0, t1),
         "memory_short": MEM.short}
    w["late_p99_us"], w["ticks"] = lateness_pct(h0, h1, 0.99)
    w["late_p50_us"], _ = lateness_pct(h0, h1, 0.50)
    log(f"{phase}: {dt:.1f} s, busy {w['busy_s']:.1f} s, softirq "
        f"{w['softirq_s']:.1f} s, probes {w['probes']} answered "
        f"{w['answered']}, shed {w['shed']}, ticks {w['ticks']} late "
        f"{w['late_ticks']}, "
        f"lateness p50 {w['late_p50_us']} us p99 {w['late_p99_us']} us"
        + (f", echo {echo}" if echo else "") +
        (f", dropped {lost}" if lost else "") +
        (f", memory {w['memory']}" if w["memory"] else "") +
        (", MEMORY SHORT: window cut" if MEM.short else ""))
    return w


def settle(interval_s):
    # Timers re-arm at a random phase; one interval and a bit to spread.
    time.sleep(min(interval_s, 5) + 1)
    # Memory a window before piled up (RCU behind): wait for it to drain.
    wait_until(lambda: not MEM.short, 120, 1)


TICKS_ONLY = "interval 1s misses 3 mode on-demand"


def part_probes(groups, args, res):
    """Alternating phases, each trial in the same order; see the top."""
    fast = groups[1]
    fast_rule = f"prio 10 remote {fast.prefix}"
    trials = []
    for _ in range(args.trials):
        tr = {}
        rule(QUIET)
        settle(1)
        tr["Q"] = window(args, "Q quiet", groups)
        rule(PROBING)
        settle(1)
        tr["A"] = window(args, "A probing, idle", groups)
        # The same timers without probes: idle tunnels in on-demand mode
        # are looked at, never probed.
        rule(TICKS_ONLY)
        settle(1)
        tr["T"] = window(args, "T ticks only, 1 s", groups)
        # F before B: on 6.12, B's echoes leave every inbound SA in the
        # kernel's per-CPU input list, which each ESP packet then walks.
        rule("interval 100ms misses 3 mode idle", fast_rule)
        settle(1)
        tr["F"] = window(args, f"F {fast.count} peers at 100 ms", groups)
        rule("interval 100ms misses 3 mode on-demand", fast_rule)
        settle(1)
        tr["FT"] = window(args, f"FT {fast.count} peers at 100 ms, ticks "
                          "only", groups)
        sh(f"{XHC} -n {A} rule del prio 10")
        # As many echoes as A sent probes (under emulation the VM carries
        # fewer than one per peer a second), over the same tunnels.
        peers = sum(g.count for g in groups)
        rate_b = max(tr["A"]["probes"], 1) / (peers * args.window)
        rule(QUIET)
        settle(1)
        tr["B"] = window(args, "B userspace echoes", groups, rate_b)
        trials.append(tr)
    res["probes"] = trials


def part_busy(groups, args, res):
    """Traffic on every tunnel, an echo each half interval, the interval
    long enough that the VM carries the traffic of every tunnel. A rule
    added anew puts each peer's first tick a whole interval or more
    away: that long of warm-up first. 60 s of ticks are counted."""
    bi = args.busy_interval
    rule(f"interval {bi}s misses 3 mode idle")
    w = args.window
    args.window = 60
    res["busy"] = window(args, "C probing, traffic on every tunnel", groups,
                         2 / bi, bi + 10)
    args.window = w
    rule(QUIET)


def cpu_per(w, q, n):
    return (w["busy_s"] - q["busy_s"] * w["seconds"] / q["seconds"]) / n \
        if n else None


def summarize_probes(res):
    out = {"A_us": [], "B_us": [], "ratio": [], "A_softirq_us": [],
           "B_process_us": [], "ratio_literal": [], "late_1s_p99_us": [],
           "late_100ms_p99_us": [], "ticks_1s_p99_us": [],
           "ticks_100ms_p99_us": [], "A_probes_per_s": [],
           "A_shed_per_s": [], "B_answered": [],
           "A_answered": [], "A_probes": [], "late_ticks_A": []}
    for tr in res["probes"]:
        q, a, b = tr["Q"], tr["A"], tr["B"]
        ca = cpu_per(a, q, a["probes"])
        cb = cpu_per(b, q, b["echo"]["sent"])
        if ca is not None and cb:
            out["A_us"].append(ca * 1e6)
            out["B_us"].append(cb * 1e6)
            out["ratio"].append(ca / cb)
            # As the issue words it: the module's softirq time per probe,
            # the sender's own CPU per echo.
            sa = (a["softirq_s"] - q["softirq_s"] * a["seconds"] /
                  q["seconds"]) / a["probes"]
            sb = (b["echo"]["user_us"] + b["echo"]["sys_us"]) / 1e6 / \
                b["echo"]["sent"]
            out["A_softirq_us"].append(sa * 1e6)
            out["B_process_us"].append(sb * 1e6)
            out["ratio_literal"].append(sa / sb)
        out["late_1s_p99_us"].append(a["late_p99_us"])
        out["late_100ms_p99_us"].append(tr["F"]["late_p99_us"])
        out["ticks_1s_p99_us"].append(tr["T"]["late_p99_us"])
        out["ticks_100ms_p99_us"].append(tr["FT"]["late_p99_us"])
        out["A_probes_per_s"].append(a["probes"] / a["seconds"])
        out["A_shed_per_s"].append(a["shed"] / a["seconds"])
        out["A_probes"].append(a["probes"])
        out["A_answered"].append(a["answered"])
        out["B_answered"].append(b["echo"]["answered"])
        out["late_ticks_A"].append(a["late_ticks"])
    res["probes_summary"] = out


def part_datapath(groups, args, res):
    """iperf3 through tunnel 0, module loaded vs unloaded, alternating."""
    b1 = groups[0].ns
    dst = "10.128.0.1"
    srv = subprocess.Popen(["ip", "netns", "exec", b1, "iperf3", "-s", "-B",
                            dst], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, preexec_fn=fair)
    time.sleep(2)
    peers = sum(g.count for g in groups)
    n_sas = 2 * peers

    def run():
        out = subprocess.run(["ip", "netns", "exec", A, "iperf3", "-c", dst,
                              "-B", A_LAN, "-t", str(args.iperf_secs), "-J"],
                             check=True, capture_output=True, text=True,
                             preexec_fn=fair).stdout
        return json.loads(out)["end"]["sum_received"]["bits_per_second"]

    on, off, unloads, loads = [], [], [], []
    # Tunnel 0 watched as by default (DPD, 1 s), the rest quiet: what is
    # measured is the module on the data path, not probes elsewhere
    # competing for the VM's two CPUs.
    tunnel0 = "prio 5 remote %s/32" % many("remote", 0).strip()
    rule(QUIET)
    rule("interval 1s", tunnel0)
    for r in range(args.iperf_rounds):
        on.append(run())
        unloads.append(unload())
        off.append(run())
        t0 = time.monotonic()
        load(QUIET)
        sh(f"{XHC} -n {A} rule add {tunnel0} interval 1s")
        wait_until(lambda: stat("peers") == peers and stat("sas") == n_sas,
                   600, 0.05)
        loads.append(time.monotonic() - t0)
        log(f"iperf3 round {r + 1}: {on[-1] / 1e6:.0f} Mbit/s monitored, "
            f"{off[-1] / 1e6:.0f} unloaded; unload {unloads[-1]:.2f} s, "
            f"load and attach {loads[-1]:.2f} s")
    srv.terminate()
    srv.wait()
    ratios = [a / b for a, b in zip(on, off)]
    res["datapath"] = {"on_bps": on, "off_bps": off,
                       "ratio_median": statistics.median(ratios),
                       "ratio_min": min(ratios)}
    res["unload"] = {"sas": n_sas, "seconds": unloads, "load_s": loads}


def unload_clean(res):
    """The last unload with every SA monitored: nothing may be left."""
    objs = open(f"{DEBUGFS}/objects").read().split()
    res["unload"]["objects_before"] = dict(zip(objs[0::2],
                                               map(int, objs[1::2])))
    res["unload"]["seconds"].append(unload())
    left = [line.split()[0] for line in open("/proc/slabinfo")
            if line.startswith("xfrm_hc")]
    dmesg = sh("dmesg")
    res["unload"]["caches_left"] = left
    res["unload"]["not_freed"] = "not freed at unload" in dmesg
    log(f"unload: {res['unload']['seconds'][-1]:.2f} s, caches left {left}, "
        f"'not freed' in dmesg: {res['unload']['not_freed']}")


def boot_ms():
    """Now as tests/lib/stamped.py stamps lines."""
    return int(time.clock_gettime(time.CLOCK_BOOTTIME) * 1000)


class DeadWatch:
    """Reads the stamped monitor's output as it grows: when each peer was
    first reported dead (peer-down, or dead in a resync's dump)."""

    def __init__(self, path):
        self.path = path
        self.pos = 0
        self.dead = {}
        self.resyncs = 0

    def read(self):
        with open(self.path) as f:
            f.seek(self.pos)
            while True:
                line = f.readline()
                if not line.endswith("\n"):
                    break
                self.pos = f.tell()
                stamp, _, text = line.partition(" ")
                try:
                    ev = json.loads(text)
                except ValueError:
                    continue
                if ev.get("event") == "resync":
                    self.resyncs += 1
                p = ev.get("peer", {})
                if ev.get("event") == "peer-down" or \
                        (ev.get("event") == "peer-state" and
                         p.get("state") == "dead"):
                    self.dead.setdefault(p.get("remote"), int(stamp))


def part_failure(groups, args, res):
    fail = groups[2]
    peers = sum(g.count for g in groups)
    fail_remotes = set(many("remote", fail.first, fail.count).split())
    if os.path.exists("/sys/module/xfrm_hc"):
        unload()
    load(QUIET)
    wait_until(lambda: stat("peers") == peers, 600, 0.05)
    rule("interval 1s misses 3 mode idle", f"prio 15 remote {fail.prefix}")
    l0 = losses(groups)
    # Up first: each has answered a probe, and none is dead (the monitor
    # below reports changes only). Every 10 s, what the host did meanwhile:
    # deaths then are ours or the harness's, never the cut's.
    t_up = time.monotonic()
    last = (t_up, stats(), losses(groups), cpu_busy())
    while time.monotonic() - t_up < 240:
        time.sleep(10)
        now = (time.monotonic(), stats(), losses(groups), cpu_busy())
        dt = now[0] - last[0]
        d = {k: now[1].get(k, 0) - last[1].get(k, 0)
             for k in ("probes_sent", "probes_answered", "probes_shed")}
        lost = lost_delta(last[2], now[2])
        log(f"up +{now[0] - t_up:.0f} s: peers_dead {now[1].get('peers_dead')}"
            f"; a second: sent {d['probes_sent'] / dt:.0f}, answered "
            f"{d['probes_answered'] / dt:.0f}, shed "
            f"{d['probes_shed'] / dt:.0f}; CPU busy "
            f"{(now[3][0] - last[3][0]) / dt:.2f}, softirq "
            f"{(now[3][1] - last[3][1]) / dt:.2f} of {os.cpu_count()}; "
            f"lost {lost}")
        last = now
        if stat("probes_answered") >= 2 * fail.count and \
                stat("peers_dead") == 0 and now[0] - t_up >= 30:
            break
    if not wait_until(lambda: stat("peers_dead") == 0, 10):
        dump = json.loads(sh(f"{XHC} -n {A} -j peer show"))
        why = {}
        for p in dump:
            if p.get("state") == "dead":
                k = (p.get("reason"), p.get("probes_sent", 0) > 0)
                why[k] = why.get(k, 0) + 1
        log(f"failure: {stat('peers_dead')} dead before the cut: "
            f"(reason, probed): count {why}; packets lost while "
            f"probing: {lost_delta(l0, losses(groups))}")
    mon_out = tempfile.NamedTemporaryFile("w+", suffix=".mon", delete=False)
    errs = tempfile.TemporaryFile("w+")
    mon = subprocess.Popen([sys.executable,
                            os.path.join(TOP, "tests/lib/stamped.py"),
                            "ip", "netns", "exec", A, XHC, "-j", "monitor"],
                           stdout=mon_out, stderr=errs, preexec_fn=fair)
    daemon = subprocess.Popen(["ip", "netns", "exec", A, XHCD,
                               "--teardown", "--rate", str(args.rate)],
                              stdout=subprocess.DEVNULL, stderr=errs,
                              preexec_fn=fair)
    time.sleep(2)
    s0 = stats()
    before = sa_count()
    target = before - 2 * fail.count
    watch = DeadWatch(mon_out.name)
    # "Last deletion" is when the SA count reaches the target; each
    # peer's detection time is its monitor line's stamp minus the cut's.
    t0 = time.monotonic()
    cut_ms = boot_ms()
    sh(f"ip -n {fail.ns} link set wan down")
    down_at = None
    end = t0 + args.fail_timeout
    next_log = t0
    while time.monotonic() < end:
        if down_at is None and sa_count() <= target:
            down_at = time.monotonic() - t0
        watch.read()
        if time.monotonic() >= next_log:
            # The kernel's view beside the monitor's, to tell which lags.
            st = stats()
            log(f"failure +{time.monotonic() - t0:.0f} s: monitor "
                f"{len(set(watch.dead) & fail_remotes)} dead; module: "
                + ", ".join(f"{k} {st.get(k)}" for k in
                            ("peers", "peers_dead", "probes_sent",
                             "probes_shed", "late_ticks", "events_sent",
                             "events_dropped")))
            next_log += 10
            for name, p in (("monitor", mon), ("daemon", daemon)):
                if p.poll() is not None:
                    errs.seek(0)
                    sys.exit(f"scale: {name} exited with {p.returncode}: "
                             f"{errs.read().strip()}")
        if down_at is not None and \
                len(set(watch.dead) & fail_remotes) == fail.count:
            break
        time.sleep(0.5)
    time.sleep(2)
    watch.read()
    s1 = stats()
    daemon.terminate()
    mon.terminate()
    daemon.wait()
    mon.wait()
    detect = sorted((watch.dead[r] - cut_ms) / 1000
                    for r in set(watch.dead) & fail_remotes) or None
    res["failure"] = {"peers": fail.count,
                      "reported_dead": len(detect or ()),
                      "others_reported": len(set(watch.dead) -
                                             fail_remotes),
                      "detect_median_s": detect and pct(detect, 0.5),
                      "detect_p99_s": detect and pct(detect, 0.99),
                      "detect_last_s": detect[-1] if detect else None,
                      "resyncs": watch.resyncs, "rate": args.rate,
                      "sas_deleted": before - sa_count(),
                      "last_deletion_s": down_at,
                      "probes_sent": s1.get("probes_sent", 0) -
                      s0.get("probes_sent", 0),
                      "probes_shed": s1.get("probes_shed", 0) -
                      s0.get("probes_shed", 0),
                      "late_ticks": s1.get("late_ticks", 0) -
                      s0.get("late_ticks", 0),
                      "dead_before_cut": s0.get("peers_dead"),
                      # Dead now, or torn down: the kernel's own count.
                      "module_dead": s1.get("peers_dead", 0) +
                      s0.get("peers", 0) - s1.get("peers", 0)}
    fl = res["failure"]
    log(f"failure: module: {fl['module_dead']} dead or torn down, "
        f"{fl['dead_before_cut']} dead before the cut")
    log(f"failure: {fl['reported_dead']} of {fail.count} reported dead "
        f"({watch.resyncs} resyncs), after median "
        f"{fmt(fl['detect_median_s'])} p99 {fmt(fl['detect_p99_s'])} "
        f"last {fmt(fl['detect_last_s'])} s; {fl['sas_deleted']} SAs "
        f"deleted, the last after {fmt(down_at, '%.1f')} s at --rate "
        f"{args.rate}; probes sent {fl['probes_sent']}, shed "
        f"{fl['probes_shed']}, late ticks {fl['late_ticks']}")
    if fl["reported_dead"] < fail.count and args.json:
        # What the monitor printed and both listeners said, to find where
        # the missing went.
        keep = os.path.join(os.path.dirname(args.json), "monitor.out")
        shutil.copy(mon_out.name, keep)
        errs.seek(0)
        log(f"failure: monitor output kept in {keep}; stderr of monitor "
            f"and daemon: {errs.read().strip()[:2000]!r}")
    os.unlink(mon_out.name)


def fmt(v, f="%.2f"):
    return "-" if v is None else f % v


def mp(v):
    """Median and p99 of the values that were measured."""
    v = [x for x in v if x is not None]
    return (statistics.median(v), pct(v, 0.99)) if v else (None, None)


def rows_attach(res, args):
    at, mem = res["attach"], res["memory"]
    yield (f"attach cost, {at['sas']} SAs by ip -batch (with / without)",
           f"median {at['ratio_median']:.2f}, max {at['ratio_max']:.2f} "
           f"({args.attach_trials} trials)", "<= 1.10")
    yield ("memory per peer with its 2 SAs, all of it (slab + vmalloc + "
           "percpu delta)", f"{mem['per_peer_all']:.0f} B",
           "<= 256 + 2 x 64")
    yield ("struct sizes: peer / SA / tables and the rest, per peer",
           f"{mem['peer_slab_size']} / {mem['sa_slab_size']} / "
           f"{mem['other_per_peer']:.0f} B", "- / - / -")
    # The tables are the peers' (an SA has none): all of them go to the peer.
    yield ("memory per peer, its tables and the rest included / per SA",
           f"{mem['peer_slab_size'] + mem['other_per_peer']:.0f} / "
           f"{mem['sa_slab_size']} B", "<= 256 / <= 64")
    if mem.get("parts_per_peer"):
        yield ("where it is, per peer (slab pages with their waste, "
               "vmalloc, large kmalloc)",
               "; ".join(f"{k} {per:.1f} B"
                         for k, per in mem["parts_per_peer"]), "-")
    moves = res.get("update_in_place_s")
    if moves:
        yield (f"an SA updated in place with a new if_id, among {at['sas']}: "
               "until the module moved it",
               f"median {statistics.median(moves) * 1000:.0f} ms, max "
               f"{max(moves) * 1000:.0f} ms ({len(moves)} times)", "-")
    cc = res.get("config_changes")
    names = {("walk", "xfrm_hc_nl_rule_add"):
             "a walk of every SA (what each change below paid before)",
             ("defaults", "xfrm_hc_nl_defaults_set"): "defaults set",
             ("rule_1", "xfrm_hc_nl_rule_add"): "rule add, 1 peer",
             ("rule_1", "xfrm_hc_nl_rule_del"): "rule del, 1 peer",
             ("rule_all", "xfrm_hc_nl_rule_add"): "rule add, every peer",
             ("rule_all", "xfrm_hc_nl_rule_del"): "rule del, every peer"}
    for (op, fn), what in names.items() if cc else ():
        us = cc[op]["us"].get(fn)
        if us:
            yield (f"{what}, among {at['sas']} SAs: its request in the "
                   "kernel (function_graph)",
                   f"median {statistics.median(us) / 1000:.1f} ms, max "
                   f"{max(us) / 1000:.1f} ms ({len(us)} times)",
                   "-" if op == "walk" else
                   "<= 10 ms" if op != "rule_all" else
                   f"<= 2 x load ({2 * mem['load_s']:.1f} s)")
    walks = res.get("sweep_us")
    if walks:
        yield (f"the SA change work items meanwhile, each (function_graph, "
               f"{at['sas']} SAs)", f"median {statistics.median(walks) / 1000:.1f} ms, "
               f"max {max(walks) / 1000:.1f} ms ({len(walks)} runs)", "-")


def rows_probes(res, args):
    p, peers = res["probes_summary"], args.peers
    ra, rl = mp(p["ratio"]), mp(p["ratio_literal"])
    la, lf = mp(p["late_1s_p99_us"]), mp(p["late_100ms_p99_us"])
    lt, lft = mp(p["ticks_1s_p99_us"]), mp(p["ticks_100ms_p99_us"])
    yield ("probe CPU per probe, module / userspace echo (whole VM)",
           f"median {fmt(ra[0])}, p99 {fmt(ra[1])} (A "
           f"{fmt(mp(p['A_us'])[0], '%.0f')} us, B "
           f"{fmt(mp(p['B_us'])[0], '%.0f')} us)", "<= 0.5")
    yield ("the same as worded: module softirq / sender process",
           f"median {fmt(rl[0])}, p99 {fmt(rl[1])} (A "
           f"{fmt(mp(p['A_softirq_us'])[0], '%.0f')} us, B "
           f"{fmt(mp(p['B_process_us'])[0], '%.0f')} us)", "<= 0.5")
    yield (f"probes sent a second in A (asked: {peers}; probe_cpu_pct "
           f"{args.probe_cpu_pct}, probe_softirq_pct "
           f"{args.probe_softirq_pct})",
           f"median {fmt(mp(p['A_probes_per_s'])[0], '%.0f')}, shed "
           f"{fmt(mp(p['A_shed_per_s'])[0], '%.0f')}", "-")
    yield (f"timer lateness p99, {peers} peers at 1 s",
           f"median {fmt(la[0], '%.0f')} us, worst {fmt(la[1], '%.0f')} us",
           "<= 100000 us")
    yield (f"timer lateness p99, {args.fast} peers at 100 ms",
           f"median {fmt(lf[0], '%.0f')} us, worst {fmt(lf[1], '%.0f')} us",
           "<= 10000 us")
    yield ("the same, ticks only (idle peers in on-demand mode: no probes)",
           f"1 s: median {fmt(lt[0], '%.0f')} us, worst "
           f"{fmt(lt[1], '%.0f')} us; 100 ms: median {fmt(lft[0], '%.0f')}"
           f" us, worst {fmt(lft[1], '%.0f')} us", "-")


# Where a sample's CPU went, by the module's functions on its call chain
# (the v4/v6 hooks tail-call xfrm_hc_echo_rcv: it is the one seen),
# first match wins: the requester's check of an answer, the responder
# (a request's parse, rate limit and reply), the requester's send, and
# the rest of its ticks (planning, verdicts). ESP decryption is before
# the hook on both sides, so neither carries it; both carry encryption.
ECHO_ROLES = (("requester", ("xfrm_hc_probe_echo_answered",)),
              ("responder", ("xfrm_hc_echo_rcv", "xfrm_hc_echo_rcv4",
                             "xfrm_hc_echo_rcv6")),
              ("requester", ("xfrm_hc_probe_send",)),
              ("requester", ("xfrm_hc_wheel_run",)))
PERF_HZ = 250


def perf_roles(path):
    """Samples per role (ECHO_ROLES) in a perf.data, and in all."""
    out = subprocess.run(["perf", "script", "-i", path, "-F", "ip,sym"],
                         capture_output=True, text=True).stdout
    n = {"requester": 0, "responder": 0, "all": 0}
    for sample in out.split("\n\n"):
        syms = set(sample.split())
        if not syms:
            continue
        n["all"] += 1
        for role, fns in ECHO_ROLES:
            if syms.intersection(fns):
                n[role] += 1
                break
    return n


def part_echo(groups, args, res):
    """The echo at 50,000 peers. The fast group's tunnels are made anew
    without selectors of their own, as IKE daemons install them, so its
    peers have no ICMP target and probe by echo; their far gateways
    watch them too (a quiet rule), as a host running xfrm-hc does, and
    their responders answer. Alternating: Q quiet, E the group probing
    at 1 s, then perf sampling the whole VM under the same load: each side's
share of the CPU, over the rate E measured, is its CPU per echo (perf's
own start and end, tens of seconds under emulation, are outside E)."""
    fast = groups[1]
    far = Stats(fast.ns)
    fast_rule = f"prio 10 remote {fast.prefix}"

    def remake(*sel):
        for side, ns in (("a", A), ("b", fast.ns)):
            batch(ns, many(f"sas {side}", fast.count, fast.first, "--cmd",
                           "delete") +
                  many(f"sas {side}", fast.count, fast.first, *sel))

    remake("--no-sel")
    sh(f"{XHC} -n {fast.ns} rule add prio 20 remote {A_WAN}/32 "
       "interval 3600s mode idle")
    trials = []
    perf_data = os.path.join(os.environ.get("XHC_RUN", "/tmp"), "echo.perf")
    for t in range(args.trials):
        tr = {}
        rule(QUIET, fast_rule)
        settle(1)
        tr["Q"] = window(args, "EQ quiet", groups)
        rule("interval 1s misses 3 mode idle", fast_rule)
        # Discovery: a tick to find the addresses, one to ask; the first
        # answer makes a peer echo-capable.
        if t == 0:
            wait_until(lambda: far.get().get("echo_answered", 0) >=
                       fast.count, 120, 1)
        settle(5)
        f0, tf0 = far.get(), time.monotonic()
        tr["E"] = window(args, f"E {fast.count} peers by echo at 1 s",
                         groups)
        f1, tf1 = far.get(), time.monotonic()
        e = tr["E"]
        # The far side's counts span the window and its edges' reads.
        e["far_seconds"] = tf1 - tf0
        e["far_answered"] = (f1.get("echo_answered", 0) -
                             f0.get("echo_answered", 0))
        e["far_limited"] = (f1.get("echo_limited", 0) -
                            f0.get("echo_limited", 0))
        subprocess.run(["perf", "record", "-q", "-N", "-B", "-a", "-g", "-e",
                        "cpu-clock", "-F", str(PERF_HZ), "-o", perf_data,
                        "--", "sleep", str(args.window)], check=True,
                       capture_output=True, preexec_fn=fair)
        tr["perf"] = {"samples": perf_roles(perf_data),
                      "cpus": os.cpu_count(),
                      "sent_per_s": e["probes"] / e["seconds"],
                      "answered_per_s": e["far_answered"] / e["far_seconds"],
                      "limited_per_s": e["far_limited"] / e["far_seconds"]}
        log(f"E perf: {tr['perf']}")
        trials.append(tr)
    rule(QUIET, fast_rule)
    sh(f"{XHC} -n {A} rule del prio 10")
    sh(f"{XHC} -n {fast.ns} rule del prio 20")
    remake()
    res["echo"] = trials


def rows_echo(res, args):
    req, resp, ratio, whole = [], [], [], []
    for tr in res["echo"]:
        p, q, e = tr["perf"], tr["Q"], tr["E"]
        n = p["samples"]
        if n["all"] and p["sent_per_s"] and p["answered_per_s"]:
            # A role's share of all CPUs' samples is its CPU s a second.
            a = n["requester"] / n["all"] * p["cpus"] / p["sent_per_s"]
            b = n["responder"] / n["all"] * p["cpus"] / p["answered_per_s"]
            req.append(a * 1e6)
            resp.append(b * 1e6)
            ratio.append(b / a if a else None)
        whole.append(cpu_per(e, q, e["probes"]))
    r, a, b = mp(ratio), mp(req), mp(resp)
    last = res["echo"][-1]["perf"]
    yield (f"echo: responder / requester CPU per echo, {args.fast} peers "
           f"at 1 s among {args.peers} (perf)",
           f"median {fmt(r[0])}, p99 {fmt(r[1])} (requester "
           f"{fmt(a[0], '%.0f')} us, responder {fmt(b[0], '%.0f')} us; "
           f"last trial, a second: {last['sent_per_s']:.0f} sent, "
           f"{last['answered_per_s']:.0f} answered, "
           f"{last['limited_per_s']:.0f} limited)", "-")
    w = mp([x * 1e6 if x is not None else None for x in whole])
    yield ("echo: whole VM CPU per echo, both sides and ESP (E - Q)",
           f"median {fmt(w[0], '%.0f')} us, p99 {fmt(w[1], '%.0f')} us",
           "-")


def rows_busy(res, args):
    b, bi = res["busy"], args.busy_interval
    yield (f"probes with traffic on every tunnel ({bi} s interval, an echo "
           f"each {bi / 2:g} s), over {b['seconds']:.0f} s",
           f"{b['probes']} in {b['ticks']} ticks", "0")


def rows_datapath(res, args):
    dp, un = res["datapath"], res["unload"]
    yield (f"iperf3 monitored / unloaded ({len(dp['on_bps'])} rounds)",
           f"median {dp['ratio_median']:.3f}, min {dp['ratio_min']:.3f} "
           f"({statistics.median(dp['off_bps']) / 1e6:.0f} Mbit/s "
           "unloaded)", ">= 0.98")
    yield (f"unload with {un['sas']} SAs monitored",
           f"median {statistics.median(un['seconds']):.2f} s, max "
           f"{max(un['seconds']):.2f} s; caches left "
           f"{un['caches_left'] or 'none'}, leak reported "
           f"{un['not_freed']}", "<= 2 s, nothing left")


def rows_failure(res, args):
    fl = res["failure"]
    yield ("mass failure: peers reported dead by monitor",
           f"{fl['reported_dead']} of {fl['peers']} ({fl['resyncs']} "
           "resyncs)", "all")
    yield ("mass failure: dead or torn down as the module counts",
           f"{fl.get('module_dead')} ({fl.get('dead_before_cut')} dead "
           "before the cut)", "all")
    yield ("mass failure: cut to peer-down, median / p99 / last",
           f"{fmt(fl.get('detect_median_s'), '%.1f')} / "
           f"{fmt(fl.get('detect_p99_s'), '%.1f')} / "
           f"{fmt(fl.get('detect_last_s'), '%.1f')} s", "-")
    yield ("mass failure: probes sent / shed, late ticks, until then",
           f"{fl.get('probes_sent')} / {fl.get('probes_shed')}, "
           f"{fl.get('late_ticks')}", "-")
    yield (f"mass failure: SAs deleted by daemon --teardown --rate "
           f"{fl['rate']}, the last after",
           f"{fl['sas_deleted']}, {fmt(fl['last_deletion_s'], '%.1f')} s",
           f"{2 * fl['peers']}, -")


ROWS = {"attach": rows_attach, "probes": rows_probes, "echo": rows_echo,
        "busy": rows_busy,
        "datapath": rows_datapath, "failure": rows_failure}


def report(res, args):
    print(f"\n| kernel {os.uname().release} | measured | target |")
    print("| --- | --- | --- |")
    for part in args.parts:
        for row in ROWS[part](res, args):
            print("| %s | %s | %s |" % row)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", type=int, default=50000)
    ap.add_argument("--fast", type=int, default=5000)
    ap.add_argument("--fail", type=int, default=10000)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--attach-trials", type=int,
                    help="trials of the attach part; --trials if not given")
    ap.add_argument("--window", type=int, default=30)
    ap.add_argument("--parts",
                    default="attach,probes,echo,busy,datapath,failure",
                    help="which parts; attach always runs first")
    ap.add_argument("--rate", type=int, default=2000)
    ap.add_argument("--probe-cpu-pct", type=int, default=10)
    ap.add_argument("--probe-softirq-pct", type=int, default=75)
    ap.add_argument("--busy-interval", type=int, default=60)
    ap.add_argument("--fail-timeout", type=int, default=600)
    ap.add_argument("--iperf-rounds", type=int, default=5)
    ap.add_argument("--iperf-secs", type=int, default=10)
    ap.add_argument("--echo", required=True)
    ap.add_argument("--json")
    args = ap.parse_args()
    args.parts = args.parts.split(",")
    if args.attach_trials is None:
        args.attach_trials = args.trials
    if set(args.parts) - set(ROWS):
        sys.exit("scale: parts are " + ",".join(ROWS))
    if "attach" not in args.parts:
        args.parts.insert(0, "attach")
    groups = groups_for(args)
    res = {"kernel": os.uname().release, "args": vars(args)}
    t0 = time.monotonic()
    global MEM, PROBE_CPU_PCT, PROBE_SOFTIRQ_PCT
    # Past what the VM can carry, softirq takes every cycle and a normal
    # process barely runs: the benchmark itself runs real-time, so that it
    # can still end its windows and say so.
    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    MEM = MemWatch()
    PROBE_CPU_PCT = args.probe_cpu_pct
    PROBE_SOFTIRQ_PCT = args.probe_softirq_pct
    setup(groups)
    part_attach(groups, args, res)
    if "probes" in args.parts:
        part_probes(groups, args, res)
        summarize_probes(res)
    if "echo" in args.parts:
        part_echo(groups, args, res)
    if "busy" in args.parts:
        part_busy(groups, args, res)
    if "datapath" in args.parts:
        part_datapath(groups, args, res)
        unload_clean(res)
    if "failure" in args.parts:
        part_failure(groups, args, res)
    res["seconds"] = time.monotonic() - t0
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)
    report(res, args)
    log(f"scale: {res['seconds']:.0f} s in all")


if __name__ == "__main__":
    main()
