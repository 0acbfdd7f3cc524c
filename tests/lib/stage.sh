# SPDX-License-Identifier: GPL-2.0
# Sourced: copy the module's sources (not its build outputs) to DEST, touching
# only files that changed, so out-of-checkout builds rebuild only what changed and never pick
# up objects from an in-checkout build through VPATH.

XFRM_HC_TOP=${XFRM_HC_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

stage_module_sources() {
	local dest=$1 f

	mkdir -p "$dest"
	# Drop sources that no longer exist in the checkout.
	(cd "$dest" && find . -type f \( -name '*.[ch]' -o -name Kbuild \
		-o -name Kconfig \) -print) | while read -r f; do
		[ -e "$XFRM_HC_TOP/$f" ] || rm -f "$dest/$f"
	done
	(cd "$XFRM_HC_TOP" && find Kbuild module uapi tests/kunit -type f \
		\( -name '*.[ch]' -o -name Kbuild -o -name Kconfig \) -print) |
	while read -r f; do
		mkdir -p "$dest/$(dirname "$f")"
		cmp -s "$XFRM_HC_TOP/$f" "$dest/$f" ||
			cp "$XFRM_HC_TOP/$f" "$dest/$f"
	done
}
