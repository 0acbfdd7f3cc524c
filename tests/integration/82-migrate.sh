#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MOBIKE: the remote gateway moves to a new address and both ends move
# their SAs and policies with XFRM_MSG_MIGRATE, as libreswan does. The
# XFRM core deletes the old SAs and adds the new ones without a key
# manager notification for either; it only calls the managers' migrate
# hook. The old peer must go, holding no dead SA; the new SAs must be
# watched under the new peer; and a tunnel that carries traffic after the
# move must not be called dead (action clear would then delete its SAs).
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
XSA=$top/tests/lib/xfrm_sa.py
OBJECTS=/sys/kernel/debug/xfrm_hc/objects

peers() { "$XHC" -n "$1" -j peer show; }
# The one peer of gateway a is at REMOTE and has the tunnel's two SAs.
a_peer_at() { # REMOTE
	peers "$a" | jq -e --arg r "$1" 'length == 1 and .[0].remote == $r and
		([.[0].sas[].spi] | sort) == ["0x0000a1b2", "0x0000b2a1"]'
}
# An EVENT for the peer at REMOTE is in FILE.
event_seen() { # FILE EVENT REMOTE
	grep -h "\"$2\"" "$1" |
		jq -s -e --arg r "$3" 'any(.[]; .peer.remote == $r)'
}
# SAs the module holds, in every netns, and SAs there are.
objects_sa() { awk '$1 == "sas" { print $2 }' "$OBJECTS"; }
sas_held_are_sas() {
	local held listed

	held=$(objects_sa)
	listed=$(( $(ip -n "$a" xfrm state count | awk '{ print $NF }') +
		   $(ip -n "$b" xfrm state count | awk '{ print $NF }') ))
	echo "module holds $held SAs, the namespaces have $listed"
	[ "$held" = "$listed" ]
}

# Gateway b moves from OLD to NEW: b's WAN address first, then each side
# migrates its SAs, one message per policy as an IKE daemon sends them
# (the first moves both SAs, the others find them moved and only move
# the policy's template). Both ends in one process, within milliseconds:
# a second between them would be a real outage, longer than 3 intervals.
migrate_b() { # OLD NEW
	local wa old=$1 new=$2

	wa=$(esp_wan_a)
	ip -n "$b" addr add "$new/24" dev wan
	pretty host "migrate $old -> $new in $a and $b"
	python3 "$XSA" batch <<-EOF
	$a migrate src 10.1.0.1 dst 10.2.0.1 dir out reqid 1 old $wa $old new $wa $new old $old $wa new $new $wa
	$b migrate src 10.2.0.1 dst 10.1.0.1 dir out reqid 1 old $old $wa new $new $wa old $wa $old new $wa $new
	$a migrate src 10.2.0.1 dst 10.1.0.1 dir in reqid 1 old $old $wa new $new $wa
	$a migrate src 10.2.0.1 dst 10.1.0.1 dir fwd reqid 1 old $old $wa new $new $wa
	$b migrate src 10.1.0.1 dst 10.2.0.1 dir in reqid 1 old $wa $old new $wa $new
	$b migrate src 10.1.0.1 dst 10.2.0.1 dir fwd reqid 1 old $wa $old new $wa $new
	EOF
	ip -n "$b" addr del "$old/24" dev wan
}

modprobe xfrm_hc
esp_gateways "$a" "$b"
# b's old address goes after the move, and the new one must stay.
ip netns exec "$b" sysctl -qw net.ipv4.conf.wan.promote_secondaries=1

# 1. The migrate hook, with no tick to help: an interval of an hour.
"$XHC" -n "$a" defaults set interval 3600s
"$XHC" -n "$b" defaults set interval 3600s
check "a watches its tunnel to 192.0.2.2" wait_for 10 a_peer_at 192.0.2.2
bg "$XHC" -n "$a" -j monitor >"$work/events1" 2>"$work/monitor1.err"
sleep 0.5
migrate_b 192.0.2.2 192.0.2.3
check "the migration moved both of a's SAs to 192.0.2.3" bash -c \
	"[ \$(ip -n $a xfrm state | grep -c '192.0.2.3') = 2 ]"
check "ESP flows over the new addresses" \
	ip netns exec "$a" ping -c 2 -W 2 -I 10.1.0.1 10.2.0.1
check "the peer at 192.0.2.2 is gone and the moved SAs are watched at 192.0.2.3" \
	wait_for 10 a_peer_at 192.0.2.3
check "peer-gone for the old address" wait_for 5 event_seen "$work/events1" \
	peer-gone 192.0.2.2
check "no dead SA is held: the module holds exactly the SAs there are" \
	wait_for 10 sas_held_are_sas
echo "# $(sas_held_are_sas)"

# 2. A busy tunnel, probed when idle, cleared when dead, moves again.
"$XHC" -n "$a" defaults set interval 100ms misses 3 jitter 10 mode idle \
	action clear probe-src 10.1.0.1 probe-dst 10.2.0.1
bg "$XHC" -n "$a" -j monitor >"$work/events" 2>"$work/monitor.err"
bg ip netns exec "$a" ping -q -i 0.05 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1
check "busy tunnel: the peer at 192.0.2.3 is up" wait_for 10 bash -c \
	"'$XHC' -n $a -j peer show | jq -e '.[0].state == \"up\" and .[0].remote == \"192.0.2.3\"'"
migrate_b 192.0.2.3 192.0.2.4
check "the SAs are watched at 192.0.2.4" wait_for 10 a_peer_at 192.0.2.4
# Twenty intervals and more: three misses would have made it dead.
sleep 3
check "the moved peer was not declared dead" bash -c \
	"! grep -q '\"peer-down\"' '$work/events'"
check "the monitor saw the move: peer-gone for 192.0.2.3" \
	event_seen "$work/events" peer-gone 192.0.2.3
check "the moved peer is up on its traffic" bash -c \
	"'$XHC' -n $a -j peer show | jq -e '.[0].state == \"up\" and .[0].in_packets > 0'"
check "its SAs still exist: nothing was cleared" bash -c \
	"[ \$(ip -n $a xfrm state | grep -c '192.0.2.4') = 2 ]"
check "ESP still flows" ip netns exec "$a" ping -c 2 -W 2 -I 10.1.0.1 10.2.0.1
check "no dead SA is held after the second move" wait_for 10 sas_held_are_sas
sed 's/^/#   event: /' "$work/events1" "$work/events"
tap_done
