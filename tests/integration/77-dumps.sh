#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dumps deliver everything, or say they could not. A peer with more SAs
# than fit in one message comes in several messages, which the tool joins:
# all its SAs are shown, and every peer after it too. Rule and check dumps
# that race a delete come flagged NLM_F_DUMP_INTR, not short.
. "$(dirname "$0")/lib.sh"

n=$ns_prefix-dump
KEY=0x0102030405060708090a0b0c0d0e0f1011121314
# libnl reads 16 KiB at a time, so the kernel fills dump buffers of 16 KiB
# (32 KiB at most, for bigger reads): 600 SAs of 60 bytes fit in none.
NSA=600
small=$top/tests/integration/dump_small.py

x() { "$XHC" -n "$n" "$@"; }
stat_is() { x -j stats | jq -e "$1"; }
# One line of "ip -batch": an outbound SA from 10.7.0.1 to 10.8.0.PEER.
sa_line() { # PEER SPI
	echo "xfrm state add src 10.7.0.1 dst 10.8.0.$1 proto esp spi $2" \
	     "mode tunnel aead rfc4106(gcm(aes)) $KEY 128"
}

modprobe xfrm_hc
netns_add "$n"
ip -n "$n" addr add 10.7.0.1/32 dev lo

# The big peer is made first: the peers after it come later in the dump.
{
	for i in $(seq 1 $NSA); do sa_line 1 $((0x10000 + i)); done
	for p in 2 3 4 5 6; do sa_line "$p" $((0x20000 + p)); done
} >"$work/sas"
ip -n "$n" -batch "$work/sas"
check "the module watches $NSA SAs of one peer and 5 more peers" \
	wait_for 30 stat_is ".peers == 6 and .sas == $((NSA + 5))"

x -j peer show >"$work/peers.json"
check "peer show lists each of the 6 peers once" \
	jq -e '[.[].remote] | sort == ["10.8.0.1", "10.8.0.2", "10.8.0.3",
				       "10.8.0.4", "10.8.0.5", "10.8.0.6"]' \
	"$work/peers.json"
check "peer show lists all $NSA SAs of the big peer, each once" \
	jq -e --argjson n $NSA '.[] | select(.remote == "10.8.0.1") | .sas |
				length == $n and (map(.spi) | unique | length) == $n' \
	"$work/peers.json"
check "the peers after it have their one SA each" \
	jq -e '[.[] | select(.remote != "10.8.0.1") | .sas | length] == [1, 1, 1, 1, 1]' \
	"$work/peers.json"
check "peer show remote 10.8.0.1: the big peer alone, all its SAs" \
	bash -c "'$XHC' -n $n -j peer show remote 10.8.0.1 |
		 jq -e 'length == 1 and (.[0].sas | length) == $NSA'"
check "peer show in text: all $NSA SAs" \
	bash -c "[ \$('$XHC' -n $n peer show remote 10.8.0.1 | grep -c 'spi 0x') = $NSA ]"
{ echo "10.8.0.1 $NSA"; for p in 2 3 4 5 6; do echo "10.8.0.$p 1"; done; echo done; } \
	>"$work/peers.want"
check "read 4 KiB at a time, the raw dump has every peer and all their SAs" \
	bash -c "ip netns exec $n python3 $small peers | diff $work/peers.want -"

# Rules and checks: a dump that races a delete is flagged, not short.
for i in $(seq 1 200); do echo "rule add prio $i interval 60s"; done >"$work/rules"
x -b "$work/rules"
check "200 rules" bash -c "[ \$('$XHC' -n $n -j rule show | jq length) = 200 ]"
check "a rule dump that races a delete is flagged NLM_F_DUMP_INTR" \
	ip netns exec "$n" python3 "$small" rules \
	"$XHC" -n "$n" rule del prio 1

for i in $(seq 1 60); do
	echo "check add name c$i src 10.7.0.1 dst 10.9.0.$i interval 60s"
done >"$work/checks"
x -b "$work/checks"
check "60 checks" bash -c "[ \$('$XHC' -n $n -j check show | jq length) = 60 ]"
check "a check dump that races a delete is flagged NLM_F_DUMP_INTR" \
	ip netns exec "$n" python3 "$small" checks \
	"$XHC" -n "$n" check del c1

x rule flush
x check flush
ip -n "$n" xfrm state flush
check "flushed: no peers" wait_for 30 stat_is '.peers == 0'
tap_done
