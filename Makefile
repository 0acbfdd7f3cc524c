# SPDX-License-Identifier: GPL-2.0
# xfrm-hc: the module (through Kbuild) and the tool, plus the checks.
#
#   make                  build xfrm_hc.ko and tools/xfrm-hc/xfrm-hc
#   make KDIR=...         build against other kernel headers
#   make check            every test; ends with "N passed, N failed"
#   make demo             boot a Debian kernel in qemu and show the module
#   make style | sparse | kunit | install | clean

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

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(shell cat $(KDIR)/include/config/kernel.release)
	$(MAKE) -C tools install

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

demo:
	tests/demo/run

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean

.PHONY: all module tool install style sparse kunit check demo clean
