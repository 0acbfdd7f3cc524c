#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Answers that did not come back the way their probe went are not answers.
#
# Gateway A has tunnel T1 to B and tunnel T2 to C (another tenant's
# gateway). A check on A probes 10.2.0.1 behind B, with no interface or
# if_id. B stops answering. A forger copies each probe B still receives,
# byte for byte, into an echo reply that C sends to A through T2: the check
# must go down all the same, and A must count the copies as rejected.
# Also: a peer's probe routed through another peer's tunnel is not sent,
# and a check's probe that would leave in the clear is not sent either,
# while route-based tunnels' probes still go out through their SAs.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

modprobe xfrm_hc
# ICMP probes and their forgeries: the far sides run no responder.
echo_probe_off

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
c=$ns_prefix-gw-c
x() { "$XHC" -n "$a" "$@"; }
chk() { x -j check show name "$1" | jq -e ".[0] | $2"; }
stat_of() { x -j stats | jq -r ".$1 // 0"; }
peer_of() { x -j peer show | jq -e --arg r "$1" ".[] | select(.remote == \$r) | $2"; }
forged() { [ "$(cat "$work/forged" 2>/dev/null || echo 0)" -ge "$1" ]; }

esp_gateways "$a" "$b"
esp_gateway_c "$a" "$c"
# C may send from B's LAN address through T2: a tenant controls its own
# gateway, its addresses and its policies.
ip -n "$c" addr add 10.2.0.1/32 dev lo
ip -n "$c" route add 10.1.0.1/32 dev wan src 10.2.0.1
ip -n "$c" xfrm policy add src 10.2.0.1/32 dst 10.1.0.1/32 dir out \
	tmpl src 198.51.100.2 dst 198.51.100.1 proto esp reqid 1 mode tunnel

# --- A check kept up by copies of its probes, sent through another tunnel.
# A long timeout: the copies take a detour through a Python relay, and
# must not come too late to count where nothing stops them.
x check add name c1 src 10.1.0.1 dst 10.2.0.1 interval 1s timeout 4s misses 3
check "c1 goes up through T1" wait_for 20 chk c1 '.state == "up"'
x check add name c2 src 10.1.0.2 dst 10.3.0.1 interval 500ms misses 3
check "c2 goes up through T2: answers through the right tunnel count" \
	wait_for 20 chk c2 '.state == "up"'
rejected0=$(stat_of answers_rejected)

bg python3 "$top/tests/lib/forge_answers.py" --see "$b" wan \
	--src 10.1.0.1 --dst 10.2.0.1 --from "$c" --count-file "$work/forged"
# B no longer answers: its LAN address is gone, probes still reach it.
ip -n "$b" addr del 10.2.0.1/32 dev lo
check "the forger copies c1's probes into answers through T2" wait_for 60 forged 5
check "c1 goes down though copies of its probes come back through T2" \
	wait_for 40 chk c1 '.state == "down"'
n=$(cat "$work/forged")
sleep 5
check "c1 stays down while the forger goes on" chk c1 '.state == "down"'
check "the forger went on" forged $((n + 3))
check "A counted the copies as rejected" \
	[ "$(stat_of answers_rejected)" -gt "$rejected0" ]
check "c2 stays up" chk c2 '.state == "up"'
chk c1 . | jq -c '{state, probes_sent, probes_answered, probes_lost, rtt_max_us}' | sed 's/^/#   c1: /'
echo "# forged answers sent: $(cat "$work/forged"), rejected by A: $(stat_of answers_rejected)"
x check del name c1
x check del name c2
ip -n "$b" addr add 10.2.0.1/32 dev lo
# Deleting the address took the route that used it as source.
ip -n "$b" route replace 10.1.0.1/32 dev wan src 10.2.0.1
# B's peer died of c1's one-way probes: traffic brings it back.
bg ip netns exec "$a" ping -q -i 0.2 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1
check "B's peer is up again" wait_for 30 peer_of 192.0.2.2 '.state == "up"'
kill "${bg_pids[-1]}"

# --- A peer's probe whose route goes through another peer's tunnel.
x rule add prio 10 remote 192.0.2.2 interval 200ms mode periodic \
	probe-src 10.1.0.2 probe-dst 10.3.0.1
unrouted0=$(stat_of probes_unrouted)
check "B's peer takes the rule" wait_for 10 peer_of 192.0.2.2 '.rule_prio == 10'
c_in0=$(xfrm_sa_packets "$c" 0xa1c3)
sleep 3
check "B's probes, routed through T2, are not sent" \
	peer_of 192.0.2.2 '.probes_sent == 0'
check "A counts them as unrouted" \
	[ "$(stat_of probes_unrouted)" -gt "$unrouted0" ]
check "none of them went through T2" \
	[ "$(xfrm_sa_packets "$c" 0xa1c3)" = "$c_in0" ]
check "B's peer is not declared dead for answers it never got" \
	peer_of 192.0.2.2 '.state != "dead"'
peer_of 192.0.2.2 '{state, reason, probes_sent, in_packets, out_packets, rule_prio}' |
	jq -c . | sed 's/^/#   B: /'
x rule del prio 10

# --- A check whose probes would leave in the clear.
unrouted0=$(stat_of probes_unrouted)
x check add name c3 src 192.0.2.1 dst 192.0.2.2 interval 200ms misses 3
ip netns exec "$b" python3 "$top/tests/lib/echo_capture.py" wan 3 \
	--src 192.0.2.1 >"$work/clear.json" || true
check "c3's probes do not leave in the clear" \
	jq -e '.count == 0' "$work/clear.json"
check "c3 counts send errors" chk c3 '.send_errors > 0'
check "A counts them as unrouted" \
	[ "$(stat_of probes_unrouted)" -gt "$unrouted0" ]
x check del name c3

# --- Route-based: the SA is the XFRM interface's, found as its transmit
# would. A check with no dev routed into xfrm1, and a peer of if_id 1
# with a probe target, are both sent through tunnel B's SA and answered.
a=$ns_prefix-ri-a
xfrmi_gateways "$a" "$ns_prefix-ri-b" "$ns_prefix-ri-c"
x check add name r1 src 10.1.0.1 dst 10.2.0.1 interval 500ms misses 3
check "route-based: a check with no dev, routed into xfrm1, goes up" \
	wait_for 20 chk r1 '.state == "up"'
x rule add prio 10 remote 192.0.2.2 interval 500ms mode periodic \
	probe-src 10.1.0.1 probe-dst 10.2.0.1
check "route-based: the if_id peer's probes are sent and answered" \
	wait_for 20 peer_of 192.0.2.2 '.if_id == 1 and .probes_answered >= 3'
x check del name r1
tap_done
