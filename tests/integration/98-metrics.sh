#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prometheus metrics: "xfrm-hc metrics" on an ESP tunnel with a probed peer
# and a health check is valid text format 0.0.4 (a strict parser of ours,
# and promtool when installed) with one peer up and the check up; after a
# cut, the peer dead and the check down. "xfrm-hcd --metrics-file" keeps a
# valid file, replaced whole (rename), that changes after an event.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
PROMPARSE=$top/tests/lib/promparse.py

x() { "$XHC" -n "$a" "$@"; }
# valid FILE: our parser takes FILE (its samples as JSON into FILE.json),
# and so does promtool if it is installed.
valid() {
	python3 "$PROMPARSE" "$1" >"$1.json" || return 1
	if command -v promtool >/dev/null; then
		promtool check metrics <"$1" || return 1
	fi
}
# is FILE JQ: JQ holds over FILE's samples; v(NAME; LABELS) is a value.
is() {
	jq -e 'def v($n; $l): [.[] | select(.name == $n and
		(.labels | contains($l)))] | if length == 1 then .[0].value
		else error("\($n) \($l): \(length) samples") end;
		'"$2" "$1.json"
}
# scrape JQ: a fresh "xfrm-hc metrics" is valid and JQ holds over it.
scrape() { x metrics >"$work/m" && valid "$work/m" && is "$work/m" "$1"; }
link_cut() { pretty "$a" "tc qdisc replace dev wan root netem loss 100%"; tc -n "$a" qdisc replace dev wan root netem loss 100%; }
link_restore() { pretty "$a" "tc qdisc del dev wan root"; tc -n "$a" qdisc del dev wan root; }

if command -v promtool >/dev/null; then
	echo "# promtool: $(promtool --version 2>&1 | head -n 1)"
else
	echo "# promtool not installed: our parser only"
fi

modprobe xfrm_hc
esp_gateways "$a" "$b"
x defaults set interval 100ms misses 3 mode periodic \
	probe-src 10.1.0.1 probe-dst 10.2.0.1
x check add name t1 src 10.1.0.1 dst 10.2.0.1 interval 100ms
bg "$XHCD" -n "$a" --metrics-file "$work/xfrm_hc.prom" --metrics-interval 3600 \
	>"$work/daemon.out" 2>"$work/daemon.err"

up='v("xfrm_hc_up"; {}) == 1
    and v("xfrm_hc_peers"; {state: "up"}) == 1
    and v("xfrm_hc_peers"; {state: "dead"}) == 0
    and v("xfrm_hc_peers"; {state: "idle"}) == 0
    and v("xfrm_hc_checks"; {state: "up"}) == 1
    and v("xfrm_hc_checks"; {state: "down"}) == 0
    and v("xfrm_hc_checks"; {state: "unknown"}) == 0
    and v("xfrm_hc_check_up"; {check: "t1"}) == 1
    and v("xfrm_hc_peer_up"; {remote: "192.0.2.2", local: "192.0.2.1",
				if_id: "0"}) == 1'
check "metrics: valid, one peer up, the check up" wait_for 20 scrape "$up"
check "metrics: the detection histogram is there, empty" is "$work/m" \
	'v("xfrm_hc_detect_seconds_count"; {}) == 0
	 and v("xfrm_hc_detect_seconds_bucket"; {le: "+Inf"}) == 0'
sed 's/^/#   /' "$work/m" | grep -v '^#   # ' | head -n 60
# A 100 ms probe can time out in an emulated VM under load (CI runs two):
# allow a few lost, and check the ratio: lost of the probes with a verdict.
check "metrics: counters of the module and of the peer and check" is "$work/m" '
	v("xfrm_hc_probes_sent_total"; {}) > 0
	and v("xfrm_hc_probes_answered_total"; {}) > 0
	and v("xfrm_hc_peers_watched"; {}) == 1
	and v("xfrm_hc_sas_watched"; {}) == 2
	and v("xfrm_hc_checks_configured"; {}) == 1
	and v("xfrm_hc_peer_probes_answered_total"; {remote: "192.0.2.2"}) > 0
	and v("xfrm_hc_peer_rtt_avg_seconds"; {remote: "192.0.2.2"}) > 0
	and v("xfrm_hc_check_probes_answered_total"; {check: "t1"}) >= 3
	and (v("xfrm_hc_check_probes_lost_total"; {check: "t1"}) as $lost
	     | v("xfrm_hc_check_probes_answered_total"; {check: "t1"}) as $ans
	     | $lost * 10 <= $ans
	       and (v("xfrm_hc_check_loss_ratio"; {check: "t1"}) -
		    $lost / ($ans + $lost) | fabs) < 1e-6)
	and v("xfrm_hc_check_rtt_last_seconds"; {check: "t1"}) > 0
	and v("xfrm_hc_check_rtt_avg_seconds"; {check: "t1"}) < 1'
check "metrics: every stat the module reports is a metric" bash -c "
	n=\$('$XHC' -n $a -j stats | jq 'length')
	m=\$(grep -c '^# TYPE xfrm_hc_' '$work/m')
	echo \"stats \$n, families \$m\"
	[ \"\$n\" -gt 10 ] && [ \"\$m\" -ge \$((n + 5)) ]"
check "metrics: the same state twice is sorted the same" bash -c "
	'$XHC' -n $a metrics | grep -Ev '_total|_seconds|_ratio|^xfrm_hc_requests' >'$work/m1'
	'$XHC' -n $a metrics | grep -Ev '_total|_seconds|_ratio|^xfrm_hc_requests' >'$work/m2'
	cmp '$work/m1' '$work/m2'"

# The daemon's file: written at start, valid, and no temporary left.
check "daemon: the metrics file is written at start" \
	wait_for 10 test -s "$work/xfrm_hc.prom"
check "daemon: the file is valid, one peer up" bash -c "
	$(declare -f valid is); PROMPARSE=$PROMPARSE
	cp '$work/xfrm_hc.prom' '$work/d0' && valid '$work/d0' &&
	is '$work/d0' 'v(\"xfrm_hc_peers\"; {state: \"up\"}) == 1'"
check "daemon: no temporary file left beside it" \
	bash -c "! ls '$work' | grep -q 'xfrm_hc.prom.tmp'"
ino0=$(stat -c %i "$work/xfrm_hc.prom")

# A cut: the peer dies, the check goes down, and the events go to the
# daemon, which rewrites its file after them, long before its hour-long
# interval.
link_cut
down='v("xfrm_hc_peers"; {state: "dead"}) == 1
      and v("xfrm_hc_peers"; {state: "up"}) == 0
      and v("xfrm_hc_checks"; {state: "down"}) == 1
      and v("xfrm_hc_checks"; {state: "up"}) == 0
      and v("xfrm_hc_check_up"; {check: "t1"}) == 0
      and v("xfrm_hc_peer_up"; {remote: "192.0.2.2"}) == 0
      and v("xfrm_hc_check_probes_lost_total"; {check: "t1"}) >= 3
      and v("xfrm_hc_check_loss_ratio"; {check: "t1"}) > 0
      and v("xfrm_hc_peers_dead"; {}) == 1
      and v("xfrm_hc_checks_down"; {}) == 1
      and v("xfrm_hc_events_sent_total"; {}) >= 2'
check "metrics after a cut: valid, the peer dead, the check down" \
	wait_for 15 scrape "$down"
check "metrics: the detection histogram counts the dead peer and the down check" \
	is "$work/m" 'v("xfrm_hc_detect_seconds_count"; {}) == 2
	 and v("xfrm_hc_detect_seconds_bucket"; {le: "+Inf"}) == 2
	 and v("xfrm_hc_detect_seconds_sum"; {}) > 0'
daemon_down() {
	cp "$work/xfrm_hc.prom" "$work/d1" && valid "$work/d1" && is "$work/d1" "$down"
}
check "daemon: the file changes after the events, and is valid" \
	wait_for 15 daemon_down
check "daemon: the file was replaced, not rewritten in place" \
	test "$(stat -c %i "$work/xfrm_hc.prom")" != "$ino0"
check "daemon: it said nothing on stderr" test ! -s "$work/daemon.err"
sed 's/^/#   /' "$work/daemon.err"

link_restore
check "metrics after the restore: one peer up, the check up" \
	wait_for 20 scrape "$up"

# Errors: exit 1 with the reason.
expect_fail "metrics takes no arguments" 'metrics: unexpected argument "x"' \
	x metrics x
expect_fail "--metrics-interval needs --metrics-file" \
	'needs --metrics-file' "$XHCD" -n "$a" --metrics-interval 5
expect_fail "--metrics-interval 0 is refused" \
	'invalid metrics-interval "0"' "$XHCD" -n "$a" --metrics-file "$work/f" \
	--metrics-interval 0
expect_fail "xfrm-hcd: a file in a missing directory is an error at start" \
	'cannot create' timeout 5 "$XHCD" -n "$a" \
	--metrics-file "$work/missing/m.prom"
# The alias of one release runs xfrm-hcd, with its options, and says so.
expect_fail "\"xfrm-hc daemon\" runs xfrm-hcd" \
	'^xfrm-hcd: --metrics-interval needs --metrics-file' \
	x daemon --metrics-interval 5
expect_fail "\"xfrm-hc daemon\" says it is deprecated" \
	'"xfrm-hc daemon" is deprecated' x daemon --metrics-interval 5
tap_done
