#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input gets a clear error: the tool names the argument, or repeats the
# kernel's extack text; exit status 1; nothing changes. Raw requests reach
# the checks the tool would catch first.
. "$(dirname "$0")/lib.sh"

ns=$ns_prefix-bad
modprobe xfrm_hc
netns_add "$ns"
x() { "$XHC" -n "$ns" "$@"; }
raw() { ip netns exec "$ns" python3 "$GENL_PY" request "$@" || true; }

before=$(x -j defaults show)

# Ranges are the kernel's: the tool passes them on and prints its reason.
expect_fail "interval below 10 ms" 'out of range|interval' x defaults set interval 5ms
expect_fail "interval above 1 hour" 'out of range|interval' x defaults set interval 3601s
expect_fail "misses 0" 'out of range|misses' x defaults set misses 0
expect_fail "up 0" 'out of range|up' x defaults set up 0
expect_fail "jitter above 25%" 'out of range|jitter' x defaults set jitter 26
expect_fail "unknown mode is named" '"sometimes"' x defaults set mode sometimes
expect_fail "unknown action is named" '"explode"' x defaults set action explode
expect_fail "bad time is named" '"10parsecs"' x defaults set interval 10parsecs
expect_fail "probe-src without probe-dst" 'probe' x defaults set probe-src 10.0.0.1
expect_fail "probe addresses of two families" 'famil' x defaults set probe-src 10.0.0.1 probe-dst 2001:db8::1
expect_fail "missing value" 'missing|interval' x defaults set interval
check "nothing changed after the rejected requests" \
	test "$(x -j defaults show)" = "$before"

x rule add prio 10 reqid 1-5
expect_fail "duplicate rule priority" 'priority exists' x rule add prio 10
expect_fail "deleting a missing rule" 'no rule with this priority' x rule del prio 11
expect_fail "empty reqid range" 'reqid' x rule add prio 12 reqid 5-3
expect_fail "bad prefix is named" '"300.1.1.1/8"' x rule add remote 300.1.1.1/8
expect_fail "prefix longer than the address" '/33|prefix' x rule add remote 192.0.2.0/33
expect_fail "unknown family is named" '"ipx"' x rule add family ipx
expect_fail "rule del without prio" 'prio' x rule del
check "only the good rule exists" bash -c \
	"'$XHC' -n $ns -j rule show | jq -e 'length == 1 and .[0].prio == 10'"

# Raw requests: what the tool never sends. Every error carries extack text.
# Nests carry NLA_F_NESTED (0x8000), as strict validation demands.
A_PROFILE=0x8004 A_RULE=0x8005
expect_raw() { # DESC PATTERN CMD [ATTRS...]
	local desc=$1 pattern=$2 out
	shift 2
	out=$(raw "$@")
	if grep -Eq "^error [A-Z]+ .*($pattern)" <<<"$out"; then
		ok "raw: $desc"
	else
		not_ok "raw: $desc"
		echo "#   got: $out; wanted /$pattern/"
	fi
}
expect_raw "DEFAULTS_SET without a profile" 'a profile or the echo responder.s switch is required' 3
expect_raw "RULE_ADD without a rule" 'rule is required' 4
# RULE_DEL with an empty rule nest: which rule?
expect_raw "RULE_DEL without a priority" 'priority' 5 "$A_RULE:bin:"
# A rule nest holding FAMILY (7) = 99.
expect_raw "rule family 99" 'family' 4 "$A_RULE:bin:0500070063000000"
# A rule nest holding REMOTE (8) of 5 bytes.
expect_raw "remote address of 5 bytes" 'address must be 4' 4 "$A_RULE:bin:090008000102030405000000"
# MARK_MASK (5) without MARK.
expect_raw "mark mask without mark" 'mark' 4 "$A_RULE:bin:08000500ff000000"
# A profile nest holding PROBE_SRC (7) only.
expect_raw "probe-src alone" 'probe' 3 "$A_PROFILE:bin:080007000a000001"
# A profile nest with MODE (5) = 9.
expect_raw "mode out of range" 'range|invalid' 3 "$A_PROFILE:bin:0500050009000000"
expect_raw "an attribute of the wrong size" 'range|invalid|Attribute|length' 3 "$A_PROFILE:bin:0600010001000000"
expect_raw "a nest without NLA_F_NESTED" 'NESTED' 3 "4:bin:0500050001000000"
# ECHO_RESPONDER (9), a u8 switch, of 2.
expect_raw "echo responder switch of 2" 'range|invalid' 3 "9:bin:02"
# A new family validates every command strictly, the genl header too
# (resv_start_op 0): a reserved byte that is not 0 is refused, dumps too.
for cmd in 1 2 3 6:dump 8:dump 16:dump; do
	out=$(ip netns exec "$ns" python3 "$GENL_PY" reserved "$cmd" || true)
	if grep -Eq '^error EINVAL .*reserved' <<<"$out"; then
		ok "raw: command $cmd with genlmsghdr.reserved 1 is refused"
	else
		not_ok "raw: command $cmd with genlmsghdr.reserved 1 is refused"
		echo "#   got: $out"
	fi
done
check "the module is still answering" x version
tap_done
