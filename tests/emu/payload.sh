#!/usr/bin/env bash
# payload.sh SERIES DIR: everything the emulated machine needs, built for
# Debian kernel SERIES (6.1 or 6.12), into DIR:
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
#   kernel-log-bad.awk what no test may leave in the kernel log (guest/)
#   kvm/*.ko           irqbypass, kvm, kvm-intel from that kernel's package
set -euo pipefail
# shellcheck source=harness/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness/common.sh"

[[ $# -eq 2 ]] || die 2 "usage: payload.sh 6.1|6.12 DIR"
series=$1 dir=$2
kdir=$("$HARNESS_DIR/kernels.sh" "$series" headers)
ensure_build_dir
mkdir -p "$dir"

# Kbuild writes its objects next to the sources: build a copy per kernel
# and per build.  build_module OUT HOOKS: HOOKS is TEST_HOOKS's value, "" for
# the module users load (set here, whatever the environment says).
build_module() {
	local out=$1 hooks=$2 kbuild=$EMU_BUILD/kmod-$series${2:+-test-hooks}
	rm -rf "$kbuild"
	mkdir -p "$kbuild"
	cp "$REPO_ROOT"/kmod/{Kbuild,*.c,*.h,*.S} "$kbuild/"
	log "building $out against $kdir (W=1, TEST_HOOKS=$hooks)"
	if ! make -s -C "$kdir" M="$kbuild" W=1 TEST_HOOKS="$hooks" modules >"$kbuild/build.log" 2>&1; then
		cat "$kbuild/build.log" >&2
		die "module build failed against $kdir (TEST_HOOKS=$hooks)"
	fi
	if grep -E "warning:|error:" "$kbuild/build.log" >&2; then
		die "module build against $kdir (TEST_HOOKS=$hooks) has warnings (above)"
	fi
	mkdir -p "$(dirname "$dir/$out")"
	cp "$kbuild/vmptrst_bench.ko" "$dir/$out"
}
build_module vmptrst_bench.ko ""
build_module test-hooks/vmptrst_bench.ko 1

make -s -C "$REPO_ROOT/bench" vmptrst-bench.static >&2
cp "$REPO_ROOT/bench/vmptrst-bench.static" "$dir/vmptrst-bench"
mkdir -p "$dir/configs"
cp "$REPO_ROOT/tests/emu/guest/kernel-log-bad.awk" "$dir/"
cp "$REPO_ROOT"/configs/*.ini "$dir/configs/"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -static -I"$REPO_ROOT/kmod" \
	-o "$dir/vb_check" "$REPO_ROOT/tests/emu/guest/vb_check.c"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -static \
	-o "$dir/kvm_vm" "$REPO_ROOT/tests/emu/guest/kvm_vm.c"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -static -I"$REPO_ROOT/kmod" \
	-o "$dir/vb_guest_probe" "$REPO_ROOT/tests/emu/guest/vb_guest_probe.c"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -static -I"$REPO_ROOT/kmod" \
	-o "$dir/vb_guest_run" "$REPO_ROOT/tests/emu/guest/vb_guest_run.c"
${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -static -I"$REPO_ROOT/kmod" \
	-o "$dir/vb_conform" "$REPO_ROOT/tests/emu/guest/vb_conform.c"
# KVM from the same kernel package, for the coexistence check (6.12 turns VMX
# on when kvm_intel loads).  Uncompressed: busybox insmod does not read .xz.
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
done
log "payload for $series ready in $dir"
