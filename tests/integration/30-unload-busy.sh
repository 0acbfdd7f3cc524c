#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unload while a genl socket is open and in the events group, and while
# requests race with unloads: no splat, and the family works again after.
. "$(dirname "$0")/lib.sh"

modprobe xfrm_hc
bg python3 "$GENL_PY" hold "$work/ready" "$work/go" >"$work/out" 2>&1
holder=${bg_pids[-1]}
for _ in $(seq 200); do [ -e "$work/ready" ] && break; sleep 0.1; done
check "a socket joined the events group and was answered" grep -q '^before: ok' "$work/out"
check "unload succeeds with the socket open" modprobe -r xfrm_hc
touch "$work/go"
wait "$holder" || true
check "the old socket's next request fails cleanly" grep -q '^after: error ENOENT' "$work/out"
sed 's/^/#   /' "$work/out"

# Requests racing with unload: either answered or a clean error, never hung.
( for _ in $(seq 60); do "$XHC" version >/dev/null 2>&1 || true; done ) &
racer=$!
for _ in $(seq 30); do modprobe xfrm_hc; modprobe -r xfrm_hc 2>/dev/null || true; done
wait "$racer"
ok "30 unloads raced with 60 requests"
check "the family answers after the race" "$XHC" version
tap_done
