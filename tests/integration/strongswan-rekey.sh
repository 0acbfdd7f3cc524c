#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# strongSwan rekeys its CHILD_SAs every 10 s (and its IKE_SA every 25 s) on
# a busy tunnel and on an idle one, both watched by xfrm-hc at 100 ms /
# misses 3. Across 5 rekeys: no peer-down on either end, and the peer's SAs
# are the ones in the kernel, new SPIs included, old ones gone.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/strongswan.sh"

SS_BASE=$work/ss
REKEYS=5
declare -A NS_A NS_B

x() { "$XHC" -n "$@"; }
# CHILD_SAs A's charon has established so far, the first one included.
established() { grep -c 'CHILD_SA .* established with SPIs' "$SS_BASE/$1-a/charon.log" || true; }
rekeyed() { [ "$(established "$1")" -gt "$REKEYS" ]; }
peer_ok() { x "$1" -j peer show | jq -e ".[0] | $2"; }
# The peer's SPIs are exactly the SAs of its netns.
same_spis() { # NS
	local mine kern

	mine=$(x "$1" -j peer show | jq -r '.[].sas[].spi' | sort)
	kern=$(ip -n "$1" xfrm state | awk '$3 == "spi" { printf "0x%08x\n", $4 }' | sort)
	[ -n "$mine" ] && [ "$mine" = "$kern" ]
}

trap 'ss_stop_all; cleanup_all' EXIT
modprobe xfrm_hc

for t in busy idle; do
	NS_A[$t]=$ns_prefix-$t-a
	NS_B[$t]=$ns_prefix-$t-b
	ss_topo_v4 "${NS_A[$t]}" "${NS_B[$t]}"
	SS_A_CONN="dpd_delay = 30s
		rekey_time = 25s" SS_A_CHILD="rekey_time = 10s
				life_time = 15s
				rand_time = 0s" \
		ss_pair "$t" "${NS_A[$t]}" "${NS_B[$t]}" 192.0.2.1 192.0.2.2 \
		10.1.0.1/32 10.2.0.1/32
	check "$t: charon establishes the CHILD_SA" \
		ss_ctl "$SS_BASE/$t-a" --initiate --child "$t" --timeout 60
	x "${NS_A[$t]}" rule add interval 100ms misses 3 mode idle \
		probe-src 10.1.0.1 probe-dst 10.2.0.1
	bg "$XHC" -n "${NS_A[$t]}" -j monitor >"$work/mon-$t-a"
	bg "$XHC" -n "${NS_B[$t]}" -j monitor >"$work/mon-$t-b"
done
bg ip netns exec "${NS_A[busy]}" ping -q -i 0.05 -I 10.1.0.1 10.2.0.1 >"$work/ping" 2>&1
check "idle: the peer is up, probed" \
	wait_for 20 peer_ok "${NS_A[idle]}" '.state == "up" and .probes_answered > 0'
check "busy: the peer is up, from traffic" \
	wait_for 20 peer_ok "${NS_A[busy]}" '.state == "up" and .in_packets > 0'
probes=$(x "${NS_A[idle]}" -j peer show | jq '.[0].probes_answered // empty')
busy_probes=$(x "${NS_A[busy]}" -j peer show | jq '.[0].probes_sent // empty')
check "both of A's peers listed before the rekeys (busy '$busy_probes', idle '$probes')" \
	test -n "$busy_probes" -a -n "$probes"
probes=${probes:-0} busy_probes=${busy_probes:-0}

# 5 rekeys at 10 s take about 55 s; allow for a slow machine.
for t in busy idle; do
	check "$t: charon rekeyed the CHILD_SA $REKEYS times" wait_for 180 rekeyed "$t"
	echo "# $t: $(established "$t") CHILD_SAs established, the first included"
	grep -m3 'rekeying CHILD_SA\|rekeying IKE_SA\|IKE_SA .* rekeyed' \
		"$SS_BASE/$t-a/charon.log" | sed 's/^/# charon: /' || true
done
for t in busy idle; do
	for side in a b; do
		n=$(grep -c '"event":"peer-down"' "$work/mon-$t-$side" || true)
		check "$t: no peer-down on ${side^^} across the rekeys ($n)" test "$n" = 0
	done
	check "$t: A's peer is up" peer_ok "${NS_A[$t]}" '.state == "up"'
	check "$t: A's peer holds exactly the SAs in the kernel" \
		wait_for 10 same_spis "${NS_A[$t]}"
	check "$t: B's peer holds exactly the SAs in the kernel" \
		wait_for 10 same_spis "${NS_B[$t]}"
done
check "idle: probes were answered across the rekeys" \
	peer_ok "${NS_A[idle]}" ".probes_answered > $probes + 100"
# Traffic spares the busy peer its probes; on a loaded emulated machine a
# ping can come late enough for one, so allow 1 for every 20 of the idle's.
busy_now=$(x "${NS_A[busy]}" -j peer show | jq '.[0].probes_sent // empty')
idle_now=$(x "${NS_A[idle]}" -j peer show | jq '.[0].probes_answered // empty')
check "both of A's peers still listed (busy '$busy_now', idle '$idle_now')" \
	test -n "$busy_now" -a -n "$idle_now"
busy_n=$((${busy_now:-0} - busy_probes))
idle_n=$((${idle_now:-0} - probes))
echo "# probes across the rekeys: busy $busy_n, idle $idle_n"
check "busy: traffic spared A's peer its probes ($busy_n against $idle_n idle)" \
	test $((busy_n * 20)) -le "$idle_n"

tap_done
