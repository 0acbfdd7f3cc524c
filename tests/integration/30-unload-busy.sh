#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unload while a genl socket is open and in the events group, and while
# requests race with unloads: no splat, and the family works again after.
# Then unload, and delete namespaces, while ICMP answers through ESP flood
# into the probe hooks: the namespace's state is freed right after its
# exit, so a hook still running on the other CPU must be waited for.
# A stock kernel rarely shows such a use after free; the debug kernel
# (tests/vm/run --debug, KASAN) reports it. XHC_UNLOAD_CYCLES (default 4)
# sets the unloads, and a third of it the namespace deletions.
. "$(dirname "$0")/lib.sh"
. "$top/tests/lib/tunnel.sh"

cycles=${XHC_UNLOAD_CYCLES:-4}

modprobe xfrm_hc
bg python3 "$GENL_PY" hold "$work/ready" "$work/go" >"$work/out" 2>&1
holder=${bg_pids[-1]}
for _ in $(seq 200); do [ -e "$work/ready" ] && break; sleep 0.1; done
check "a socket joined the events group and was answered" grep -q '^before: ok' "$work/out"
check "unload succeeds with the socket open" modprobe -r xfrm_hc
touch "$work/go"
held=0
wait "$holder" || held=$?
check "the socket's holder ends cleanly" test "$held" = 0
check "the old socket's next request fails cleanly" grep -q '^after: error ENOENT' "$work/out"
sed 's/^/#   /' "$work/out"

# Requests racing with unload: either answered or a clean error (status 1),
# never a crash or a hang. An unload may fail while a request holds the
# module; most must not.
( for _ in $(seq 60); do
	st=0
	timeout 60 "$XHC" version >/dev/null 2>&1 || st=$?
	echo "$st"
done ) >"$work/racer" &
racer=$!
unloads=0
for _ in $(seq 30); do
	modprobe xfrm_hc
	! modprobe -r xfrm_hc 2>/dev/null || unloads=$((unloads + 1))
done
wait "$racer"
echo "# requests by exit status: $(sort "$work/racer" | uniq -c | xargs)"
check "60 requests raced with unloads: each answered or cleanly refused" \
	bash -c "[ \$(wc -l <'$work/racer') = 60 ] && ! grep -qvx '[01]' '$work/racer'"
check "$unloads of 30 unloads succeeded while requests raced, at least 10" \
	test "$unloads" -ge 10
modprobe -r xfrm_hc 2>/dev/null || true
check "the family answers after the race" "$XHC" version

# An echo-reply flood from B to A's LAN address: through ESP, so every one
# passes A's probe hook as far as the namespace's state. No process of A's
# is needed, so A can be deleted under it. SECONDS, then it stops. It
# execs, so that "bg" knows the sender's own pid and can kill it.
reply_flood() { # NS SECONDS
	exec ip netns exec "$1" python3 -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.bind(("10.2.0.1", 0))
def csum(b):
    n = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    n = (n >> 16) + (n & 0xffff)
    return ~(n + (n >> 16)) & 0xffff
body = struct.pack("!HH", 0x4242, 1) + bytes(56)
pkt = struct.pack("!BBH", 0, 0, csum(struct.pack("!BBH", 0, 0, 0) + body)) + body
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    try:
        s.sendto(pkt, ("10.1.0.1", 0))
    except OSError:
        time.sleep(0.001)
' "$2"
}

a=$ns_prefix-gw-a
b=$ns_prefix-gw-b
x() { "$XHC" -n "$1" -j "${@:2}"; }
answered() { [ "$(x "$1" stats | jq .probes_answered)" -ge "$2" ]; }
# Both gateways probe each other every 10 ms: the hooks are in, in both.
probe_both() {
	x "$a" defaults set interval 10ms misses 3 mode periodic \
		probe-src 10.1.0.1 probe-dst 10.2.0.1 &&
		x "$b" defaults set interval 10ms misses 3 mode periodic \
			probe-src 10.2.0.1 probe-dst 10.1.0.1 &&
		wait_for 60 answered "$a" 1 && wait_for 60 answered "$b" 1
}
esp_in_a() { xfrm_sa_packets "$a" 0xb2a1; }

# 1. Unload under flood: pings both ways keep answers coming into both
# gateways' hooks, with 16 in flight each; the module goes and comes back.
esp_gateways "$a" "$b"
bg ip netns exec "$a" ping -q -f -l 16 -I 10.1.0.1 10.2.0.1
bg ip netns exec "$b" ping -q -f -l 16 -I 10.2.0.1 10.1.0.1
bg reply_flood "$b" 100000
# Counted, not assumed: a cycle that stopped early, or none at all, fails.
unloaded=0
quiet=0
for r in $(seq "$cycles"); do
	modprobe xfrm_hc
	probe_both || { not_ok "cycle $r: probes answered in both gateways"; break; }
	before=$(esp_in_a)
	modprobe -r xfrm_hc || { not_ok "cycle $r: unload under flood"; break; }
	unloaded=$((unloaded + 1))
	# The flood went on while the hooks went: else this tested nothing.
	[ "$(esp_in_a)" -gt "$before" ] || quiet=$((quiet + 1))
done
check "$unloaded of $cycles unloads with answers flooding both gateways' hooks, at least 1" \
	test "$unloaded" = "$cycles" -a "$unloaded" -ge 1
check "answers arrived during every unload ($quiet quiet)" test "$quiet" = 0
check "the module is gone after the last unload" bash -c '! [ -d /sys/module/xfrm_hc ]'
for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
bg_pids=()
ip netns del "$a"
ip netns del "$b"

# 2. Namespace deletion under flood: B floods A with answers, A's own
# pinger (whose socket would keep A alive) is killed, A is deleted while
# the flood goes on, then B. Every peer, SA and profile is freed.
# Compared with the counts before, not with zero: what another script may
# have left is tests/integration/run's to report.
OBJECTS=/sys/kernel/debug/xfrm_hc/objects
modprobe xfrm_hc
objects_before=$(cat "$OBJECTS")
objects_back() { [ "$(cat "$OBJECTS")" = "$objects_before" ]; }
deleted=0
nscycles=$(( (cycles + 2) / 3 ))
for r in $(seq "$nscycles"); do
	a=$ns_prefix-del$r-a
	b=$ns_prefix-del$r-b
	esp_gateways "$a" "$b"
	probe_both || { not_ok "round $r: probes answered in both gateways"; break; }
	bg ip netns exec "$a" ping -q -f -l 16 -I 10.1.0.1 10.2.0.1
	pinger=${bg_pids[-1]}
	bg reply_flood "$b" 60
	flood=${bg_pids[-1]}
	before=$(esp_in_a)
	sleep 1
	[ "$(esp_in_a)" -gt "$before" ] ||
		{ not_ok "round $r: the flood reaches A"; break; }
	kill "$pinger"
	wait "$pinger" 2>/dev/null || true
	ip netns del "$a"
	sleep 0.5
	kill "$flood" 2>/dev/null || true
	wait "$flood" 2>/dev/null || true
	ip netns del "$b"
	wait_for 60 objects_back ||
		{ not_ok "round $r: objects freed after deletion"; sed 's/^/#   /' "$OBJECTS"; break; }
	deleted=$((deleted + 1))
done
check "$deleted of $nscycles namespaces deleted with answers flooding in, all their objects freed, at least 1" \
	test "$deleted" = "$nscycles" -a "$deleted" -ge 1
check "the module unloads at the end" modprobe -r xfrm_hc
tap_done
