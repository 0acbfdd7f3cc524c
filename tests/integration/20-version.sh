#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xfrm-hc version asks the module, in two namespaces whose counters are
# their own; the family autoloads; bad input gets the kernel's reason.
. "$(dirname "$0")/lib.sh"

nsa=$ns_prefix-a
nsb=$ns_prefix-b
modprobe -r xfrm_hc 2>/dev/null || true

check "family autoloads on first use" "$XHC" version
check "module is loaded now" module_loaded
out=$("$XHC" version)
check "text output names both versions" \
	grep -Eq '^xfrm-hc [0-9.]+, module [0-9.]+, genl version 1$' <<<"$out"

netns_add "$nsa"
netns_add "$nsb"

json() { "$XHC" -j -n "$1" version; }
check "-j output is one JSON object with the expected fields" bash -c \
	"$(declare -f json); XHC=$XHC json $nsa | jq -e '.tool and .module == \"0.1.0\" and .genl_version == 1 and (.stats | type == \"object\")'"
check "-j -p output is the same object, indented" bash -c \
	"diff <('$XHC' -j -n $nsa version | jq -S 'del(.stats.requests)') <('$XHC' -j -p -n $nsa version | jq -S 'del(.stats.requests)') && [ \$('$XHC' -j -p -n $nsa version | wc -l) -gt 3 ]"

stat() { json "$1" | jq -r ".stats.$2"; }
check "netns counter counts at least init, a and b" test "$(stat "$nsa" netns)" -ge 3

# One real SA in namespace a only: the counters are per netns.
pretty "$nsa" "ip xfrm state add ... (ESP, rfc4106(gcm(aes)))"
ip -n "$nsa" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
	spi 0x1000 reqid 1 mode tunnel \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128
check "SA add is seen in its netns" test "$(stat "$nsa" sa_added)" = 1
check "SA add is not seen in another netns" test "$(stat "$nsb" sa_added)" = 0
ip -n "$nsa" xfrm state update src 192.0.2.1 dst 192.0.2.2 proto esp \
	spi 0x1000 reqid 1 mode tunnel \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128
check "SA update counts as present" test "$(stat "$nsa" sa_added)" = 2
ip -n "$nsa" xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000
check "SA delete is seen" test "$(stat "$nsa" sa_deleted)" = 1
# A flush of nothing is not announced: give it something to flush.
ip -n "$nsa" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
	spi 0x1001 reqid 1 mode tunnel \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128
ip -n "$nsa" xfrm state flush
check "SA flush is seen" test "$(stat "$nsa" sa_flushes)" = 1
check "requests are counted per netns" test "$(stat "$nsb" requests)" -lt "$(stat "$nsa" requests)"

expect_fail "unknown netns is named in the error" \
	'cannot open network namespace "nope-'"$$"'"' "$XHC" -n nope-$$ version
expect_fail "extra argument is named in the error" \
	'unexpected argument "bogus"' "$XHC" version bogus
expect_fail "unknown object is named in the error" \
	'unknown object "frobnicate"' "$XHC" frobnicate

# The kernel rejects what VERSION_GET does not take, and says why.
out=$(python3 "$GENL_PY" request 1 1:str:junk || true)
check "an attribute VERSION_GET does not take is rejected with extack" \
	grep -Eq '^error EINVAL .+' <<<"$out"
echo "#   kernel said: $out"
out=$(python3 "$GENL_PY" request 99 || true)
check "an unknown command is rejected" grep -Eq '^error (EOPNOTSUPP|ENOTSUP)' <<<"$out"
echo "#   kernel said: $out"

# Admin only: an unprivileged user gets EPERM and the tool says so.
expect_fail "an unprivileged user is refused" 'Operation not permitted' \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$XHC" version

# Without the module, and with autoload impossible, the tool says so.
modprobe -r xfrm_hc
saved=$(cat /proc/sys/kernel/modprobe)
echo /bin/false >/proc/sys/kernel/modprobe
st=0
out=$("$XHC" version 2>&1) || st=$?
echo "$saved" >/proc/sys/kernel/modprobe
check "without the module: exit 1 and a plain message" \
	test "$st:$out" = "1:xfrm-hc: xfrm_hc module not loaded (modprobe xfrm_hc)"
tap_done
