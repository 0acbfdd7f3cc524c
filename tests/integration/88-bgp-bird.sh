#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BGP over route-based IPsec with Debian's BIRD 2 on A (FRR's bgpd on B and
# C, as in 87-bgp-frr): A's sessions to B through xfrm1 and to C through
# xfrm2 have "check link yes", so when the check with "action failover"
# drops xfrm1's carrier BIRD shuts the session to B down at once and its
# routes go; A's kernel FIB then routes the service through xfrm2. When
# the check is up again, the carrier comes back, BIRD restarts the session
# and B's routes return.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"
. "$top/tests/lib/bgp.sh"

a=$ns_prefix-bird-a
b=$ns_prefix-bird-b
c=$ns_prefix-bird-c
GAP_PY=$top/tests/lib/gap.py
rt=$work/rt

x() { "$XHC" -n "$a" "$@"; }
chk() { x -j check show name "$1" | jq -e ".[0] | $2"; }
# "BGP state:" of BIRD's protocol b or c on A.
bird_state() { birdc_in "$a" "$rt/a" show protocols all "$1" | awk '$1 == "BGP" && $2 == "state:" { print $3 }'; }
state_is() { [ "$(bird_state "$1")" = "$2" ]; }
state_not() { [ "$(bird_state "$1")" != "$2" ]; }
# The protocols BIRD has a route to the service from, the best first.
bird_paths() {
	birdc_in "$a" "$rt/a" show route 10.9.0.0/24 |
		awk '/unicast \[/ { p = $0; sub(/.*unicast \[/, "", p); sub(/[ \]].*/, "", p)
			if ($0 ~ /\] \*/) best = p; else rest = rest " " p }
			END { print best rest }'
}
paths_are() { [ "$(bird_paths)" = "$1" ]; }
fib_is() { [ "$(fib_devs "$a" 10.9.0.0/24)" = "$1" ]; }
far_session_gone() { [ "$(frr_session "$b" "$rt/b" 10.1.0.5)" != Established ]; }
cleanup_rt() {
	bird_stop "$rt/a"
	frr_stop "$rt/b"
	frr_stop "$rt/c"
	cleanup_all
}
trap cleanup_rt EXIT

bird_a_conf() { # DIR
	cat <<-EOF
	log "$1/bird.log" all;
	router id 10.1.0.1;
	protocol device { scan time 10; }
	protocol kernel { ipv4 { import none; export all; }; }
	template bgp tunnel {
		local as 65001;
		check link yes;
		hold time 9; keepalive time 3;
		connect retry time 1; connect delay time 1;
		error wait time 1, 5;
	}
	protocol bgp b from tunnel {
		source address 10.1.0.5;
		neighbor 10.2.0.1 as 65002;
		ipv4 { import all; export none; };
	}
	protocol bgp c from tunnel {
		source address 10.1.0.6;
		neighbor 10.3.0.1 as 65003;
		ipv4 { import filter { bgp_local_pref = 50; accept; }; export none; };
	}
	EOF
}

modprobe xfrm_hc
bgp_gateways "$a" "$b" "$c"
for r in a b c; do mkdir -p "$rt/$r"; done
bird_a_conf "$rt/a" >"$rt/a/bird.conf"
for r in b c; do echo "log file $rt/$r/zebra.log" >"$rt/$r/zebra.conf"; done
frr_bgp_conf 65002 10.2.0.1 "$rt/b/bgpd.log" "network 10.9.0.0/24" -- \
	10.1.0.5:65001:multihop >"$rt/b/bgpd.conf"
frr_bgp_conf 65003 10.3.0.1 "$rt/c/bgpd.log" "network 10.9.0.0/24" -- \
	10.1.0.6:65001:multihop >"$rt/c/bgpd.conf"
start_far() { frr_start "$b" "$rt/b" zebra bgpd && frr_start "$c" "$rt/c" zebra bgpd; }
check "FRR starts in B and C" start_far
check "BIRD starts in A" bird_start "$a" "$rt/a"
bg ip netns exec "$b" python3 "$GAP_PY" serve 10.9.0.1 b
bg ip netns exec "$c" python3 "$GAP_PY" serve 10.9.0.1 c
bg "$XHC" -n "$a" -j monitor >"$work/events" 2>"$work/monitor.err"

# A timeout of 3 intervals and 5 misses: emulation delays some answers
# past one, and a flap before the cut would spoil the traffic record.
x check add name primary src 10.1.0.1 dst 10.2.0.1 dev xfrm1 \
	interval 100ms timeout 300ms misses 5 up 3 action failover
check "the check goes up" wait_for 15 chk primary '.state == "up"'
check "BIRD's session with B is established through xfrm1" \
	wait_for 60 state_is b Established
check "BIRD's session with C is established through xfrm2" \
	wait_for 60 state_is c Established
check "BIRD has both routes, B's the best" wait_for 30 paths_are "b c"
check "BIRD's kernel protocol installed B's route" wait_for 10 fib_is xfrm1
ip -n "$a" route show 10.9.0.0/24 | sed 's/^/#   /'
check "the service is reached through xfrm1" service_via xfrm1

bg ip netns exec "$a" python3 "$GAP_PY" measure 10.1.0.1 10.9.0.1 \
	--ready "$work/gap-ready" >"$work/gap.json"
gap_pid=${bg_pids[-1]}
check "the service answers" wait_for 15 test -e "$work/gap-ready"
sleep 1

seen=$(wc -l <"$work/events")
pretty "$a" "tc qdisc add dev wanB root netem loss 100%"
tc -n "$a" qdisc add dev wanB root netem loss 100%
check "check-down when B's underlay is cut" \
	wait_for 15 has_event_after "$seen" check-down primary
check "xfrm1 loses its carrier" wait_for 5 no_carrier
check "BIRD shuts the session with B down (check link)" wait_for 10 state_not b Established
birdc_in "$a" "$rt/a" show protocols all b | grep -E 'BGP state|Last error' | sed 's/^/#   /'
check "BIRD says why: the link went down" bash -c \
	"ip netns exec '$a' birdc -s '$rt/a/bird.ctl' show protocols all b | grep -q 'Last error:.*Link down'"
check "B's route is withdrawn: only C's is left" wait_for 10 paths_are c
check "A's kernel FIB routes the service through xfrm2 only" wait_for 10 fib_is xfrm2
check "the service is routed through xfrm2" service_via xfrm2
check "the session with C stayed up" state_is c Established
check "B's side of the session times out (hold time 9 s)" wait_for 30 far_session_gone
sleep 1

seen=$(wc -l <"$work/events")
pretty "$a" "tc qdisc del dev wanB root"
tc -n "$a" qdisc del dev wanB root
check "check-up once B answers again" \
	wait_for 15 has_event_after "$seen" check-up primary
check "xfrm1 gets its carrier back" wait_for 5 carrier
check "BIRD restarts the session with B" wait_for 60 state_is b Established
check "B's route is back and the best" wait_for 30 paths_are "b c"
check "the kernel FIB routes the service through xfrm1 again" wait_for 10 fib_is xfrm1
sleep 1
kill -TERM "$gap_pid"
wait "$gap_pid" 2>/dev/null || true
gap=$(cat "$work/gap.json")
echo "# gap: $(jq -c '{max_gap_ms, sent, answered, lost, servers, switches: [.switches[] | {from, to, gap_ms}], gaps: [.gaps[] | {ms, before, after}]}' <<<"${gap:-null}")"
check "traffic moved from B to C and back to B, nothing else" jq -e \
	'[.switches[] | .from + ">" + .to] == ["b>c", "c>b"]' <<<"${gap:-null}"
check "the failover gap is below 5000 ms" jq -e \
	'[.switches[] | select(.from == "b" and .to == "c") | .gap_ms] | .[0] < 5000' \
	<<<"${gap:-null}"
check "no hole while BGP comes back: C answers until B does (gap < 1000 ms)" \
	jq -e '[.switches[] | select(.from == "c" and .to == "b") | .gap_ms] | .[0] < 1000' \
	<<<"${gap:-null}"
x check del name primary
tap_done
