#!/usr/bin/env bash
# kmod-build.sh SERIES [1]: the module built against Debian kernel SERIES's
# headers (6.1 or 6.12) with W=1, the tests' build with 1 (TEST_HOOKS=1), in
# $EMU_BUILD/kmod-SERIES[-test-hooks] (Kbuild writes its objects next to the
# sources: a copy per kernel and per build); prints that folder.  The
# compiler's output is in its build.log; a failed build or any warning
# prints that log and exits 1.
# The caller holds $EMU_BUILD/payload-SERIES.lock (flock): payload.sh while
# it builds a payload, tests/kmod/check-blocks.sh while it reads the objects.
# EMU_PAYLOAD_CACHE=DIR (tests/run.sh sets it for one run of the suite): a
# folder built earlier in that run from the same sources, headers, compiler
# and this script is used as it is (the warning-free build the first caller
# checked), not built again; without it the module is always built.
set -euo pipefail
# shellcheck source=harness/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness/common.sh"

[[ $# -ge 1 && $# -le 2 ]] || die 2 "usage: kmod-build.sh 6.1|6.12 [1]"
series=$1 hooks=${2:-}
[[ $series == 6.1 || $series == 6.12 ]] || die 2 "usage: kmod-build.sh 6.1|6.12 [1]"
[[ -z $hooks || $hooks == 1 ]] || die 2 "usage: kmod-build.sh 6.1|6.12 [1]"
ensure_build_dir
kdir=$("$HARNESS_DIR/kernels.sh" "$series" headers)
kbuild=$EMU_BUILD/kmod-$series${hooks:+-test-hooks}

key=$({
	echo "$kdir TEST_HOOKS=$hooks"
	${CC:-cc} --version | head -n 1
	cd "$REPO_ROOT" && sha256sum tests/emu/kmod-build.sh kmod/Kbuild kmod/*.[chS]
} | sha256sum | cut -c1-16)
stamp=${EMU_PAYLOAD_CACHE:+$EMU_PAYLOAD_CACHE/kmod-$series${hooks:+-test-hooks}.key}
if [[ -n $stamp && -f $stamp && $(cat "$stamp") == "$key" &&
	-f $kbuild/vmptrst_bench.ko && -f $kbuild/build.log ]]; then
	log "kmod-$series${hooks:+-test-hooks}: the module built earlier in this run (W=1, TEST_HOOKS=$hooks)"
	echo "$kbuild"
	exit 0
fi
rm -rf "$kbuild"
mkdir -p "$kbuild"
cp "$REPO_ROOT"/kmod/{Kbuild,*.c,*.h,*.S} "$kbuild/"
log "building the module against $kdir (W=1, TEST_HOOKS=$hooks)"
if ! make -s -C "$kdir" M="$kbuild" W=1 TEST_HOOKS="$hooks" modules >"$kbuild/build.log" 2>&1; then
	cat "$kbuild/build.log" >&2
	die "module build failed against $kdir (TEST_HOOKS=$hooks)"
fi
if grep -E "warning:|error:" "$kbuild/build.log" >&2; then
	die "module build against $kdir (TEST_HOOKS=$hooks) has warnings (above)"
fi
if [[ -n $stamp ]]; then
	mkdir -p "$EMU_PAYLOAD_CACHE"
	echo "$key" >"$stamp"
fi
echo "$kbuild"
