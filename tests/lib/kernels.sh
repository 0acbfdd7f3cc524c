# SPDX-License-Identifier: GPL-2.0
# Sourced by the build and test scripts: which Debian kernels we support,
# where their pieces live, and where caches go (never inside the checkout).

XFRM_HC_CACHE=${XFRM_HC_CACHE:-${HOME:-/root}/.cache/xfrm-hc}

# The metapackage that tracks each supported series on Debian 12.
kernel_metapackage() {
	case "$1" in
	6.1) echo linux-image-amd64 ;;
	6.12) echo linux-image-6.12-amd64 ;;
	*) echo "unknown kernel series '$1' (use 6.1 or 6.12)" >&2; return 1 ;;
	esac
}

# Supported series, oldest first.
kernel_series_all() {
	echo 6.1 6.12
}

apt_lists_ready() {
	compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null
}

# Print the ABI name (e.g. 6.1.0-56-amd64) that a series resolves to today,
# from the metapackage's dependency; never hard-coded.
kernel_abi() {
	local meta dep
	meta=$(kernel_metapackage "$1") || return 1
	apt_lists_ready || apt-get update -qq >&2
	dep=$(apt-cache depends --important "$meta" 2>/dev/null |
	      awk '/Depends: linux-image-/ { print $2; exit }')
	if [ -z "$dep" ]; then
		echo "cannot resolve $meta; run apt-get update" >&2
		return 1
	fi
	dep=${dep#linux-image-}
	echo "${dep%-unsigned}"
}

# The debug kernel's release ends so (tests/vm/debug-kernel/debug.config).
XFRM_HC_DEBUG_SUFFIX=-xhc-debug

# Headers directory (KDIR) for an ABI name: the debug kernel's is its build
# tree (tests/vm/debug-kernel/build), the others' Debian's headers package.
kernel_kdir() {
	case "$1" in
	*"$XFRM_HC_DEBUG_SUFFIX") echo "$XFRM_HC_CACHE/debug-kernel/current" ;;
	*) echo "/usr/src/linux-headers-$1" ;;
	esac
}
