#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Who may do what. An unprivileged user, and root of an unprivileged user
# namespace aimed at the init netns, get EPERM for every command (the
# kernel says so, and the tool) and cannot join the events group. Root of
# a user namespace that owns its own netns configures that netns, and only
# that one. Peers, checks, rules, events and dumps of one netns never show
# in another.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
c=$ns_prefix-other
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# Commands by number (uapi): VERSION_GET 1 .. PEER_GET 8, CHECK_ADD 13 ..
# CHECK_GET 16, as requests, and the dumps (RULE_GET, PEER_GET,
# CHECK_GET); the kernel checks the caller before it reads anything.
CMDS="request:1 request:2 request:3 request:4 request:5 request:7
	request:13 request:14 request:15 request:16 dump:6 dump:8 dump:16"
# Every tool command that talks to the module.
TOOL_CMDS=("version" "stats" "defaults show" "defaults set interval 2s"
	"rule add interval 1s" "rule del prio 1" "rule show" "rule flush"
	"peer show" "check add name p src 10.1.0.1 dst 10.2.0.1"
	"check set name p interval 1s" "check del p" "check show"
	"check flush" "teardown remote 192.0.2.2" "metrics" "save")

# genl.py may not be readable by others: feed it on stdin.
genl_as() { # WRAPPER... -- ARGS
	local w=()

	while [ "$1" != -- ]; do w+=("$1"); shift; done
	shift
	"${w[@]}" python3 - "$@" <"$GENL_PY"
}
# Every command number gets EPERM from the kernel when run through WRAPPER.
all_eperm() { # WRAPPER...
	local cmd out bad=0

	for cmd in $CMDS; do
		out=$(genl_as "$@" -- "${cmd%:*}" "${cmd#*:}" 2>&1 || true)
		if ! grep -q '^error EPERM' <<<"$out"; then
			echo "command $cmd: $out"
			bad=1
		fi
	done
	return $bad
}
# Every tool command fails with the kernel's EPERM through WRAPPER.
tool_all_eperm() { # WRAPPER...
	local c out bad=0

	for c in "${TOOL_CMDS[@]}"; do
		# shellcheck disable=SC2086
		if out=$("$@" "$XHC" $c 2>&1); then
			echo "xfrm-hc $c: succeeded: $out"
			bad=1
		elif ! grep -q 'Operation not permitted' <<<"$out"; then
			echo "xfrm-hc $c: $out"
			bad=1
		fi
	done
	return $bad
}
config() { # [NS]: rules, defaults and checks, as save prints them
	"$XHC" ${1:+-n "$1"} save
}

modprobe xfrm_hc
# Debian kernels gate unprivileged user namespaces behind a sysctl.
sysctl -qw kernel.unprivileged_userns_clone=1 2>/dev/null || true
esp_gateways "$a" "$b"
netns_add "$c"
"$XHC" -n "$a" rule add prio 5 interval 100ms misses 3 mode idle \
	probe-src 10.1.0.1 probe-dst 10.2.0.1
"$XHC" -n "$a" check add name a-check src 10.1.0.1 dst 10.2.0.1 interval 200ms
"$XHC" defaults set interval 3s
check "A's peer is up" wait_for 15 bash -c \
	"'$XHC' -n $a -j peer show | jq -e '.[0].state == \"up\"'"
before_init=$(config "")
before_a=$(config "$a")

# 1. An unprivileged user, in the init netns.
check "unprivileged: the kernel refuses every command with EPERM" \
	all_eperm "${NOBODY[@]}"
check "unprivileged: the tool fails with EPERM for every command" \
	tool_all_eperm "${NOBODY[@]}"
check "unprivileged: cannot join the events group" \
	genl_as "${NOBODY[@]}" -- join
expect_fail "unprivileged: xfrm-hc monitor says why" 'Operation not permitted' \
	"${NOBODY[@]}" "$XHC" monitor

# 2. Root of an unprivileged user namespace, still in the init netns: its
# capabilities are over its own namespace, not the init netns.
USERNS=("${NOBODY[@]}" unshare --user --map-root-user)
check "a user namespace can be made here" "${USERNS[@]}" true
check "userns root on the init netns: the kernel refuses every command" \
	all_eperm "${USERNS[@]}"
check "userns root on the init netns: the tool fails with EPERM" \
	tool_all_eperm "${USERNS[@]}"
check "userns root on the init netns: cannot join the events group" \
	genl_as "${USERNS[@]}" -- join
check "nothing changed in the init netns" test "$(config "")" = "$before_init"

# 3. Root of a user namespace with its own netns: admin there, only there.
own() { "${NOBODY[@]}" unshare --user --map-root-user --net sh -c "$1"; }
out=$(own "ip link set lo up && ip addr add 10.7.0.1/32 dev lo &&
	'$XHC' defaults set interval 500ms misses 2 &&
	'$XHC' rule add prio 9 interval 250ms &&
	ip xfrm state add src 10.7.0.1 dst 10.7.0.2 proto esp spi 0x777 \
		mode tunnel aead 'rfc4106(gcm(aes))' $ESP_AEAD_A2B 128 &&
	'$XHC' check add name mine src 10.7.0.1 dst 10.7.0.2 &&
	'$XHC' -j rule show && '$XHC' -j peer show && '$XHC' -j check show &&
	'$XHC' -j defaults show" 2>&1) && st=0 || st=$?
check "own netns: its admin configures it (defaults, rule, check)" test "$st" = 0
[ "$st" = 0 ] || sed 's/^/#   /' <<<"$out"
check "own netns: it sees its own rule, peer and check" bash -c \
	"jq -se '.[0][0].prio == 9 and .[1][0].remote == \"10.7.0.2\" and
		.[2][0].name == \"mine\" and .[3].interval_ms == 500' <<<'$out'"
check "own netns: it joins its own events group" \
	own "timeout 2 '$XHC' monitor; [ \$? = 124 ]"
check "own netns: it does not see A's peer, rule or check" bash -c \
	"! grep -q '192.0.2.2\|a-check\|\"prio\":5' <<<'$out'"
expect_fail "own netns: it cannot enter A's netns" \
	'Operation not permitted|cannot enter|setns' \
	own "'$XHC' -n $a rule add prio 77 interval 1s"
check "A's configuration is as it was" test "$(config "$a")" = "$before_a"
check "the init netns is as it was" test "$(config "")" = "$before_init"

# 4. Isolation between root-made namespaces: C sees nothing of A.
check "C: no peers" bash -c "[ \"\$('$XHC' -n $c -j peer show)\" = '[]' ]"
check "C: no checks" bash -c "[ \"\$('$XHC' -n $c -j check show)\" = '[]' ]"
check "C: no rules" bash -c "[ \"\$('$XHC' -n $c -j rule show)\" = '[]' ]"
check "C: its defaults are its own" bash -c \
	"'$XHC' -n $c -j defaults show | jq -e '.interval_ms == 1000'"
check "C: stats count nothing" bash -c \
	"'$XHC' -n $c -j stats | jq -e '.peers == 0 and .checks == 0'"
bg "$XHC" -n "$a" -j monitor >"$work/mon-a"
bg "$XHC" -n "$c" -j monitor >"$work/mon-c"
mon_c=${bg_pids[-1]}
bg "$XHC" -j monitor >"$work/mon-init"
mon_init=${bg_pids[-1]}
sleep 1
tc -n "$a" qdisc replace dev wan root netem loss 100%
check "A: peer-down and check-down reach A's listener" wait_for 15 bash -c \
	"grep -q '\"peer-down\"' '$work/mon-a' && grep -q '\"check-down\"' '$work/mon-a'"
tc -n "$a" qdisc del dev wan root
check "A: and up again" wait_for 15 grep -q '"peer-up"' "$work/mon-a"

# Silence proves nothing of a listener that died or never joined: each
# hears one marker of its own netns, a peer-gone for REMOTE, after A's
# events. An SA to REMOTE, watched by the default rule, then deleted.
marker() { # NS|"" REMOTE
	local ip=(ip) xhc=("$XHC")

	[ -z "$1" ] || { ip+=(-n "$1"); xhc+=(-n "$1"); }
	"${ip[@]}" xfrm state add src 198.18.0.1 dst "$2" proto esp spi 0x7272 \
		mode tunnel aead 'rfc4106(gcm(aes))' $ESP_AEAD_A2B 128 &&
		wait_for 10 bash -c "$(printf '%q ' "${xhc[@]}")-j peer show |
			jq -e 'any(.[]; .remote == \"$2\")'" &&
		"${ip[@]}" xfrm state delete src 198.18.0.1 dst "$2" proto esp spi 0x7272
}
# only_marker FILE REMOTE: FILE holds one event, the marker's peer-gone.
only_marker() {
	jq -se --arg r "$2" 'length == 1 and .[0].event == "peer-gone" and
		.[0].peer.remote == $r' "$1"
}
check "C: a marker SA comes and goes" marker "$c" 198.18.0.2
check "the init netns: a marker SA comes and goes" marker "" 198.18.0.3
check "C's listener hears its marker" wait_for 15 grep -q 198.18.0.2 "$work/mon-c"
check "the init netns' listener hears its marker" \
	wait_for 15 grep -q 198.18.0.3 "$work/mon-init"
sleep 1
check "C's listener is alive" kill -0 "$mon_c"
check "the init netns' listener is alive" kill -0 "$mon_init"
check "C's listener heard nothing but its marker" only_marker "$work/mon-c" 198.18.0.2
check "the init netns' listener heard nothing but its marker" \
	only_marker "$work/mon-init" 198.18.0.3
sed 's/^/#   C: /' "$work/mon-c"
sed 's/^/#   init: /' "$work/mon-init"

tap_done
