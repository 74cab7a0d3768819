#!/usr/bin/env bash
# scripts/deps.sh native|user|test: the packages vmptrst-bench needs, in one place,
# and their check.  Installs what is missing when run as root on Debian or
# Ubuntu (apt-get update once, then apt-get install --no-install-recommends);
# otherwise prints what is missing and the command that installs it.
#
#   native  building the module against the running kernel, the driver and
#           the analysis: what `make run` needs on a lab server
#   user    native without the running kernel's headers: what
#           `vmptrst-bench run --backend user` and the analysis need (no
#           module is built); the fleet playbook's user backend
#   test    native, plus what `make test` needs on top: emulators, image
#           tools, numpy/scipy, clang, and what the kernel headers trees of
#           the tested kernels need (tests/emu/harness/kernels.sh unpacks
#           those trees into build/: no kernel package is installed), and
#           ansible-core and openssh-client: the controller of `make fleet`
#           (fleet/) needs them, its hosts do not (tests/fleet runs the
#           playbook)
#
# On a host without apt-get (RHEL, Fedora: rpm) the native list is checked
# with rpm and what is missing is printed for dnf; only Debian is tested.
# Exit 0 when everything is present (or was installed), 1 otherwise.
set -euo pipefail

# -- the lists ---------------------------------------------------------------

# Debian/Ubuntu, native run (plus linux-headers-$(uname -r), see below).
native_deb=(make gcc libc6-dev libinih-dev nettle-dev libpfm4-dev gnuplot-nox libjson-c-dev libsqlite3-dev)

# Debian, the tests on top of the native list.  The line before last is what the
# Debian 6.1 and 6.12 headers trees need from the host to build a module: the
# Depends of linux-headers-<ver>-amd64, linux-kbuild-* and
# linux-compiler-gcc-12-x86 (apt-cache depends), less the kernel image.
# kernels.sh checks them again against the archive when it unpacks a tree.
# The line before last, ansible-core (Debian's, 2.14 on bookworm) and the ssh it
# reaches hosts with (ansible-core asks for openssh-client or paramiko only),
# is the controller of `make fleet`, which tests/fleet runs: the fleet's
# hosts do not need it.  The last line is `make deb` and
# tests/host/packages.sh: debhelper and dh-dkms build the packages, lintian
# and mandoc check them, dkms and man-db use them.
test_deb=(qemu-system-x86 bochs bochsbios vgabios isolinux syslinux-common xorriso
	busybox-static cpio gzip xz-utils tar coreutils util-linux dpkg-dev
	binutils sparse libcmocka-dev python3-numpy python3-scipy python3-jsonschema
	python3-markdown chromium clang-14 libclang-rt-14-dev
	gcc-12 libc6 libelf1 libssl3 zlib1g pahole
	ansible-core openssh-client
	debhelper dh-dkms dkms lintian mandoc man-db)

# RHEL/Fedora (dnf) names for the native run; untested.  On RHEL, inih-devel
# and libpfm-devel come from CodeReady Builder (CRB) or EPEL.
native_rpm=(make gcc "kernel-devel-$(uname -r)" elfutils-libelf-devel inih-devel
	nettle-devel libpfm-devel gnuplot json-c-devel sqlite-devel)

# -- the check ---------------------------------------------------------------

say() { printf 'deps: %s\n' "$*" >&2; }

usage() { echo "usage: $0 native|user|test" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
what=$1
case $what in native | user | test) ;; *) usage ;; esac

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

debian() {
	local wanted=("${native_deb[@]}") missing=() p
	case $what in
	native) mapfile -t -O "${#wanted[@]}" wanted < <(running_headers) ;;
	test) wanted+=("${test_deb[@]}") ;;
	esac
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
		return 1
	fi
	say "apt-get update"
	apt-get update -q >&2
	say "$what: installing ${missing[*]}"
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
	if [[ $what == test ]]; then
		say "make test runs on Debian or Ubuntu only (apt-get, and Debian's kernels)"
		return 1
	fi
	for p in "${native_rpm[@]}"; do
		[[ $what == user && $p == kernel-devel-* ]] && continue
		rpm -q "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then
		say "native: all packages present"
		return 0
	fi
	say "native: missing packages: ${missing[*]}"
	say "install them as root with: dnf install ${missing[*]}"
	say "(RHEL: inih-devel and libpfm-devel are in CRB or EPEL; only Debian is tested)"
	return 1
}

other() {
	say "neither apt-get nor rpm here: install the equivalents of"
	say "  Debian: ${native_deb[*]} linux-headers-$(uname -r)"
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
