#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rules that do not match leave SAs alone; a busy tunnel with a probe
# target sends no probes; a single-host selector gives a probe target;
# "restart" hard-expires but keeps the SAs; events match the expected
# JSON; joining the events group needs CAP_NET_ADMIN; an overflowed
# listener resyncs and still reports every peer.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
modprobe xfrm_hc
esp_gateways "$a" "$b"
peers() { "$XHC" -n "$a" -j peer show; }
peer_is() { peers | jq -e ".[0] | $1"; }

# Rules: no match, no monitoring; a match brings the peer back.
"$XHC" -n "$a" rule add prio 5 reqid 100-200 interval 100ms
check "a rule for other reqids leaves the tunnel unmonitored" wait_for 5 \
	bash -c "[ \"\$('$XHC' -n $a -j peer show | jq length)\" = 0 ]"
"$XHC" -n "$a" rule add prio 6 mark 0x10/0xff interval 100ms
check "a rule for another mark does not take it either" \
	bash -c "[ \"\$('$XHC' -n $a -j peer show | jq length)\" = 0 ]"
"$XHC" -n "$a" rule add prio 7 family inet remote 192.0.2.0/24 interval 1s \
	mode idle probe-src 10.1.0.1 probe-dst 10.2.0.1
check "a rule for its remote prefix takes it" wait_for 5 peer_is '.rule_prio == 7'

# Busy with a probe target, idle mode: the traffic is the evidence. An
# interval of 1 s against a ping every 50 ms: a stalled VM (one interval
# with no echo reply) must not count as idle.
bg ip netns exec "$a" ping -q -i 0.05 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1
check "busy tunnel is up" wait_for 10 peer_is '.in_packets > 20'
sent=$(peers | jq '.[0].probes_sent')
sleep 3
check "a busy tunnel sends no probes" peer_is ".probes_sent == $sent"
kill "${bg_pids[-1]}"
check "once idle, it is probed" wait_for 10 peer_is ".probes_sent > $sent and .probes_answered > 0"

# A single-host selector names a target without probe-src/probe-dst. (An
# update does not change an ESP SA's selector: replace the SA.)
"$XHC" -n "$a" rule flush
"$XHC" -n "$a" rule add prio 1 interval 100ms mode idle
ip -n "$a" xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0xa1b2
ip -n "$a" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0xa1b2 \
	reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $ESP_AEAD_A2B 128 \
	sel src 10.1.0.1/32 dst 10.2.0.1/32
answered=$(peers | jq '.[0].probes_answered')
check "the selector's far host is probed and answers" wait_for 10 \
	peer_is ".probes_answered > $answered + 2 and (.profile | has(\"probe_dst\") | not)"

# The expected JSON of an event, volatile fields aside.
"$XHC" -n "$a" rule flush
"$XHC" -n "$a" rule add prio 1 interval 100ms mode idle action restart
bg "$XHC" -n "$a" -j monitor >"$work/events"
bg ip -n "$a" xfrm monitor >"$work/xfrm-monitor" 2>&1
sleep 1
tc -n "$a" qdisc add dev wan root netem loss 100%
check "peer-down for the restart rule" wait_for 10 grep -q '"peer-down"' "$work/events"
got=$(grep -m1 '"peer-down"' "$work/events" || true)
got=$(jq -cS <<<"${got:-null}" '
	del(.generation, .peer.in_packets, .peer.out_packets, .peer.probes_sent,
	    .peer.probes_answered, .peer.last_change_ms, .peer.last_in_ms,
	    .peer.detect_ms, .peer.rtt_min_us, .peer.rtt_avg_us, .peer.rtt_max_us)' || true)
want=$(jq -cS . <<'JSON'
{"event":"peer-down","peer":{"family":"inet","remote":"192.0.2.2",
 "local":"192.0.2.1","if_id":0,"state":"dead","reason":"probe-timeout","probe":"icmp",
 "rule_prio":1,"profile":{"interval_ms":100,"misses":3,"up":1,"jitter":10,
 "mode":"idle","action":"restart","natt_keepalive_s":20},
 "sas":[{"spi":"0x0000a1b2","proto":"esp","dir":"out","reqid":1,"mark":0,"mark_mask":0,"if_id":0},
        {"spi":"0x0000b2a1","proto":"esp","dir":"in","reqid":1,"mark":0,"mark_mask":0,"if_id":0}]}}
JSON
)
got_sorted=$(jq -cS '.peer.sas |= sort_by(.spi)' <<<"${got:-null}" || true)
check "peer-down is the expected JSON" test "$got_sorted" = "$want"
[ "$got_sorted" = "$want" ] || { echo "#   got:  $got_sorted"; echo "#   want: $want"; }
check "restart: the IKE daemon got a hard expire" wait_for 5 grep -q 'hard 1' "$work/xfrm-monitor"
check "restart: the SAs stay" bash -c "[ \$(ip -n $a xfrm state | grep -c '^src') = 2 ]"
check "restart: the peer stays, dead" peer_is '.state == "dead"'
tc -n "$a" qdisc del dev wan root

# Only CAP_NET_ADMIN may listen.
join_as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		python3 - join <"$GENL_PY"
}
check "an unprivileged user cannot join the events group" join_as_nobody
expect_fail "the tool says so too" 'not permitted|EPERM|permission' \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$XHC" monitor

# Overflow: a listener with a tiny buffer misses events, resyncs from the
# dump, and still reports every peer.
ns=$ns_prefix-many
netns_add "$ns"
XFRM_HC_EVENTS_RCVBUF=256 bg "$XHC" -n "$ns" -j monitor >"$work/flood"
sleep 1
kill -STOP "${bg_pids[-1]}"
for i in $(seq 1 60); do
	printf 'xfrm state add src 192.0.2.1 dst 198.18.%d.%d proto esp spi 0x%x reqid 1 mode tunnel aead rfc4106(gcm(aes)) %s 128\n' \
		$((i / 250)) $((i % 250 + 1)) $((0x1000 + i)) $ESP_AEAD_A2B
done >"$work/batch"
ip -n "$ns" -batch "$work/batch"
"$XHC" -n "$ns" defaults set interval 100ms
sleep 2
kill -CONT "${bg_pids[-1]}"
check "the overflowed listener says resync" wait_for 10 grep -q '"resync"' "$work/flood"
check "and reports peers from the dump" wait_for 10 grep -q '"peer-state"' "$work/flood"
echo "#   flood: $(grep -c . "$work/flood") lines, $(grep -c '"resync"' "$work/flood") resyncs"
tap_done
