#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module DKMS built on the host for this kernel (tests/packaging/dkms)
# loads and works, and is built from the same sources as the one the
# harness built. Skipped when DKMS has not built it for this kernel.
. "$(dirname "$0")/lib.sh"

kver=$(uname -r)
ko=$(ls /var/lib/dkms/xfrm-hc/*/"$kver"/x86_64/module/xfrm_hc.ko* 2>/dev/null |
	head -n 1 || true)
if [ -z "$ko" ]; then
	ok "the DKMS module loads # SKIP no DKMS build for $kver (run tests/packaging/dkms on the host)"
	tap_done
fi
echo "# $ko"
modprobe -r xfrm_hc 2>/dev/null || true
# Dependencies first: insmod does not resolve them.
modprobe xfrm_hc && modprobe -r xfrm_hc
check "the DKMS module is built from these sources" test \
	"$(modinfo -F srcversion "$ko")" = "$(modinfo -F srcversion xfrm_hc)"
check "the DKMS module loads" insmod "$ko"
check "its family answers" bash -c "'$XHC' version | grep -q 'module 0\\.'"
check "it unloads" rmmod xfrm_hc
check "nothing is left" bash -c '! [ -d /sys/module/xfrm_hc ]'
tap_done
