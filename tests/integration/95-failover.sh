#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Failover between two route-based tunnels: a check with "action failover"
# on xfrm1 turns its carrier off when the tunnel to B is cut, the FIB
# (ignore_routes_with_linkdown) sends the service address through xfrm2 to
# C, and all comes back when B answers again. Deleting the check while it
# is down restores the carrier. Deleting the interface under a check does
# not hang.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
c=$ns_prefix-gw-c
GAP_PY=$top/tests/lib/gap.py

x() { "$XHC" -n "$a" "$@"; }
chk() { x -j check show name "$1" | jq -e ".[0] | $2"; }
link_cut() { pretty "$a" "tc qdisc add dev wanB root netem loss 100%"; tc -n "$a" qdisc add dev wanB root netem loss 100%; }
link_restore() { pretty "$a" "tc qdisc del dev wanB root"; tc -n "$a" qdisc del dev wanB root; }

modprobe xfrm_hc
xfrmi_gateways "$a" "$b" "$c"
bg ip netns exec "$b" python3 "$GAP_PY" serve 10.9.0.1 b
bg ip netns exec "$c" python3 "$GAP_PY" serve 10.9.0.1 c
bg "$XHC" -n "$a" -j monitor >"$work/events" 2>"$work/monitor.err"
check "the service is reached through xfrm1" service_via xfrm1

x check add name primary src 10.1.0.1 dst 10.2.0.1 dev xfrm1 \
	interval 100ms misses 3 up 3 action failover
x check add name backup src 10.1.0.1 dst 10.3.0.1 dev xfrm2 \
	interval 100ms action notify
check "primary goes up" wait_for 15 chk primary '.state == "up"'
check "backup goes up" wait_for 15 chk backup '.state == "up"'
check "primary reports its interface" chk primary \
	'.dev == "xfrm1" and .ifindex > 0 and .action == "failover"'
check "xfrm1 has its carrier" carrier
expect_fail "one failover check per interface" \
	'another check already fails over this interface' \
	x check add name second src 10.1.0.1 dst 10.2.0.1 dev xfrm1 action failover
x check add name watcher src 10.1.0.1 dst 10.2.0.1 dev xfrm1 interval 100ms
check "a notify check may share the interface" chk watcher '.dev == "xfrm1"'
expect_fail "nor may check set make it a second one" \
	'another check already fails over this interface' \
	x check set name watcher action failover
x check del name watcher

# Traffic to the service all along, to measure the gap.
bg ip netns exec "$a" python3 "$GAP_PY" measure 10.1.0.1 10.9.0.1 \
	--ready "$work/gap-ready" >"$work/gap.json"
gap_pid=${bg_pids[-1]}
check "the service answers" wait_for 15 test -e "$work/gap-ready"
sleep 0.5

seen=$(wc -l <"$work/events")
cut_at=$(date +%s%N)
link_cut
check "check-down for primary when its tunnel is cut" \
	wait_for 10 has_event_after "$seen" check-down primary
# (misses + 1) x interval for a check: 400 ms. detect_ms measured with
# four guests on the 2 host cores: 6.12 404 ms, 6.1 410 ms.
seen_ms=$(ms_since "$cut_at")
detect_check "primary's check-down" "$(event_after "$seen" check-down primary)" \
	"$seen_ms" $(( (3 + 1) * 100 ))
check "xfrm1 loses its carrier" wait_for 5 no_carrier
ip -n "$a" link show xfrm1 | head -n 1 | sed 's/^/#   /'
check "the service is now routed through xfrm2" wait_for 2 service_via xfrm2
check "the backup check stayed up" chk backup '.state == "up"'
check "the primary check keeps probing through the carrierless xfrm1" \
	chk primary '.send_errors == 0 and .probes_sent > .probes_answered'
sleep 1

seen=$(wc -l <"$work/events")
link_restore
check "check-up for primary once B answers again" \
	wait_for 10 has_event_after "$seen" check-up primary
check "xfrm1 gets its carrier back" wait_for 5 carrier
check "the service is routed through xfrm1 again" wait_for 2 service_via xfrm1
sleep 1
kill -TERM "$gap_pid"
wait "$gap_pid" 2>/dev/null || true
gap=$(cat "$work/gap.json")
echo "# gap: $(jq -c '{max_gap_ms, sent, answered, servers, gaps: [.gaps[] | {ms, before, after}]}' <<<"${gap:-null}")"
check "traffic moved to C and back to B" jq -e \
	'[.switches[] | .from + ">" + .to] == ["b>c", "c>b"]' <<<"${gap:-null}"
# The failover bench's target (docs/performance.md): (misses + 1) x
# interval + 50 ms = 450 ms, and twice that here. gap.py's own clock in
# the guest: 6.12 370, 6.1 407 ms with four guests on the 2 host cores; earlier
# runs on this host 340 to 611 ms over 14 runs.
gap_bound=$(( (3 + 1) * 100 + 50 ))
echo "# failover gap: $(jq -c '[.gaps[] | select(.before == "b" and .after == "c") | .ms]' <<<"${gap:-null}") ms; bound $gap_bound ms, limit $((gap_bound * 2)) ms"
check "one failover gap, within twice the bound" jq -e --argjson limit $((gap_bound * 2)) \
	'[.gaps[] | select(.before == "b" and .after == "c") | .ms] | length == 1 and .[0] <= $limit' \
	<<<"${gap:-null}"

# Deleting the check while down gives the carrier back.
seen=$(wc -l <"$work/events")
link_cut
check "down again" wait_for 10 has_event_after "$seen" check-down primary
check "no carrier again" wait_for 5 no_carrier
x check del name primary
check "deleting the check restores the carrier" wait_for 5 carrier
check "the backup check is untouched" chk backup '.state == "up"'
link_restore

# Deleting the interface under a check must not hang.
x check add name primary src 10.1.0.1 dst 10.2.0.1 dev xfrm1 \
	interval 100ms misses 3 up 3 action failover
check "primary goes up again" wait_for 15 chk primary '.state == "up"'
t0=$(date +%s%N)
pretty "$a" "ip link del xfrm1"
ip -n "$a" link del xfrm1 &
del_pid=$!
check "ip link del xfrm1 returns within 5 s" wait_for 5 bash -c "! kill -0 $del_pid"
echo "# ip link del took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
wait "$del_pid" 2>/dev/null && st=0 || st=$?
check "and succeeds" test "$st" = 0
check "xfrm1 is gone" bash -c "! ip -n $a link show xfrm1"
check "checks can still be listed" bash -c "'$XHC' -n $a -j check show >/dev/null"
x -j check show | jq -c '.[] | {name, dev, ifindex, state}' | sed 's/^/#   after link del: /'
check "no reference left waiting on xfrm1" bash -c \
	"! dmesg | grep -Eq 'waiting for xfrm1 to become free|WARNING:|BUG:'"
check "the backup check still works" chk backup '.state == "up"'
check "a check whose interface went names none" chk primary '(.dev // null) == null'
# A renamed interface is reported by its new name (a rename needs it down).
ip -n "$a" link set xfrm2 down
ip -n "$a" link set xfrm2 name tunc
ip -n "$a" link set tunc up
check "a renamed interface is shown by its new name" chk backup '.dev == "tunc"'
x check del name primary 2>/dev/null || true
x check del name backup
sed 's/^/#   event: /' "$work/events" | cut -c1-200
tap_done
