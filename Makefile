# SPDX-License-Identifier: GPL-2.0
# xfrm-hc: the module (through Kbuild) and the tool, plus the checks.
#
#   make                  build xfrm_hc.ko, tools/xfrm-hc/xfrm-hc and tools/xfrm-hcd/xfrm-hcd
#   make KDIR=...         build against other kernel headers
#   make check            every test; ends with "N passed, N failed, N skipped"
#   make check-debug      the integration suite on the debug kernel
#   make demo             boot a Debian kernel in qemu and show the module
#   make style | sparse | kunit | install | clean
#   make dkms-install     sources to /usr/src, built and installed by DKMS
#                         for the running kernel, or DKMS_KERNELS="A B ..."

ifeq ($(origin KDIR),undefined)
KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(wildcard $(KDIR)/Makefile),)
KDIR := $(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V))
$(if $(KDIR),$(info xfrm-hc: no headers for the running kernel; using $(KDIR)))
endif
endif

all: module tool

module:
	@test -n "$(KDIR)" -a -f "$(KDIR)/Makefile" || \
		{ echo "xfrm-hc: no kernel headers found (install linux-headers-amd64, or set KDIR)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools

module-clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

# What DKMS needs of the tree: the module's sources only, no build output.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := /usr/src/xfrm-hc-$(DKMS_VERSION)
DKMS_FILES := Kbuild Makefile dkms.conf LICENSE $(wildcard module/*.[ch]) \
	$(wildcard uapi/linux/*.h)

dkms-install:
	dkms remove xfrm-hc/$(DKMS_VERSION) --all >/dev/null 2>&1 || true
	rm -rf $(DKMS_SRC)
	for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DKMS_SRC)/$$f || exit 1; done
	dkms add xfrm-hc/$(DKMS_VERSION)
	for k in $(or $(DKMS_KERNELS),$(shell uname -r)); do \
		dkms install xfrm-hc/$(DKMS_VERSION) -k $$k || exit 1; \
	done

dkms-remove:
	dkms remove xfrm-hc/$(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
MODULES_LOAD_DIR ?= $(PREFIX)/lib/modules-load.d

install: all install-systemd
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(shell cat $(KDIR)/include/config/kernel.release)
	$(MAKE) -C tools install PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)

# The unit names the tool where this install puts it.
install-systemd:
	mkdir -p $(DESTDIR)$(SYSTEMD_UNITDIR)
	sed 's|/usr/local/sbin/|$(SBINDIR)/|g' tools/xfrm-hc.service \
		>$(DESTDIR)$(SYSTEMD_UNITDIR)/xfrm-hc.service
	install -D -m 0644 tools/xfrm-hc.modules-load.conf \
		$(DESTDIR)$(MODULES_LOAD_DIR)/xfrm-hc.conf

# checkpatch --strict on the kernel sources.
style:
	tests/style

# W=1 and sparse (C=2) against both Debian kernels.
sparse:
	tests/build-module --kernel all

kunit:
	tests/kunit/run

check:
	tests/check

# The integration suite on the KASAN/kmemleak/lockdep kernel (CI runs it too).
check-debug:
	tests/check-debug

demo:
	tests/demo/run

# libFuzzer on the tool's batch and argument parsers (not part of check).
FUZZ_SECONDS ?= 600
fuzz-tool:
	tests/fuzz/run-tool $(FUZZ_SECONDS)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean

.PHONY: all module tool module-clean install install-systemd dkms-install dkms-remove style \
	sparse kunit check check-debug demo fuzz-tool clean
