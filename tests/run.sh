#!/usr/bin/env bash
# tests/run.sh: every test area in turn; `make test` calls it after deps.
# Each area is one program with its own output; this prints a line per area
# and, last, "tests: N passed, N failed".  Exit status 0 only if all passed.
#
# Areas: unit (the driver, cmocka), userdev (the timing engine at ring 3,
# functional), inputs (the driver's bad-input table, then the config and CSV
# fuzzers for a bounded time), analysis (vmptrst-analyze against
# numpy/scipy reference values), blocks (the timed blocks' machine code), then
# the module booted in QEMU (no VMX) and Bochs (VMX) with Debian's 6.1 and
# 6.12 kernels, then the ioctl fuzzer in both (a bounded number of calls).
# TESTS="unit blocks ..." runs a subset.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

areas=${TESTS:-"unit userdev inputs analysis blocks module-qemu-6.1 module-qemu-6.12 module-bochs-6.12 module-bochs-6.1 fuzz-qemu-6.12 fuzz-bochs-6.12"}
passed=0 failed=0 results=()

run_area() {
	case $1 in
	unit) make -C tests/unit check ;;
	analysis) make -C analysis check ;;
	userdev) make -C tests/accuracy check ;;
	inputs) make -C tests/fuzz test ;;
	blocks) tests/kmod/check-blocks.sh ;;
	module-*-*)
		local rest=${1#module-}
		tests/emu/module-test.sh "${rest%%-*}" "${rest#*-}" ;;
	fuzz-qemu-*) tests/emu/fuzz-test.sh qemu "${1#fuzz-qemu-}" 20000 ;;
	fuzz-bochs-*) tests/emu/fuzz-test.sh bochs "${1#fuzz-bochs-}" 2000 ;;
	*) echo "tests/run.sh: unknown area '$1'" >&2; return 2 ;;
	esac
}

for area in $areas; do
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
