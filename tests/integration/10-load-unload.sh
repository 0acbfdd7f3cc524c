#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload the module 100 times: the genl family appears with the
# module and is gone after it, every time.
. "$(dirname "$0")/lib.sh"

modprobe -r xfrm_hc 2>/dev/null || true
check "module starts unloaded" bash -c '! [ -d /sys/module/xfrm_hc ]'

cycles=100
# Dependencies first: finit_module does not resolve them.
modprobe xfrm_hc && modprobe -r xfrm_hc
out=$(python3 "$top/tests/integration/load_cycles.py" \
	"$(modinfo -n xfrm_hc)" $cycles 2>&1) || true
if [ "$out" = ok ]; then
	ok "$cycles load/unload cycles: family appears and disappears each time"
else
	not_ok "$cycles load/unload cycles: $out"
fi

check "loaded module says hello in the kernel log" \
	bash -c 'dmesg | grep -q "xfrm_hc: version .* loaded"'
# A bad parameter at load is refused, with the reason in the kernel log.
bad_load() { # PARAM=VALUE
	! modprobe xfrm_hc "$1" 2>/dev/null &&
		! [ -d /sys/module/xfrm_hc ] &&
		dmesg | grep -q "invalid for parameter .${1%%=*}"
}
check "load with probe_cpu_pct=0 is refused, the kernel log says why" \
	bad_load probe_cpu_pct=0
check "load with probe_softirq_pct=101 is refused, the kernel log says why" \
	bad_load probe_softirq_pct=101
check "family is gone at the end" bash -c '! genl ctrl list | grep -q "Name: xfrm_hc$"'
tap_done
