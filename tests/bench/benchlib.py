# SPDX-License-Identifier: GPL-2.0
"""What the benchmarks share: shell, the event monitor, percentiles."""
import json
import os
import subprocess
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XHC = os.path.join(TOP, "tools/xfrm-hc/xfrm-hc")
XHCD = os.path.join(TOP, "tools/xfrm-hcd/xfrm-hcd")


def sh(cmd, check=True):
    return subprocess.run(cmd, shell=True, check=check, capture_output=True,
                          text=True).stdout


class Monitor:
    """xfrm-hc -j monitor in a netns, each line stamped when it is read."""

    def __init__(self, ns):
        self.p = subprocess.Popen(["ip", "netns", "exec", ns, XHC, "-j",
                                   "monitor"], stdout=subprocess.PIPE,
                                  text=True, bufsize=1)
        self.lock = threading.Lock()
        self.events = []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.p.stdout:
            now = time.monotonic_ns()
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                self.events.append((now, ev))

    def wait(self, kind, since, timeout, check=None):
        """The first event KIND (of health check CHECK) read after SINCE."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                for t, ev in self.events:
                    if (t >= since and ev.get("event") == kind and
                            (check is None or
                             ev.get("check", {}).get("name") == check)):
                        return t, ev
            time.sleep(0.005)
        return None, None


class Cutter:
    """A tc of a netns, started once, that runs each line it is sent: a
    benchmark starts its clock as it writes the cut's line, so tc's
    parsing and netlink request count, and a process's start-up (tens of
    ms under emulation, nothing to do with detection) does not."""

    def __init__(self, ns):
        self.p = subprocess.Popen(["tc", "-force", "-n", ns, "-batch", "-"],
                                  stdin=subprocess.PIPE, text=True)

    def send(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()


def cpu_busy_s():
    """CPU seconds the whole machine has been busy (/proc/stat)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    # user nice system idle iowait irq softirq steal
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def wait_until(pred, timeout, step=0.1):
    """Poll PRED until it holds (True) or TIMEOUT seconds pass (False)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return False


def pct(v, q):
    """The q-quantile of v, nearest rank."""
    v = sorted(v)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]
