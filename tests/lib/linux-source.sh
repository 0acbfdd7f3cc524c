#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel tree of Debian's linux-source-6.12, extracted once into the
# cache as $XFRM_HC_CACHE/kunit/src-<package version>/. tests/kunit/run
# builds KUnit kernels in it (and hooks net/xfrm_hc/ into it); other tests
# use its tools (tools/net/ynl/cli.py, Documentation/netlink/).
#
# Sourced (after tests/lib/kernels.sh):
#   linux_source_version        the package version, made safe for paths
#   linux_source_dir            the tree's path, extracted or not
#   linux_source_extract DIR    extract the tarball into DIR unless done;
#                               the caller holds $XFRM_HC_CACHE/kunit/.lock
# Run:
#   tests/lib/linux-source.sh              print the path; install the
#                                          package and extract if needed
#   tests/lib/linux-source.sh --no-extract print the path if the tree is
#                                          there, else fail (read-only root,
#                                          e.g. inside tests/vm/run)

LINUX_SOURCE_PKG=linux-source-6.12
LINUX_SOURCE_TARBALL=/usr/src/linux-source-6.12.tar.xz

linux_source_version() {
	# Debian versions may hold ':' (epoch) and '~', which do not belong in
	# O= paths.
	dpkg-query -W -f='${Version}' "$LINUX_SOURCE_PKG" | tr -c 'A-Za-z0-9.+_-' '_'
}

linux_source_dir() {
	local ver

	ver=$(linux_source_version) || return 1
	[ -n "$ver" ] || { echo "$LINUX_SOURCE_PKG is not installed" >&2; return 1; }
	echo "$XFRM_HC_CACHE/kunit/src-$ver"
}

# Into a temp dir renamed at the end, so an interrupted extraction is never
# mistaken for a tree.
linux_source_extract() {
	local src=$1 kc tmp top

	[ ! -f "$src/.xfrm-hc-extracted" ] || return 0
	kc=$(dirname "$src")
	rm -rf "$src" "$kc"/.src-*.tmp
	tmp=$kc/.$(basename "$src").tmp
	mkdir -p "$tmp"
	echo "# extracting $LINUX_SOURCE_TARBALL into $src" >&2
	tar -xJf "$LINUX_SOURCE_TARBALL" -C "$tmp"
	top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d)
	[ -f "$top/Makefile" ] || { echo "unexpected layout in $LINUX_SOURCE_TARBALL" >&2; return 1; }
	touch "$top/.xfrm-hc-extracted"
	mv "$top" "$src"
	rm -rf "$tmp"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	# shellcheck source=SCRIPTDIR/kernels.sh
	. "$here/kernels.sh"
	# shellcheck source=SCRIPTDIR/deps.sh
	. "$here/deps.sh"
	if [ "${1:-}" = --no-extract ]; then
		src=$(linux_source_dir)
		if [ ! -f "$src/.xfrm-hc-extracted" ]; then
			echo "no extracted $LINUX_SOURCE_PKG at $src: run tests/lib/linux-source.sh (or tests/kunit/run) on the host" >&2
			exit 1
		fi
		echo "$src"
		exit 0
	fi
	deps_install "$LINUX_SOURCE_PKG" xz-utils
	src=$(linux_source_dir)
	if [ ! -f "$src/.xfrm-hc-extracted" ]; then
		mkdir -p "$XFRM_HC_CACHE/kunit"
		# The lock tests/kunit/run holds while it uses the tree.
		exec 9>"$XFRM_HC_CACHE/kunit/.lock"
		flock 9
		linux_source_extract "$src"
		exec 9>&-
	fi
	echo "$src"
fi
