# SPDX-License-Identifier: GPL-2.0
# Sourced after tunnel.sh: eBGP over the route-based tunnels of
# xfrmi_gateways, with FRR or BIRD 2 run straight from the host's packages
# in each netns, each instance with its own configuration, sockets and pid
# files in a directory of its own (nothing in /etc or /run).
#
#   bgp_gateways A B C          xfrmi_gateways, less A's static routes: A's
#                               xfrm1 is 10.1.0.5 peer 10.2.0.1 (B), xfrm2
#                               10.1.0.6 peer 10.3.0.1 (C), so that each
#                               eBGP session is directly connected through
#                               its XFRM interface
#   frr_start NS DIR DAEMON...  DIR/DAEMON.conf for each, zebra first
#   frr_stop DIR                every daemon started from DIR
#   frr_vtysh NS DIR CMD...     vtysh -c CMD... against that instance
#   frr_bgp_conf LOCAL_AS ROUTER_ID [OPTIONS] -- NEIGHBOR:AS[:OPTS]...
#                               a bgpd.conf on stdout (below)
#   bird_start NS DIR           BIRD 2 with DIR/bird.conf, control socket
#                               DIR/bird.ctl
#   bird_stop DIR
#   birdc_in NS DIR CMD...
#
# ASes: A 65001, B 65002, C 65003. B and C announce 10.9.0.0/24 (their
# anycast service address XFRMI_SERVICE is in it). A takes C's routes with
# local-pref 50, so B's (100) win while B is there. Timers are short
# (keepalive 3 s, hold 9 s, connect retry 1 s) so that sessions come back
# within seconds in the tests, except where a caller asks for others.

bgp_gateways() { # NS_A NS_B NS_C
	local a=$1

	xfrmi_gateways "$@"
	# The routing daemon owns the service's routes; the probes of a check
	# on xfrm1/xfrm2 take the if_id policies, not these routes.
	ip -n "$a" route del 10.9.0.0/24 dev xfrm1
	ip -n "$a" route del 10.9.0.0/24 dev xfrm2
	ip -n "$a" route del 10.2.0.1/32 dev xfrm1
	ip -n "$a" route del 10.3.0.1/32 dev xfrm2
	ip -n "$a" addr add 10.1.0.5 peer 10.2.0.1/32 dev xfrm1
	ip -n "$a" addr add 10.1.0.6 peer 10.3.0.1/32 dev xfrm2
	# A forwards nothing; rp_filter stays as it is.
}

frr_start() { # NS DIR DAEMON...
	local ns=$1 dir=$2 d

	shift 2
	for d in "$@"; do
		# -u root -g frrvty: root may run them, and is then "in" the vty
		# group; -d returns once the daemon is ready for its clients.
		ip netns exec "$ns" "/usr/lib/frr/$d" -d -u root -g frrvty \
			-f "$dir/$d.conf" -i "$dir/$d.pid" -z "$dir/zserv.api" \
			--vty_socket "$dir" -P 0 2>>"$dir/$d.err" || {
			echo "# $d did not start in $ns:" >&2
			sed 's/^/#   /' "$dir/$d.err" "$dir/$d.log" >&2 2>/dev/null
			return 1
		}
	done
}

frr_stop() { # DIR
	local p

	for p in "$1"/*.pid; do
		[ -e "$p" ] || continue
		kill "$(cat "$p")" 2>/dev/null || true
	done
}

frr_vtysh() { # NS DIR CMD...
	local ns=$1 dir=$2 c args=()

	shift 2
	for c in "$@"; do args+=(-c "$c"); done
	ip netns exec "$ns" vtysh --vty_socket "$dir" "${args[@]}"
}

# frr_bgp_conf LOCAL_AS ROUTER_ID LOG [LINE...] -- NEIGHBOR:AS[:OPT,...]...
# A bgpd.conf: LINEs go under "router bgp" (e.g. "network 10.9.0.0/24"
# is put in the ipv4 family by FRR itself), each neighbor gets the short
# timers; OPT is "bfd" (the session follows a multihop BFD session of
# profile "fast"), "backup" (routes from it get local-pref 50), "multihop"
# (disable-connected-check: B and C reach A's tunnel address through a
# route, not a connected prefix) or "slow" (FRR's default timers).
frr_bgp_conf() {
	local as=$1 id=$2 log=$3 lines=() n addr ras opts o backup=()

	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		lines+=("$1")
		shift
	done
	shift
	echo "log file $log"
	echo "router bgp $as"
	echo " bgp router-id $id"
	echo " no bgp ebgp-requires-policy"
	echo " no bgp network import-check"
	for n in "$@"; do
		IFS=: read -r addr ras opts <<<"$n"
		echo " neighbor $addr remote-as $ras"
		case ",$opts," in
		*,slow,*) echo " neighbor $addr timers connect 1" ;;
		*) echo " neighbor $addr timers 3 9"
		   echo " neighbor $addr timers connect 1" ;;
		esac
		for o in ${opts//,/ }; do
			case $o in
			# Multihop BFD on both sides: single-hop would bind
			# B's session to lo, where its address is.
			bfd) echo " neighbor $addr ebgp-multihop 2"
			     echo " neighbor $addr bfd profile fast" ;;
			multihop) echo " neighbor $addr disable-connected-check" ;;
			backup) backup+=("$addr") ;;
			esac
		done
	done
	for n in "${lines[@]}"; do echo " $n"; done
	if [ ${#backup[@]} -gt 0 ]; then
		echo " address-family ipv4 unicast"
		for addr in "${backup[@]}"; do
			echo "  neighbor $addr route-map backup in"
		done
		echo " exit-address-family"
		echo "route-map backup permit 10"
		echo " set local-preference 50"
	fi
}

# FRR on all three: zebra and bgpd (and bfdd with BFD=1) in DIR/a, b, c.
# FRR_A_OPTS/FRR_FAR_OPTS add neighbor options (e.g. "bfd" or "slow").
frr_gateways() { # NS_A NS_B NS_C DIR
	local a=$1 b=$2 c=$3 dir=$4 r daemons=(zebra bgpd)
	local ao=${FRR_A_OPTS:-} fo=${FRR_FAR_OPTS:-}

	[ "${BFD:-0}" = 0 ] || daemons=(zebra bfdd bgpd)
	for r in a b c; do
		mkdir -p "$dir/$r"
		echo "log file $dir/$r/zebra.log" >"$dir/$r/zebra.conf"
		{
			echo "log file $dir/$r/bfdd.log"
			echo "bfd"
			echo " profile fast"
			echo "  receive-interval ${BFD_MS:-100}"
			echo "  transmit-interval ${BFD_MS:-100}"
			echo "  detect-multiplier ${BFD_MULT:-3}"
		} >"$dir/$r/bfdd.conf"
	done
	frr_bgp_conf 65001 10.1.0.1 "$dir/a/bgpd.log" -- \
		"10.2.0.1:65002:$ao" "10.3.0.1:65003:backup,$ao" >"$dir/a/bgpd.conf"
	frr_bgp_conf 65002 10.2.0.1 "$dir/b/bgpd.log" "network 10.9.0.0/24" -- \
		"10.1.0.5:65001:multihop,$fo" >"$dir/b/bgpd.conf"
	frr_bgp_conf 65003 10.3.0.1 "$dir/c/bgpd.log" "network 10.9.0.0/24" -- \
		"10.1.0.6:65001:multihop,$fo" >"$dir/c/bgpd.conf"
	frr_start "$a" "$dir/a" "${daemons[@]}" &&
		frr_start "$b" "$dir/b" "${daemons[@]}" &&
		frr_start "$c" "$dir/c" "${daemons[@]}"
}

# The state of A's session with NEIGHBOR, as "show bgp neighbors" says it.
frr_session() { # NS DIR NEIGHBOR
	frr_vtysh "$1" "$2" "show bgp neighbors $3 json" |
		jq -r --arg n "$3" '.[$n].bgpState // "none"'
}

# The neighbors A's kernel FIB has for PREFIX as "via DEV" words, sorted.
fib_devs() { # NS PREFIX
	ip -n "$1" -j route show "$2" | jq -r '[.[] | .dev] | sort | join(" ")'
}

bird_start() { # NS DIR
	ip netns exec "$1" bird -c "$2/bird.conf" -s "$2/bird.ctl" \
		-P "$2/bird.pid" 2>>"$2/bird.err" || {
		echo "# bird did not start in $1:" >&2
		sed 's/^/#   /' "$2/bird.err" >&2
		return 1
	}
}

bird_stop() { # DIR
	[ ! -e "$1/bird.pid" ] || kill "$(cat "$1/bird.pid")" 2>/dev/null || true
}

birdc_in() { # NS DIR CMD...
	local ns=$1 dir=$2

	shift 2
	ip netns exec "$ns" birdc -s "$dir/bird.ctl" "$@"
}
