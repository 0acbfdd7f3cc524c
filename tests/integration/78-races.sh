#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Races: while peers are probed every 10 ms (probes and answers in flight
# through real ESP), SAs are deleted, flushed and rekeyed, the namespace is
# deleted and the module is unloaded, round after round.
# Pass: no splat (the VM harness reads dmesg; --debug adds KASAN, lockdep,
# kmemleak, debug objects), every object freed, no SA lost, and no event
# for a peer after its peer-gone.
# Under emulation 1,000 peers at 10 ms (100,000 ticks a second) keep both
# CPUs in softirq and starve the test itself, so the peers are fewer here:
# XHC_RACE_PEERS (default 200; 20 on the debug kernel) and XHC_RACE_ROUNDS
# (default 3, about 5 minutes on a stock kernel) override.
. "$(dirname "$0")/lib.sh"

a=$ns_prefix-race-a
b=$ns_prefix-race-b
MT=$top/tests/lib/many_tunnels.py
STAMPED=$top/tests/lib/stamped.py
GONE=$top/tests/lib/events_after_gone.py
OBJECTS=/sys/kernel/debug/xfrm_hc/objects
if [ "${VM_DEBUG:-0}" = 1 ]; then
	peers=${XHC_RACE_PEERS:-20}
else
	peers=${XHC_RACE_PEERS:-200}
fi
rounds=${XHC_RACE_ROUNDS:-3}
# Each round deletes or rekeys this many tunnels of the 1,000.
part=$((peers / 10))

x() { "$XHC" -n "$a" "$@"; }
# Boot-time ms, as tests/lib/stamped.py stamps lines (/proc/uptime counts
# CLOCK_BOOTTIME too, in centiseconds).
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
stat() { x -j stats | jq -r ".$1"; }
sa_count() { ip -n "$a" xfrm state count | awk '{ print $NF }'; }
peers_are() { [ "$(stat peers)" = "$1" ]; }

# The two gateways and N tunnels; B answers A's probes through them.
world() {
	ip netns add "$a"
	ip netns add "$b"
	ip -n "$a" link set lo up
	ip -n "$b" link set lo up
	ip -n "$a" link add wan type veth peer name wan netns "$b"
	python3 "$MT" setup a | ip -n "$a" -batch -
	python3 "$MT" setup b | ip -n "$b" -batch -
	python3 "$MT" sas b "$peers" | ip -n "$b" -batch -
	python3 "$MT" policies b "$peers" | ip -n "$b" -batch -
	python3 "$MT" policies a "$peers" | ip -n "$a" -batch -
	python3 "$MT" sas a "$peers" | ip -n "$a" -batch -
}

world_gone() {
	ip netns del "$a" 2>/dev/null || true
	ip netns del "$b" 2>/dev/null || true
}

# Probe every peer every 10 ms, with no jitter, so timers fire together.
probe_fast() { x defaults set interval 10ms misses 3 up 1 jitter 0 mode periodic; }

# Until N more probes went out: probes are in flight.
probes_flowing() { # N
	local from

	from=$(stat probes_sent)
	wait_for 60 bash -c "[ \$('$XHC' -n $a -j stats | jq .probes_sent) -ge $((from + $1)) ]"
}

# The module frees a namespace's objects once the kernel has cleaned it up.
objects_zero() { ! grep -qv ' 0$' "$OBJECTS"; }

remotes() { python3 "$MT" remote "$1" "$2"; }	# FIRST N

# Monitor in A, each line stamped when read. stamped.py ends with it.
monitor_start() {
	bg python3 "$STAMPED" "$XHC" -n "$a" -j monitor >"$work/events"
	mon_pid=${bg_pids[-1]}
}

# No late event proves nothing of a monitor that died or never joined:
# every round must also have heard each deleted peer's peer-gone.
late_events=0
deaf=0
gone_report() { # FROM TO REMOTE...: events after peer-gone in [FROM, TO)
	local out

	if ! out=$(python3 "$GONE" "$work/events" "$@"); then
		late_events=$((late_events + 1))
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
	echo "# round $r: $(head -1 <<<"$out")"
	[[ $(head -1 <<<"$out") =~ ^gone\ ([0-9]+)\ of\ ([0-9]+)$ ]] &&
		[ "${BASH_REMATCH[1]}" -ge "$need" ] || deaf=$((deaf + 1))
}

modprobe xfrm_hc
world
probe_fast
check "$peers peers are watched, each probing its own far LAN host" \
	wait_for 120 peers_are "$peers"
check "probes and answers are in flight" probes_flowing $((peers * 2))
echo "# $(x -j stats | jq -c '{peers, probes_sent, probes_answered, late_ticks}')"
monitor_start
sleep 1

# 1. SA delete: a tenth of the tunnels at a time, both SAs, then back.
late_events=0
t0=$SECONDS
for r in $(seq "$rounds"); do
	first=$(( (r - 1) * part % peers ))
	from=$(now_ms)
	python3 "$MT" sas a "$part" "$first" --cmd delete | ip -n "$a" -batch -
	wait_for 60 peers_are $((peers - part)) || { not_ok "round $r: peers gone after delete"; break; }
	# shellcheck disable=SC2046
	set -- $(remotes "$first" "$part")
	# Until the monitor has read every peer-gone; then a little longer,
	# while the survivors' probes go on and the deleted must stay silent.
	wait_for 60 python3 "$GONE" --all "$work/events" "$from" 999999999999 "$@" ||
		echo "# round $r: not every peer-gone was heard in 60 s"
	sleep 0.3
	to=$(now_ms)
	need=$#
	gone_report "$from" "$to" "$@"
	python3 "$MT" sas a "$part" "$first" | ip -n "$a" -batch -
	wait_for 60 peers_are "$peers" || { not_ok "round $r: peers back"; break; }
done
check "SA delete x $rounds under probes: no event for a peer after its peer-gone" \
	test "$late_events" = 0
check "SA delete: the monitor heard every deleted peer's peer-gone ($deaf rounds short)" \
	test "$deaf" = 0
check "SA delete: all $((2 * peers)) SAs and $peers peers are back" \
	bash -c "[ \$(ip -n $a xfrm state count | awk '{ print \$NF }') = $((2 * peers)) ]"
echo "# SA delete: $rounds rounds in $((SECONDS - t0)) s"

# 2. Flush: every SA of A at once; the module resyncs and lets all go.
# A flush's burst of peer-gones may overflow the monitor's socket (then
# a resync stands for them): at least one a round proves it listens.
late_events=0
deaf=0
need=1
t0=$SECONDS
for r in $(seq "$rounds"); do
	from=$(now_ms)
	ip -n "$a" xfrm state flush
	wait_for 60 peers_are 0 || { not_ok "round $r: peers gone after flush"; break; }
	sleep 0.3
	to=$(now_ms)
	gone_report "$from" "$to"
	python3 "$MT" sas a "$peers" | ip -n "$a" -batch -
	wait_for 60 peers_are "$peers" || { not_ok "round $r: peers back after flush"; break; }
	probes_flowing 500 || true
done
check "flush x $rounds under probes: no event for a peer after its peer-gone" \
	test "$late_events" = 0
check "flush: the monitor heard peer-gones in every round ($deaf rounds without)" \
	test "$deaf" = 0
check "flush: $peers peers are back" peers_are "$peers"
echo "# flush: $rounds rounds in $((SECONDS - t0)) s"

# 3. Rekey: every SA updated in place (ip xfrm state update), and a tenth
# moved to new SPIs make-before-break, as an IKE daemon rekeys. The peers
# stay: no peer-gone, no event out of place.
gones=0
t0=$SECONDS
chunks=$((peers / part))
# The SPI base of chunk C's SAs at the start of round R: round R moves
# chunk (R - 1) % chunks to the other base.
base_of() { # C R
	local n=$(( ($2 - 1) / chunks ))

	[ "$1" -ge $(( ($2 - 1) % chunks )) ] || n=$((n + 1))
	printf '%x' $(( n % 2 * 0x01000000 ))
}
for r in $(seq "$rounds"); do
	c=$(( (r - 1) % chunks ))
	from=$(now_ms)
	for i in $(seq 0 $((chunks - 1))); do
		python3 "$MT" sas a "$part" $((i * part)) --spi-base "$(base_of "$i" "$r")" --cmd update
	done | ip -n "$a" -batch -
	old=$(base_of "$c" "$r")
	new=$(base_of "$c" $((r + chunks)))
	# B first on the new SPIs and last off the old, so answers keep coming.
	for ns in "$b" "$a"; do
		python3 "$MT" sas a "$part" $((c * part)) --spi-base "$new" | ip -n "$ns" -batch -
	done
	for ns in "$a" "$b"; do
		python3 "$MT" sas a "$part" $((c * part)) --spi-base "$old" --cmd delete |
			ip -n "$ns" -batch -
	done
	sleep 0.3
	to=$(now_ms)
	n=$(awk -v lo="$from" -v hi="$to" '$1 >= lo && $1 < hi && /"peer-gone"/' "$work/events" | wc -l)
	gones=$((gones + n))
done
check "rekey x $rounds under probes: no peer-gone (the peers stay)" test "$gones" = 0
check "the monitor lived through every round" kill -0 "$mon_pid"
check "rekey: $peers peers, $((2 * peers)) SAs" bash -c \
	"[ \$('$XHC' -n $a -j stats | jq .peers) = $peers ] && [ \$(ip -n $a xfrm state count | awk '{ print \$NF }') = $((2 * peers)) ]"
echo "# rekey: $rounds rounds in $((SECONDS - t0)) s"

# 4. Module unload under probes; the SAs are the IKE daemon's and stay.
for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
bg_pids=()
t0=$SECONDS
lost=0
for r in $(seq "$rounds"); do
	modprobe xfrm_hc
	probe_fast
	wait_for 60 peers_are "$peers" || { not_ok "round $r: peers after load"; break; }
	probes_flowing 200 || { not_ok "round $r: probes after load"; break; }
	modprobe -r xfrm_hc || { not_ok "round $r: unload"; break; }
	[ "$(sa_count)" = $((2 * peers)) ] || lost=$((lost + 1))
done
check "unload x $rounds under probes: every unload succeeds, no SA lost" test "$lost" = 0
echo "# unload: $rounds rounds in $((SECONDS - t0)) s"

# 5. Namespace deletion under probes: the module lets all of it go.
modprobe xfrm_hc
t0=$SECONDS
for r in $(seq "$rounds"); do
	[ "$r" = 1 ] || world
	probe_fast
	wait_for 120 peers_are "$peers" || not_ok "round $r: peers in a new namespace"
	probes_flowing 200 || not_ok "round $r: probes in a new namespace"
	world_gone
	wait_for 120 objects_zero || { not_ok "round $r: objects freed after netns deletion"; cat "$OBJECTS" | sed 's/^/#   /'; break; }
done
check "netns deletion x $rounds under probes: every peer and SA freed" objects_zero
echo "# netns deletion: $rounds rounds in $((SECONDS - t0)) s"

check "the module unloads at the end" modprobe -r xfrm_hc
tap_done
