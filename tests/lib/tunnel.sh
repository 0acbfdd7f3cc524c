# SPDX-License-Identifier: GPL-2.0
# Sourced: two gateways in their own netns, joined by a veth "WAN", each with
# a LAN address behind it, and a tunnel-mode ESP tunnel between them made
# of real SAs and policies installed through XFRM netlink (ip xfrm).
#
#   esp_gateways NS_A NS_B      veth + addresses + SAs + policies
#   esp_gateway_c NS_A NS_C     a second tunnel from A: WAN 198.51.100.1/.2,
#                               LAN 10.1.0.2 behind A and 10.3.0.1 behind C,
#                               SPIs 0xa1c3 and 0xc3a1, A's WAN device wan2
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
