#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A configuration change touches only what it changes. "defaults set"
# replaces the settings that the default rule's peers share: no walk of
# the SAs, and each peer takes the new interval at its next tick. "rule
# add" and "rule del" look again only at the SAs the rule can match (and
# at the peers that took its settings): the others are not attached
# again. Only a change that can bring in SAs no rule watched today (the
# default rule coming back) walks the kernel's SAs. Calls are counted by
# the kernel's function tracer.
. "$(dirname "$0")/lib.sh"

a=$ns_prefix-a
n=20
netns_add "$a"
# Local: an SA to this address is inbound.
ip -n "$a" addr add 192.0.2.1/32 dev lo
modprobe xfrm_hc
x() { "$XHC" -n "$a" "$@"; }
peers() { x -j peer show; }
# Peer i: gateway 198.51.100.i, SAs out (reqid 2000+i) and in (1000+i).
sa_lines() { # FIRST LAST SUBNET SPI_BASE
	local i key=0x0102030405060708090a0b0c0d0e0f1011121314
	for i in $(seq "$1" "$2"); do
		echo "xfrm state add src 192.0.2.1 dst $3.$i proto esp spi $(($4 + 0x1000 + i)) reqid $((2000 + i)) mode tunnel aead rfc4106(gcm(aes)) $key 128"
		echo "xfrm state add src $3.$i dst 192.0.2.1 proto esp spi $(($4 + 0x2000 + i)) reqid $((1000 + i)) mode tunnel aead rfc4106(gcm(aes)) $key 128"
	done
}
sa_lines 1 "$n" 198.51.100 0 >"$work/sas"
ip -n "$a" -batch "$work/sas"
count() {
	local got
	got=$(peers | jq length)
	[ "$got" = "$1" ] || { echo "$got peers: $(peers | jq -c '[.[] | [.remote, (.sas | length), .rule_prio]]')"; return 1; }
}
# counted DESC N: N peers, soon; what there is if not.
counted() {
	check "$1" wait_for 20 count "$2"
	count "$2" >/dev/null || echo "#   $(count "$2")"
}
counted "$n peers under the default rule" "$n"
# The rule (priority) that watches the peer of gateway ADDR.
rule_of() { peers | jq -r --arg g "$1" '.[] | select(.remote == $g) | .rule_prio // "default"'; }

traced=1
fn_trace_start xfrm_hc_km_resync_locked xfrm_hc_sa_attach || traced=0
# counting CMD...: run CMD; then $walks and $attaches are its calls.
counting() {
	fn_trace_clear
	"$@"
	walks=$(fn_trace_calls xfrm_hc_km_resync_locked)
	attaches=$(fn_trace_calls xfrm_hc_sa_attach)
}

counting x defaults set interval 3s
fn_trace_check "defaults set: no walk of the SAs ($walks), no SA attached again ($attaches)" \
	test "$walks$attaches" = 00
interval_is() { [ "$(peers | jq "[.[] | select(.profile.interval_ms == $1)] | length")" = "$n" ]; }
check "defaults set: every peer shows the new interval at once" interval_is 3000

# From 3 s to 100 ms: each peer takes it up at its next tick, within one
# old interval. Then 2 s hold about 20 ticks of each peer, 1 of 3 s; half
# of that is asked, for a loaded VM. Ticks counted by the lateness
# histogram, which has one entry per tick.
ticks() { awk '{ n += $2 } END { print n + 0 }' /sys/kernel/debug/xfrm_hc/timer_lateness; }
sleep 7
x defaults set interval 100ms
sleep 3.5
t0=$(ticks)
sleep 2
t1=$(ticks)
check "a shorter interval, within one old one: $((t1 - t0)) ticks in 2 s, at least $((10 * n))" \
	test $((t1 - t0)) -ge $((10 * n))
x defaults set interval 1s

# The first rule ends the default rule: every watched SA is looked at.
counting x rule add prio 20 remote 198.51.100.0/24
fn_trace_check "first rule: every watched SA attached again ($attaches), no walk ($walks)" \
	test "$walks:$attaches" = "0:$((2 * n))"
check "first rule: every peer takes it" \
	test "$(peers | jq '[.[] | select(.rule_prio == 20)] | length')" = "$n"

counting x rule add prio 10 remote 198.51.100.7/32 interval 500ms
fn_trace_check "a 1-peer rule: its 2 SAs attached again ($attaches), no walk ($walks)" \
	test "$walks:$attaches" = "0:2"
check "a 1-peer rule: its peer takes it" test "$(rule_of 198.51.100.7)" = 10
check "a 1-peer rule: the others keep theirs" test "$(rule_of 198.51.100.8)" = 20

counting x rule del prio 10
fn_trace_check "its deletion: its 2 SAs attached again ($attaches), no walk ($walks)" \
	test "$walks:$attaches" = "0:2"
check "its deletion: its peer goes back to the other rule" \
	test "$(rule_of 198.51.100.7)" = 20

# A peer keeps the settings of the rule that matched its last SA attached,
# after that SA is gone; deleting the rule must still move it.
x rule add prio 10 reqid 2007
check "a rule for one outbound SA: its peer takes it" \
	test "$(rule_of 198.51.100.7)" = 10
ip -n "$a" xfrm state delete src 192.0.2.1 dst 198.51.100.7 proto esp spi $((0x1007))
sas7() { [ "$(peers | jq '.[] | select(.remote == "198.51.100.7") | .sas | length')" = 1 ]; }
check "its SA deleted, the peer keeps its inbound SA" wait_for 5 sas7
sas7 || peers | jq -c '.[] | select(.remote == "198.51.100.7")' | sed 's/^/#   /'
counting x rule del prio 10
check "the rule deleted: the peer that held its settings moves ($attaches attached)" \
	test "$(rule_of 198.51.100.7)" = 20

# SAs no rule matches are not watched. When the last rule goes, the
# default rule is back and takes them, which only a walk of the kernel's
# SAs finds.
sa_lines 9 9 203.0.113 0x10000 >"$work/sas"
ip -n "$a" -batch "$work/sas"
sleep 1
counted "an SA no rule matches is not watched" "$n"
counting x rule del prio 20
fn_trace_check "the last rule deleted: the SAs of no rule are found by one walk ($walks)" \
	test "$walks" = 1
counted "the last rule deleted: every peer watched again" $((n + 1))
counting x rule add prio 20 remote 198.51.100.0/24
fn_trace_check "the first rule again: no walk ($walks)" test "$walks" = 0
counted "the first rule again: the peer it does not match is no longer watched" "$n"
# The last priority there is is a rule's too, not the default rule's.
x rule add prio 4294967295 remote 203.0.113.9/32
rule_is() { [ "$(rule_of "$1")" = "$2" ]; }
check "a rule of priority 4294967295 takes its peer, and says so" \
	wait_for 5 rule_is 203.0.113.9 4294967295
x rule flush
counted "rule flush: the default rule takes every SA again" $((n + 1))

fn_trace_stop
ip -n "$a" xfrm state flush
counted "no peer left" 0
tap_done
