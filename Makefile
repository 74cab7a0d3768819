# vmptrst-bench: top-level targets.  See README.md.
#
#   make            build the driver, and the module if a kernel build tree
#                   exists (KDIR, default the running kernel's)
#   make test       every test that runs without VT-x (installs what it needs
#                   when run as root, never a kernel: the tested kernels'
#                   headers are unpacked into build/): unit tests, module
#                   builds, the module under QEMU (no VMX) and under Bochs
#                   (VMX emulated); last, a check that no linux-image package
#                   was installed
#   make bench-analysis   benchmark: analysis summary against pandas
#   make bench-accuracy   benchmark: the timing engine at ring 3 against
#                   known latencies (add, imul, L1 pointer chase)
#   make run        the main job: natively where the CPU has VT-x and modules
#                   load, otherwise inside Bochs, labelled as emulated
KDIR ?= /lib/modules/$(shell uname -r)/build

all: bench analysis kmod

bench:
	$(MAKE) -C bench

analysis:
	$(MAKE) -C analysis

# A benchmark, not a test: vmptrst-analyze summary against pandas on 10 M
# samples; prints the ratio (needs python3-pandas).
bench-analysis:
	$(MAKE) -C analysis bench

# A benchmark, not a test: the timing engine at ring 3 (the user backend)
# against known latencies: add chain (calibration), imul chain, L1 pointer
# chase; harness overhead, baseline spread, run-to-run stability.
bench-accuracy:
	$(MAKE) -C tests/accuracy bench

# The fuzzers for longer: the config and CSV fuzzers FUZZ_LONG_TIME seconds
# each (default 600), then the module's ioctls, 1000000 calls in QEMU (no
# VMX) and 10000 in Bochs (VMX, real RUNs), seed FUZZ_SEED (default 1).
fuzz-long:
	$(MAKE) -C tests/fuzz long
	tests/emu/fuzz-test.sh qemu 6.12 1000000
	tests/emu/fuzz-test.sh bochs 6.12 10000

kmod:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C kmod KDIR=$(KDIR); \
	else echo "kmod: skipped: no kernel build tree at $(KDIR) (install linux-headers-$$(uname -r), or pass KDIR=)"; fi

deps:
	tests/deps.sh

# The kernel images present before anything is installed: tests/run.sh
# checks at its end that none appeared.
test:
	@mkdir -p build && tests/host/kernel-images.sh list >build/kernel-images.before
	tests/deps.sh
	KERNEL_IMAGES_BEFORE=build/kernel-images.before tests/run.sh

run:
	scripts/run.sh

clean:
	$(MAKE) -C bench clean
	-@[ -d "$(KDIR)" ] && $(MAKE) -C kmod KDIR=$(KDIR) clean || true
	$(MAKE) -C tests/unit clean
	$(MAKE) -C analysis clean
	rm -rf build

.PHONY: all bench analysis bench-analysis bench-accuracy fuzz-long kmod deps test run clean
