#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Proves the guest does real XFRM: two netns joined by veth, a tunnel-mode
# ESP SA pair with rfc4106(gcm(aes)), and a ping through it. Needs root;
# meant for tests/vm/run (modules and crypto are autoloaded by the kernel).
set -e

A=xhc-esp-a-$$ B=xhc-esp-b-$$
cleanup() {
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

# Packets counted by an SA, from `ip -s xfrm state`'s "lifetime current" block.
sa_packets() {
	ip -n "$1" -s xfrm state get src "$2" dst "$3" proto esp spi "$4" |
		awk '/lifetime current:/ { getline; sub(/\(packets\)/, "", $2); print $2 + 0 }'
}
key() { echo "0x$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')"; }

ip netns add "$A"
ip netns add "$B"
ip link add veth-a netns "$A" type veth peer name veth-b netns "$B"
# Outer addresses 10.99.0.x on the veth, inner 10.98.x.1 on lo.
for ns in "$A" "$B"; do
	ip -n "$ns" link set lo up
done
ip -n "$A" addr add 10.99.0.1/24 dev veth-a
ip -n "$B" addr add 10.99.0.2/24 dev veth-b
ip -n "$A" link set veth-a up
ip -n "$B" link set veth-b up
ip -n "$A" addr add 10.98.1.1/32 dev lo
ip -n "$B" addr add 10.98.2.1/32 dev lo
ip -n "$A" route add 10.98.2.1/32 via 10.99.0.2 src 10.98.1.1
ip -n "$B" route add 10.98.1.1/32 via 10.99.0.1 src 10.98.2.1
ok "two netns joined by veth"

KEY_AB=$(key) KEY_BA=$(key)
for ns in "$A" "$B"; do
	ip -n "$ns" xfrm state add src 10.99.0.1 dst 10.99.0.2 proto esp \
		spi 0x1001 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' "$KEY_AB" 128
	ip -n "$ns" xfrm state add src 10.99.0.2 dst 10.99.0.1 proto esp \
		spi 0x1002 reqid 2 mode tunnel aead 'rfc4106(gcm(aes))' "$KEY_BA" 128
done
policy() { # ns dir src dst outer-src outer-dst reqid
	ip -n "$1" xfrm policy add src "$3/32" dst "$4/32" dir "$2" \
		tmpl src "$5" dst "$6" proto esp reqid "$7" mode tunnel
}
policy "$A" out 10.98.1.1 10.98.2.1 10.99.0.1 10.99.0.2 1
policy "$A" in 10.98.2.1 10.98.1.1 10.99.0.2 10.99.0.1 2
policy "$B" out 10.98.2.1 10.98.1.1 10.99.0.2 10.99.0.1 2
policy "$B" in 10.98.1.1 10.98.2.1 10.99.0.1 10.99.0.2 1
ok "ESP tunnel states and policies with rfc4106(gcm(aes))"

check "ping through the ESP tunnel" \
	ip netns exec "$A" ping -q -c 3 -i 0.2 -W 5 -I 10.98.1.1 10.98.2.1
out=$(sa_packets "$A" 10.99.0.1 10.99.0.2 0x1001)
in=$(sa_packets "$B" 10.99.0.1 10.99.0.2 0x1001)
back=$(sa_packets "$A" 10.99.0.2 10.99.0.1 0x1002)
moved() { [ "$out" -ge 3 ] && [ "$in" -ge 3 ] && [ "$back" -ge 3 ]; }
check "SA counters moved (a->b out $out, in $in; b->a $back packets)" moved
echo "1..$n"
exit $failed
