# shellcheck shell=bash
# Verdicts for the host-side test scripts of tests/emu/ (sourced, after
# harness/common.sh): "ok - NAME: ..." / "not ok - NAME: ..." lines and a
# closing "NAME: N passed, N failed".  The caller sets $name.
passed=0 failed=0
ok() { echo "ok - $name: $*"; passed=$((passed + 1)); }
notok() { echo "not ok - $name: $*"; failed=$((failed + 1)); }
check() { # check DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}
finish() {
	echo "$name: $passed passed, $failed failed"
	[[ $failed -eq 0 ]]
	exit
}
