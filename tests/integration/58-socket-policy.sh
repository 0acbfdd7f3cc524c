#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-socket IPsec policies (setsockopt IP_XFRM_POLICY) are compiled by the
# key managers in turn, until one takes the policy. xfrm_hc is a key
# manager too (for SA events) and compiles none: with it loaded, IKE
# daemons' bypass policies must still be taken, and bad ones must fail as
# they do without it, not with xfrm_hc's "not supported". Which error
# that is depends on the managers the kernel has (af_key built in answers
# last, with its own), so it is measured without xfrm_hc first.
. "$(dirname "$0")/lib.sh"

modprobe xfrm_user
modprobe xfrm_hc
check "xfrm_hc unloads, to come back after xfrm_user" modprobe -r xfrm_hc
ns=$ns_prefix-sk
netns_add "$ns"

# FAMILY OPTION WHAT: setsockopt on a UDP socket in $ns, prints "ok" or
# the errno's name. WHAT is "bypass-in", "bypass-out" or "short".
sockpol() {
	ip netns exec "$ns" python3 - "$@" <<'PY'
import errno, socket, struct, sys
fam = {"inet": socket.AF_INET, "inet6": socket.AF_INET6}[sys.argv[1]]
level = socket.IPPROTO_IP if fam == socket.AF_INET else socket.IPPROTO_IPV6
# struct xfrm_userpolicy_info: selector (family only), lifetimes unlimited
# as charon sets them, direction, action allow: an IKE socket's bypass.
def bypass(direction):
    sel = bytes(40) + struct.pack("=HBBB3xiI", fam, 0, 0, 0, 0, 0)
    lft = struct.pack("=8Q", *[2**64 - 1] * 8)
    return sel + lft + bytes(32) + struct.pack("=IIBBBB4x", 0, 0,
                                               direction, 0, 0, 0)
what = sys.argv[3]
data = bytes(8) if what == "short" else bypass(0 if what == "bypass-in" else 1)
s = socket.socket(fam, socket.SOCK_DGRAM)
try:
    s.setsockopt(level, int(sys.argv[2]), data)
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])
PY
}

# IP_XFRM_POLICY 17, IPV6_XFRM_POLICY 35.
short4=$(sockpol inet 17 short)
short6=$(sockpol inet6 35 short)
echo "# without xfrm_hc, short policies fail with $short4 (IPv4), $short6 (IPv6)"
# xfrm_hc registered after xfrm_user: its answer would be the last word.
modprobe xfrm_hc
lsmod | grep -E '^(xfrm_user|xfrm_hc|af_key) ' | sed 's/^/# /'
check "an IPv4 socket takes a bypass policy in" [ "$(sockpol inet 17 bypass-in)" = ok ]
check "an IPv4 socket takes a bypass policy out" [ "$(sockpol inet 17 bypass-out)" = ok ]
check "an IPv6 socket takes a bypass policy out" [ "$(sockpol inet6 35 bypass-out)" = ok ]
got=$(sockpol inet 17 short)
check "a short IPv4 policy fails with $short4, as without xfrm_hc (got $got)" [ "$got" = "$short4" ]
got=$(sockpol inet6 35 short)
check "a short IPv6 policy fails with $short6, as without xfrm_hc (got $got)" [ "$got" = "$short6" ]
tap_done
