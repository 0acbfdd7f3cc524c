#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The family under random and mutated requests (tests/fuzz/genl_fuzz.c),
# in a netns of its own: no splat (the VM harness reads dmesg), every
# rejection from the family carries an extack message, the family still
# answers, and the module unloads cleanly afterwards.
# XFRM_HC_GENL_FUZZ_COUNT (default 1000000) and XFRM_HC_GENL_FUZZ_SEED.
. "$(dirname "$0")/lib.sh"

count=${XFRM_HC_GENL_FUZZ_COUNT:-1000000}
seed=${XFRM_HC_GENL_FUZZ_SEED:-$RANDOM$RANDOM}
n=$ns_prefix-fuzz
P=/sys/module/xfrm_hc/parameters

modprobe xfrm_hc
# Random checks may probe every 10 ms: keep their number small.
saved="$(cat $P/max_checks) $(cat $P/max_rules)"
trap 'echo "${saved% *}" >$P/max_checks; echo "${saved#* }" >$P/max_rules; cleanup_all' EXIT
echo 8 >$P/max_checks
echo 64 >$P/max_rules
check "the fuzzer builds" gcc -O2 -Wall -I"$top/uapi" -o "$work/genl_fuzz" \
	"$top/tests/fuzz/genl_fuzz.c"
netns_add "$n"
echo "# seed $seed, $count messages"
st=0
out=$(ip netns exec "$n" "$work/genl_fuzz" "$count" "$seed") || st=$?
sed 's/^/# /' <<<"$out"
check "$count messages: every rejection by the family carries an extack message" \
	test "$st" = 0
check "most messages got an answer" bash -c \
	"awk '/^messages/ { exit !(\$4 + \$6 > \$2 / 2) }' <<<'$out'"
check "the family still answers in that netns" "$XHC" -n "$n" version
check "and elsewhere" "$XHC" version
ip netns del "$n"
check "the module unloads after the fuzzing" modprobe -r xfrm_hc
check "and loads again" modprobe xfrm_hc

tap_done
