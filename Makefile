# vmptrst-bench: top-level targets.  See README.md.
#
#   make            build the driver, and the module if a kernel build tree
#                   exists (KDIR, default the running kernel's)
#   make test       every test that runs without VT-x (installs what it needs
#                   when run as root): unit tests, module builds, the module
#                   under QEMU (no VMX) and under Bochs (VMX emulated)
#   make run        the main job: natively where the CPU has VT-x and modules
#                   load, otherwise inside Bochs, labelled as emulated
KDIR ?= /lib/modules/$(shell uname -r)/build

all: bench kmod

bench:
	$(MAKE) -C bench

kmod:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C kmod KDIR=$(KDIR); \
	else echo "kmod: skipped: no kernel build tree at $(KDIR) (install linux-headers-$$(uname -r), or pass KDIR=)"; fi

deps:
	tests/deps.sh

test: deps
	tests/run.sh

run:
	scripts/run.sh

clean:
	$(MAKE) -C bench clean
	-@[ -d "$(KDIR)" ] && $(MAKE) -C kmod KDIR=$(KDIR) clean || true
	$(MAKE) -C tests/unit clean
	rm -rf build

.PHONY: all bench kmod deps test run clean
