#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every header byte of what the module builds, as captured on the wire:
# NAT-T keepalives (IPv4 and IPv6 outer) on the far gateway's WAN, and
# probes (ICMP, ICMPv6) on the far gateway after decryption. Each field is
# what the kernel would put there: for IPv4 no TOS, DF and, as the
# kernel's ip_select_ident() gives it for a DF packet without a socket,
# id 0; TTL/hop limit 64; valid checksums. A keepalive leaves in clear UDP
# even when an XFRM policy matches its flow, as IKE's own packets do; a
# probe under an if_id takes that if_id's tunnel whatever the policies
# without one say.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
a6=$ns_prefix-v6a
b6=$ns_prefix-v6b
xa=$ns_prefix-xa
CAPTURE=$top/tests/lib/natt_capture.py
ECHOES=$top/tests/lib/echo_capture.py

# capture_ka NS SECONDS SRC OUT: keepalives from SRC on NS's WAN.
capture_ka() {
	ip netns exec "$1" python3 "$CAPTURE" capture wan "$2" --src "$3" >"$4"
}
# capture_echo NS SECONDS SRC OUT: 48-byte echo requests (a probe's) from
# SRC on NS's WAN, the inner packets as decrypted there.
capture_echo() {
	ip netns exec "$1" python3 "$ECHOES" wan "$2" --src "$3" --len 48 >"$4"
}
# all_of FILE LIST JQ: FILE's LIST has an element and JQ holds for each.
all_of() { jq -e "(.$2 | length) > 0 and all(.$2[]; $3)" "$1"; }
# fields FILE LIST KIND JQ...: one TAP line per field assertion.
fields() {
	local f=$1 list=$2 kind=$3 e

	shift 3
	for e in "$@"; do
		check "$kind: $e" all_of "$f" "$list" "$e"
	done
}
show() { jq -c "[.$2[] | {ip: .ip.hex} + (.udp // .icmp)] | unique" "$1" | cut -c1-400 | sed 's/^/#   /'; }

modprobe xfrm_hc
# Idle tunnels: the echo would keep their SAs busy and add packets.
echo_probe_off

# NAT-T over IPv4: a keepalive each second on the idle tunnel.
ESP_NATT=1 esp_gateways "$a" "$b"
bg_pids+=("$(esp_natt_socket "$a")" "$(esp_natt_socket "$b")")
check "A monitors the NAT-T peer" wait_for 10 bash -c \
	"'$XHC' -n $a -j peer show | jq -e '.[0].encap_sport == 4500'"
"$XHC" -n "$a" defaults set natt-keepalive 1
capture_ka "$b" 4 192.0.2.1 "$work/ka4.json"
show "$work/ka4.json" keepalives
fields "$work/ka4.json" keepalives "IPv4 keepalive" \
	'.ip.version == 4 and .ip.ihl == 5' '.ip.tos == 0' \
	'.ip.tot_len == 29' '.ip.id == 0' '.ip.frag_off == 16384' \
	'.ip.ttl == 64' '.ip.protocol == 17' '.ip.csum_ok' \
	'.ip.src == "192.0.2.1" and .ip.dst == "192.0.2.2"' \
	'.sport == 4500 and .dport == 4500' \
	'.udp.len == 9 and .udp.check == 0'

# A policy matching the keepalive's flow (here one that blocks it): the
# keepalive takes the plain route, in clear, like IKE's bypass socket.
ip -n "$a" xfrm policy add src 192.0.2.1/32 dst 192.0.2.2/32 proto udp \
	sport 4500 dport 4500 dir out action block
capture_ka "$b" 4 192.0.2.1 "$work/ka4-pol.json"
check "IPv4 keepalive: leaves in clear UDP though a policy matches its flow" \
	jq -e '.count >= 2' "$work/ka4-pol.json"
ip -n "$a" xfrm policy delete src 192.0.2.1/32 dst 192.0.2.2/32 proto udp \
	sport 4500 dport 4500 dir out
"$XHC" -n "$a" defaults set natt-keepalive 0

# Probes, IPv4 inside: the peer's, as B decrypts them.
"$XHC" -n "$a" defaults set interval 100ms mode idle \
	probe-src 10.1.0.1 probe-dst 10.2.0.1
check "A's probes are answered" wait_for 15 bash -c \
	"'$XHC' -n $a -j peer show | jq -e '.[0].probes_answered >= 3'"
capture_echo "$b" 3 10.1.0.1 "$work/probe4.json"
show "$work/probe4.json" echoes
fields "$work/probe4.json" echoes "IPv4 probe" \
	'.ip.version == 4 and .ip.ihl == 5' '.ip.tos == 0' \
	'.ip.tot_len == 68' '.ip.id == 0' '.ip.frag_off == 16384' \
	'.ip.ttl == 64' '.ip.protocol == 1' '.ip.csum_ok' \
	'.ip.src == "10.1.0.1" and .ip.dst == "10.2.0.1"' \
	'.icmp.code == 0 and .icmp.csum_ok'
"$XHC" -n "$a" defaults set interval 30s mode on-demand

# Probes, IPv6 inside: a health check's, the same way.
esp_inner6 "$a" "$b"
"$XHC" -n "$a" check add name t6 src fd00:1::1 dst fd00:2::1 interval 100ms
check "the IPv6 check's probes are answered" wait_for 15 bash -c \
	"'$XHC' -n $a -j check show name t6 | jq -e '.[0].probes_answered >= 3'"
capture_echo "$b" 3 fd00:1::1 "$work/probe6.json"
show "$work/probe6.json" echoes
fields "$work/probe6.json" echoes "IPv6 probe" \
	'.ip.version == 6' '.ip.tclass == 0' '.ip.flowlabel == 0' \
	'.ip.payload_len == 48' '.ip.nexthdr == 58' '.ip.hop_limit == 64' \
	'.ip.src == "fd00:1::1" and .ip.dst == "fd00:2::1"' \
	'.icmp.code == 0 and .icmp.csum_ok'
"$XHC" -n "$a" check del name t6

# NAT-T over IPv6.
ESP_OUTER=6 ESP_NATT=1 esp_gateways "$a6" "$b6"
check "A monitors the IPv6 NAT-T peer" wait_for 10 bash -c \
	"'$XHC' -n $a6 -j peer show | jq -e '.[0].encap_sport == 4500'"
ip -n "$a6" xfrm policy add src 2001:db8::1/128 dst 2001:db8::2/128 \
	proto udp sport 4500 dport 4500 dir out action block
"$XHC" -n "$a6" defaults set natt-keepalive 1
capture_ka "$b6" 4 2001:db8::1 "$work/ka6.json"
show "$work/ka6.json" keepalives
fields "$work/ka6.json" keepalives "IPv6 keepalive" \
	'.ip.version == 6' '.ip.tclass == 0' '.ip.flowlabel == 0' \
	'.ip.payload_len == 9' '.ip.nexthdr == 17' '.ip.hop_limit == 64' \
	'.ip.src == "2001:db8::1" and .ip.dst == "2001:db8::2"' \
	'.sport == 4500 and .dport == 4500' \
	'.udp.len == 9 and .udp.check != 0 and .udp.csum_ok'
check "IPv6 keepalive: leaves in clear UDP though a policy matches its flow" \
	jq -e '.count >= 2' "$work/ka6.json"

# Route-based: a check through xfrm1 (if_id 1), and a policy without an
# if_id that blocks the probe's flow. Only if_id 1's policies apply.
xfrmi_gateways "$xa" "$ns_prefix-xb" "$ns_prefix-xc"
ip -n "$xa" xfrm policy add src 10.1.0.1/32 dst 10.2.0.1/32 proto icmp \
	dir out action block
"$XHC" -n "$xa" check add name xi src 10.1.0.1 dst 10.2.0.1 dev xfrm1 \
	interval 100ms
check "if_id probe: answered though a policy without if_id blocks its flow" \
	wait_for 15 bash -c "'$XHC' -n $xa -j check show name xi |
		jq -e '.[0].probes_answered >= 3'"
"$XHC" -n "$xa" -j check show name xi | jq -c '.[0] |
	{probes_sent, probes_answered, send_errors}' | sed 's/^/#   /'
check "if_id probe: no send errors" bash -c \
	"'$XHC' -n $xa -j check show name xi | jq -e '.[0].send_errors == 0'"
tap_done
