#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a check does besides telling: "clear" deletes the SAs that carried
# its probes and hard-expires them to the IKE daemon, "restart" only sends
# the hard expire. Answers count only through ESP: a check of a host
# reached in the clear never goes up. "if_id N" probes through the
# policies of that if_id, never in the clear when there are none.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
c=$ns_prefix-gw-c

x() { "$XHC" -n "$a" "$@"; }
chk() { x -j check show name "$1" | jq -e ".[0] | $2"; }
has_sa() { ip -n "$a" xfrm state list spi "$1" | grep -q .; }
sas_stay() { has_sa 0xa1b2 && has_sa 0xb2a1; }
sas_gone() { ! has_sa 0xa1b2 && ! has_sa 0xb2a1; }
cut() { tc -n "$a" qdisc replace dev "$1" root netem loss 100%; }
restore() { tc -n "$a" qdisc del dev "$1" root; }

modprobe xfrm_hc
esp_gateways "$a" "$b"
# IKE daemon stand-in: what XFRM tells key managers.
bg ip -n "$a" xfrm monitor >"$work/xfrm-monitor" 2>&1

# restart: the hard expire, and the SAs stay.
x check add name r1 src 10.1.0.1 dst 10.2.0.1 interval 100ms action restart
check "restart: the check goes up" wait_for 15 chk r1 '.state == "up"'
cut wan
check "restart: down when cut" wait_for 10 chk r1 '.state == "down"'
check "restart: the IKE daemon got a hard expire" wait_for 5 bash -c \
	"grep -q '^Expired' '$work/xfrm-monitor' && grep -q 'hard 1' '$work/xfrm-monitor'"
check "restart: the SAs stay" sas_stay
restore wan
check "restart: up again once answered" wait_for 15 chk r1 '.state == "up"'
x check del name r1
: >"$work/xfrm-monitor"

# clear: the SAs of the tunnel that carried the probes go, with the
# expire; without SAs the check stays down, and its probes ask the IKE
# daemon for new ones (an acquire), as any packet for the policy would.
x check add name c1 src 10.1.0.1 dst 10.2.0.1 interval 100ms action clear
check "clear: the check goes up" wait_for 15 chk c1 '.state == "up"'
cut wan
check "clear: down when cut" wait_for 10 chk c1 '.state == "down"'
check "clear: the tunnel's SAs are deleted" wait_for 5 sas_gone
check "clear: the IKE daemon was told" wait_for 5 bash -c \
	"grep -q '^Expired' '$work/xfrm-monitor' && grep -q 'hard 1' '$work/xfrm-monitor'"
restore wan
lost=$(x -j check show name c1 | jq '.[0].probes_lost')
check "clear: without SAs it stays down, its probes lost" \
	wait_for 5 chk c1 ".state == \"down\" and .probes_lost > $lost"
check "clear: its probes ask the IKE daemon for SAs (acquire)" \
	wait_for 5 grep -q '^acquire' "$work/xfrm-monitor"
x check del name c1

# Only ESP answers count: B's WAN address would answer in the clear.
x check add name plain src 192.0.2.1 dst 192.0.2.2 interval 100ms misses 2
check "a host answering in the clear: no answer counts" \
	wait_for 15 chk plain '.probes_sent >= 5 and .probes_answered == 0 and .state == "down"'
# No SA on the route: the probes would leave in the clear, so none is sent.
check "and its probes never left in the clear: send errors" chk plain '.send_errors > 0'
x check del name plain

# if_id: the policies of that if_id, never in the clear.
xfrmi_gateways "$a-i" "$b-i" "$c-i"
xi() { "$XHC" -n "$a-i" "$@"; }
chki() { xi -j check show name "$1" | jq -e ".[0] | $2"; }
xi check add name byid src 10.1.0.1 dst 10.2.0.1 if_id 1 interval 100ms
check "if_id 1: up through the if_id's policies" \
	wait_for 15 chki byid '.state == "up" and .if_id == 1 and (.dev // null) == null'
xi check add name noid src 10.1.0.1 dst 10.2.0.1 if_id 7 interval 100ms misses 2
check "if_id without policies: down, every probe a send error" \
	wait_for 15 chki noid '.state == "down" and .probes_answered == 0 and .send_errors == .probes_sent'
xi check del name noid
xi check del name byid
for ns in "$a-i" "$b-i" "$c-i"; do ip netns del "$ns"; done
tap_done
