# SPDX-License-Identifier: GPL-2.0
# Sourced by every integration script: TAP output, command echo, unique
# netns names and cleanup, in the style of WireGuard's netns.sh.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
XHC=$top/tools/xfrm-hc/xfrm-hc
XHCD=$top/tools/xfrm-hcd/xfrm-hcd
GENL_PY=$top/tests/integration/genl.py
# Unique per run, so a leftover from a crashed run never collides.
ns_prefix=xhc$$

tap_n=0
tap_failed=0

pretty() { echo "# [$1] $2" >&2; }

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }

not_ok() { tap_n=$((tap_n + 1)); echo "not ok $tap_n - $*"; tap_failed=1; }

# check DESC CMD...: one TAP line from CMD's exit status; output is shown
# as comments only when it fails.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}

# expect_fail DESC PATTERN CMD...: CMD must exit 1 and print PATTERN (ERE).
expect_fail() {
	local desc=$1 pattern=$2 out st=0
	shift 2
	out=$("$@" 2>&1) || st=$?
	if [ "$st" = 1 ] && printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
		ok "$desc"
	else
		not_ok "$desc"
		echo "#   exit status $st, output:"
		printf '%s\n' "$out" | sed 's/^/#   /'
		echo "#   expected status 1 and /$pattern/"
	fi
}

tap_done() {
	echo "1..$tap_n"
	exit $tap_failed
}

# ms_since T0: ms from T0 (date +%s%N) until now.
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# detect_check DESC EVENT SEEN_MS BOUND_MS: the verdict's own detect_ms
# in EVENT (peer-down or check-down: the module's time from the last
# evidence, which came before the cut, to the verdict) is at most twice
# BOUND_MS, the bound docs/detection.md gives from the cut. SEEN_MS, from
# the cut to the event as the script saw it, is printed only: in the
# emulated VM on a loaded host each command the script starts takes tens
# to hundreds of ms, and it measured 0.5 to 5.8 s against bounds of 400
# and 440 ms. Each caller notes the detect_ms spread measured.
# A fifth argument, PCT, sets another limit than 200 % of the bound,
# where a caller measured more than that under load.
detect_check() {
	local ms pct=${5:-200}

	ms=$(jq -r '(.peer // .check).detect_ms // "none"' <<<"${2:-null}")
	echo "# detection: detect_ms $ms, $3 ms from the cut as seen by the script; bound $4 ms, limit $(($4 * pct / 100)) ms"
	check "$1: detect_ms within $pct % of the bound" test "$ms" -le $(($4 * pct / 100))
}

# Module present in the guest's /lib/modules (the VM harness installs it).
module_loaded() { [ -d /sys/module/xfrm_hc ]; }

# Family registered? Only a dump: "genl ctrl get" would autoload the module.
family_registered() { genl ctrl list 2>/dev/null | grep -q 'Name: xfrm_hc$'; }

netns_add() { pretty host "ip netns add $1"; ip netns add "$1"; ip -n "$1" link set lo up; }

# wait_for SECONDS CMD...: poll until CMD succeeds, or fail after SECONDS.
wait_for() {
	local end=$((SECONDS + $1))

	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# Calls of module functions, counted by the kernel's function tracer. The
# debug kernel has none: fn_trace_start fails there, and a script skips
# what needs it (fn_trace_check).
fn_trace=/sys/kernel/tracing
fn_trace_start() { # FUNC...
	[ -e "$fn_trace/trace" ] || mount -t tracefs nodev "$fn_trace"
	grep -qw function "$fn_trace/available_tracers" || return 1
	printf '%s\n' "$@" >"$fn_trace/set_ftrace_filter"
	echo >"$fn_trace/trace"
	echo function >"$fn_trace/current_tracer"
}
# fn_trace_calls FUNC: its calls since the start or the last clear.
fn_trace_calls() { grep -c " $1 " "$fn_trace/trace" 2>/dev/null || true; }
fn_trace_clear() { [ ! -w "$fn_trace/trace" ] || echo >"$fn_trace/trace"; }
# Changing the tracer empties the buffer: read the counts first.
fn_trace_stop() {
	[ ! -w "$fn_trace/set_ftrace_filter" ] || {
		echo nop >"$fn_trace/current_tracer"
		echo >"$fn_trace/set_ftrace_filter"
	}
}
# fn_trace_check DESC CMD...: check, or skip where there is no tracer.
fn_trace_check() {
	if [ "$traced" = 1 ]; then
		check "$@"
	else
		ok "$1 # SKIP no function tracer in this kernel"
	fi
}

# Background helpers (monitors, traffic) die with the script: bg CMD...
# A shell function runs in a subshell, whose death would not end the
# command it runs: let it exec that command, or cleanup_all kills the
# subshell's children too. A leftover "xfrm-hc -n NS monitor" keeps NS
# alive, with its SAs, peers and all, after its script ended.
bg_pids=()
bg() {
	"$@" &
	bg_pids+=($!)
}

# A scratch dir, background helpers and namespaces, all gone on exit.
work=$(mktemp -d)
cleanup_all() {
	local p

	# A stopped helper would not die of SIGTERM: continue it too.
	for p in "${bg_pids[@]}"; do
		pkill -P "$p" 2>/dev/null || true
		kill "$p" 2>/dev/null || true
	done
	for p in "${bg_pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	cleanup_netns
	rm -rf "$work"
	[ -z "${echo_probe_was:-}" ] ||
		echo "$echo_probe_was" >"$echo_probe_param" 2>/dev/null || true
}

# echo_probe_off: the script is about what a host sees of a peer that does
# not run xfrm-hc (passive detection, ICMP probes): no echo to its peers.
# The module loaded; its setting comes back on exit.
echo_probe_param=/sys/module/xfrm_hc/parameters/echo_probe
echo_probe_off() {
	echo_probe_was=$(cat "$echo_probe_param")
	echo N >"$echo_probe_param"
}
trap cleanup_all EXIT

# Check events: the monitor's JSON lines in "$work/events" (a line may
# start with stamped.py's time, which is dropped).
event_after() { # N KIND NAME: the first such check event after line N
	tail -n +$(($1 + 1)) "$work/events" | sed 's/^[0-9][0-9]* //' |
		jq -c --arg k "$2" --arg n "$3" \
			'select(.event == $k and .check.name == $n)' 2>/dev/null | head -n 1
}
has_event_after() { [ -n "$(event_after "$@")" ]; }
# Failover on xfrmi_gateways (tests/lib/tunnel.sh): A is "$a", the check's
# interface xfrm1, the service 10.9.0.1.
no_carrier() { ip -n "$a" link show xfrm1 | grep -q NO-CARRIER; }
carrier() { ! no_carrier; }
service_via() { ip -n "$a" route get 10.9.0.1 from 10.1.0.1 | grep -q "dev $1 "; }

cleanup_netns() {
	local ns
	for ns in $(ip netns list | awk -v p="$ns_prefix" 'index($1, p) == 1 { print $1 }'); do
		ip netns del "$ns" 2>/dev/null || true
	done
}
