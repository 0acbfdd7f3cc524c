#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM: two gateways with a real ESP tunnel, the module
# watching it, a cut link, the peer-down event with its detection time,
# and the dead peer's SAs torn down by the service, "xfrm-hcd --teardown".
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/tunnel.sh"
xhc=$top/tools/xfrm-hc/xfrm-hc
a=demo-gw-a
b=demo-gw-b
work=$(mktemp -d)
cleanup() {
	kill $(jobs -p) 2>/dev/null || true
	ip netns del $a 2>/dev/null || true
	ip netns del $b 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "Kernel $(uname -r): load the module"
run modprobe xfrm_hc
run "$xhc" version

say "Two gateways and an ESP tunnel between them (SAs through XFRM netlink)"
esp_gateways $a $b
run ip -n $a xfrm state list
run ip netns exec $a ping -c 2 -i 0.2 -I 10.1.0.1 10.2.0.1

say "DPD is on by default; make it fast: 200 ms interval, 3 misses"
run "$xhc" -n $a defaults set interval 200ms misses 3
run "$xhc" -n $a defaults show

say "Busy traffic through the tunnel, an event stream, a teardown daemon"
ip netns exec $a ping -q -i 0.05 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1 &
"$xhc" -n $a monitor >"$work/events" &
"$top/tools/xfrm-hcd/xfrm-hcd" -n $a --teardown --rate 10 >"$work/daemon" &
sleep 2
run "$xhc" -n $a peer show

say "Cut the link (everything gateway a sends is lost)"
run tc -n $a qdisc add dev wan root netem loss 100%
cut=$(date +%s%N)
until grep -q peer-down "$work/events"; do sleep 0.05; done
seen=$(date +%s%N)
grep peer-down "$work/events"
printf 'seen by the tool %d ms after the cut; bound (3+1) x 200 ms x 1.1 = 880 ms\n' \
	$(( (seen - cut) / 1000000 ))

say "The daemon tore the dead peer's SAs down"
sleep 1
cat "$work/daemon"
run ip -n $a xfrm state list
run "$xhc" -n $a stats
