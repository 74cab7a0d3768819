#!/usr/bin/env bash
# scripts/deps.sh LIST: the packages vmptrst-bench needs, in one place, and
# their check.  Installs what is missing when run as root on Debian or
# Ubuntu (apt-get update once, then apt-get install --no-install-recommends);
# otherwise prints what is missing and the command that installs it.  Each
# command the README names asks for its own list:
#
#   native          `make run` on a lab server: the module against the
#                   running kernel, the driver, the analysis and its plots
#   user            native without the running kernel's headers: what
#                   `vmptrst-bench run --backend user` and the analysis need
#                   (no module is built); the fleet playbook's user backend
#   emulated        `make run` where the CPU has no VT-x: the same build, the
#                   module built against Debian's kernels (their headers and
#                   images unpacked into build/, never installed) and booted
#                   in Bochs from an ISO with a busybox initramfs
#   check           `make check`: the areas that boot no emulator (cmocka,
#                   sparse, numpy/scipy, Chromium, clang's libFuzzer, the
#                   kernels' headers trees for the module builds)
#   test            `make test` (and test-models, fuzz-long): check and
#                   emulated, plus QEMU, and ansible-core and openssh-client,
#                   the controller of `make fleet` (tests/fleet runs the
#                   playbook)
#   fleet           `make fleet`'s controller: the analysis, ansible-core,
#                   openssh-client (the hosts install their own list)
#   bench-analysis  `make bench-analysis`: the analysis and pandas
#   bench-accuracy  `make bench-accuracy`: the user backend, the analysis,
#                   python3, taskset
#   packages        `make deb`, `make install` and `make test-packages`: the
#                   build, the kernels' headers trees (DKMS builds the module
#                   against them), debhelper, dh-dkms, dkms, lintian, mandoc,
#                   man-db, kmod, and the fleet controller (the installed playbook
#                   runs in the test)
#
#   scripts/deps.sh --list LIST   prints LIST's packages, installs nothing
#   scripts/deps.sh --why         prints, for every package of every list, a
#                                 file it ships and how its use is found
#
# On a host without apt-get (RHEL, Fedora: rpm) the native and user lists are
# checked with rpm and what is missing is printed for dnf; only Debian is
# tested.  Exit 0 when everything is present (or was installed), 1 otherwise.
set -euo pipefail

# -- the lists ---------------------------------------------------------------

# Debian/Ubuntu.  The driver (bench/) built from source, and the analysis
# (analysis/) with its plots (gnuplot): every list but fleet's and
# bench-analysis's has both, those the analysis only.
driver_deb=(make gcc libc6-dev libinih-dev nettle-dev libpfm4-dev)
analysis_deb=(make gcc libc6-dev libjson-c-dev libsqlite3-dev nettle-dev gnuplot-nox)
# What the Debian 6.1 and 6.12 headers trees need from the host to build a
# module: the Depends of linux-headers-<ver>-amd64, linux-kbuild-* and
# linux-compiler-gcc-12-x86, less the kernel image (kernels.sh SERIES
# host-depends prints them; kernels.sh checks them again when it unpacks a
# tree, and tests/host compares them with this list).
kernels_deb=(gcc-12 libc6 libelf1 libssl3 zlib1g pahole)
# The emulated machine: Bochs and its BIOSes, the boot ISO (isolinux,
# syslinux's mboot.c32, xorriso), the kernel's ELF out of its image (xz for
# 6.1, zstd for 6.12) and KVM's modules out of the kernel package (xz), the
# modules without debug information (binutils' strip), the initramfs
# (busybox, cpio), the transfer back (tar, its -z gzip), Bochs in a
# network namespace of its own (util-linux's unshare).
emulator_deb=(bochs bochsbios vgabios isolinux syslinux-common xorriso
	busybox-static cpio gzip xz-utils zstd binutils tar coreutils util-linux)
# make check on top of the build and the kernels' trees: the unit tests
# (cmocka, python3), the analysis's reference values and its report in a
# browser, the fuzzers (clang's libFuzzer), the module built with sparse and
# read back with objdump.
check_deb=(python3 binutils sparse libcmocka-dev python3-numpy python3-scipy
	python3-jsonschema python3-markdown chromium clang-14 libclang-rt-14-dev)
# make test on top of check and emulated: QEMU, and the controller of
# `make fleet` (ansible-core, Debian's 2.14 on bookworm, and the ssh it
# reaches hosts with; ansible-core asks for openssh-client or paramiko only):
# tests/fleet runs the playbook.  The fleet's hosts do not need them.
test_deb=(qemu-system-x86 ansible-core openssh-client)
# make deb and tests/host/packages.sh (make test-packages; area packages of
# make test): debhelper and dh-dkms build the packages (dpkg-dev's
# dpkg-buildpackage), lintian and mandoc check them, dkms, man-db and kmod's
# modinfo use them.
packages_deb=(dpkg-dev debhelper dh-dkms dkms lintian mandoc man-db kmod)
fleet_deb=(ansible-core openssh-client)
bench_analysis_deb=(python3 python3-numpy python3-pandas)
bench_accuracy_deb=(python3 util-linux coreutils)

# Why each package is on a list: a file it ships (tests/host checks it with
# dpkg -L where the package is installed), and the fixed string that finds
# its use in the code of the paths whose lists hold it (comments aside;
# tests/host checks that each list's packages are used by its path, and that
# make run's path uses none of the packages only the tests have); one use of
# several ("|") is enough.  "kernels"
# instead of a string: needed by the kernels' headers trees (kernels.sh
# host-depends), not by a file of ours.
why_deb=(
	"make /usr/bin/make|\$(MAKE)|make -s"
	"gcc /usr/bin/gcc|\$(CC)"
	"libc6-dev /usr/include/stdio.h|#include <stdio.h>"
	"libinih-dev /usr/lib/x86_64-linux-gnu/libinih.a|-linih"
	"nettle-dev /usr/lib/x86_64-linux-gnu/libnettle.a|-lnettle"
	"libpfm4-dev /usr/lib/x86_64-linux-gnu/libpfm.a|-lpfm"
	"libjson-c-dev /usr/lib/x86_64-linux-gnu/libjson-c.a|-ljson-c"
	"libsqlite3-dev /usr/lib/x86_64-linux-gnu/libsqlite3.a|-lsqlite3"
	"gnuplot-nox /usr/bin/gnuplot-nox|\"gnuplot\""
	"gcc-12 /usr/bin/gcc-12|kernels"
	"libc6 /lib/x86_64-linux-gnu/libc.so.6|kernels"
	"libelf1 /usr/lib/x86_64-linux-gnu/libelf.so.1|kernels"
	"libssl3 /usr/lib/x86_64-linux-gnu/libssl.so.3|kernels"
	"zlib1g /lib/x86_64-linux-gnu/libz.so.1|kernels"
	"pahole /usr/bin/pahole|kernels"
	"bochs /usr/bin/bochs|cmd=(bochs "
	"bochsbios /usr/share/bochs/BIOS-bochs-latest|/usr/share/bochs/BIOS-bochs-latest"
	"vgabios /usr/share/vgabios/vgabios.bin|/usr/share/vgabios/vgabios.bin"
	"isolinux /usr/lib/ISOLINUX/isolinux.bin|/usr/lib/ISOLINUX/isolinux.bin"
	"syslinux-common /usr/lib/syslinux/modules/bios/ldlinux.c32|/usr/lib/syslinux/modules/bios/ldlinux.c32"
	"xorriso /usr/bin/xorriso|xorriso -as mkisofs"
	"busybox-static /bin/busybox|/bin/busybox"
	"cpio /bin/cpio|cpio --null"
	"gzip /bin/gzip|gzip -|tar -xzf"
	"xz-utils /usr/bin/xz|xz -dc"
	"zstd /usr/bin/zstd|zstd -q -dc"
	"tar /bin/tar|tar -xzf"
	"coreutils /usr/bin/md5sum|md5sum|timeout "
	"util-linux /usr/bin/unshare|unshare |taskset "
	"python3 /usr/bin/pydoc3|python3"
	"binutils /usr/bin/objdump|objdump -d|strip --strip-debug"
	"sparse /usr/bin/sparse|C=1|C=2"
	"libcmocka-dev /usr/include/cmocka.h|-lcmocka"
	"python3-numpy /usr/lib/python3/dist-packages/numpy/__init__.py|import numpy"
	"python3-scipy /usr/lib/python3/dist-packages/scipy/__init__.py|import scipy"
	"python3-jsonschema /usr/lib/python3/dist-packages/jsonschema/__init__.py|import jsonschema"
	"python3-markdown /usr/lib/python3/dist-packages/markdown/__init__.py|import markdown"
	"chromium /usr/bin/chromium|chromium"
	"clang-14 /usr/bin/clang-14|clang-14"
	"libclang-rt-14-dev /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a|-fsanitize=fuzzer"
	"qemu-system-x86 /usr/bin/qemu-system-x86_64|qemu-system-x86_64"
	"ansible-core /usr/bin/ansible-playbook|ansible-playbook"
	"openssh-client /usr/bin/ssh|ansible_connection=ssh|ansible_host="
	"python3-pandas /usr/lib/python3/dist-packages/pandas/__init__.py|import pandas"
	"dpkg-dev /usr/bin/dpkg-buildpackage|dpkg-buildpackage"
	"debhelper /usr/bin/dh|dh \$@"
	"dh-dkms /usr/bin/dh_dkms|dh_dkms"
	"dkms /usr/sbin/dkms|dkms build|dkms status"
	"lintian /usr/bin/lintian|lintian "
	"mandoc /usr/bin/mandoc|mandoc "
	"man-db /usr/bin/man|man -w"
	"kmod /sbin/modinfo|modinfo"
)

# RHEL/Fedora (dnf) names for the native run; untested.  On RHEL, inih-devel
# and libpfm-devel come from CodeReady Builder (CRB) or EPEL.
native_rpm=(make gcc "kernel-devel-$(uname -r)" elfutils-libelf-devel inih-devel
	nettle-devel libpfm-devel gnuplot json-c-devel sqlite-devel)

# -- the check ---------------------------------------------------------------

say() { printf 'deps: %s\n' "$*" >&2; }

lists="native user emulated check test fleet bench-analysis bench-accuracy packages"
usage() { echo "usage: $0 [--list] ${lists// /|} | --why" >&2; exit 2; }
print_only=0
case ${1:-} in
--why) [[ $# -eq 1 ]] || usage; printf '%s\n' "${why_deb[@]}"; exit 0 ;;
--list) print_only=1; shift ;;
esac
[[ $# -eq 1 ]] || usage
what=$1
[[ " $lists " == *" $what "* ]] || usage

is_root() { [[ $(id -u) -eq 0 ]]; }

deb_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# The running kernel's build tree comes from its headers package; its
# linux-image is the running kernel, installed already.  Only when the tree
# is missing (a self-built kernel has one without a package).
running_headers() {
	[[ -d /lib/modules/$(uname -r)/build ]] || echo "linux-headers-$(uname -r)"
}

# The Debian packages of list $what, each once, in the order of the lists.
wanted_deb() {
	local all=()
	case $what in
	native) all=("${driver_deb[@]}" "${analysis_deb[@]}")
		mapfile -t -O "${#all[@]}" all < <(running_headers) ;;
	user) all=("${driver_deb[@]}" "${analysis_deb[@]}") ;;
	emulated) all=("${driver_deb[@]}" "${analysis_deb[@]}" "${kernels_deb[@]}" "${emulator_deb[@]}") ;;
	check) all=("${driver_deb[@]}" "${analysis_deb[@]}" "${kernels_deb[@]}" "${check_deb[@]}") ;;
	test) all=("${driver_deb[@]}" "${analysis_deb[@]}" "${kernels_deb[@]}" "${emulator_deb[@]}"
		"${check_deb[@]}" "${test_deb[@]}" "${packages_deb[@]}") ;;
	fleet) all=("${analysis_deb[@]}" "${fleet_deb[@]}") ;;
	bench-analysis) all=("${analysis_deb[@]}" "${bench_analysis_deb[@]}") ;;
	bench-accuracy) all=("${driver_deb[@]}" "${analysis_deb[@]}" "${bench_accuracy_deb[@]}") ;;
	packages) all=("${driver_deb[@]}" "${analysis_deb[@]}" "${kernels_deb[@]}" "${packages_deb[@]}" ansible-core) ;;
	esac
	printf '%s\n' "${all[@]}" | awk '!seen[$0]++'
}

if [[ $print_only -eq 1 ]]; then
	wanted_deb
	exit 0
fi

debian() {
	local wanted=() missing=() p
	mapfile -t wanted < <(wanted_deb)
	for p in "${wanted[@]}"; do
		deb_installed "$p" || missing+=("$p")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then
		say "$what: all packages present"
		return 0
	fi
	local cmd=(apt-get install -y -q --no-install-recommends "${missing[@]}")
	if ! is_root; then
		say "$what: missing packages: ${missing[*]}"
		say "install them as root with: apt-get update && ${cmd[*]}"
		say "(or as root: scripts/deps.sh $what)"
		return 1
	fi
	say "apt-get update"
	apt-get update -q >&2
	say "$what: installing ${#missing[@]} packages: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive "${cmd[@]}" >&2 || {
		case " ${missing[*]} " in *" linux-headers-$(uname -r) "*)
			say "no linux-headers-$(uname -r) in the archive? The module needs the running kernel's build tree at /lib/modules/$(uname -r)/build" ;;
		esac
		return 1
	}
	say "$what: all packages present"
}

rpm_based() {
	local missing=() p
	if [[ $what != native && $what != user ]]; then
		say "scripts/deps.sh $what runs on Debian or Ubuntu only (apt-get, and Debian's kernels); on this host: native or user"
		return 1
	fi
	for p in "${native_rpm[@]}"; do
		[[ $what == user && $p == kernel-devel-* ]] && continue
		rpm -q "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then
		say "$what: all packages present"
		return 0
	fi
	say "$what: missing packages: ${missing[*]}"
	say "install them as root with: dnf install ${missing[*]}"
	say "(RHEL: inih-devel and libpfm-devel are in CRB or EPEL; only Debian is tested)"
	return 1
}

other() {
	local wanted=()
	mapfile -t wanted < <(wanted_deb)
	say "neither apt-get nor rpm here: install the equivalents of"
	say "  Debian: ${wanted[*]}"
	say "  Fedora: ${native_rpm[*]}"
	say "then run with DEPS=skip"
	return 1
}

if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
	debian
elif command -v rpm >/dev/null; then
	rpm_based
else
	other
fi
