#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The echo responder answers requests that come through an SA no peer of
# ours holds (here B's rule leaves A's tunnel out), so that the far side,
# which does watch the tunnel, does not call it dead for echoes we drop.
# Those answers share one echo_rate a second in the namespace.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
rate=/sys/module/xfrm_hc/parameters/echo_rate

peer_of() { "$XHC" -n "$1" -j peer show | jq -e ".[0] | $2"; }
stat_of() { "$XHC" -n "$1" -j stats | jq -r ".$2"; }
no_peers() { "$XHC" -n "$1" -j peer show | jq -e 'length == 0'; }

modprobe xfrm_hc
esp_gateways "$a" "$b"
for ns in "$a" "$b"; do
	"$XHC" -n "$ns" defaults set interval 100ms misses 3
done
check "A probes B by echo, B answering as its peer" \
	wait_for 30 peer_of "$a" '.probe == "echo" and .state == "up" and .probes_answered >= 3'

# B stops watching the tunnel: a rule for other peers only. Its echo
# hooks stay, as they would for its other tunnels.
bg "$XHC" -n "$a" -j monitor >"$work/events" 2>"$work/monitor.err"
"$XHC" -n "$b" rule add prio 10 remote 198.51.100.0/24
check "B's rule leaves the tunnel to A out: B has no peer" wait_for 10 no_peers "$b"
answered=$(stat_of "$b" echo_answered)
limited=$(stat_of "$b" echo_limited)
probes=$("$XHC" -n "$a" -j peer show | jq '.[0].probes_answered')
sleep 4
now_answered=$(stat_of "$b" echo_answered)
now_limited=$(stat_of "$b" echo_limited)
now_probes=$("$XHC" -n "$a" -j peer show | jq '.[0].probes_answered')
echo "# in 4 s B answered $((now_answered - answered)) and refused $((now_limited - limited)); A counted $((now_probes - probes)) answers"
check "B answers A's echoes through the SA no peer of its holds" \
	test $((now_answered - answered)) -ge 5
check "and refuses none: within echo_rate" test "$now_limited" = "$limited"
check "A counts the answers" test $((now_probes - probes)) -ge 5
check "A's peer stays up" peer_of "$a" '.state == "up" and .probe == "echo"'
check "A saw no peer-down" bash -c "! grep -q '\"peer-down\"' '$work/events'"

# One echo_rate a second for all of the namespace's peerless SAs: at 2,
# most of A's 10 a second are refused.
old_rate=$(cat "$rate")
echo 2 >"$rate"
answered=$(stat_of "$b" echo_answered)
limited=$(stat_of "$b" echo_limited)
t0=$(date +%s%N)
sleep 4
now_answered=$(stat_of "$b" echo_answered)
now_limited=$(stat_of "$b" echo_limited)
secs=$(( ($(date +%s%N) - t0 + 999999999) / 1000000000 ))
echo "$old_rate" >"$rate"
echo "# echo_rate 2: in $secs s B answered $((now_answered - answered)) and refused $((now_limited - limited))"
check "echo_rate 2: at most 2 answers a second" \
	test $((now_answered - answered)) -le $((2 * (secs + 1)))
check "echo_rate 2: answers still go" test $((now_answered - answered)) -ge 2
check "echo_rate 2: the rest are refused as echo_limited" \
	test $((now_limited - limited)) -ge 3
tap_done
