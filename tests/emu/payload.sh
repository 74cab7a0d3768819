#!/usr/bin/env bash
# payload.sh [--run] SERIES DIR: everything the emulated machine needs,
# built for Debian kernel SERIES (6.1 or 6.12), into DIR:
#   vmptrst_bench.ko   the module users load (and make run loads), built
#                      against that kernel's headers with W=1; any compiler
#                      warning fails the build
#   test-hooks/vmptrst_bench.ko   the same with TEST_HOOKS=1: fault injection
#                      and the HOLD ioctl compiled in; what the tests load
#   vmptrst-bench      the driver, statically linked
#   configs/*.ini      the sweep configurations
#   vb_check           the ABI checker (tests/emu/guest/vb_check.c), static
#   kvm_vm             a VM that exists for N seconds (guest/kvm_vm.c), static
#   vb_guest_probe     the tests' build's GUEST_PROBE (guest/vb_guest_probe.c), static
#   vb_guest_run       mode=guest RUNs through the ioctl (guest/vb_guest_run.c), static
#   vb_conform         CONFORM's rows checked against the reference page (guest/vb_conform.c), static
#   vb_family_run      the family in mode=root through the ioctl (guest/vb_family_run.c), static
#   kernel-log-bad.awk what no test may leave in the kernel log (guest/)
#   kvm/*.ko           irqbypass, kvm, kvm-intel from that kernel's package
#                      (unsigned: below)
# --run: only what `make run MODE=emulated` uses (the module users load, the
# driver, the configs), not the tests' build, tools and KVM.
# The modules are copied without their debug information (strip
# --strip-debug, as the kernel's INSTALL_MOD_STRIP=1 does): the emulated
# machine reads every byte of its initramfs, and insmod every byte of a
# module, one emulated instruction at a time; symbols stay, for the kernel
# log's backtraces.
#
# One build of a series at a time ($EMU_BUILD/payload-SERIES.lock, flock):
# the module is built in $EMU_BUILD/kmod-SERIES[-test-hooks], and areas of
# tests/run.sh run at once.  EMU_PAYLOAD_CACHE=DIR (tests/run.sh sets it for
# one run of the suite): a payload built there once per series and content
# (the sources it is built from, this script, the kernel version, the
# compiler) is copied, not built again; its module was built warning-free,
# or it would not be there.
set -euo pipefail
# shellcheck source=harness/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness/common.sh"

usage="usage: payload.sh [--run] 6.1|6.12 DIR"
kind=all
if [[ ${1:-} == --run ]]; then
	kind=run
	shift
fi
[[ $# -eq 2 ]] || die 2 "$usage"
series=$1 dir=$2
[[ $series == 6.1 || $series == 6.12 ]] || die 2 "$usage"
ensure_build_dir
mkdir -p "$dir"
exec 8>"$EMU_BUILD/payload-$series.lock"
flock 8
kdir=$("$HARNESS_DIR/kernels.sh" "$series" headers)

# What the payload is built from: its hash names the cached copy.
payload_key() {
	{
		echo "$kdir"
		${CC:-cc} --version | head -n 1
		cd "$REPO_ROOT" && sha256sum tests/emu/payload.sh tests/emu/kmod-build.sh kmod/Kbuild kmod/*.[chS] \
			bench/Makefile bench/*.[ch] tests/emu/guest/* configs/*.ini
	} | sha256sum | cut -c1-16
}

# The module, W=1 and warning-free, through kmod-build.sh (in
# $EMU_BUILD/kmod-SERIES[-test-hooks], under this script's lock; built once
# per run of the suite with EMU_PAYLOAD_CACHE: tests/kmod/check-blocks.sh
# reads the same objects).  build_module DIR OUT HOOKS: HOOKS is
# TEST_HOOKS's value, "" for the module users load (set here, whatever the
# environment says).
build_module() {
	local dir=$1 out=$2 hooks=$3 kbuild
	log "building $out against $kdir (W=1, TEST_HOOKS=$hooks)"
	kbuild=$("$REPO_ROOT/tests/emu/kmod-build.sh" "$series" "$hooks") || exit 1
	mkdir -p "$(dirname "$dir/$out")"
	strip --strip-debug -o "$dir/$out" "$kbuild/vmptrst_bench.ko"
}

# build_all DIR: the whole payload into DIR (with --run, its first part).
build_all() {
	local dir=$1 tool vmlinuz kmods m src
	build_module "$dir" vmptrst_bench.ko ""
	make -s -C "$REPO_ROOT/bench" vmptrst-bench.static >&2
	cp "$REPO_ROOT/bench/vmptrst-bench.static" "$dir/vmptrst-bench"
	mkdir -p "$dir/configs"
	cp "$REPO_ROOT"/configs/*.ini "$dir/configs/"
	[[ $kind == all ]] || return 0

	build_module "$dir" test-hooks/vmptrst_bench.ko 1
	cp "$REPO_ROOT/tests/emu/guest/kernel-log-bad.awk" "$dir/"
	for tool in vb_check kvm_vm vb_guest_probe vb_guest_run vb_conform vb_family_run; do
		${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -static -I"$REPO_ROOT/kmod" \
			-o "$dir/$tool" "$REPO_ROOT/tests/emu/guest/$tool.c"
	done
	# KVM from the same kernel package, for the coexistence check (6.12
	# turns VMX on when kvm_intel loads).  Uncompressed: busybox insmod
	# does not read .xz.
	vmlinuz=$("$HARNESS_DIR/kernels.sh" "$series" image)
	kmods=$(dirname "$(dirname "$vmlinuz")")/lib/modules
	mkdir -p "$dir/kvm"
	for m in irqbypass kvm kvm-intel; do
		src=$(find "$kmods" -name "$m.ko" -o -name "$m.ko.xz" | head -n1)
		[[ -n $src ]] || die "no $m module in $kmods"
		case $src in
		*.xz) xz -dc "$src" >"$dir/kvm/$m.ko" ;;
		*) cp "$src" "$dir/kvm/$m.ko" ;;
		esac
		# Stripped, which drops the signature appended to it too: the
		# emulated kernel checks it and rejects it all the same ("module
		# verification failed" in its log, with or without one), and
		# checking it cost Bochs about 7 s of every load of kvm.
		strip --strip-debug "$dir/kvm/$m.ko"
	done
}

if [[ -z ${EMU_PAYLOAD_CACHE:-} ]]; then
	build_all "$dir"
else
	cached=$EMU_PAYLOAD_CACHE/$series-$kind-$(payload_key)
	if [[ -d $cached ]]; then
		log "payload for $series: the one built earlier in this run ($cached)"
	else
		# Built into a folder of its own, renamed once complete.
		rm -rf "$cached.tmp"
		mkdir -p "$cached.tmp"
		build_all "$cached.tmp"
		mv "$cached.tmp" "$cached"
	fi
	cp -a "$cached/." "$dir/"
fi
log "payload for $series ready in $dir"
