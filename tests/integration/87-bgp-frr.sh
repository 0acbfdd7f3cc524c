#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BGP over route-based IPsec with Debian's FRR: A has tunnels to B (xfrm1)
# and C (xfrm2), eBGP over each, B and C announce the service 10.9.0.0/24
# and A prefers B. A check with "action failover" on xfrm1 drops its
# carrier when B's underlay is cut: zebra sees xfrm1 go down, bgpd resets
# the session at once (fast-external-failover) and A's traffic to the
# service moves to C. Restored, xfrm1 gets its carrier back only once the
# check is up, and traffic returns to B without a hole while the session
# comes back (C's route stays until B's is better).
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"
. "$top/tests/lib/bgp.sh"

a=$ns_prefix-bgp-a
b=$ns_prefix-bgp-b
c=$ns_prefix-bgp-c
GAP_PY=$top/tests/lib/gap.py
frr=$work/frr

x() { "$XHC" -n "$a" "$@"; }
chk() { x -j check show name "$1" | jq -e ".[0] | $2"; }
session() { [ "$(frr_session "$a" "$frr/a" "$1")" = "$2" ]; }
session_gone() { ! session "$1" Established; }
far_session_gone() { [ "$(frr_session "$1" "$frr/$2" "$3")" != Established ]; }
# The next hops A's BGP table has for the service, best first.
bgp_paths() {
	frr_vtysh "$a" "$frr/a" "show bgp ipv4 unicast 10.9.0.0/24 json" |
		jq -r '[.paths // [] | sort_by(if .bestpath.overall then 0 else 1 end)
			| .[] | .nexthops[0].ip] | join(" ")'
}
paths_are() { [ "$(bgp_paths)" = "$1" ]; }
fib_is() { [ "$(fib_devs "$a" 10.9.0.0/24)" = "$1" ]; }
cleanup_frr() {
	local r
	for r in a b c; do frr_stop "$frr/$r"; done
	cleanup_all
}
trap cleanup_frr EXIT

modprobe xfrm_hc
bgp_gateways "$a" "$b" "$c"
check "FRR starts in the three namespaces" frr_gateways "$a" "$b" "$c" "$frr"
bg ip netns exec "$b" python3 "$GAP_PY" serve 10.9.0.1 b
bg ip netns exec "$c" python3 "$GAP_PY" serve 10.9.0.1 c
bg ip netns exec "$a" python3 "$top/tests/lib/stamped.py" "$XHC" -j monitor \
	>"$work/events" 2>"$work/monitor.err"
stamp_of() { # N KIND NAME: when the first such event after line N was read
	tail -n +$(($1 + 1)) "$work/events" | while read -r ms ev; do
		jq -e --arg k "$2" --arg n "$3" \
			'.event == $k and .check.name == $n' <<<"$ev" >/dev/null 2>&1 &&
			{ echo "$ms"; break; }
	done
}
reset_reason() { # NEIGHBOR
	frr_vtysh "$a" "$frr/a" "show bgp neighbors $1 json" |
		jq -c --arg n "$1" '.[$n] | {bgpState, lastResetDueTo, lastResetTimerMsecs, connectionsEstablished, connectionsDropped}'
}

# A timeout of 3 intervals and 5 misses: software emulation with other
# guests on the host delays some answers past one interval, and a flap
# before the cut would spoil the traffic record. The speed is the bench's
# (tests/bench/bgp-failover, 100 ms x 3); this test is about routing.
x check add name primary src 10.1.0.1 dst 10.2.0.1 dev xfrm1 \
	interval 100ms timeout 300ms misses 5 up 3 action failover
check "the check goes up" wait_for 15 chk primary '.state == "up"'
check "A's session with B is established through xfrm1" \
	wait_for 60 session 10.2.0.1 Established
check "A's session with C is established through xfrm2" \
	wait_for 60 session 10.3.0.1 Established
check "A's BGP table has both paths, B's the best" \
	wait_for 30 paths_are "10.2.0.1 10.3.0.1"
check "zebra installed B's route in the kernel" wait_for 10 fib_is xfrm1
ip -n "$a" route show 10.9.0.0/24 | sed 's/^/#   /'
check "the service is reached through xfrm1" service_via xfrm1

bg ip netns exec "$a" python3 "$GAP_PY" measure 10.1.0.1 10.9.0.1 \
	--ready "$work/gap-ready" >"$work/gap.json"
gap_pid=${bg_pids[-1]}
check "the service answers" wait_for 15 test -e "$work/gap-ready"
sleep 1

echo "# before the cut: B $(reset_reason 10.2.0.1), C $(reset_reason 10.3.0.1)"
seen=$(wc -l <"$work/events")
pretty "$a" "tc qdisc add dev wanB root netem loss 100%"
tc -n "$a" qdisc add dev wanB root netem loss 100%
check "check-down when B's underlay is cut" \
	wait_for 15 has_event_after "$seen" check-down primary
check "xfrm1 loses its carrier" wait_for 5 no_carrier
check "bgpd resets the session with B at once" \
	wait_for 10 session_gone 10.2.0.1
# Why bgpd reset it: the interface going down ends it at once, as zebra's
# interface or next-hop update ("Interface down", "Waiting for NHT"); the
# hold time (9 s) would say "Hold Timer Expired". bgpd's own clock of the
# reset (lastResetTimerMsecs) counts whole seconds: not a measure here.
why=$(reset_reason 10.2.0.1)
echo "# session with B: $why"
check "bgpd reset it because xfrm1 went down, not on its hold time" \
	jq -e '.lastResetDueTo | test("Interface down|Waiting for NHT")' <<<"$why"
check "A's BGP table keeps only C's path" wait_for 10 paths_are 10.3.0.1
check "A's kernel FIB routes the service through xfrm2 only" wait_for 10 fib_is xfrm2
check "the service is routed through xfrm2" service_via xfrm2
check "the session with C stayed up" session 10.3.0.1 Established
# B keeps its session until its hold time (9 s) ends: wait for that, so
# that the session comes back by a clean reconnect.
check "B's side of the session times out" \
	wait_for 30 far_session_gone "$b" b 10.1.0.5
sleep 1

seen=$(wc -l <"$work/events")
pretty "$a" "tc qdisc del dev wanB root"
tc -n "$a" qdisc del dev wanB root
check "check-up once B answers again" \
	wait_for 15 has_event_after "$seen" check-up primary
up_ev=$(event_after "$seen" check-up primary)
up_ms=$(stamp_of "$seen" check-up primary)
check "xfrm1 gets its carrier back" wait_for 5 carrier
check "the session with B comes back" wait_for 60 session 10.2.0.1 Established
check "B's path is the best again" wait_for 30 paths_are "10.2.0.1 10.3.0.1"
check "the kernel FIB routes the service through xfrm1 again" wait_for 10 fib_is xfrm1
sleep 1
kill -TERM "$gap_pid"
wait "$gap_pid" 2>/dev/null || true
gap=$(cat "$work/gap.json")
echo "# check-up event: $up_ev"
echo "# gap: $(jq -c '{max_gap_ms, sent, answered, lost, servers, switches: [.switches[] | {from, to, gap_ms, at_mono}], gaps: [.gaps[] | {ms, from_mono, before, after}]}' <<<"${gap:-null}")"
echo "# check-up read at $up_ms ms (CLOCK_BOOTTIME)"
check "traffic moved from B to C and back to B, nothing else" jq -e \
	'[.switches[] | .from + ">" + .to] == ["b>c", "c>b"]' <<<"${gap:-null}"
check "the failover gap is below 5000 ms" jq -e \
	'[.switches[] | select(.from == "b" and .to == "c") | .gap_ms] | .[0] < 5000' \
	<<<"${gap:-null}"
# Nothing reaches B before the check is up: the carrier is off until then.
# up_ms is when the monitor's line was read, a little after the event.
check "traffic returns to B only after the check is up" jq -e \
	--argjson up "${up_ms:-0}" \
	'[.switches[] | select(.to == "b") | .at_mono * 1000] | length == 1 and .[0] > $up - 200' \
	<<<"${gap:-null}"
check "no hole while BGP comes back: C answers until B does (gap < 1000 ms)" \
	jq -e '[.switches[] | select(.from == "c" and .to == "b") | .gap_ms] | .[0] < 1000' \
	<<<"${gap:-null}"
check "no other hole in the service (every gap but the failover < 1000 ms)" \
	jq -e '[.gaps[] | select(.before != "b" or .after != "c") | .ms] | all(. < 1000)' \
	<<<"${gap:-null}"
x check del name primary
tap_done
