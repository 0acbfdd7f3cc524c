#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload the module 100 times: the genl family appears with the
# module and is gone after it, every time.
. "$(dirname "$0")/lib.sh"

modprobe -r xfrm_hc 2>/dev/null || true
check "module starts unloaded" bash -c '! [ -d /sys/module/xfrm_hc ]'

cycles=100
bad=""
for i in $(seq $cycles); do
	modprobe xfrm_hc || { bad="modprobe failed in cycle $i"; break; }
	family_registered || { bad="family missing after load $i"; break; }
	modprobe -r xfrm_hc || { bad="modprobe -r failed in cycle $i"; break; }
	! family_registered || { bad="family left after unload $i"; break; }
	! module_loaded || { bad="module still present after unload $i"; break; }
done
if [ -z "$bad" ]; then
	ok "$cycles load/unload cycles: family appears and disappears each time"
else
	not_ok "$cycles load/unload cycles: $bad"
fi

check "loaded module says hello in the kernel log" \
	bash -c 'dmesg | grep -q "xfrm_hc: version .* loaded"'
check "family is gone at the end" bash -c '! genl ctrl list | grep -q "Name: xfrm_hc$"'
tap_done
