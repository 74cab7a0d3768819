#!/usr/bin/env bash
# tests/run.sh: every test area in turn; `make test` calls it after deps.
# Each area is one program with its own output; this prints a line per area
# and, last, "tests: N passed, N failed".  Exit status 0 only if all passed.
#
# Areas: host (what make run and make test install, and the native run's
# doctor gate and module unload, all with fakes), unit (the driver, cmocka),
# userdev (the timing engine at ring 3, functional), inputs (the driver's
# bad-input table, then the config and CSV fuzzers for a bounded time),
# analysis (vmptrst-analyze against numpy/scipy reference values), blocks
# (the timed blocks' machine code), fleet (the Ansible playbook against hosts
# that are this machine, backend user, and two unreachable ones, then one
# with backend emulated in Bochs: FLEET_EMULATED=0 skips that one), then the
# module booted in QEMU (no VMX)
# and Bochs (VMX) with Debian's 6.1 and 6.12 kernels, then the ioctl fuzzer in
# both (a bounded number of calls).
# Not among the defaults: models-bochs-6.12 (models-bochs-6.1), the module
# users load on several of Bochs's CPU models, one boot each (6 to 9
# minutes; `make test-models`).
# TESTS="unit blocks ..." runs a subset.  Last, always: kernel-images, no
# linux-image package installed (or removed) on this host since the list
# taken before: `make test` takes it before installing packages and passes it
# in KERNEL_IMAGES_BEFORE; without it, this script takes it when it starts.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

images_before=${KERNEL_IMAGES_BEFORE:-}
if [[ -z $images_before ]]; then
	images_before=$(mktemp)
	trap 'rm -f "$images_before"' EXIT
	tests/host/kernel-images.sh list >"$images_before"
fi

areas=${TESTS:-"host unit userdev inputs analysis blocks fleet module-qemu-6.1 module-qemu-6.12 module-bochs-6.12 nmi-bochs-6.12 module-bochs-6.1 fuzz-qemu-6.12 fuzz-bochs-6.12"}
passed=0 failed=0 results=()

run_area() {
	case $1 in
	host) tests/host/check.sh ;;
	kernel-images) tests/host/kernel-images.sh check "$images_before" ;;
	unit) make -C tests/unit check ;;
	analysis) make -C analysis check ;;
	userdev) make -C tests/accuracy check ;;
	inputs) make -C tests/fuzz test ;;
	blocks) tests/kmod/check-blocks.sh ;;
	fleet) tests/fleet/check.sh ;;
	module-*-*)
		local rest=${1#module-}
		tests/emu/module-test.sh "${rest%%-*}" "${rest#*-}" ;;
	nmi-bochs-*) tests/emu/nmi-test.sh "${1#nmi-bochs-}" ;;
	models-bochs-*) tests/emu/models-test.sh "${1#models-bochs-}" ;;
	fuzz-qemu-*) tests/emu/fuzz-test.sh qemu "${1#fuzz-qemu-}" 20000 ;;
	fuzz-bochs-*) tests/emu/fuzz-test.sh bochs "${1#fuzz-bochs-}" 2000 ;;
	*) echo "tests/run.sh: unknown area '$1'" >&2; return 2 ;;
	esac
}

order=()
for area in $areas; do [[ $area == kernel-images ]] || order+=("$area"); done
for area in "${order[@]}" kernel-images; do
	echo "=== $area"
	start=$SECONDS
	if run_area "$area"; then
		passed=$((passed + 1)); verdict=PASS
	else
		failed=$((failed + 1)); verdict=FAIL
	fi
	results+=("$verdict $area ($((SECONDS - start)) s)")
done
echo "=== summary"
printf '%s\n' "${results[@]}"
echo "tests: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
