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

# The kernel log from the guest's "vmptrst-test: start" marker on, which the
# guest writes before it loads the module (Bochs makes the kernel warn about
# its emulated CPU during boot, before that): no WARN, BUG or Oops.
# The lines of a kernel log that no test may cause (guest/kernel-log-bad.awk).
kernel_log_bad() { # kernel_log_bad < LOG
	awk -f "$(dirname "${BASH_SOURCE[0]}")/guest/kernel-log-bad.awk"
}

check_kernel_log() { # check_kernel_log DMESG_LOG
	if ! grep -q 'vmptrst-test: start' "$1"; then
		notok "host received the kernel log with the test's start marker"
	elif kernel_log_bad <"$1" | grep . >&2; then
		notok "kernel log since the module loaded is free of WARN/BUG/Oops (above)"
	else
		ok "kernel log since the module loaded is free of WARN/BUG/Oops"
	fi
}
