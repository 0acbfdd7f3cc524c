#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Health checks on a policy-based tunnel: a check goes up on answers and
# reports round trips; a cut makes it down after "misses" losses, with its
# counters in the event; it comes up after "up" answers; "check set" keeps
# state and counters; "check del" removes it. Bad input gets a clear reason,
# and raw requests the kernel's. An IPv6 check over the same tunnel. "optimized"
# sends no probes while the tunnel carries traffic. A flapping check stretches
# its interval and settles back once stable.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b

x() { "$XHC" -n "$a" "$@"; }
# chk NAME JQ: check NAME's JSON satisfies JQ.
chk() { x -j check show name "$1" | jq -e ".[0] | $2"; }
checks() { x -j check show; }
# The first event KIND of check NAME after line N of the event log.
link_cut() { pretty "$a" "tc qdisc replace dev wan root netem loss 100%"; tc -n "$a" qdisc replace dev wan root netem loss 100%; }
link_restore() { pretty "$a" "tc qdisc del dev wan root"; tc -n "$a" qdisc del dev wan root; }

modprobe xfrm_hc
esp_gateways "$a" "$b"
bg "$XHC" -n "$a" -j monitor >"$work/events" 2>"$work/monitor.err"
sleep 0.5

# Up, with round trips.
x check add name t1 src 10.1.0.1 dst 10.2.0.1 interval 100ms
check "t1 goes up on answered probes" \
	wait_for 15 chk t1 '.state == "up" and .probes_answered >= 3'
check "t1 reports its settings and defaults" chk t1 \
	'.src == "10.1.0.1" and .dst == "10.2.0.1" and .interval_ms == 100
	 and .misses == 3 and .up == 3 and .mode == "periodic"
	 and .action == "notify" and .flapping == false
	 and .cur_interval_ms == 100'
check "round trip times are reported" chk t1 \
	'.rtt_min_us > 0 and .rtt_min_us <= .rtt_avg_us
	 and .rtt_avg_us <= .rtt_max_us and .rtt_last_us > 0'
# A 100 ms probe can time out in an emulated VM under load: a few may.
check "no loss on a healthy tunnel but a timeout or two" chk t1 \
	'.send_errors == 0 and .probes_lost * 10 <= .probes_answered
	 and (.loss_pct - 100 * .probes_lost /
	      ([.probes_answered + .probes_lost, 1] | max) | fabs) < 0.001'
chk t1 . | jq -c '{probes_sent, probes_answered, rtt_min_us, rtt_avg_us, rtt_max_us}' | sed 's/^/#   /'

# Down after "misses" losses, with the counters in the event.
seen=$(wc -l <"$work/events")
cut_at=$(date +%s%N)
link_cut
check "check-down arrives when the link is cut" \
	wait_for 10 has_event_after "$seen" check-down t1
# A check has no jitter: (misses + 1) x interval = 400 ms, the last
# probe sent before the cut lost too. detect_ms measured with four
# guests on the 2 host cores: 6.12 407 ms, 6.1 400 ms. The script saw
# 673 to 4,008 ms over 21 runs of both kernels.
seen_ms=$(ms_since "$cut_at")
down=$(event_after "$seen" check-down t1)
detect_check "check-down" "$down" "$seen_ms" $(( (3 + 1) * 100 ))
check "the event carries the state and counters" jq -e \
	'.check.state == "down" and .check.probes_lost >= 3
	 and .check.probes_sent > .check.probes_answered
	 and .check.transitions >= 1 and .check.detect_ms > 0' <<<"${down:-null}"
echo "#   event: $(cut -c1-300 <<<"$down")"
check "show agrees: down" chk t1 '.state == "down" and .loss_pct > 0'
check "no check-up while cut" bash -c "[ -z \"\$(event_after $seen check-up t1)\" ]"

# Up again after "up" answers.
seen=$(wc -l <"$work/events")
link_restore
check "check-up once probes are answered again" \
	wait_for 10 has_event_after "$seen" check-up t1
up=$(event_after "$seen" check-up t1)
check "check-up came after at least 3 more answers" jq -e \
	--argjson before "$(jq '.check.probes_answered' <<<"${down:-null}")" \
	'.check.state == "up" and .check.probes_answered >= $before + 3' <<<"${up:-null}"

# check set changes settings and keeps state and counters.
before=$(checks | jq -c '.[] | select(.name == "t1")')
x check set name t1 interval 200ms misses 5
check "check set changes the settings" chk t1 '.interval_ms == 200 and .misses == 5 and .up == 3'
check "check set keeps state and counters" chk t1 \
	".state == \"up\" and .probes_sent >= $(jq .probes_sent <<<"$before")
	 and .probes_lost >= $(jq .probes_lost <<<"$before")
	 and .transitions == $(jq .transitions <<<"$before")"

# Bad input: the tool's own reason, or the kernel's (prefixed xfrm_hc:).
expect_fail "duplicate name" 'xfrm_hc: a check of that name exists' \
	x check add name t1 src 10.1.0.1 dst 10.2.0.1
expect_fail "bad name" 'invalid name "no/slash".*1 to 31' \
	x check add name 'no/slash' src 10.1.0.1 dst 10.2.0.1
expect_fail "name too long" 'invalid name .*1 to 31' \
	x check add name "$(printf 'n%.0s' {1..40})" src 10.1.0.1 dst 10.2.0.1
expect_fail "missing src" '"src" is missing' \
	x check add name t2 dst 10.2.0.1
expect_fail "missing dst" '"dst" is missing' \
	x check add name t2 src 10.1.0.1
expect_fail "src and dst of different families" 'not of one family' \
	x check add name t2 src 10.1.0.1 dst fd00:2::1
expect_fail "failover without an interface" 'xfrm_hc: action failover needs dev' \
	x check add name t2 src 10.1.0.1 dst 10.2.0.1 action failover
expect_fail "dev that is not an XFRM interface" 'dev is not an XFRM interface' \
	x check add name t2 src 10.1.0.1 dst 10.2.0.1 dev lo
expect_fail "dev that does not exist is named" '"nosuchdev": no such interface' \
	x check add name t2 src 10.1.0.1 dst 10.2.0.1 dev nosuchdev
expect_fail "timeout above 8 intervals" 'xfrm_hc: timeout must be 10 ms to 8 intervals' \
	x check add name t2 src 10.1.0.1 dst 10.2.0.1 interval 100ms timeout 900ms
expect_fail "interval below 10 ms" 'interval "5ms"' \
	x check add name t2 src 10.1.0.1 dst 10.2.0.1 interval 5ms
expect_fail "misses 0" 'misses "0"' \
	x check add name t2 src 10.1.0.1 dst 10.2.0.1 misses 0
expect_fail "unknown mode is named" '"sometimes"' \
	x check add name t2 src 10.1.0.1 dst 10.2.0.1 mode sometimes
ip -n "$a" link add xfrm9 type xfrm if_id 9
expect_fail "if_id and dev together" '"dev" and "if_id" exclude each other' \
	x check add name t2 src 10.1.0.1 dst 10.2.0.1 dev xfrm9 if_id 9
expect_fail "set on a missing check" 'xfrm_hc: no check of that name' \
	x check set name t2 interval 1s
expect_fail "set: timeout above 8 of the new interval" 'xfrm_hc: timeout must be' \
	x check set name t1 interval 100ms timeout 2s
expect_fail "del of a missing check" 'xfrm_hc: no check of that name' \
	x check del name t2

# Raw requests: what the tool catches first reaches the kernel's checks.
# CHECK_ADD is command 13, CHECK_SET 14; A_CHECK (8) is a nest (NLA_F_NESTED 0x8000) of
# NAME 2, SRC 3, DST 4, IFINDEX 5, IF_ID 6, INTERVAL_MS 7, TIMEOUT_MS 10,
# ACTION 12.
CHECK_ADD=13 CHECK_SET=14 A_CHECK=0x8008
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
nla() { # TYPE HEX: one attribute, padded to 4 bytes
	local len=$((4 + ${#2} / 2))
	printf '%02x%02x%02x%02x%s' $((len & 255)) $((len >> 8)) $(($1 & 255)) $(($1 >> 8)) "$2"
	case $((len % 4)) in 1) printf 000000 ;; 2) printf 0000 ;; 3) printf 00 ;; esac
}
name_t9=$(nla 2 743900)
src4=$(nla 3 0a010001)
dst4=$(nla 4 0a020001)
dst6=$(nla 4 fd000002000000000000000000000001)
xfrm9=$(ip -n "$a" -j link show xfrm9 | jq '.[0].ifindex')
expect_raw() { # DESC PATTERN NEST_HEX; CHECK_ADD unless $cmd says
	local out
	out=$(ip netns exec "$a" python3 "$GENL_PY" request "${cmd:-$CHECK_ADD}" "$A_CHECK:bin:$3" || true)
	if grep -Eq "^error [A-Z]+ .*($2)" <<<"$out"; then
		ok "raw: $1"
	else
		not_ok "raw: $1"
		echo "#   got: $out; wanted /$2/"
	fi
}
expect_raw "duplicate name" 'a check of that name exists' "$(nla 2 743100)$src4$dst4"
expect_raw "bad name" 'a check name is 1 to 31' "$(nla 2 6e6f2f736c61736800)$src4$dst4"
expect_raw "no name" 'the check needs a name' "$src4$dst4"
expect_raw "missing src" 'a check needs src and dst' "$name_t9$dst4"
expect_raw "src and dst of different families" 'src and dst must be of one family' "$name_t9$src4$dst6"
expect_raw "failover without dev" 'action failover needs dev' "$name_t9$src4$dst4$(nla 12 03)"
expect_raw "dev lo" 'dev is not an XFRM interface' "$name_t9$src4$dst4$(nla 5 "$(le32 1)")"
expect_raw "timeout above 8 intervals" 'timeout must be 10 ms to 8 intervals' \
	"$name_t9$src4$dst4$(nla 7 "$(le32 100)")$(nla 10 "$(le32 900)")"
expect_raw "dev and if_id together" 'dev and if_id are exclusive' \
	"$name_t9$src4$dst4$(nla 5 "$(le32 "$xfrm9")")$(nla 6 "$(le32 9)")"
# A set of one address (the tool asks for both) is compared with the other.
src6=$(nla 3 fd000001000000000000000000000001)
cmd=$CHECK_SET expect_raw "set: a src of another family than the check's dst" \
	'src and dst must be of one family' "$(nla 2 743100)$src6"
cmd=$CHECK_SET expect_raw "set: a dst of another family than the check's src" \
	'src and dst must be of one family' "$(nla 2 743100)$dst6"
check "only t1 exists after the rejected requests" bash -c \
	"'$XHC' -n $a -j check show | jq -e 'map(.name) == [\"t1\"]'"
check "t1 kept its settings" chk t1 '.interval_ms == 200 and .misses == 5
	and .src == "10.1.0.1" and .dst == "10.2.0.1"'

# Delete.
x check del name t1
check "check del removes it" bash -c "'$XHC' -n $a -j check show | jq -e 'length == 0'"
expect_fail "show of a deleted check" 'no check|not found|No such' \
	x -j check show name t1

# IPv6 inside the IPv4 tunnel.
esp_inner6 "$a" "$b"
check "inner IPv6 passes the tunnel" \
	ip netns exec "$a" ping -6 -c 1 -W 5 -I fd00:1::1 fd00:2::1
x check add name t6 src fd00:1::1 dst fd00:2::1 interval 100ms
check "an IPv6 check goes up" wait_for 15 chk t6 \
	'.state == "up" and .probes_answered >= 3 and .rtt_min_us > 0'
check "it reports IPv6 addresses" chk t6 '.src == "fd00:1::1" and .dst == "fd00:2::1"'
x check del name t6

# Optimized: traffic through the tunnel is the evidence, no probes.
x check add name opt src 10.1.0.1 dst 10.2.0.1 interval 100ms mode optimized
check "optimized check goes up on an idle tunnel (probes)" \
	wait_for 15 chk opt '.state == "up" and .probes_sent > 0'
bg ip netns exec "$a" ping -q -i 0.02 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1
ping_pid=${bg_pids[-1]}
sleep 1
s0=$(chk opt .)
sleep 3
s1=$(chk opt .)
check "busy tunnel: probes_skipped grows" jq -e --argjson s0 "$s0" \
	'.probes_skipped >= $s0.probes_skipped + 10' <<<"$s1"
# Under load the pinger may stall past an interval: that one is probed.
check "busy tunnel: almost every probe is skipped, not sent" \
	jq -e --argjson s0 "$s0" '(.probes_sent - $s0.probes_sent) * 10 <=
	(.probes_skipped - $s0.probes_skipped) and .state == "up"' <<<"$s1"
echo "#   before: $(jq -c '{probes_sent, probes_skipped}' <<<"$s0"), after 3 s: $(jq -c '{probes_sent, probes_skipped}' <<<"$s1")"
kill "$ping_pid"
check "once idle, it probes again" wait_for 10 chk opt ".probes_sent > $(jq .probes_sent <<<"$s1")"
x check del name opt

# Flapping: toggle the link faster than a stable check would tolerate.
x check add name flap src 10.1.0.1 dst 10.2.0.1 interval 50ms misses 1 up 1
check "flap check goes up" wait_for 15 chk flap '.state == "up"'
for _ in 1 2 3 4 5; do
	link_cut
	sleep 0.3
	link_restore
	sleep 0.3
done
chk flap . | jq -c '{state, flapping, transitions, interval_ms, cur_interval_ms}' | sed 's/^/#   after toggling: /'
check "toggling makes it flapping, interval stretched" wait_for 5 chk flap \
	'.flapping == true and .cur_interval_ms > .interval_ms and .transitions >= 4'
t0=$SECONDS
check "stable again, it stops flapping (within 40 s)" wait_for 40 chk flap \
	'.flapping == false and .cur_interval_ms == .interval_ms and .state == "up"'
echo "# flapping cleared after $((SECONDS - t0)) s of stability"
x check del name flap

# save and restore: the batch replaces rules and checks, so a restore can
# run again (as the systemd unit does at every start).
x check add name s1 src 10.1.0.1 dst 10.2.0.1 interval 200ms misses 4 mode optimized
x check add name s2 src 10.1.0.1 dst 10.2.0.1 timeout 300ms action restart
x save >"$work/saved"
check "save lists a check flush and both checks" bash -c \
	"grep -qx 'check flush' '$work/saved' && [ \$(grep -c '^check add' '$work/saved') = 2 ]"
x check set name s1 interval 1s
x check add name extra src 10.1.0.1 dst 10.2.0.1
check "a restore over existing checks succeeds" x -b "$work/saved"
check "and a second one too" x -b "$work/saved"
check "the saved checks are back as they were" bash -c \
	"'$XHC' -n $a -j check show | jq -e 'map(.name) == [\"s1\", \"s2\"] and
	 .[0].interval_ms == 200 and .[0].misses == 4 and .[0].mode == \"optimized\" and
	 .[1].timeout_ms == 300 and .[1].action == \"restart\"'"
x check flush
check "check flush deletes every check" bash -c \
	"'$XHC' -n $a -j check show | jq -e 'length == 0'"
sed 's/^/#   event: /' "$work/events" | cut -c1-200
tap_done
