#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM: the module loads, follows a real ESP tunnel's
# SAs, and answers the tool. Grows into the live failure demo with DPD.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/tunnel.sh"
xhc=$top/tools/xfrm-hc/xfrm-hc
a=demo-gw-a
b=demo-gw-b
trap 'ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null; true' EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "Kernel $(uname -r); load the module"
run modprobe xfrm_hc
run "$xhc" version

say "Two gateways, an ESP tunnel between them (real SAs through XFRM netlink)"
esp_gateways $a $b
run ip -n $a xfrm state
run ip netns exec $a ping -c 3 -i 0.2 -I 10.1.0.1 10.2.0.1

say "The module saw each SA in its own namespace"
run "$xhc" -n $a version
run "$xhc" -j -p -n $b version

say "Delete the tunnel's SAs: the module hears that too"
run ip -n $a xfrm state flush
run "$xhc" -n $a version
