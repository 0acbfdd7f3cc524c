#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dead peer detection from the SAs' own counters: a busy tunnel whose link
# is cut is reported dead (one-way traffic) within the bound, and up again
# when the link comes back; nothing is probed; peers follow SA deletion.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b

modprobe xfrm_hc
echo_probe_off
esp_gateways "$a" "$b"
"$XHC" -n "$a" defaults set interval 100ms misses 3 jitter 10

peers() { "$XHC" -n "$a" -j peer show; }
check "gateway a sees one peer, 192.0.2.2, with its two SAs" wait_for 10 \
	bash -c "'$XHC' -n $a -j peer show | jq -e 'length == 1 and .[0].remote == \"192.0.2.2\" and (.[0].sas | length) == 2'"
check "the peer has an inbound and an outbound SA" bash -c \
	"'$XHC' -n $a -j peer show | jq -e '[.[0].sas[].dir] | sort == [\"in\", \"out\"]'"
check "its profile is the netns defaults just set" bash -c \
	"'$XHC' -n $a -j peer show | jq -e '.[0].profile.interval_ms == 100 and .[0].profile.misses == 3'"

# A busy tunnel: a ping every 50 ms from a's LAN to b's.
bg "$XHC" -n "$a" -j monitor >"$work/events" 2>"$work/monitor.err"
bg ip netns exec "$a" ping -q -i 0.05 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1
sleep 1.5
check "busy tunnel: peer up" bash -c "'$XHC' -n $a -j peer show | jq -e '.[0].state == \"up\"'"

# Cut: everything a sends is lost; a keeps sending. (Taking a link down
# would also drop the routes through it, and they would not come back.)
cut_at=$(date +%s%N)
pretty "$a" "tc qdisc add dev wan root netem loss 100%"
tc -n "$a" qdisc add dev wan root netem loss 100%
check "peer-down arrives" wait_for 10 grep -q '"peer-down"' "$work/events"
# (misses + 1) x interval x (1 + jitter) = 440 ms. detect_ms measured
# with four guests on the 2 host cores: 6.12 732 ms (the script saw
# 4,284), 6.1 316 ms (1,773). Earlier runs on this host: 303 to 564 ms.
seen_ms=$(ms_since "$cut_at")
ev=$(grep -m1 '"peer-down"' "$work/events")
detect_check "peer-down" "$ev" "$seen_ms" $(( (3 + 1) * 100 * 110 / 100 ))
check "peer-down says one-way traffic, for 192.0.2.2, with both SAs" jq -e \
	'.peer.remote == "192.0.2.2" and .peer.reason == "one-way-traffic" and (.peer.sas | length) == 2 and (.peer.detect_ms | type) == "number"' <<<"$ev"
check "the SAs in the event are the tunnel's" jq -e \
	'[.peer.sas[].spi] | sort == ["0x0000a1b2", "0x0000b2a1"]' <<<"$ev"

pretty "$a" "tc qdisc del dev wan root"
tc -n "$a" qdisc del dev wan root
up_after_down() { sed -n '/"peer-down"/,$p' "$work/events" | grep -q '"peer-up"'; }
check "peer-up arrives when the link is back" wait_for 10 up_after_down
check "no probe was sent: no probe target" bash -c \
	"'$XHC' -n $a -j peer show | jq -e '.[0].probes_sent == 0'"

# Traffic stops: idle, not dead.
kill "${bg_pids[1]}"
check "an idle tunnel is reported idle" wait_for 10 grep -q '"peer-idle"' "$work/events"
check "and is not dead" bash -c "'$XHC' -n $a -j peer show | jq -e '.[0].state == \"idle\"'"

# Someone else deletes the SAs: the peer is gone, with an event.
ip -n "$a" xfrm state flush
check "peer-gone when the IKE daemon's SAs go" wait_for 10 grep -q '"peer-gone"' "$work/events"
check "no peer left" bash -c "'$XHC' -n $a -j peer show | jq -e 'length == 0'"
sed 's/^/#   event: /' "$work/events"
tap_done
