#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Probing: an idle tunnel in "idle" mode with a probe target stays up on
# answered probes, is reported dead for probe timeout when cut, and up
# again after; probe answers are consumed; "clear" deletes exactly the
# dead peer's SAs and tells the IKE daemon (hard expire).
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b

peer_is() { "$XHC" -n "$a" -j peer show | jq -e ".[0] | $1"; }

modprobe xfrm_hc
esp_gateways "$a" "$b"
"$XHC" -n "$a" defaults set interval 100ms misses 3 mode idle \
	probe-src 10.1.0.1 probe-dst 10.2.0.1
bg "$XHC" -n "$a" -j monitor >"$work/events" 2>"$work/monitor.err"
# IKE daemon stand-in: what XFRM tells key managers, as "ip xfrm monitor".
bg ip -n "$a" xfrm monitor >"$work/xfrm-monitor" 2>&1

check "an idle tunnel with a probe target is probed and answered" \
	wait_for 15 peer_is '.probes_answered >= 5 and .state == "up"'
check "round trip times are reported" peer_is '.rtt_min_us > 0 and .rtt_max_us >= .rtt_avg_us and .rtt_avg_us >= .rtt_min_us'
check "it never went idle or dead" bash -c "! grep -Eq 'peer-(idle|down)' '$work/events'"

# Answers are consumed: a raw ICMP listener in a sees none of them.
timeout 20 ip netns exec "$a" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.settimeout(3)
try:
    while True:
        d = s.recv(2048)
        if d[20] == 0:
            print("echo reply seen"); sys.exit(1)
except socket.timeout:
    pass
' >"$work/raw" 2>&1 && st=0 || st=$?
check "probe answers are not delivered to local sockets" test "$st" = 0
sed 's/^/#   /' "$work/raw"

cut_at=$(date +%s%N)
tc -n "$a" qdisc add dev wan root netem loss 100%
check "peer-down arrives when the link is cut" wait_for 10 grep -q '"peer-down"' "$work/events"
# (misses + 1) x interval x (1 + jitter) = 440 ms. The script saw 557
# to 3,438 ms over 22 runs of both kernels with other guests on the 2
# host cores. detect_ms on 6.1 with four guests: 1,035 ms (the script
# saw 2,942), 2.35 times the bound: twice cannot hold here, 2.5 times.
seen_ms=$(ms_since "$cut_at")
ev=$(grep -m1 '"peer-down"' "$work/events")
detect_check "peer-down" "$ev" "$seen_ms" $(( (3 + 1) * 100 * 110 / 100 )) 250
check "the reason is probe timeout" jq -e '.peer.reason == "probe-timeout"' <<<"$ev"
tc -n "$a" qdisc del dev wan root
up_after_down() { sed -n '/"peer-down"/,$p' "$work/events" | grep -q '"peer-up"'; }
check "peer-up once probes are answered again" wait_for 10 up_after_down

# action clear: a third gateway c keeps its tunnel when b's is cleared.
c=$ns_prefix-gw-c
esp_gateway_c "$a" "$c"

"$XHC" -n "$a" rule add prio 10 remote 192.0.2.2 interval 100ms misses 3 \
	mode idle action clear probe-src 10.1.0.1 probe-dst 10.2.0.1
"$XHC" -n "$a" rule add prio 20 interval 100ms probe-src 10.1.0.2 probe-dst 10.3.0.1
check "rules: b's peer is watched by rule 10, c's by rule 20" wait_for 10 bash -c \
	"'$XHC' -n $a -j peer show | jq -e '(map({(.remote): .rule_prio}) | add) == {\"192.0.2.2\": 10, \"198.51.100.2\": 20}'"
check "c's peer is up on answered probes" wait_for 10 bash -c \
	"'$XHC' -n $a -j peer show | jq -e '.[] | select(.remote == \"198.51.100.2\") | .probes_answered > 2 and .state == \"up\"'"
seen=$(wc -l <"$work/events")
cut_at=$(date +%s%N)
tc -n "$a" qdisc add dev wan root netem loss 100%
b_down() { tail -n +$((seen + 1)) "$work/events" | grep '"peer-down"' | grep -q '"remote":"192.0.2.2"'; }
check "peer b is declared dead" wait_for 10 b_down
# Rule 10's profile, as above: 440 ms, and 2.5 times. detect_ms on 6.1
# with four guests: 760 ms (the script saw 4,013).
seen_ms=$(ms_since "$cut_at")
detect_check "rule 10: peer b's death" \
	"$(tail -n +$((seen + 1)) "$work/events" | grep '"peer-down"' | grep -m1 '"remote":"192.0.2.2"')" \
	"$seen_ms" $(( (3 + 1) * 100 * 110 / 100 )) 250
check "clear: b's SAs are gone from the kernel" wait_for 5 bash -c \
	"! ip -n $a xfrm state | grep -Eq 'spi 0x0000(a1b2|b2a1) '"
check "clear: c's SAs are untouched" bash -c \
	"[ \$(ip -n $a xfrm state | grep -Ec 'spi 0x0000(a1c3|c3a1) ') = 2 ]"
check "c's tunnel still passes traffic" \
	ip netns exec "$a" ping -c 2 -W 2 -I 10.1.0.2 10.3.0.1
check "the IKE daemon was told: hard expire of b's SAs" wait_for 5 bash -c \
	"grep -q '^Expired' '$work/xfrm-monitor' && grep -q 'hard 1' '$work/xfrm-monitor'"
check "b's peer is gone after clear" wait_for 5 bash -c \
	"'$XHC' -n $a -j peer show | jq -e 'map(.remote) == [\"198.51.100.2\"]'"
check "c was not declared dead when b was" bash -c "! tail -n +$((seen + 1)) '$work/events' | grep '\"peer-down\"' | grep -q 198.51.100.2"
ip -n "$a" xfrm state | grep -E '^src' | sed 's/^/#   state: /'
sed 's/^/#   event: /' "$work/events" | cut -c1-200
tap_done
