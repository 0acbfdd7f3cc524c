# SPDX-License-Identifier: GPL-2.0
# Sourced: install missing Debian packages, idempotently (skip what is there).

# Packages that are not fully installed, from the arguments.
deps_missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

deps_install() {
	local missing lock st=0
	missing=$(deps_missing "$@")
	[ -n "$missing" ] || return 0
	deps_installed_now=$missing
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages: $missing (run as root to install them)" >&2
		return 1
	fi
	# Runs started together (both kernels' suites on a fresh machine)
	# would fight over dpkg's lock: one at a time, then look again.
	exec {lock}>/var/lock/xfrm-hc-deps.lock
	flock "$lock"
	missing=$(deps_missing "$@")
	if [ -n "$missing" ]; then
		echo "# installing: $(echo $missing)" >&2
		apt-get update -qq >&2 || true
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $missing >&2 || st=$?
	fi
	exec {lock}>&-
	return "$st"
}

# What building the tool needs.
XFRM_HC_TOOL_DEPS="build-essential pkg-config libnl-3-dev libnl-genl-3-dev libnl-xfrm-3-dev"

# What the integration suite runs besides the tool: jq for JSON, promtool
# (prometheus) for "xfrm-hc metrics" (98-metrics), python3 and its yaml for
# genl.py and the YNL spec, jsonschema to validate the spec against the
# kernel's schema (tests/ynl/, ynl-gen-c.py, 99-ynl.sh's cli.py).
XFRM_HC_SUITE_DEPS="jq iproute2 util-linux python3 python3-yaml python3-jsonschema prometheus"

# What tests/vm/run needs on the host to boot a Debian kernel in qemu.
XFRM_HC_VM_DEPS="qemu-system-x86 busybox-static cpio xz-utils zstd kmod iproute2 iputils-ping"

# What the strongSwan end-to-end tests and benchmark run: Debian's charon
# and swanctl, and nft for the NAT between them.
XFRM_HC_IKE_DEPS="strongswan-charon strongswan-swanctl nftables"

# What the BGP failover tests and benchmark run: FRR's zebra, bgpd and
# bfdd, and BIRD 2, each started by the tests in their own netns.
XFRM_HC_ROUTING_DEPS="frr bird2"

# Debian starts frr.service and bird.service on install, with a stock
# configuration, in the host's own namespace. The tests need neither: the
# services of packages that deps_install just installed are stopped and
# disabled again (a machine that already had them keeps them as they were).
deps_routing_quiet() {
	local p unit units=

	[ -d /run/systemd/system ] || return 0
	for p in ${deps_installed_now:-}; do
		case $p in
		frr) units="$units frr.service" ;;
		bird2) units="$units bird.service" ;;
		esac
	done
	for unit in $units; do
		systemctl disable --now "$unit" >&2 || return 1
	done
}

deps_install_routing() {
	deps_installed_now=
	# shellcheck disable=SC2086
	deps_install $XFRM_HC_ROUTING_DEPS || return 1
	deps_routing_quiet
}
