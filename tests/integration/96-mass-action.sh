#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A mass failure with "action restart": every peer dies within one short
# interval, and the IKE daemon must hear of every SA. A listener on the
# XFRM expire group with a default-sized receive buffer ("ip xfrm monitor",
# as charon's and pluto's sockets are) gets every hard expire: the module
# acts at action_rate, not in one burst from the timers.
# XHC_MASS_PEERS (default 2000; 200 on the debug kernel) overrides.
# The emulated VM's listener, starved when the host runs several VMs,
# stalls for a second or more, where charon on hardware takes tens of
# thousands a second: the test paces at 100 (XHC_ACTION_RATE), a tenth
# of the default of 1000. At 250 a run on a host with seven VMs lost 90.
. "$(dirname "$0")/lib.sh"

a=$ns_prefix-mass-a
b=$ns_prefix-mass-b
MT=$top/tests/lib/many_tunnels.py
if [ "${VM_DEBUG:-0}" = 1 ]; then
	peers=${XHC_MASS_PEERS:-200}
else
	peers=${XHC_MASS_PEERS:-2000}
fi
sas=$((2 * peers))

x() { "$XHC" -n "$a" "$@"; }
stat() { x -j stats | jq -r ".$1"; }
stat_ge() { [ "$(stat "$1")" -ge "$2" ]; }
none_dead() { [ "$(stat peers_dead)" = 0 ]; }
sa_count() { ip -n "$a" xfrm state count | awk '{ print $NF }'; }
expired() { grep -c '^Expired' "$work/expire" || true; }
# SAs with a hard expire: a peer that flapped before the cut adds lines.
expired_sas() { grep -o 'spi 0x[0-9a-f]*' "$work/expire" | sort -u | wc -l; }
# Every SPI of $work/expected has a hard expire.
got_all_expected() {
	grep -o 'spi 0x[0-9a-f]*' "$work/expire" | awk '{ print $2 }' |
		sort -u >"$work/got"
	[ -z "$(comm -23 "$work/expected" "$work/got")" ]
}

modprobe xfrm_hc
RATE=/sys/module/xfrm_hc/parameters/action_rate
rate_was=$(cat "$RATE" 2>/dev/null || echo 1000)
[ ! -e "$RATE" ] || echo "${XHC_ACTION_RATE:-100}" >"$RATE"
netns_add "$a"
netns_add "$b"
ip -n "$a" link add wan type veth peer name wan netns "$b"
python3 "$MT" setup a | ip -n "$a" -batch -
python3 "$MT" setup b | ip -n "$b" -batch -
python3 "$MT" sas b "$peers" | ip -n "$b" -batch -
python3 "$MT" policies b "$peers" | ip -n "$b" -batch -
python3 "$MT" policies a "$peers" | ip -n "$a" -batch -
python3 "$MT" sas a "$peers" | ip -n "$a" -batch -
check "A monitors $peers peers" wait_for 60 stat_ge peers "$peers"

# Short and without jitter: the peers cut together die within 500 ms.
x defaults set interval 500ms misses 2 up 1 jitter 0 mode periodic
check "every peer answers its probes" \
	wait_for 120 stat_ge probes_answered "$((4 * peers))"
# Under emulation a probe or two may be lost while 2,000 peers start.
wait_for 60 none_dead || echo "# $(stat peers_dead) peers dead before the cut"

# Only now: a peer that flapped under load while 2,000 started would
# queue restarts of its own ahead of the cut's.
x defaults set action restart
bg ip -n "$a" xfrm monitor expire >"$work/expire"
sleep 1
# A peer still dead at the cut (it flapped under load) does not die again,
# so nothing restarts its SAs: every other peer's SAs are expected.
x -j peer show | jq -r '.[] | select(.state != "dead") | .sas[].spi' |
	sort -u >"$work/expected"
n_expected=$(wc -l <"$work/expected")
check "at least half of the SAs' peers are alive at the cut ($n_expected of $sas SAs)" \
	[ "$n_expected" -ge $((sas / 2)) ]
# B forgets its SAs: A's probes go unanswered, every peer dies.
ip -n "$b" xfrm state flush
cut=$SECONDS
check "every peer is declared dead" wait_for 180 stat_ge peers_dead "$peers"
check "the monitor gets a hard expire for each of those SAs" \
	wait_for 120 got_all_expected
echo "# missing: $(comm -23 "$work/expected" "$work/got" | head -5 | tr '\n' ' ')"
echo "# expired: $(expired) messages for $(expired_sas) SAs, hard: $(grep -c 'hard 1' "$work/expire" || true), in $((SECONDS - cut)) s since the cut"
check "restart leaves every SA in place" test "$(sa_count)" = "$sas"
x defaults set action notify mode on-demand interval 1s
[ ! -e "$RATE" ] || echo "$rate_was" >"$RATE"
tap_done
