#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""stamped.py CMD [ARGS...]: run CMD and print each line of its output
prefixed with the ms since boot when it was read (as /proc/uptime counts,
so a shell can compare). SIGTERM ends CMD too."""
import signal
import subprocess
import sys
import time

p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True, bufsize=1)


def stop(*_):
    p.terminate()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
for line in p.stdout:
    ms = int(time.clock_gettime(time.CLOCK_BOOTTIME) * 1000)
    sys.stdout.write(f"{ms} {line}")
    sys.stdout.flush()
