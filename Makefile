# vmptrst-bench: top-level targets.  See README.md.
#
# Each target but `make` and `make clean` first asks scripts/deps.sh for its
# own list of packages: as root on Debian it installs what is missing
# (--no-install-recommends, never a kernel), otherwise it names what is
# missing and the one command that installs it.
#
#   make            build the driver, and the module if a kernel build tree
#                   exists (KDIR, default the running kernel's)
#   make check      the test areas that boot no emulator (host, unit,
#                   userdev, inputs, analysis, blocks), a few minutes;
#                   then the kernel-images check
#   make test       every test that runs without VT-x (installs what it needs
#                   when run as root, never a kernel: the tested kernels'
#                   headers are unpacked into build/): unit tests, module
#                   builds, the module under QEMU (no VMX) and under Bochs
#                   (VMX emulated), two areas at a time (JOBS=N), each
#                   area's output in build/test-logs/AREA.log; last, a check
#                   that no linux-image package was installed
#   make test-models   the module users load on several of Bochs's CPU
#                   models (different VMX capabilities: with and without
#                   VPID, older and newer than Skylake-X), one boot each,
#                   3 to 4 minutes here (area models-bochs-6.12 of make test).  Writes
#                   build/emu/models/summary.md
#   make bench-analysis   benchmark: analysis summary against pandas
#   make bench-accuracy   benchmark: the timing engine at ring 3 against
#                   known latencies (add, imul, L1 pointer chase)
#   make run        the main job: natively where the CPU has VT-x and modules
#                   load, otherwise inside Bochs, labelled as emulated
#   make fleet INVENTORY=FILE CONFIG=FILE [BACKEND=module|user|emulated]
#                   [CPU=N] [SAMPLES=N] [STAMP=S] [FORCE=1] [PACKAGES=DIR]
#                   one config on every host of an Ansible inventory
#                   (fleet/): run folders fetched to results/fleet-STAMP/;
#                   PACKAGES: the hosts install the Debian packages in DIR
#                   (make deb: build/deb) instead of building the tree
#   make man        the man pages into build/man/ (man/README.md)
#   make install [PREFIX=/usr/local] [DESTDIR=]   the programs, configs, man
#                   pages, fleet playbook, and the module's source for DKMS
#                   in /usr/src/vmptrst-bench-VERSION; make uninstall
#                   removes them (same PREFIX and DESTDIR)
#   make deb        the Debian packages vmptrst-bench and vmptrst-bench-dkms
#                   (debian/), built in a clean copy of the tree into
#                   build/deb/, lintian run on them
#   make test-packages   tests/host/packages.sh: make deb, then install,
#                   use, DKMS-build (Debian's 6.1 and 6.12 headers) and
#                   purge the packages on this machine (root)
KDIR ?= /lib/modules/$(shell uname -r)/build

# The man pages after the programs: gen-man links bench/'s objects and runs
# vmptrst-analyze --help.
all: bench analysis kmod
	$(MAKE) man

bench:
	$(MAKE) -C bench

analysis:
	$(MAKE) -C analysis

# A benchmark, not a test: vmptrst-analyze summary against pandas on 10 M
# samples; prints the ratio (needs python3-pandas).
bench-analysis:
	scripts/deps.sh bench-analysis
	$(MAKE) -C analysis bench

# A benchmark, not a test: the timing engine at ring 3 (the user backend)
# against known latencies: add chain (calibration), imul chain, L1 pointer
# chase; harness overhead, baseline spread, run-to-run stability.
bench-accuracy:
	scripts/deps.sh bench-accuracy
	$(MAKE) -C tests/accuracy bench

# The fuzzers for longer: the config and CSV fuzzers FUZZ_LONG_TIME seconds
# each (default 600), then the module's ioctls, 1000000 calls in QEMU (no
# VMX) and 10000 in Bochs (VMX, real RUNs), seed FUZZ_SEED (default 1).
fuzz-long:
	scripts/deps.sh test
	$(MAKE) -C tests/fuzz long
	tests/emu/fuzz-test.sh qemu 6.12 1000000
	tests/emu/fuzz-test.sh bochs 6.12 10000

kmod:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C kmod KDIR=$(KDIR); \
	else echo "kmod: skipped: no kernel build tree at $(KDIR) (install linux-headers-$$(uname -r), or pass KDIR=)"; fi

# The two programs alone (no static driver, no module): what install and
# the Debian package need.
programs:
	$(MAKE) -C bench vmptrst-bench
	$(MAKE) -C analysis vmptrst-analyze

man: programs
	$(MAKE) -C man

# The packages of a list of scripts/deps.sh (default test: all of them).
deps:
	scripts/deps.sh $(or $(LIST),test)

# The kernel images present before anything is installed: tests/run.sh
# checks at its end that none appeared.
check:
	@mkdir -p build && tests/host/kernel-images.sh list >build/kernel-images.before
	scripts/deps.sh check
	KERNEL_IMAGES_BEFORE=build/kernel-images.before TESTS=check tests/run.sh

test:
	@mkdir -p build && tests/host/kernel-images.sh list >build/kernel-images.before
	scripts/deps.sh test
	KERNEL_IMAGES_BEFORE=build/kernel-images.before tests/run.sh

# tests/run.sh's area models-bochs-6.12 (tests/emu/models-test.sh), then
# the kernel-images check, as make test does.
test-models:
	@mkdir -p build && tests/host/kernel-images.sh list >build/kernel-images.before
	scripts/deps.sh test
	KERNEL_IMAGES_BEFORE=build/kernel-images.before TESTS=models-bochs-6.12 tests/run.sh

run:
	scripts/run.sh

# fleet/site.yml through ansible-playbook (Debian's ansible-core on this
# machine, the controller; see fleet/README.md).  Only the settings given
# are passed (-e), so host variables in the inventory hold otherwise.
# STAMP names results/fleet-STAMP/: the same STAMP again resumes (hosts with
# a complete run for this commit and config are skipped; FORCE=1 reruns them).
# RESULTS: the folder holding fleet-STAMP (default results/); CATALOG=DB adds
# the runs to a catalogue when vmptrst-analyze has one; FORKS: hosts at a
# time; ANSIBLE_ARGS: more options (-K asks the become password, --limit).
# make exports its command-line variables to the recipe, and a host with
# ansible_connection=local runs its commands in ansible-playbook's
# environment: make run there would read CONFIG, CPU, SAMPLES... from it,
# so they reach the hosts as -e only.
FLEET_STAMP := $(shell date -u +%Y%m%d-%H%M%S)
fleet:
	@[ -n "$(INVENTORY)" ] && [ -n "$(CONFIG)" ] || \
		{ echo "usage: make fleet INVENTORY=FILE CONFIG=FILE [BACKEND=module|user|emulated] [CPU=N] [SAMPLES=N] [STAMP=S] [FORCE=1] [PACKAGES=DIR]"; exit 2; }
	@scripts/deps.sh fleet || \
		{ echo "make fleet: the controller (this machine) lacks packages: as root, scripts/deps.sh fleet"; exit 2; }
	@$(MAKE) -s -C analysis
	@echo "make fleet: $(or $(RESULTS),results)/fleet-$(or $(STAMP),$(FLEET_STAMP)) (resume with STAMP=$(or $(STAMP),$(FLEET_STAMP)))"
	env -u MODE -u CONFIG -u CPU -u SAMPLES -u KERNEL -u DEPS -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		ANSIBLE_CONFIG=$(CURDIR)/fleet/ansible.cfg ansible-playbook -i "$(INVENTORY)" fleet/site.yml \
		-e fleet_config="$(abspath $(CONFIG))" -e fleet_stamp="$(or $(STAMP),$(FLEET_STAMP))" \
		$(if $(BACKEND),-e fleet_backend=$(BACKEND)) $(if $(CPU),-e fleet_cpu=$(CPU)) \
		$(if $(SAMPLES),-e fleet_samples=$(SAMPLES)) $(if $(KERNEL),-e fleet_kernel=$(KERNEL)) \
		$(if $(FORCE),-e fleet_force=true) $(if $(RESULTS),-e fleet_results="$(abspath $(RESULTS))") \
		$(if $(CATALOG),-e fleet_catalog="$(abspath $(CATALOG))") $(if $(FORKS),--forks $(FORKS)) \
		$(if $(PACKAGES),-e fleet_install=package -e fleet_debs="$(abspath $(PACKAGES))") \
		$(ANSIBLE_ARGS)

# -- installing ---------------------------------------------------------------
# GNU's directory variables (PREFIX is prefix), each overridable; DESTDIR
# is prepended to every path written.  The module's source goes where DKMS
# looks for it, /usr/src/NAME-VERSION, whatever the prefix (dkmsdir): then
# `dkms install vmptrst-bench/VERSION` builds and installs it for the
# running kernel, and DKMS rebuilds it on each kernel upgrade.
VERSION     := $(shell sed -n 's/^\#define VB_TOOL_VERSION[[:space:]]*"\(.*\)"/\1/p' bench/bench.h)
PREFIX      ?= /usr/local
prefix      ?= $(PREFIX)
exec_prefix ?= $(prefix)
bindir      ?= $(exec_prefix)/bin
datarootdir ?= $(prefix)/share
datadir     ?= $(datarootdir)
mandir      ?= $(datarootdir)/man
docdir      ?= $(datarootdir)/doc/vmptrst-bench
pkgdatadir  ?= $(datadir)/vmptrst-bench
dkmsdir     ?= /usr/src/vmptrst-bench-$(VERSION)
INSTALL      ?= install
INSTALL_PROGRAM ?= $(INSTALL)
INSTALL_DATA ?= $(INSTALL) -m 644

# What gets installed, from the tree (no build output but the programs and
# the man pages).
CONFIG_FILES := $(wildcard configs/*.ini)
FLEET_FILES  := $(shell find fleet -type f ! -name '*.retry' | LC_ALL=C sort)
KMOD_FILES   := $(sort $(wildcard kmod/*.c kmod/*.h kmod/*.S)) kmod/Kbuild kmod/Makefile
# The README and the folders' READMEs it points to for reference, in the
# same layout, so that its links hold in $(docdir) too.
DOC_FILES    := README.md bench/README.md analysis/README.md kmod/README.md configs/README.md
MAN_PAGES    := vmptrst-bench.1 vmptrst-analyze.1 vmptrst-bench.ini.5
# The man pages name the installed paths.
MAN_PATHS    := -e 's|@CONFIGS@|$(pkgdatadir)/configs|g' -e 's|@DOCDIR@|$(docdir)|g' \
		-e 's|@SHARE@|$(pkgdatadir)|g'

# make install sets up what the build needs first (scripts/deps.sh packages:
# as root it installs them, otherwise it names them); the Debian package's
# build calls the install-* parts alone, its Build-Depends in place.
install:
	scripts/deps.sh packages
	$(MAKE) install-programs install-data install-man install-dkms

install-programs: programs
	$(INSTALL) -d $(DESTDIR)$(bindir)
	$(INSTALL_PROGRAM) bench/vmptrst-bench analysis/vmptrst-analyze $(DESTDIR)$(bindir)/

install-data:
	$(INSTALL) -d $(DESTDIR)$(pkgdatadir)/configs $(DESTDIR)$(docdir)
	$(INSTALL_DATA) $(CONFIG_FILES) $(DESTDIR)$(pkgdatadir)/configs/
	$(INSTALL_DATA) analysis/export.schema.json $(DESTDIR)$(pkgdatadir)/
	for f in $(FLEET_FILES); do \
		$(INSTALL) -d $(DESTDIR)$(pkgdatadir)/$$(dirname $$f) && \
		$(INSTALL_DATA) $$f $(DESTDIR)$(pkgdatadir)/$$f || exit 1; done
	for f in $(DOC_FILES); do \
		$(INSTALL) -d $(DESTDIR)$(docdir)/$$(dirname $$f) && \
		$(INSTALL_DATA) $$f $(DESTDIR)$(docdir)/$$f || exit 1; done

install-man: man
	$(INSTALL) -d $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man5
	for p in $(MAN_PAGES); do d=$(DESTDIR)$(mandir)/man$${p##*.}/$$p; \
		sed $(MAN_PATHS) build/man/$$p >$$d && chmod 644 $$d || exit 1; done

install-dkms:
	$(INSTALL) -d $(DESTDIR)$(dkmsdir)
	$(INSTALL_DATA) $(KMOD_FILES) $(DESTDIR)$(dkmsdir)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' kmod/dkms.conf >$(DESTDIR)$(dkmsdir)/dkms.conf
	chmod 644 $(DESTDIR)$(dkmsdir)/dkms.conf
	@echo "install: the module's source is in $(DESTDIR)$(dkmsdir); build it for the running kernel with: dkms install vmptrst-bench/$(VERSION)"

# Removes what install wrote (and the folders it made, when empty).  A
# module DKMS built from the source stays DKMS's: dkms remove
# vmptrst-bench/VERSION --all first.
uninstall:
	rm -f $(DESTDIR)$(bindir)/vmptrst-bench $(DESTDIR)$(bindir)/vmptrst-analyze
	rm -f $(addprefix $(DESTDIR)$(mandir)/man1/,$(filter %.1,$(MAN_PAGES)))
	rm -f $(addprefix $(DESTDIR)$(mandir)/man5/,$(filter %.5,$(MAN_PAGES)))
	rm -rf $(DESTDIR)$(pkgdatadir) $(DESTDIR)$(docdir) $(DESTDIR)$(dkmsdir)

# -- packages -------------------------------------------------------------------
# scripts/deb.sh: the tree's tracked files (uncommitted edits included) copied
# to build/deb/vmptrst-bench-VERSION/, dpkg-buildpackage -us -uc -b there
# (Rules-Requires-Root: no, no fakeroot), the .deb files in build/deb/,
# lintian on them (its output in build/deb/lintian.txt).
deb:
	scripts/deps.sh packages
	scripts/deb.sh

# tests/host/packages.sh after scripts/deps.sh packages (it installs what the
# test needs, never a kernel); area packages of make test too.
test-packages:
	scripts/deps.sh packages
	tests/host/packages.sh

clean:
	$(MAKE) -C bench clean
	-@[ -d "$(KDIR)" ] && $(MAKE) -C kmod KDIR=$(KDIR) clean || true
	$(MAKE) -C tests/unit clean
	$(MAKE) -C analysis clean
	rm -rf build

.PHONY: all bench analysis programs bench-analysis bench-accuracy fuzz-long kmod man deps check test test-models run fleet \
	install install-programs install-data install-man install-dkms uninstall deb test-packages clean
