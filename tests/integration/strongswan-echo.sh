#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Zero-configuration active DPD with real strongSwan tunnels: charon on
# both sides, the module loaded on both, no xfrm-hc configuration at all
# (the default rule: 1 s, 3 misses, on-demand, notify). charon installs
# tunnel-mode SAs with wildcard selectors; the echo finds its addresses in
# the policies. For each tunnel, idle: the peer is probed by echo, and a
# cut gives peer-down for probe timeout within the bound.
#   v4      host-to-host /32 selectors
#   transit subnet-to-subnet, neither gateway owning an address in either
#   xfrmi   route-based on both sides, XFRM interfaces, 0.0.0.0/0 selectors
#   v6      IPv6 inside and out
#   nat     A behind a masquerading NAT: ESP in UDP
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/strongswan.sh"

# The default profile: interval 1 s, misses 3, jitter 10 %.
BOUND_MS=$(((3 + 1) * 1000 * 110 / 100))
# Tests check generous bounds only (emulated CPU); the benchmark measures.
SLACK_MS=3000
SS_BASE=$work/ss
ss=$SS_BASE

declare -A NS_A NS_B WAN
uptime_ms() { local u; read -r u _ </proc/uptime; echo $((10#${u/./} * 10)); }
peer_ok() { "$XHC" -n "${NS_A[$1]}" -j peer show | jq -e ".[0] | $2"; }

# Cut A's WAN; print the ms from before the cut to peer-down, or fail.
cut_until_down() { # T
	local t=$1 t0 line

	t0=$(uptime_ms)
	tc -n "${NS_A[$t]}" qdisc replace dev "${WAN[$t]}" root netem loss 100%
	wait_for 20 grep -q '"event":"peer-down"' "$work/mon-$t" || return 1
	line=$(grep -m1 '"event":"peer-down"' "$work/mon-$t")
	echo $((${line%% *} - t0))
}

echo_case() { # T
	local t=$1 ms ev

	check "$t: charon establishes the CHILD_SA" \
		ss_ctl "$ss/$t-a" --initiate --child "$t" --timeout 60
	check "$t: the idle tunnel is probed by echo, nothing configured" \
		wait_for 30 peer_ok "$t" '.probe == "echo" and .probes_answered >= 2 and .state == "up"'
	check "$t: the default rule watches it" \
		peer_ok "$t" '.profile.action == "notify" and (has("rule_prio") | not)'
	: >"$work/mon-$t"
	bg python3 "$top/tests/lib/stamped.py" ip netns exec "${NS_A[$t]}" \
		"$XHC" -j monitor >>"$work/mon-$t"
	sleep 2
	if ms=$(cut_until_down "$t"); then
		echo "# $t: peer-down $ms ms after the cut (bound $BOUND_MS ms)"
		check "$t: peer-down within the bound" \
			test "$ms" -le $((BOUND_MS + SLACK_MS))
		ev=$(grep -m1 '"event":"peer-down"' "$work/mon-$t")
		check "$t: the reason is probe timeout, the probe the echo" \
			jq -e '.peer.reason == "probe-timeout" and .peer.probe == "echo"' \
			<<<"${ev#* }"
	else
		not_ok "$t: peer-down after the cut"
	fi
	tc -n "${NS_A[$t]}" qdisc del dev "${WAN[$t]}" root
	check "$t: up again once the link is back" \
		wait_for 20 peer_ok "$t" '.state == "up"'
}

trap 'ss_stop_all; cleanup_all' EXIT
modprobe xfrm_hc

NS_A[v4]=$ns_prefix-ev4a NS_B[v4]=$ns_prefix-ev4b WAN[v4]=wan
ss_topo_v4 "${NS_A[v4]}" "${NS_B[v4]}"
ss_pair v4 "${NS_A[v4]}" "${NS_B[v4]}" 192.0.2.1 192.0.2.2 10.1.0.1/32 10.2.0.1/32
echo_case v4

# Transit: the selectors are subnets neither gateway has an address in;
# the routes only let the policies pick the traffic up.
NS_A[transit]=$ns_prefix-etra NS_B[transit]=$ns_prefix-etrb WAN[transit]=wan
ss_veth_pair "${NS_A[transit]}" "${NS_B[transit]}"
ip -n "${NS_A[transit]}" addr add 192.0.2.1/24 dev wan
ip -n "${NS_B[transit]}" addr add 192.0.2.2/24 dev wan
ip -n "${NS_A[transit]}" route add 10.12.0.0/24 dev wan
ip -n "${NS_B[transit]}" route add 10.11.0.0/24 dev wan
ss_pair transit "${NS_A[transit]}" "${NS_B[transit]}" 192.0.2.1 192.0.2.2 \
	10.11.0.0/24 10.12.0.0/24
echo_case transit
check "transit: neither gateway owns an address inside the selectors" \
	bash -c "! ip -n ${NS_A[transit]} addr | grep -q 'inet 10\.1[12]\.' &&
		! ip -n ${NS_B[transit]} addr | grep -q 'inet 10\.1[12]\.'"

# Route-based on both sides: XFRM interfaces (if_id 1), 0.0.0.0/0.
NS_A[xfrmi]=$ns_prefix-exia NS_B[xfrmi]=$ns_prefix-exib WAN[xfrmi]=wan
ss_topo_v4 "${NS_A[xfrmi]}" "${NS_B[xfrmi]}"
for ns in "${NS_A[xfrmi]}" "${NS_B[xfrmi]}"; do
	ip -n "$ns" link add xfrm1 type xfrm if_id 1
	ip -n "$ns" link set xfrm1 up
done
ip -n "${NS_A[xfrmi]}" route replace 10.2.0.1/32 dev xfrm1 src 10.1.0.1
ip -n "${NS_B[xfrmi]}" route replace 10.1.0.1/32 dev xfrm1 src 10.2.0.1
SS_A_CHILD="if_id_in = 1
				if_id_out = 1" SS_B_CHILD="if_id_in = 1
				if_id_out = 1" ss_pair xfrmi "${NS_A[xfrmi]}" "${NS_B[xfrmi]}" \
	192.0.2.1 192.0.2.2 0.0.0.0/0 0.0.0.0/0
echo_case xfrmi
check "xfrmi: the peer is route-based" peer_ok xfrmi '.if_id == 1'

NS_A[v6]=$ns_prefix-ev6a NS_B[v6]=$ns_prefix-ev6b WAN[v6]=wan
ss_topo_v6 "${NS_A[v6]}" "${NS_B[v6]}"
ss_pair v6 "${NS_A[v6]}" "${NS_B[v6]}" 2001:db8::1 2001:db8::2 fd00:1::1/128 fd00:2::1/128
echo_case v6

NS_A[nat]=$ns_prefix-enata NS_B[nat]=$ns_prefix-enatb WAN[nat]=wan
ss_topo_nat "${NS_A[nat]}" "${NS_B[nat]}" "$ns_prefix-enatn"
ss_pair nat "${NS_A[nat]}" "${NS_B[nat]}" 10.0.0.2 203.0.113.2 10.1.0.1/32 10.2.0.1/32
echo_case nat
check "nat: the peer's ESP is in UDP" peer_ok nat '.encap_sport == 4500'

tap_done
