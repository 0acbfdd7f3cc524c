# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by tests/vm/run: one-time kernel/initramfs preparation per ABI, the
# module build, and the verdict on a finished run.

# Modules stage 1 needs for the 9p root, in load order; whichever are built
# into a kernel (or missing) are skipped, and modprobe adds any other deps.
VM_INITRD_MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev
	virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"

# Unpack linux-image-ABI-unsigned into VMDIR/root. Work in a temp dir and
# rename it, so an interrupted run leaves nothing half-done.
vm_prepare() {
	local abi=$1 vmdir=$2 tmp
	rm -rf "$vmdir".tmp.*	# left by an interrupted run; we hold the lock
	tmp=$(mktemp -d "$vmdir.tmp.XXXXXX")
	echo "# preparing VM kernel $abi in $vmdir" >&2
	# Plain `apt-get download` would try to drop privileges to _apt, which
	# cannot write into the cache dir.
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root \
		"linux-image-$abi-unsigned" >&2)
	dpkg -x "$tmp"/linux-image-*.deb "$tmp/root"
	rm -f "$tmp"/linux-image-*.deb
	depmod -b "$tmp/root" "$abi"
	touch "$tmp/.ready"
	rm -rf "$vmdir"
	mv "$tmp" "$vmdir"
}

# (Re)build VMDIR/initrd.cpio.gz when the stage-1 script or this file changed.
vm_initrd() {
	local abi=$1 vmdir=$2 tmp m f name sum
	sum=$(cat "$TOP/tests/vm/initramfs-init" "${BASH_SOURCE[0]}" | md5sum)
	[ "$(cat "$vmdir/initrd.sum" 2>/dev/null)" != "$sum" ] || return 0
	rm -rf "$vmdir"/initrd.tmp.*
	tmp=$(mktemp -d "$vmdir/initrd.tmp.XXXXXX")
	mkdir -p "$tmp"/{bin,dev,proc,sys,newroot,modules}
	cp /bin/busybox "$tmp/bin/"
	for f in $(busybox --list); do
		[ "$f" = busybox ] || ln -s busybox "$tmp/bin/$f"
	done
	# The kernel opens /dev/console for init before anything is mounted.
	mknod "$tmp/dev/console" c 5 1
	install -m 755 "$TOP/tests/vm/initramfs-init" "$tmp/init"
	# Resolve each module with its deps; "builtin" lines are skipped.
	for m in $VM_INITRD_MODULES; do
		modprobe -d "$vmdir/root" -S "$abi" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }' || true
	done | awk '!seen[$0]++' | while read -r f; do
		name=$(basename "$f"); name=${name%%.ko*}
		# busybox insmod cannot read compressed modules.
		case "$f" in
		*.ko.xz) xz -dc "$f" ;;
		*.ko.zst) zstd -qdc "$f" ;;
		*) cat "$f" ;;
		esac >"$tmp/modules/$name.ko"
		echo "$name" >>"$tmp/modules/order"
	done
	touch "$tmp/modules/order"
	echo "# initramfs modules for $abi: $(tr '\n' ' ' <"$tmp/modules/order")" >&2
	(cd "$tmp" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
		>"$vmdir/initrd.cpio.gz.tmp"
	rm -rf "$tmp"
	mv "$vmdir/initrd.cpio.gz.tmp" "$vmdir/initrd.cpio.gz"
	echo "$sum" >"$vmdir/initrd.sum"
}

# Build xfrm_hc.ko for ABI out of the checkout and install it into the
# guest's module tree; build the userspace tool on the host.
vm_build() {
	local abi=$1 vmdir=$2 bdir=$XFRM_HC_CACHE/build/$1 log ko
	if [ ! -e "$TOP/Kbuild" ] || ! compgen -G "$TOP/module/*.c" >/dev/null; then
		echo "# no module sources (Kbuild, module/*.c) yet: skipping build" >&2
		return 0
	fi
	log=$bdir.log
	stage_module_sources "$bdir"
	if ! make -C "$(kernel_kdir "$abi")" M="$bdir" modules >"$log" 2>&1; then
		cat "$log" >&2
		echo "module build for $abi failed" >&2
		return 1
	fi
	# Rename into place: a guest of the same ABI may be running right now.
	ko=$vmdir/root/lib/modules/$abi/updates/xfrm_hc.ko
	if ! cmp -s "$bdir/xfrm_hc.ko" "$ko"; then
		install -D -m 644 "$bdir/xfrm_hc.ko" "$ko.tmp"
		mv "$ko.tmp" "$ko"
		depmod -b "$vmdir/root" "$abi"
	fi
	if [ -e "$TOP/tools/Makefile" ]; then
		# Shared by all ABIs (and the checkout): its own lock.
		if ! flock "$XFRM_HC_CACHE/tools.lock" \
			make -C "$TOP/tools" >"$log" 2>&1; then
			cat "$log" >&2
			echo "tools build failed" >&2
			return 1
		fi
	fi
}

# Kernel messages that fail a run even when the command passed.
# kmemleak is judged apart (vm_leak_check): its boot lines are no fault.
VM_BAD_DMESG='WARNING:|BUG:|BUG [a-z_]+ |Oops|possible circular locking|inconsistent lock state|possible recursive locking|suspicious RCU usage|self-detected stall|RCU stall|detected stalls|general protection fault|KASAN|ODEBUG|not freed at unload|Objects remaining|unregister_netdevice: waiting'
# An int3 trap the kernel did not expect: under TCG, a vCPU that runs a
# stale translation of text the kernel has just patched (text_poke_bp).
# 6.1 prints "int3: 0000 [#1]", 6.12 "Oops: int3: 0000 [#1]".
VM_INT3_OOPS='int3: [0-9a-f]{4} \[#[0-9]+\]'
# Taints we accept: O (out-of-tree module) and E (unsigned module; the
# -unsigned image's own modules count too).
VM_TAINT_OK=$(( (1 << 12) | (1 << 13) ))

# A run whose guest died on VM_INT3_OOPS: print the emulator's verdict and
# the trap, and succeed; otherwise print nothing and fail.
vm_emulator_fault() {
	local kernel=$1 rundir=$2

	grep -Eqs "$VM_INT3_OOPS" "$rundir/console.log" "$rundir/dmesg" || return 1
	echo "not ok - vm $kernel: guest kernel oops (int3 after text patching: emulator, TCG)"
	grep -Ehs -A 5 "$VM_INT3_OOPS" "$rundir/console.log" | head -n 6 | sed 's/^/# /'
	echo "# see tests/vm/flake-rate; XFRM_HC_VM_TCG=${XFRM_HC_VM_TCG:-single}"
}

# Print a TAP verdict for a finished run in RUNDIR and return the exit code.
vm_check() {
	local kernel=$1 rundir=$2 status taint bad
	if [ ! -s "$rundir/status" ]; then
		echo "not ok - vm $kernel: guest wrote no exit status (crash, panic or host timeout)"
		grep -E -m 20 "$VM_BAD_DMESG|Kernel panic|end Kernel panic" \
			"$rundir/console.log" 2>/dev/null | sed 's/^/# /' || true
		return 1
	fi
	status=$(cat "$rundir/status")
	grep -E 'hrtimer: interrupt took' "$rundir/dmesg" | sed 's/^/# note: /' || true
	bad=$(grep -E "$VM_BAD_DMESG" "$rundir/dmesg" || true)
	if [ -n "$bad" ]; then
		echo "not ok - vm $kernel: kernel warnings in dmesg"
		sed 's/^/# /' <<<"$bad"
		return 1
	fi
	taint=$(cat "$rundir/tainted")
	if (( taint & ~VM_TAINT_OK )); then
		echo "not ok - vm $kernel: kernel tainted ($taint)"
		return 1
	fi
	if [ "$status" = 124 ]; then
		echo "not ok - vm $kernel: command timed out (guest timeout)"
	fi
	return "$status"
}

# Print TAP verdicts on a debug run's leak files (guest-init's leak_scan).
# kmemleak reports anything of the module's by name while it is loaded, and
# by a raw module-area address once it is gone: every other driver of the
# debug kernel is built in, so such an address can only be ours. Reports of
# the kernel's own are shown, not failed.
vm_leak_check() {
	local kernel=$1 rundir=$2 objects kml rc=0 ours

	objects=$rundir/objects
	kml=$rundir/kmemleak

	if [ ! -s "$objects" ]; then
		echo "not ok - vm $kernel: no object counts recorded"
		rc=1
	elif grep -Eqv '^[a-z_]+ 0$|^not loaded$' "$objects"; then
		echo "not ok - vm $kernel: the module's object counts are back to zero"
		sed 's/^/#   /' "$objects"
		rc=1
	elif grep -qx 'not loaded' "$objects"; then
		# Its exit checked them: vm_check fails on "not freed at unload".
		echo "ok - vm $kernel: the module's object counts were zero at its last unload"
	else
		echo "ok - vm $kernel: the module's object counts are back to zero"
	fi
	if ! grep -qx '# kmemleak scanned' "$kml" 2>/dev/null; then
		echo "not ok - vm $kernel: no kmemleak scan (is this the debug kernel?)"
		return 1
	fi
	ours=$(awk '/^unreferenced object/ { if (o) print b; b = $0; o = 0; next }
		{ b = b "\n" $0 }
		/xfrm_hc|^ +0xffffffff[a-f][0-9a-f]+$/ { o = 1 }
		END { if (o) print b }' "$kml")
	if [ -n "$ours" ]; then
		echo "not ok - vm $kernel: kmemleak reports nothing from xfrm_hc"
		printf '%s\n' "$ours" | sed 's/^/#   /'
		rc=1
	else
		echo "ok - vm $kernel: kmemleak reports nothing from xfrm_hc"
	fi
	grep -c '^unreferenced object' "$kml" |
		sed 's/^/# kmemleak: suspected leaks of the kernel itself: /'
	return $rc
}
