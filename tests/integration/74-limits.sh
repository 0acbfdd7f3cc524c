#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-namespace limits, module parameters: max_rules and max_checks refuse
# the request with the kernel's reason; max_peers leaves SAs past it
# unmonitored, counted and logged, since they come from the IKE daemon and
# not from a request. Under the limit again, new SAs are watched. Peers'
# timers are spread over the CPUs. A flood of requests does not starve the
# probe timers. Softirq load past probe_softirq_pct sheds probes.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

n=$ns_prefix-lim
a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
P=/sys/module/xfrm_hc/parameters
KEY=0x0102030405060708090a0b0c0d0e0f1011121314

x() { "$XHC" -n "$n" "$@"; }
stat_is() { x -j stats | jq -e "$1"; }
# An outbound SA from 10.7.0.1 to 10.8.0.N: one peer each.
sa_to() { # N
	ip -n "$n" xfrm state add src 10.7.0.1 dst "10.8.0.$1" proto esp \
		spi "0x$((7000 + $1))" mode tunnel aead 'rfc4106(gcm(aes))' $KEY 128
}

modprobe xfrm_hc
saved_rules=$(cat $P/max_rules)
saved_checks=$(cat $P/max_checks)
saved_peers=$(cat $P/max_peers)
restore_limits() {
	echo "$saved_rules" >$P/max_rules
	echo "$saved_checks" >$P/max_checks
	echo "$saved_peers" >$P/max_peers
	[ -z "${saved_si:-}" ] || echo "$saved_si" >$P/probe_softirq_pct
}
trap 'restore_limits; cleanup_all' EXIT
check "defaults: max_rules 1024, max_checks 1024, max_peers 65536" \
	test "$saved_rules $saved_checks $saved_peers" = "1024 1024 65536"
netns_add "$n"
ip -n "$n" addr add 10.7.0.1/32 dev lo

echo 2 >$P/max_rules
x rule add prio 1 interval 1s
x rule add prio 2 interval 2s
expect_fail "max_rules 2: a third rule is refused, and the kernel says why" \
	'max_rules' x rule add prio 3 interval 3s
check "two rules stay" bash -c "[ \$('$XHC' -n $n -j rule show | jq length) = 2 ]"
x rule flush

echo 1 >$P/max_checks
x check add name c1 src 10.7.0.1 dst 10.8.0.99 interval 1s
expect_fail "max_checks 1: a second check is refused, and the kernel says why" \
	'max_checks' x check add name c2 src 10.7.0.1 dst 10.8.0.98
x check del c1
check "under the limit again, a check can be added" \
	x check add name c2 src 10.7.0.1 dst 10.8.0.98
x check flush

echo 3 >$P/max_peers
for i in 1 2 3 4 5; do sa_to "$i"; done
check "max_peers 3: three peers are watched" stat_is '.peers == 3'
check "max_peers 3: the other two are counted as refused" stat_is '.peers_refused == 2'
check "the kernel log says why" bash -c \
	"dmesg | grep -q 'not monitored: namespace at max_peers'"
check "the SAs themselves are untouched" \
	test "$(ip -n "$n" xfrm state | grep -c '^src')" = 5
ip -n "$n" xfrm state delete src 10.7.0.1 dst 10.8.0.1 proto esp spi 0x7001
check "one peer gone: two left" stat_is '.peers == 2'
sa_to 6
check "under the limit again, a new SA is watched" bash -c \
	"'$XHC' -n $n -j peer show | jq -e 'any(.[]; .remote == \"10.8.0.6\")'"
check "and the count of refused stays" stat_is '.peers == 3 and .peers_refused == 2'
ip -n "$n" xfrm state flush
check "flushed: no peers" stat_is '.peers == 0'

# A namespace's peer table is sized for max_peers when the namespace
# starts, and holds twice that: raised later past it, the peers beyond
# are refused and counted like those past max_peers, not lost silently.
n2=$ns_prefix-lim2
echo 64 >$P/max_peers
netns_add "$n2"
echo 200 >$P/max_peers
for i in $(seq 1 130); do
	echo "xfrm state add src 10.7.0.1 dst 10.9.$((i / 100)).$((i % 100 + 1)) proto esp spi $((0x9000 + i)) mode tunnel aead rfc4106(gcm(aes)) $KEY 128"
done | ip -n "$n2" -batch -
s2_is() { "$XHC" -n "$n2" -j stats | jq -e "$1"; }
check "a table sized at max_peers 64 holds 128 peers; 2 more are refused" \
	wait_for 30 s2_is '.peers == 128 and .peers_refused == 2'
check "and their SAs are untouched" \
	test "$(ip -n "$n2" xfrm state | grep -c '^src')" = 130
ip -n "$n2" xfrm state flush
check "flushed: no peers there" wait_for 10 s2_is '.peers == 0'
restore_limits

# Peers' timers are spread over the CPUs, not left on the one that added
# their SAs (there, one CPU would do every tick, probe and answer).
# Each CPU's timing wheel says how many peers it holds.
timers_per_cpu() {
	cat /sys/kernel/debug/xfrm_hc/timer_wheels
}
for i in $(seq 10 49); do taskset -c 0 ip -n "$n" xfrm state add src 10.7.0.1 \
	dst "10.8.0.$i" proto esp spi "0x$((7000 + i))" mode tunnel \
	aead 'rfc4106(gcm(aes))' $KEY 128; done
check "spread: 40 peers" stat_is '.peers == 40'
timers_per_cpu | sed 's/^/#   cpu timers: /'
spread_evenly() { [ "$(timers_per_cpu | awk '$2 >= 10' | wc -l)" = "$(nproc)" ]; }
check "spread: every CPU runs at least 10 of the 40 timers, all added from CPU 0" \
	spread_evenly
ip -n "$n" xfrm state flush
check "spread: flushed, no peers" stat_is '.peers == 0'
# Peers leave the count before their wheel entry is cancelled: wait.
wheels_empty() {
	timers_per_cpu
	[ "$(timers_per_cpu | awk '{ s += $2 } END { print s + 0 }')" = 0 ]
}
check "spread: the wheels hold no peer after the flush" wait_for 10 wheels_empty

# A flood of requests from one process (reads, dumps and rule flushes,
# which take the namespace's lock and resync its SAs) does not starve the
# probe timers: a peer probed every 100 ms stays up and keeps being answered.
esp_gateways "$a" "$b"
"$XHC" -n "$a" defaults set interval 100ms misses 3 mode idle \
	probe-src 10.1.0.1 probe-dst 10.2.0.1
pa() { "$XHC" -n "$a" -j peer show | jq -e ".[0] | $1"; }
check "flood: the peer is up, probed" wait_for 15 pa '.state == "up" and .probes_answered > 0'
bg "$XHC" -n "$a" -j monitor >"$work/mon-flood"
mon_flood=${bg_pids[-1]}
before=$("$XHC" -n "$a" -j peer show | jq '.[0].probes_answered')
late0=$("$XHC" -n "$a" -j stats | jq '.late_ticks')
# Each request is one that must succeed: a rejected one is no load on
# the lock, and counts as a failure, not as a request that went through.
read -r sent accepted errors < <(ip netns exec "$a" python3 "$GENL_PY" \
	flood 10 1 2 7 6:dump 8:dump 16:dump)
after=$("$XHC" -n "$a" -j peer show | jq '.[0].probes_answered')
late1=$("$XHC" -n "$a" -j stats | jq '.late_ticks')
echo "# flood: $sent requests in 10 s, $accepted accepted, errors: $errors; probes answered $((after - before)); late ticks $((late1 - late0))"
check "flood: over 100 requests in 10 s" test "$sent" -gt 100
check "flood: every request was accepted" test "$accepted" = "$sent"
check "flood: probes kept being answered (at least 40 in 10 s)" \
	test $((after - before)) -ge 40
check "flood: no peer-down" bash -c "! grep -q peer-down '$work/mon-flood'"
check "flood: the peer is up" pa '.state == "up"'

# Softirq load sheds probes (probe_softirq_pct): a probe's answer costs
# the receiving CPU more than sending it, and only the sending is timed.
# A ping flood on every CPU puts them in softirq; at the lowest limit the
# probes stop, the peer is not called dead for it, and they resume after.
saved_si=$(cat $P/probe_softirq_pct)
check "probe_softirq_pct defaults to 75" test "$saved_si" = 75
# A share outside 1-100 is refused, not clamped, and the value stays.
refused() { # PARAM VALUE
	local before err
	before=$(cat "$P/$1")
	if err=$(echo "$2" 2>&1 >"$P/$1"); then
		echo "$1=$2 was taken"
		return 1
	fi
	echo "$err" | grep -q "Invalid argument" && [ "$(cat "$P/$1")" = "$before" ]
}
for v in 0 101 -1 abc; do
	check "probe_cpu_pct $v is refused with EINVAL" refused probe_cpu_pct "$v"
	check "probe_softirq_pct $v is refused with EINVAL" refused probe_softirq_pct "$v"
done
shed() { "$XHC" -n "$a" -j stats | jq '.probes_shed'; }
answered() { "$XHC" -n "$a" -j peer show | jq '.[0].probes_answered'; }
echo 1 >$P/probe_softirq_pct
shed0=$(shed)
pings=()
for c in $(seq 0 $(($(nproc) - 1))); do
	ip netns exec "$a" taskset -c "$c" ping -f -q -w 6 192.0.2.2 >/dev/null &
	pings+=($!)
done
sleep 3
shed1=$(shed)
ans1=$(answered)
wait "${pings[@]}"
echo "# softirq limit 1 %, ping floods: probes shed $((shed1 - shed0)) in 3 s"
check "probe_softirq_pct 1, every CPU flooded: probes are shed" \
	test $((shed1 - shed0)) -gt 0
echo "$saved_si" >$P/probe_softirq_pct
check "limit back, flood over: probes are answered again" \
	wait_for 15 bash -c "[ \$('$XHC' -n $a -j peer show | jq '.[0].probes_answered') -gt $ans1 ]"
check "softirq shedding: no peer-down, the peer is up" bash -c \
	"! grep -q peer-down '$work/mon-flood' && '$XHC' -n $a -j peer show | jq -e '.[0].state == \"up\"'"
# "No peer-down" is worth nothing from a listener that died or never
# joined: it hears the tunnel's end, a peer-gone, and lived until then.
ip -n "$a" xfrm state flush
check "the listener of both floods hears the final peer-gone" \
	wait_for 15 grep -q '"peer-gone"' "$work/mon-flood"
check "and was alive all along" kill -0 "$mon_flood"

tap_done
