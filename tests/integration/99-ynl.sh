#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The YNL spec (uapi/xfrm_hc.yaml) drives the loaded module through the
# kernel's own tools/net/ynl/cli.py, from the linux-source-6.12 tree that
# tests/kunit/run extracts (tests/lib/linux-source.sh): every kind of
# operation (do, dump, dump with a filter), the events group, and errors
# whose extack names the bad attribute by its spec name. If the spec's ids
# or types were off, the kernel would reject the requests or cli.py would
# misdecode the answers.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
spec=$top/uapi/xfrm_hc.yaml

ksrc=$("$top/tests/lib/linux-source.sh" --no-extract) || {
	not_ok "the extracted linux-source-6.12 tree is in the cache"
	tap_done
}
cli=$ksrc/tools/net/ynl/cli.py
schema=$ksrc/Documentation/netlink/genetlink-legacy.yaml
# cli.py validates the spec against the kernel's schema when it can
# (python3-jsonschema, which make check installs); it needs python3-yaml
# in any case. Without jsonschema that is a skip, and says so.
schema_opt=(--no-schema)
if python3 -c 'import jsonschema' 2>/dev/null; then
	schema_opt=(--schema "$schema")
	check "the spec validates against the kernel's genetlink-legacy.yaml" \
		python3 -c 'import sys, jsonschema, yaml
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2])))' \
		"$spec" "$schema"
else
	ok "the spec validates against the kernel's genetlink-legacy.yaml # SKIP python3-jsonschema is not installed"
fi

# ynl ARGS...: cli.py in gateway A's netns, JSON out. Nothing is written
# into the kernel tree (it is read-only in the VM anyway).
ynl() {
	ip netns exec "$a" env PYTHONDONTWRITEBYTECODE=1 \
		python3 "$cli" --spec "$spec" "${schema_opt[@]}" --output-json "$@"
}
# yq JQ ARGS...: the output of "ynl ARGS..." satisfies JQ.
yq() {
	local f=$1 out

	shift
	out=$(ynl "$@") || { printf '%s\n' "$out"; return 1; }
	jq -e "$f" <<<"$out" || { printf '%s\n' "$out"; return 1; }
}
# ynl1 ARGS...: ynl with its output on one line, for patterns that span the
# error and the extack lines of cli.py.
ynl1() {
	local out st=0

	out=$(ynl "$@" 2>&1) || st=$?
	printf '%s\n' "$out" | tr '\n\t' '  '
	echo
	return $st
}
link_cut() { pretty "$a" "tc qdisc replace dev wan root netem loss 100%"; tc -n "$a" qdisc replace dev wan root netem loss 100%; }
link_restore() { pretty "$a" "tc qdisc del dev wan root"; tc -n "$a" qdisc del dev wan root; }

modprobe xfrm_hc
esp_gateways "$a" "$b"

check "cli.py loads the spec and lists its operations" bash -c \
	"ip netns exec '$a' env PYTHONDONTWRITEBYTECODE=1 python3 '$cli' --spec '$spec' ${schema_opt[*]} --list-ops | grep -Eq '^check-get +\\[ (do, dump|dump, do) \\]'"

# version-get: a do with a reply and a nest of u64 counters.
check "version-get: genl-version 1, a module version, stats" yq \
	'.["genl-version"] == 1 and (.["module-version"] | length > 0)
	 and (.stats.netns >= 1) and (.stats.peers >= 1) and (.stats.sas >= 2)' \
	--do version-get
ynl --do version-get | jq -c . | cut -c1-300 | sed 's/^/#   /'

# defaults-set / defaults-get: u32 with a range, u8s, an enum, a u16.
check "defaults-set with a profile" ynl --do defaults-set --json \
	'{"profile": {"interval-ms": 250, "misses": 4, "jitter": 5, "mode": "idle", "natt-keepalive": 30}}'
check "defaults-get shows the new defaults" yq \
	'.profile | .["interval-ms"] == 250 and .misses == 4 and .up == 1
	 and .jitter == 5 and .mode == "idle" and .action == "notify"
	 and .["natt-keepalive"] == 30' \
	--do defaults-get

# rule-add / rule-get: binary address, prefix length, nested profile.
check "rule-add prio 10 remote 192.0.2.2/32 misses 5" ynl --do rule-add --json \
	'{"rule": {"prio": 10, "remote": "c0000202", "remote-plen": 32, "profile": {"misses": 5}}}'
check "rule-add prio 20 reqid 1-3 mark 0x10/0xf0" ynl --do rule-add --json \
	'{"rule": {"prio": 20, "reqid-min": 1, "reqid-max": 3, "mark": 16, "mark-mask": 240}}'
check "rule-get dump: both rules, in order, as set" yq \
	'length == 2 and (.[0].rule | .prio == 10 and .remote == "192.0.2.2"
	   and .["remote-plen"] == 32 and .family == 2
	   and .profile.misses == 5 and .profile["interval-ms"] == 250)
	 and (.[1].rule | .prio == 20 and .["reqid-min"] == 1
	   and .["reqid-max"] == 3 and .mark == "0x10" and .["mark-mask"] == "0xf0"
	   and (.matches | type == "number"))' \
	--dump rule-get
check "rule-del prio 20" ynl --do rule-del --json '{"rule": {"prio": 20}}'
check "rule-get dump: one rule left" yq 'map(.rule.prio) == [10]' --dump rule-get

# peer-get: a dump, with the multi-attr SA nest, and its filter.
check "peer-get dump: the peer of the tunnel, with its two SAs" yq \
	'length == 1 and (.[0].generation | type == "number")
	 and (.[0].peer | .family == 2 and .local == "192.0.2.1"
	   and .remote == "192.0.2.2" and .["if-id"] == 0
	   and .["rule-prio"] == 10 and .profile.misses == 5
	   and (.state | IN("up", "dead", "idle"))
	   and (.sa | length == 2)
	   and ([.sa[] | {spi, dir, proto}] | sort_by(.spi)
	        == [{"spi": "0xa1b2", "dir": "out", "proto": 50},
	            {"spi": "0xb2a1", "dir": "in", "proto": 50}]))' \
	--dump peer-get
ynl --dump peer-get | jq -c '.[0].peer | del(.sa, .profile)' | cut -c1-300 | sed 's/^/#   /'
check "peer-get filtered by peer.remote 192.0.2.2: one" yq 'length == 1' \
	--dump peer-get --json '{"peer": {"remote": "c0000202"}}'
check "peer-get filtered by peer.remote 192.0.2.9: none" yq 'length == 0' \
	--dump peer-get --json '{"peer": {"remote": "c0000209"}}'
check "peer-get filtered by peer.if-id 7: none" yq 'length == 0' \
	--dump peer-get --json '{"peer": {"if-id": 7}}'

# check-add / check-get (do and dump) / check-set.
check "check-add ynl1 10.1.0.1 -> 10.2.0.1, 100 ms" ynl --do check-add --json \
	'{"check": {"name": "ynl1", "src": "0a010001", "dst": "0a020001", "interval-ms": 100, "misses": 2}}'
check "check-get ynl1 goes up over the tunnel" wait_for 20 yq \
	'.check.state == "up" and .check["probes-answered"] >= 2' \
	--do check-get --json '{"check": {"name": "ynl1"}}'
check "check-get ynl1: settings and counters decode" yq \
	'.check | .name == "ynl1" and .src == "10.1.0.1" and .dst == "10.2.0.1"
	 and .["interval-ms"] == 100 and .misses == 2 and .up == 3
	 and .["timeout-ms"] == 0 and .mode == "periodic" and .action == "notify"
	 and .flapping == 0 and .["cur-interval-ms"] == 100
	 and .["rtt-min-us"] > 0 and .["rtt-min-us"] <= .["rtt-max-us"]
	 and .["probes-lost"] == 0' \
	--do check-get --json '{"check": {"name": "ynl1"}}'
ynl --do check-get --json '{"check": {"name": "ynl1"}}' | jq -c .check | cut -c1-300 | sed 's/^/#   /'
check "check-set ynl1 mode optimized keeps its state" ynl --do check-set --json \
	'{"check": {"name": "ynl1", "mode": "optimized"}}'
check "check-get dump: ynl1, optimized, still up" yq \
	'map(.check.name) == ["ynl1"] and .[0].check.mode == "optimized"
	 and .[0].check.state == "up"' \
	--dump check-get
ynl --do check-set --json '{"check": {"name": "ynl1", "mode": "periodic"}}' >/dev/null

# Events: a listener on the "events" group sees check-down after a cut.
# cli.py subscribes, sleeps, then prints what was queued.
ip netns exec "$a" env PYTHONDONTWRITEBYTECODE=1 python3 "$cli" --spec "$spec" \
	"${schema_opt[@]}" --output-json --subscribe events --sleep 12 \
	>"$work/ntf" 2>"$work/ntf.err" &
ntf_pid=$!
bg_pids+=("$ntf_pid")
# Subscribed once a generic netlink socket (protocol 16) of the netns has a
# group bit set: /proc/net/netlink, columns sk Eth Pid Groups.
subscribed() {
	ip netns exec "$a" awk '$2 == 16 && $4 != "00000000" { f = 1 } END { exit !f }' /proc/net/netlink
}
wait_for 20 subscribed || echo "# no subscribed socket seen in /proc/net/netlink; going on"
link_cut
check "check-get ynl1 goes down" wait_for 10 yq '.check.state == "down"' \
	--do check-get --json '{"check": {"name": "ynl1"}}'
st=0
wait "$ntf_pid" || st=$?
check "the listener exited cleanly" test "$st" = 0
[ "$st" = 0 ] || sed 's/^/#   /' "$work/ntf.err"
check "the listener got check-down for ynl1 with its counters" jq -e \
	'[.[] | select(.name == "check-down" and .msg.check.name == "ynl1")] | length >= 1
	 and (.[0].msg | (.generation | type == "number")
	   and .check.state == "down" and .check["probes-lost"] >= 2
	   and .check.src == "10.1.0.1" and .check["detect-ms"] >= 0)' "$work/ntf"
check "every notification is one of the spec's events" jq -e \
	'length >= 1 and all(.[]; .name | IN("peer-down", "peer-up", "peer-idle",
	 "peer-gone", "check-down", "check-up"))' "$work/ntf"
echo "# events: $(jq -c '[.[].name]' "$work/ntf" 2>/dev/null || cut -c1-200 "$work/ntf")"
link_restore

# Bad input: the kernel's reason in extack, the attribute by its spec path.
expect_fail "check-add of an existing name: extack" \
	"File exists.*'msg': 'xfrm_hc: a check of that name exists'" \
	ynl1 --do check-add --json '{"check": {"name": "ynl1", "src": "0a010001", "dst": "0a020001"}}'
expect_fail "check-add interval-ms 5: the policy's range, bad-attr .check.interval-ms" \
	"out of range.*'policy': \\{[^}]*'min-value': 10, 'max-value': 3600000.*'bad-attr': '\\.check\\.interval-ms'" \
	ynl1 --do check-add --json '{"check": {"name": "ynl2", "src": "0a010001", "dst": "0a020001", "interval-ms": 5}}'
expect_fail "check-add with a 5-byte src: extack names .check.src" \
	"address must be 4 \\(IPv4\\) or 16 \\(IPv6\\) bytes.*'bad-attr': '\\.check\\.src'" \
	ynl1 --do check-add --json '{"check": {"name": "ynl2", "src": "0a01000101", "dst": "0a020001"}}'
expect_fail "check-add without a name" "the check needs a name.*'bad-attr': '\\.check'" \
	ynl1 --do check-add --json '{"check": {"src": "0a010001", "dst": "0a020001"}}'
expect_fail "rule-del without a priority" "which rule: its priority is missing" \
	ynl1 --do rule-del --json '{"rule": {}}'
expect_fail "defaults-set jitter 26: policy max 25" "out of range.*'max-value': 25.*'bad-attr': '\\.profile\\.jitter'" \
	ynl1 --do defaults-set --json '{"profile": {"jitter": 26}}'
expect_fail "check-get of a missing check" "No such file or directory.*no check of that name" \
	ynl1 --do check-get --json '{"check": {"name": "nosuch"}}'

# Clean up through the spec too.
check "check-del ynl1" ynl --do check-del --json '{"check": {"name": "ynl1"}}'
check "check-get dump: empty" yq 'length == 0' --dump check-get
check "rule-flush" ynl --do rule-flush
check "rule-get dump: empty" yq 'length == 0' --dump rule-get
check "the peer falls back to the default rule" yq \
	'length == 1 and (.[0].peer | has("rule-prio") | not)
	 and .[0].peer.profile["interval-ms"] == 250' \
	--dump peer-get
tap_done
