# SPDX-License-Identifier: GPL-2.0
# Sourced: two gateways in their own netns, joined by a veth "WAN", each with
# a LAN address behind it, and a tunnel-mode ESP tunnel between them made
# of real SAs and policies installed through XFRM netlink (ip xfrm).
#
#   esp_gateways NS_A NS_B      veth + addresses + SAs + policies
#   esp_gateway_c NS_A NS_C     a second tunnel from A: WAN 198.51.100.1/.2,
#                               LAN 10.1.0.2 behind A and 10.3.0.1 behind C,
#                               SPIs 0xa1c3 and 0xc3a1, A's WAN device wan2
#   esp_inner6 NS_A NS_B        inner IPv6 (fd00:1::1, fd00:2::1) over the
#                               esp_gateways tunnel, SPIs 0xa1b6 and 0xb6a1
#   xfrmi_gateways A B C        route-based: XFRM interfaces on A to B and C,
#                               anycast service 10.9.0.1 behind both
#   xfrm_sa_packets NS SPI      packets an SA counted
#
# ESP_OUTER=6 makes the outer (WAN) addresses IPv6: 2001:db8::1 and ::2.
# ESP_NATT=1 encapsulates ESP in UDP (RFC 3948) from port 4500 to 4500,
# with a UDP encapsulation socket in each gateway (esp_natt_sockets).
# Otherwise WAN 192.0.2.1 (A) and 192.0.2.2 (B). LAN 10.1.0.1 behind A and
# 10.2.0.1 behind B, so "ip netns exec A ping -I 10.1.0.1 10.2.0.1" goes
# through ESP. SPIs: 0xa1b2 for A->B, 0xb2a1 for B->A; reqid 1.

ESP_AEAD_A2B=0x0102030405060708090a0b0c0d0e0f1011121314
ESP_AEAD_B2A=0x1112131415161718191a1b1c1d1e1f2021222324

esp_sa() { # NS SRC DST SPI KEY
	local opt=()

	[ "${ESP_NATT:-0}" = 0 ] || opt=(encap espinudp 4500 4500 0.0.0.0)
	# The inner family is IPv4 whatever the outer: say so in the selector.
	[ "${ESP_OUTER:-4}" = 4 ] || opt+=(sel src 0.0.0.0/0 dst 0.0.0.0/0)
	ip -n "$1" xfrm state add src "$2" dst "$3" proto esp spi "$4" \
		reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' "$5" 128 "${opt[@]}"
}

esp_policy() { # NS LAN_SRC LAN_DST DIR WAN_SRC WAN_DST
	ip -n "$1" xfrm policy add src "$2" dst "$3" dir "$4" \
		tmpl src "$5" dst "$6" proto esp reqid 1 mode tunnel
}

# NS DEV WAN LAN PEER_WAN PEER_LAN OUT_SPI OUT_KEY IN_SPI IN_KEY
esp_gateway_side() {
	local ns=$1 dev=$2 wan=$3 lan=$4 pwan=$5 plan=$6 plen=(24)

	shift 6
	[ "${ESP_OUTER:-4}" = 4 ] || plen=(64 nodad)
	ip -n "$ns" addr add "$wan/${plen[0]}" dev "$dev" "${plen[@]:1}"
	ip -n "$ns" link set "$dev" up
	ip -n "$ns" addr add "$lan/32" dev lo
	# The policy sends the inner packet to ESP; the route only picks it up.
	ip -n "$ns" route add "$plan/32" dev "$dev" src "$lan"
	esp_sa "$ns" "$wan" "$pwan" "$1" "$2"
	esp_sa "$ns" "$pwan" "$wan" "$3" "$4"
	esp_policy "$ns" "$lan/32" "$plan/32" out "$wan" "$pwan"
	esp_policy "$ns" "$plan/32" "$lan/32" in "$pwan" "$wan"
	esp_policy "$ns" "$plan/32" "$lan/32" fwd "$pwan" "$wan"
}

# The WAN addresses of A and B for the configured outer family.
esp_wan_a() { [ "${ESP_OUTER:-4}" = 4 ] && echo 192.0.2.1 || echo 2001:db8::1; }
esp_wan_b() { [ "${ESP_OUTER:-4}" = 4 ] && echo 192.0.2.2 || echo 2001:db8::2; }

# A UDP socket with UDP_ENCAP_ESPINUDP on port 4500 in NS, as an IKE daemon
# keeps, so that the kernel decapsulates ESP in UDP. Prints its pid.
esp_natt_socket() { # NS
	ip netns exec "$1" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 4500))
s.setsockopt(socket.IPPROTO_UDP, 100, 2)  # UDP_ENCAP, UDP_ENCAP_ESPINUDP
time.sleep(100000)
' >/dev/null 2>&1 &
	echo $!
}

esp_gateways() { # NS_A NS_B
	local a=$1 b=$2 wa wb

	wa=$(esp_wan_a)
	wb=$(esp_wan_b)
	ip netns add "$a"
	ip netns add "$b"
	ip -n "$a" link set lo up
	ip -n "$b" link set lo up
	ip -n "$a" link add wan type veth peer name wan netns "$b"
	esp_gateway_side "$a" wan "$wa" 10.1.0.1 "$wb" 10.2.0.1 \
		0xa1b2 $ESP_AEAD_A2B 0xb2a1 $ESP_AEAD_B2A
	esp_gateway_side "$b" wan "$wb" 10.2.0.1 "$wa" 10.1.0.1 \
		0xb2a1 $ESP_AEAD_B2A 0xa1b2 $ESP_AEAD_A2B
}

esp_gateway_c() { # NS_A NS_C
	local a=$1 c=$2

	ip netns add "$c"
	ip -n "$c" link set lo up
	ip -n "$a" link add wan2 type veth peer name wan netns "$c"
	esp_gateway_side "$a" wan2 198.51.100.1 10.1.0.2 198.51.100.2 10.3.0.1 \
		0xa1c3 $ESP_AEAD_A2B 0xc3a1 $ESP_AEAD_B2A
	esp_gateway_side "$c" wan 198.51.100.2 10.3.0.1 198.51.100.1 10.1.0.2 \
		0xc3a1 $ESP_AEAD_B2A 0xa1c3 $ESP_AEAD_A2B
}

# Route-based: gateway A with an XFRM interface per tunnel, the policies on
# A matching everything (0.0.0.0/0) of their if_id, so routing picks the
# tunnel. B and C stay policy-based.
#
#   xfrmi_gateways NS_A NS_B NS_C
#
#   A  wanB 192.0.2.1    <-> B wan 192.0.2.2      SPIs 0xa1b2/0xb2a1, reqid 1
#      wanC 198.51.100.1 <-> C wan 198.51.100.2   SPIs 0xa1c3/0xc3a1, reqid 2
#      xfrm1 (if_id 1) carries the tunnel to B, xfrm2 (if_id 2) the one to C
#   LAN: 10.1.0.1 behind A, 10.2.0.1 behind B, 10.3.0.1 behind C, and the
#   service address 10.9.0.1 behind both B and C (anycast).
#   A routes 10.9.0.0/24 via xfrm1 (metric 10) and xfrm2 (metric 20),
#   10.2.0.1 via xfrm1 and 10.3.0.1 via xfrm2, all with source 10.1.0.1,
#   and ignores routes whose device has no carrier: when xfrm1 loses its
#   carrier (or goes down), 10.9.0.1 is reached through C.
XFRMI_SERVICE=10.9.0.1

# A's side of one tunnel: NS DEV WAN PEER_WAN IF_ID REQID OUT_SPI OUT_KEY IN_SPI IN_KEY
xfrmi_side() {
	local ns=$1 dev=$2 wan=$3 pwan=$4 id=$5 reqid=$6 xdev=xfrm$5

	ip -n "$ns" addr add "$wan/24" dev "$dev"
	ip -n "$ns" link set "$dev" up
	ip -n "$ns" link add "$xdev" type xfrm if_id "$id"
	ip -n "$ns" link set "$xdev" up
	ip -n "$ns" xfrm state add src "$wan" dst "$pwan" proto esp spi "$7" \
		reqid "$reqid" mode tunnel aead 'rfc4106(gcm(aes))' "$8" 128 \
		if_id "$id"
	ip -n "$ns" xfrm state add src "$pwan" dst "$wan" proto esp spi "$9" \
		reqid "$reqid" mode tunnel aead 'rfc4106(gcm(aes))' "${10}" 128 \
		if_id "$id"
	ip -n "$ns" xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out \
		if_id "$id" tmpl src "$wan" dst "$pwan" proto esp reqid "$reqid" \
		mode tunnel
	ip -n "$ns" xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in \
		if_id "$id" tmpl src "$pwan" dst "$wan" proto esp reqid "$reqid" \
		mode tunnel
}

# A far gateway (policy-based) in its own netns, its WAN device "wan":
# NS WAN PEER_WAN LAN REQID OUT_SPI OUT_KEY IN_SPI IN_KEY
xfrmi_far_side() {
	local ns=$1 wan=$2 pwan=$3 lan=$4 reqid=$5

	ip -n "$ns" addr add "$wan/24" dev wan
	ip -n "$ns" link set wan up
	ip -n "$ns" addr add "$lan/32" dev lo
	ip -n "$ns" addr add "$XFRMI_SERVICE/32" dev lo
	ip -n "$ns" route add 10.1.0.0/24 dev wan src "$lan"
	ip -n "$ns" xfrm state add src "$wan" dst "$pwan" proto esp spi "$6" \
		reqid "$reqid" mode tunnel aead 'rfc4106(gcm(aes))' "$7" 128
	ip -n "$ns" xfrm state add src "$pwan" dst "$wan" proto esp spi "$8" \
		reqid "$reqid" mode tunnel aead 'rfc4106(gcm(aes))' "$9" 128
	ip -n "$ns" xfrm policy add src 0.0.0.0/0 dst 10.1.0.0/24 dir out \
		tmpl src "$wan" dst "$pwan" proto esp reqid "$reqid" mode tunnel
	ip -n "$ns" xfrm policy add src 10.1.0.0/24 dst 0.0.0.0/0 dir in \
		tmpl src "$pwan" dst "$wan" proto esp reqid "$reqid" mode tunnel
}

# The routes of A through the XFRM interfaces; again after "ip link set
# xfrmN up", as taking an interface down deletes its routes.
xfrmi_routes() { # NS_A
	local a=$1

	ip -n "$a" route replace 10.9.0.0/24 dev xfrm1 metric 10 src 10.1.0.1
	ip -n "$a" route replace 10.9.0.0/24 dev xfrm2 metric 20 src 10.1.0.1
	ip -n "$a" route replace 10.2.0.1/32 dev xfrm1 src 10.1.0.1
	ip -n "$a" route replace 10.3.0.1/32 dev xfrm2 src 10.1.0.1
}

xfrmi_gateways() { # NS_A NS_B NS_C
	local a=$1 b=$2 c=$3 ns

	for ns in "$a" "$b" "$c"; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
	done
	ip netns exec "$a" sysctl -qw net.ipv4.conf.all.ignore_routes_with_linkdown=1
	ip -n "$a" addr add 10.1.0.1/32 dev lo
	ip -n "$a" link add wanB type veth peer name wan netns "$b"
	ip -n "$a" link add wanC type veth peer name wan netns "$c"
	xfrmi_side "$a" wanB 192.0.2.1 192.0.2.2 1 1 \
		0xa1b2 $ESP_AEAD_A2B 0xb2a1 $ESP_AEAD_B2A
	xfrmi_side "$a" wanC 198.51.100.1 198.51.100.2 2 2 \
		0xa1c3 $ESP_AEAD_A2B 0xc3a1 $ESP_AEAD_B2A
	xfrmi_far_side "$b" 192.0.2.2 192.0.2.1 10.2.0.1 1 \
		0xb2a1 $ESP_AEAD_B2A 0xa1b2 $ESP_AEAD_A2B
	xfrmi_far_side "$c" 198.51.100.2 198.51.100.1 10.3.0.1 2 \
		0xc3a1 $ESP_AEAD_B2A 0xa1c3 $ESP_AEAD_A2B
	xfrmi_routes "$a"
}

# Packets that NS's SA with SPI (e.g. 0xa1b2: B's inbound from A) counted.
xfrm_sa_packets() { # NS SPI
	ip -n "$1" -s xfrm state |
		awk -v spi="$(printf '0x%08x' "$2")" '
			$1 == "proto" && $3 == "spi" { cur = $4; sub(/\(.*/, "", cur) }
			/lifetime current:/ && cur == spi { want = 1; next }
			want { sub(/\(packets\).*/, "", $2); print $2; exit }'
}

# Inner IPv6 over the IPv4 tunnel of esp_gateways: a second pair of SAs
# (SPIs 0xa1b6 and 0xb6a1, reqid 6) whose selectors are IPv6, and IPv6
# policies, for LAN fd00:1::1 behind A and fd00:2::1 behind B.
esp_inner6() { # NS_A NS_B
	local a=$1 b=$2 wa wb

	wa=$(esp_wan_a)
	wb=$(esp_wan_b)
	esp_inner6_side "$a" "$wa" "$wb" fd00:1::1 fd00:2::1 \
		0xa1b6 $ESP_AEAD_A2B 0xb6a1 $ESP_AEAD_B2A
	esp_inner6_side "$b" "$wb" "$wa" fd00:2::1 fd00:1::1 \
		0xb6a1 $ESP_AEAD_B2A 0xa1b6 $ESP_AEAD_A2B
}

# NS WAN PEER_WAN LAN PEER_LAN OUT_SPI OUT_KEY IN_SPI IN_KEY
esp_inner6_side() {
	local ns=$1 wan=$2 pwan=$3 lan=$4 plan=$5 opt=()

	[ "${ESP_NATT:-0}" = 0 ] || opt=(encap espinudp 4500 4500 0.0.0.0)
	ip -n "$ns" addr add "$lan/128" dev lo nodad
	ip -n "$ns" route add "$plan/128" dev wan src "$lan"
	ip -n "$ns" xfrm state add src "$wan" dst "$pwan" proto esp spi "$6" \
		reqid 6 mode tunnel aead 'rfc4106(gcm(aes))' "$7" 128 \
		sel src ::/0 dst ::/0 "${opt[@]}"
	ip -n "$ns" xfrm state add src "$pwan" dst "$wan" proto esp spi "$8" \
		reqid 6 mode tunnel aead 'rfc4106(gcm(aes))' "$9" 128 \
		sel src ::/0 dst ::/0 "${opt[@]}"
	ip -n "$ns" xfrm policy add src "$lan/128" dst "$plan/128" dir out \
		tmpl src "$wan" dst "$pwan" proto esp reqid 6 mode tunnel
	ip -n "$ns" xfrm policy add src "$plan/128" dst "$lan/128" dir in \
		tmpl src "$pwan" dst "$wan" proto esp reqid 6 mode tunnel
}
