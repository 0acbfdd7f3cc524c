# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced: real strongSwan (Debian's charon and swanctl) in network
# namespaces. Each instance has its own directory holding strongswan.conf,
# swanctl.conf, the vici socket, the log and the pid; charon's fixed
# /run/charon.pid lives in a tmpfs private to the instance's mount
# namespace, so any number can run side by side.
#
#   ss_write_conf DIR [KEY=VALUE...]   strongswan.conf for an instance;
#                                      KEY=VALUE go into charon { }
#   ss_start NS DIR                    start charon in NS, load DIR's
#                                      swanctl.conf; prints nothing
#   ss_ctl DIR CMD ARGS...             swanctl CMD against that instance
#   ss_stop DIR                        stop it (TERM, then KILL)
#   ss_stop_all                        stop every instance ss_start began
#   ss_child_sas DIR                   installed CHILD_SAs, one per line:
#                                      "name spi_in spi_out"
#   ss_conn DIR NAME ...               DIR/swanctl.conf (see below)
#   ss_pair T NS_A NS_B ...            both ends of tunnel T (see below)

SS_CHARON=/usr/lib/ipsec/charon
SS_PLUGINS="random nonce aes sha1 sha2 hmac kdf gmp pem pkcs1 x509 pubkey kernel-netlink socket-default vici updown"

ss_write_conf() { # DIR [KEY=VALUE...]
	local dir=$1 kv

	shift
	mkdir -p "$dir"
	{
		echo "charon {"
		echo "	load_modular = no"
		echo "	load = $SS_PLUGINS"
		# The tests route and address themselves, as tunnel.sh does.
		echo "	install_routes = no"
		echo "	install_virtual_ip = no"
		for kv in "$@"; do
			echo "	${kv%%=*} = ${kv#*=}"
		done
		echo "	plugins {"
		echo "		vici { socket = unix://$dir/vici }"
		echo "	}"
		echo "	syslog { daemon { default = -1 } }"
		echo "	filelog {"
		echo "		log {"
		echo "			path = $dir/charon.log"
		echo "			time_format = %H:%M:%S"
		echo "			time_precision = ms"
		echo "			ike_name = yes"
		echo "			flush_line = yes"
		echo "			default = 1"
		echo "			ike = 2"
		echo "			knl = 1"
		echo "		}"
		echo "	}"
		echo "}"
		# swanctl only parses files and talks vici.
		echo "swanctl { load = pem pkcs1 x509 pubkey }"
	} >"$dir/strongswan.conf"
}

ss_ctl() { # DIR CMD ARGS...
	local dir=$1 cmd=$2

	shift 2
	STRONGSWAN_CONF=$dir/strongswan.conf swanctl "$cmd" \
		--uri "unix://$dir/vici" "$@"
}

ss_start() { # NS DIR
	local ns=$1 dir=$2 end

	rm -f "$dir/vici" "$dir/charon.log" "$dir/pid"
	SS_DIRS+=("$dir")
	# ip netns exec gives the command its own mount namespace: a tmpfs on
	# /run there holds this instance's charon.pid and charon.ctl only.
	STRONGSWAN_CONF=$dir/strongswan.conf ip netns exec "$ns" sh -c \
		'mount -t tmpfs none /run && echo $$ >"$1/pid" && exec "$2"' \
		sh "$dir" "$SS_CHARON" >"$dir/charon.out" 2>&1 &
	end=$((SECONDS + 60))
	until [ -S "$dir/vici" ] && ss_ctl "$dir" --stats >/dev/null 2>&1; do
		if [ $SECONDS -ge $end ] || { [ -s "$dir/pid" ] &&
			! kill -0 "$(cat "$dir/pid")" 2>/dev/null; }; then
			echo "charon in $ns did not start:" >&2
			cat "$dir/charon.out" "$dir/charon.log" >&2 2>/dev/null || true
			return 1
		fi
		sleep 0.2
	done
	ss_ctl "$dir" --load-all --file "$dir/swanctl.conf" >"$dir/load.out" 2>&1 || {
		cat "$dir/load.out" >&2
		return 1
	}
}

ss_stop() { # DIR
	local pid

	pid=$(cat "$1/pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

SS_DIRS=()
ss_stop_all() {
	local d

	for d in "${SS_DIRS[@]}"; do ss_stop "$d"; done
}

# CHILD_SAs of the instance that are INSTALLED: "child spi_in spi_out".
ss_child_sas() { # DIR
	ss_ctl "$1" --list-sas --raw 2>/dev/null | python3 -c '
import re, sys
for line in sys.stdin:
    # --raw prints one vici message per line; child-sas is a section of
    # named sections, each with state, spi-in and spi-out.
    for m in re.finditer(r"(\S+) \{[^{}]*?state=INSTALLED[^{}]*?spi-in=([0-9a-f]+)[^{}]*?spi-out=([0-9a-f]+)", line):
        print(m.group(1), m.group(2), m.group(3))
'
}

# DIR/swanctl.conf with one IKEv2 PSK connection NAME and its CHILD_SA
# NAME: ss_conn DIR NAME LOCAL_ADDR REMOTE_ADDR LOCAL_ID REMOTE_ID
# LOCAL_TS REMOTE_TS. SS_CONN_OPTS and SS_CHILD_OPTS add "key = value"
# lines (newline-separated) to the connection and to the child.
ss_conn() {
	cat >"$1/swanctl.conf" <<CONF
connections {
	$2 {
		version = 2
		local_addrs = $3
		remote_addrs = $4
		proposals = aes128-sha256-modp2048
		${SS_CONN_OPTS:-}
		local {
			auth = psk
			id = $5
		}
		remote {
			auth = psk
			id = $6
		}
		children {
			$2 {
				local_ts = $7
				remote_ts = $8
				esp_proposals = aes128gcm16
				${SS_CHILD_OPTS:-}
			}
		}
	}
}
secrets {
	ike-$2 {
		id-1 = $5
		id-2 = $6
		secret = "xfrm-hc test only: $2"
	}
}
CONF
}

# Topologies, each a netns pair joined by veth "wan" on both sides
# (ss_topo_nat: A's "wan" goes to the NAT router N), with LAN addresses on
# lo and routes that let the policies pick the inner traffic up.
#   ss_topo_v4 A B      A 192.0.2.1 (LAN 10.1.0.1), B 192.0.2.2 (10.2.0.1)
#   ss_topo_v6 A B      2001:db8::1/::2, LAN fd00:1::1 and fd00:2::1
#   ss_topo_nat A B N   A 10.0.0.2 behind N's masquerade to 203.0.113.1,
#                       B 203.0.113.2
#   ss_topo_xfrmi A B   as v4, A routing 10.2.0.1 into xfrm1 (if_id 1)

ss_netns() { ip netns add "$1" && ip -n "$1" link set lo up; }

ss_veth_pair() { # NS_A NS_B
	ss_netns "$1"
	ss_netns "$2"
	ip -n "$1" link add wan type veth peer name wan netns "$2"
	ip -n "$1" link set wan up
	ip -n "$2" link set wan up
}

# IPv4 outside and inside: A 192.0.2.1 (LAN 10.1.0.1), B 192.0.2.2 (10.2.0.1).
ss_topo_v4() { # A B
	ss_veth_pair "$1" "$2"
	ip -n "$1" addr add 192.0.2.1/24 dev wan
	ip -n "$2" addr add 192.0.2.2/24 dev wan
	ip -n "$1" addr add 10.1.0.1/32 dev lo
	ip -n "$2" addr add 10.2.0.1/32 dev lo
	ip -n "$1" route add 10.2.0.1/32 dev wan src 10.1.0.1
	ip -n "$2" route add 10.1.0.1/32 dev wan src 10.2.0.1
}

# IPv6 outside and inside: 2001:db8::1/::2, LAN fd00:1::1 and fd00:2::1.
ss_topo_v6() { # A B
	ss_veth_pair "$1" "$2"
	ip -n "$1" addr add 2001:db8::1/64 dev wan nodad
	ip -n "$2" addr add 2001:db8::2/64 dev wan nodad
	ip -n "$1" addr add fd00:1::1/128 dev lo nodad
	ip -n "$2" addr add fd00:2::1/128 dev lo nodad
	ip -n "$1" route add fd00:2::1/128 dev wan src fd00:1::1
	ip -n "$2" route add fd00:1::1/128 dev wan src fd00:2::1
}

# A behind a masquerading NAT N: A 10.0.0.2 -- 10.0.0.1 N 203.0.113.1 --
# 203.0.113.2 B. B sees A as 203.0.113.1 with a translated port.
ss_topo_nat() { # A B N
	local a=$1 b=$2 n=$3

	ss_netns "$a"
	ss_netns "$b"
	ss_netns "$n"
	ip -n "$a" link add wan type veth peer name lan netns "$n"
	ip -n "$n" link add wan type veth peer name wan netns "$b"
	ip -n "$a" addr add 10.0.0.2/24 dev wan
	ip -n "$n" addr add 10.0.0.1/24 dev lan
	ip -n "$n" addr add 203.0.113.1/24 dev wan
	ip -n "$b" addr add 203.0.113.2/24 dev wan
	for d in "$a wan" "$n lan" "$n wan" "$b wan"; do
		# shellcheck disable=SC2086
		ip -n ${d% *} link set ${d#* } up
	done
	ip -n "$a" route add default via 10.0.0.1
	ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$n" nft -f - <<-NFT
		table ip nat {
			chain post {
				type nat hook postrouting priority srcnat;
				oifname "wan" masquerade random
			}
		}
	NFT
	ip -n "$a" addr add 10.1.0.1/32 dev lo
	ip -n "$b" addr add 10.2.0.1/32 dev lo
	ip -n "$a" route add 10.2.0.1/32 via 10.0.0.1 src 10.1.0.1
	ip -n "$b" route add 10.1.0.1/32 dev wan src 10.2.0.1
}

# Route-based on A: xfrm1 (if_id 1) carries everything routed into it;
# B is policy-based. Outside as topo_v4.
ss_topo_xfrmi() { # A B
	ss_topo_v4 "$1" "$2"
	ip -n "$1" route del 10.2.0.1/32
	ip -n "$1" link add xfrm1 type xfrm if_id 1
	ip -n "$1" link set xfrm1 up
	ip -n "$1" route add 10.2.0.1/32 dev xfrm1 src 10.1.0.1
}

# Both strongSwan instances of tunnel T, in SS_BASE/T-a and SS_BASE/T-b:
# A initiates, B answers from any address. Both CHILD_SAs trap, so that
# traffic (probes included) brings a deleted CHILD_SA back. DPD is long on
# both, a fallback, as docs/ike-daemons.md advises; SS_A_CONN, SS_A_CHILD,
# SS_B_CONN and SS_B_CHILD add "key = value" lines, SS_A_CHARON
# "key=value" words to A's strongswan.conf.
ss_pair() { # T NS_A NS_B A_ADDR B_ADDR A_TS B_TS
	local t=$1 da=$SS_BASE/$1-a db=$SS_BASE/$1-b

	# shellcheck disable=SC2086
	ss_write_conf "$da" ${SS_A_CHARON:-}
	ss_write_conf "$db"
	SS_CONN_OPTS="${SS_A_CONN:-dpd_delay = 30s}" \
		SS_CHILD_OPTS="start_action = trap
				${SS_A_CHILD:-}" \
		ss_conn "$da" "$t" "$4" "$5" "a-$t.test" "b-$t.test" "$6" "$7"
	SS_CONN_OPTS="${SS_B_CONN:-dpd_delay = 30s}" \
		SS_CHILD_OPTS="${SS_B_CHILD:-}" \
		ss_conn "$db" "$t" "$5" "%any" "b-$t.test" "a-$t.test" "$7" "$6"
	ss_start "$2" "$da" && ss_start "$3" "$db"
}
