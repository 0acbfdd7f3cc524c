#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xfrm-hc's echo (echo_wire.h): two gateways running the module probe each
# other with no probe target. Tunnel-mode SAs with wildcard selectors, as
# IKE daemons install them, so the echo's addresses come from the policies:
# host-to-host (/32) and subnet-to-subnet where neither gateway owns an
# address in either subnet (transit). An idle tunnel is probed by echo and
# reported dead for probe timeout when cut; requests and answers never
# reach a socket; a forged answer is rejected; with the responder off no
# echo is answered and requests pass like any packet.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
c=$ns_prefix-tr-c
d=$ns_prefix-tr-d
port=4501

peer_of() { "$XHC" -n "$1" -j peer show | jq -e ".[0] | $2"; }
stat_of() { "$XHC" -n "$1" -j stats | jq -r ".$2"; }

modprobe xfrm_hc
check "probing by echo is on by default" \
	grep -qx Y /sys/module/xfrm_hc/parameters/echo_probe
esp_gateways "$a" "$b"
for ns in "$a" "$b"; do
	"$XHC" -n "$ns" defaults set interval 100ms misses 3
done
check "the echo responder is on by default" \
	bash -c "'$XHC' -n '$b' -j defaults show | jq -e '.echo_responder == true'"
bg "$XHC" -n "$a" -j monitor >"$work/events" 2>"$work/monitor.err"

check "an idle /32 tunnel is probed by echo, with no probe target" \
	wait_for 20 peer_of "$a" '.probe == "echo" and .probes_answered >= 5'
check "and so is the other way" \
	wait_for 20 peer_of "$b" '.probe == "echo" and .probes_answered >= 5'
check "the echo gives round trip times" \
	peer_of "$a" '.rtt_min_us > 0 and .rtt_max_us >= .rtt_min_us'
check "the idle tunnel stays up (mode on-demand)" peer_of "$a" '.state == "up"'
check "b answered a's echoes" test "$(stat_of "$b" echo_answered)" -gt 0
check "peer show prints how a peer is probed" \
	bash -c "'$XHC' -n '$a' peer show | grep -q 'probe echo'"

# Requests and answers are consumed before routing: a UDP socket on the
# echo port in either gateway sees none.
listen() { # NS SECONDS: prints what a socket on the echo port received
	timeout $(($2 + 10)) ip netns exec "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
end = time.monotonic() + float(sys.argv[2])
try:
    while time.monotonic() < end:
        s.settimeout(max(end - time.monotonic(), 0.01))
        d, src = s.recvfrom(2048)
        print("received", len(d), "bytes from", src, d.hex())
except socket.timeout:
    pass
' "$port" "$2" || true
}
listen "$b" 3 >"$work/listen-b" 2>&1 &
listener=$!
listen "$a" 3 >"$work/listen-a" 2>&1
wait "$listener"
check "echo requests and answers are not delivered to sockets" \
	bash -c "! grep -q received '$work/listen-a' '$work/listen-b'"

# A forged answer from the peer's side of the tunnel: our format, a MAC
# that is not ours. Consumed and counted as rejected, never as an answer.
rejected=$(stat_of "$a" answers_rejected)
ip netns exec "$b" python3 -c '
import socket, struct, sys
port = int(sys.argv[1])
data = struct.pack("!IB3xIIIIQQ", 0x78686331, 0, 0, 0x7fffffff, 0, 0,
                   0, 0x0123456789abcdef)
msg = struct.pack("!BBHII", 2, 0, len(data), 0, 0x7fffffff) + data
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.2.0.1", port))
for _ in range(3):
    s.sendto(msg, ("10.1.0.1", port))
' "$port"
forged_rejected() { [ "$(stat_of "$a" answers_rejected)" -ge $((rejected + 3)) ]; }
check "a forged echo answer through the tunnel is rejected" wait_for 5 forged_rejected

# A flood of requests from the peer: a answers at most echo_rate a second
# of them (module parameter, 2 here), and counts the rest as limited.
echo 2 >/sys/module/xfrm_hc/parameters/echo_rate
limited=$(stat_of "$a" echo_limited)
answered=$(stat_of "$a" echo_answered)
t0=$SECONDS
ip netns exec "$b" python3 -c '
import socket, struct, sys, time
port = int(sys.argv[1])
msg = struct.pack("!BBHII", 1, 0, 40, 7, 1) + bytes(40)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.2.0.1", port))
for _ in range(200):
    s.sendto(msg, ("10.1.0.1", port))
    time.sleep(0.005)
' "$port"
sleep 1
now_answered=$(stat_of "$a" echo_answered)
now_limited=$(stat_of "$a" echo_limited)
secs=$((SECONDS - t0 + 1))
echo 100 >/sys/module/xfrm_hc/parameters/echo_rate
echo "# flood: $((now_answered - answered)) answered, $((now_limited - limited)) limited in about $secs s"
check "a flood of echo requests is limited" \
	test "$now_limited" -gt $((limited + 150))
check "at most echo_rate a second are answered" \
	test "$now_answered" -le $((answered + 2 * (secs + 2)))

# The idle tunnel is cut: dead for probe timeout, within (misses + 1)
# intervals and jitter; generous here, a loaded VM is slow.
cut_at=$(date +%s%N)
tc -n "$a" qdisc add dev wan root netem loss 100%
check "an idle tunnel whose peer is cut is reported dead" \
	wait_for 10 grep -q '"peer-down"' "$work/events"
echo "# detection: $(( ($(date +%s%N) - cut_at) / 1000000 )) ms from the cut as seen by the tool"
ev=$(grep -m1 '"peer-down"' "$work/events")
check "the reason is probe timeout, the method echo" \
	jq -e '.peer.reason == "probe-timeout" and .peer.probe == "echo"' <<<"$ev"
tc -n "$a" qdisc del dev wan root
up_after_down() { sed -n '/"peer-down"/,$p' "$work/events" | grep -q '"peer-up"'; }
check "peer-up once echoes are answered again" wait_for 10 up_after_down

# The responder off: nothing answered, requests pass as any packet would.
# A socket on the echo port first: without one, b's host would answer
# a's echoes with port unreachable (below).
listen "$b" 3 >"$work/listen-off" 2>&1 &
listener=$!
port_bound() { ip netns exec "$b" ss -Hunl "sport = :$port" | grep -q .; }
wait_for 20 port_bound || true
"$XHC" -n "$b" defaults set echo-responder off
answered=$(stat_of "$b" echo_answered)
check "defaults show says the responder is off" \
	bash -c "'$XHC' -n '$b' defaults show | grep -q 'echo-responder off'"
check "save keeps the switch" \
	bash -c "'$XHC' -n '$b' save | grep -q 'echo-responder off'"
wait "$listener"
check "with echo-responder off, no echo is answered" \
	test "$(stat_of "$b" echo_answered)" = "$answered"
check "and requests reach the socket like any packet" \
	grep -q received "$work/listen-off"
# Nothing listens now: b's host answers a's echoes with port unreachable.
check "a far host that refuses the echo makes its peer passive, not dead" \
	wait_for 10 peer_of "$a" '.probe == "passive"'

# A genuine answer, replayed. b's socket kept a's requests; the last one,
# sent back as a response through the tunnel, is a valid answer: it counts
# once, and the same again is rejected.
req=$(awk '/received/ { h = $NF } END { print h }' "$work/listen-off")
answer_back() { # NS FROM TO: $req as a response, from FROM to TO
	ip netns exec "$1" python3 -c '
import socket, sys
d = bytearray.fromhex(sys.argv[1])
d[0] = 2
port = int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[3], port))
s.sendto(bytes(d), (sys.argv[4], port))
' "$req" "$port" "$2" "$3"
}
peer_b() { "$XHC" -n "$a" -j peer show remote 192.0.2.2 | jq -e ".[0] | $1"; }
answered_a=$(peer_b .probes_answered)
rejected=$(stat_of "$a" answers_rejected)
# First from another tunnel's peer: g, a's second tunnel (10.1.0.2 on a,
# 10.3.0.1 behind g). Signed for a-b, it fails through a-g.
g=$ns_prefix-gw-g
esp_gateway_c "$a" "$g"
answer_back "$g" 10.3.0.1 10.1.0.2
other_rejected() { [ "$(stat_of "$a" answers_rejected)" -gt "$rejected" ]; }
check "an answer sent by another tunnel's peer is rejected" wait_for 5 other_rejected
check "and counted for no peer" peer_b ".probes_answered == $answered_a"
rejected=$(stat_of "$a" answers_rejected)
answer_back "$b" 10.2.0.1 10.1.0.1
check "a request of a's sent back as its answer counts, once" \
	wait_for 5 peer_b ".probes_answered == $answered_a + 1"
answer_back "$b" 10.2.0.1 10.1.0.1
replay_rejected() { [ "$(stat_of "$a" answers_rejected)" -gt "$rejected" ]; }
check "the same answer replayed is rejected" wait_for 5 replay_rejected
check "and not counted" peer_b ".probes_answered == $answered_a + 1"
"$XHC" -n "$b" defaults set echo-responder on
expect_fail "bad input: echo-responder takes on or off" "is on or off" \
	"$XHC" -n "$b" defaults set echo-responder maybe

# Transit gateways: subnet-to-subnet selectors (10.11.0.0/24 behind c,
# 10.12.0.0/24 behind d), neither gateway owning an address in them.
ip netns add "$c"
ip netns add "$d"
ip -n "$c" link set lo up
ip -n "$d" link add wan type veth peer name wan netns "$c"
for side in "$c 203.0.113.1 203.0.113.2 10.11.0.0/24 10.12.0.0/24 0xc1d2 0xd2c1" \
	"$d 203.0.113.2 203.0.113.1 10.12.0.0/24 10.11.0.0/24 0xd2c1 0xc1d2"; do
	read -r ns wan pwan mine theirs out in <<<"$side"
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "$wan/24" dev wan
	ip -n "$ns" link set wan up
	ip -n "$ns" route add "$theirs" dev wan
	ip -n "$ns" xfrm state add src "$wan" dst "$pwan" proto esp spi "$out" \
		reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $ESP_AEAD_A2B 128
	ip -n "$ns" xfrm state add src "$pwan" dst "$wan" proto esp spi "$in" \
		reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $ESP_AEAD_A2B 128
	ip -n "$ns" xfrm policy add src "$mine" dst "$theirs" dir out \
		tmpl src "$wan" dst "$pwan" proto esp reqid 7 mode tunnel
	ip -n "$ns" xfrm policy add src "$theirs" dst "$mine" dir in \
		tmpl src "$pwan" dst "$wan" proto esp reqid 7 mode tunnel
	ip -n "$ns" xfrm policy add src "$theirs" dst "$mine" dir fwd \
		tmpl src "$pwan" dst "$wan" proto esp reqid 7 mode tunnel
	"$XHC" -n "$ns" defaults set interval 100ms misses 3
done
check "transit gateways probe each other by echo inside the selectors" \
	wait_for 20 peer_of "$c" '.probe == "echo" and .probes_answered >= 5'
check "the transit echo counted on d's inbound SA" \
	test "$(xfrm_sa_packets "$d" 0xc1d2)" -gt 0

# Mixed: f answers no echo, as a host without xfrm-hc (same tunnel as
# a-b). No traffic, one way (to a socket that never answers) or both ways:
# e never calls f dead; cut, passive detection still works.
e=$ns_prefix-mx-e
f=$ns_prefix-mx-f
esp_gateways "$e" "$f"
"$XHC" -n "$f" defaults set echo-responder off
# e keeps the defaults (1 s): f's kernel rate-limits its ICMP errors, the
# evidence a one-way flow gets from it, to one a second (icmp_ratelimit).
bg "$XHC" -n "$e" -j monitor >"$work/events-mixed" 2>&1
bg ip netns exec "$f" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.2.0.1", 9999))
while True:
    s.recv(2048)
'
one_way() { # SECONDS: UDP from e's LAN to f's silent socket, 20 a second
	timeout "$1" ip netns exec "$e" bash -c \
		'while :; do echo x; sleep 0.05; done >/dev/udp/10.2.0.1/9999' || true
}
sleep 60
check "far side without a responder, no traffic for 60 s: never dead" \
	bash -c "! grep -q peer-down '$work/events-mixed'"
one_way 60
check "far side without a responder, one-way traffic for 60 s: never dead" \
	bash -c "! grep -q peer-down '$work/events-mixed'"
ip netns exec "$e" ping -q -c 600 -i 0.1 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1 || true
check "far side without a responder, traffic both ways for 60 s: never dead" \
	bash -c "! grep -q peer-down '$work/events-mixed'"
check "and its peer is watched passively" peer_of "$e" '.probe == "passive"'
tc -n "$e" qdisc add dev wan root netem loss 100%
one_way 10 &
sender=$!
check "cut with one-way traffic: passive detection still works" \
	wait_for 10 grep -q '"peer-down"' "$work/events-mixed"
wait "$sender"
tc -n "$e" qdisc del dev wan root

# The far side starts answering (its module loaded, its responder on):
# within the longest discovery back-off, 30 s, and an interval or two.
"$XHC" -n "$f" defaults set echo-responder on
t0=$SECONDS
check "a far side that starts answering makes its peer echo-capable within 30 s and a few intervals" \
	wait_for 40 peer_of "$e" '.probe == "echo"'
echo "# echo-capable $((SECONDS - t0)) s after the far responder came on"

# One-way flow with an echo-capable peer under action clear: 60 s, never
# dead, the SAs kept.
"$XHC" -n "$e" defaults set action clear
: >"$work/events-mixed"
one_way 60
check "one-way traffic for 60 s to an echo-capable peer: never dead under action clear" \
	bash -c "! grep -q peer-down '$work/events-mixed'"
check "its SAs are all still there" \
	bash -c "[ \"\$(ip -n '$e' xfrm state | grep -c '^src')\" = 2 ]"

tap_done
