#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A check remembers the tunnel that carried its probes. When that tunnel
# goes away and another one comes (whose peer the module numbers as it did
# the old one), the check must not take the new tunnel for its own: "clear"
# must not delete the newcomer's SAs, and "optimized" must not count the
# newcomer's traffic as an answer.
#
# The check is slowed to a 60 s interval while the tunnels change, so that
# it notices nothing until it is sped up again; then its probes have no SA
# (the old tunnel's policies stay, its SAs are gone) and it goes down.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

# remote_gone NS REMOTE / remote_there NS REMOTE: is a peer watched?
remote_there() { "$XHC" -n "$1" -j peer show | jq -e --arg r "$2" 'any(.[]; .remote == $r)'; }
remote_gone() { ! remote_there "$@"; }
has_sa() { ip -n "$1" xfrm state list spi "$2" | grep -q .; }
# The SPIs of NS's SAs, sorted, on one line; not the larval states (SPI 0)
# that the check's probes, with no SA for T1's policy, make (acquires).
spis() {
	ip -n "$1" xfrm state |
		awk '$3 == "spi" && $4 != "0x00000000" { print $4 }' | sort | tr '\n' ' '
}
# Drop the esp_gateways tunnel's SAs on A (the policies stay).
# What "ip xfrm monitor" printed since offset AT, with the lines under it.
expires_since() { tail -c +$(($1 + 1)) "$work/xfrm-monitor" | grep -A3 '^Expired'; }
# No expire for T2's SAs since offset AT. The probes still routed into T1's
# policy, now without SAs, make the kernel add larval SAs (acquire), which
# expire after xfrm_acq_expires (30 s; a slow kernel gets there): not ours.
no_expire_since() { ! expires_since "$1" | grep -Eq 'spi 0x0000(a1c3|c3a1) '; }
t2_busy() { [ "$(xfrm_sa_packets "$a" 0xc3a1)" -gt 20 ]; }
drop_t1() { # NS_A
	ip -n "$1" xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0xa1b2
	ip -n "$1" xfrm state delete src 192.0.2.2 dst 192.0.2.1 proto esp spi 0xb2a1
}

modprobe xfrm_hc

# --- clear: the newcomer's SAs stay.
a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
c=$ns_prefix-gw-c
x() { "$XHC" -n "$a" "$@"; }
chk() { x -j check show name "$1" | jq -e ".[0] | $2"; }

esp_gateways "$a" "$b"
# Appended to: its offset is where a part of the test starts reading.
bg ip -n "$a" xfrm monitor >>"$work/xfrm-monitor" 2>&1
x check add name c1 src 10.1.0.1 dst 10.2.0.1 interval 100ms misses 3 action clear
check "clear: the check goes up through tunnel T1" wait_for 15 chk c1 '.state == "up"'
x check set name c1 interval 60s
drop_t1 "$a"
check "T1's peer goes with its SAs" wait_for 10 remote_gone "$a" 192.0.2.2
esp_gateway_c "$a" "$c"
check "T2 (to C) is watched" wait_for 10 remote_there "$a" 198.51.100.2
check "T2 is healthy" ip netns exec "$a" ping -c 1 -W 5 -I 10.1.0.2 10.3.0.1
before=$(spis "$a")
echo "# SAs on A before: $before"
mon_at=$(stat -c %s "$work/xfrm-monitor")
x check set name c1 interval 100ms
check "clear: the check goes down, its target gone with T1" \
	wait_for 15 chk c1 '.state == "down"'
# The action runs right at the verdict; give a slow guest time anyway.
sleep 2
check "clear: T2's SAs are untouched" [ "$(spis "$a")" = "$before" ]
check "clear: T2's SAs are both there" has_sa "$a" 0xa1c3
check "clear: T2's SAs are both there (inbound)" has_sa "$a" 0xc3a1
check "clear: no expire was sent for T2's SAs" no_expire_since "$mon_at"
expires_since "$mon_at" | sed 's/^/#   /' || true
check "clear: T2 still carries traffic" \
	ip netns exec "$a" ping -c 1 -W 5 -I 10.1.0.2 10.3.0.1
echo "# SAs on A after: $(spis "$a")"
x check del name c1

# --- optimized: the newcomer's traffic is not the check's evidence.
a=$ns_prefix-o-a
b=$ns_prefix-o-b
c=$ns_prefix-o-c

esp_gateways "$a" "$b"
x check add name o1 src 10.1.0.1 dst 10.2.0.1 interval 100ms misses 3 mode optimized
check "optimized: the check goes up through T1 (probes, T1 idle)" \
	wait_for 15 chk o1 '.state == "up" and .probes_answered >= 3'
x check set name o1 interval 60s
drop_t1 "$a"
check "optimized: T1's peer goes" wait_for 10 remote_gone "$a" 192.0.2.2
esp_gateway_c "$a" "$c"
check "optimized: T2 is watched" wait_for 10 remote_there "$a" 198.51.100.2
bg ip netns exec "$a" ping -q -i 0.02 -I 10.1.0.2 10.3.0.1 >/dev/null 2>&1
ping_pid=${bg_pids[-1]}
check "optimized: T2 is busy" wait_for 10 t2_busy
s0=$(chk o1 .)
x check set name o1 interval 100ms
check "optimized: the check goes down, T2's traffic not its evidence" \
	wait_for 15 chk o1 '.state == "down"'
check "optimized: no probe was skipped for T2's traffic" \
	chk o1 ".probes_skipped == $(jq .probes_skipped <<<"$s0")"
chk o1 . | jq -c '{state, probes_sent, probes_skipped, probes_lost}' | sed 's/^/#   o1: /'
kill "$ping_pid"
x check del name o1
tap_done
