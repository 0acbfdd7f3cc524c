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
	local missing
	missing=$(deps_missing "$@")
	[ -n "$missing" ] || return 0
	echo "# installing: $(echo $missing)" >&2
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages: $missing (run as root to install them)" >&2
		return 1
	fi
	apt-get update -qq >&2 || true
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >&2
}

# What building the tool needs.
XFRM_HC_TOOL_DEPS="build-essential pkg-config libnl-3-dev libnl-genl-3-dev libnl-xfrm-3-dev"

# What the integration suite runs besides the tool: jq for JSON, promtool
# (prometheus) for "xfrm-hc metrics" (98-metrics), python3 and its yaml for
# genl.py and the YNL spec.
XFRM_HC_SUITE_DEPS="jq iproute2 util-linux python3 python3-yaml prometheus"

# What the strongSwan end-to-end tests and benchmark run: Debian's charon
# and swanctl, and nft for the NAT between them.
XFRM_HC_IKE_DEPS="strongswan-charon strongswan-swanctl nftables"
