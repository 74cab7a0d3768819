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

# A fresh $work with the payload for SERIES in $work/payload (payload.sh),
# one verdict; the test ends there if it cannot be built.
build_payload() { # build_payload SERIES
	rm -rf "$work"
	mkdir -p "$work"
	if ! "$here/payload.sh" "$1" "$work/payload"; then
		notok "payload built (module warning-free with W=1 against $1)"
		finish
	fi
	ok "payload built (module warning-free with W=1 against $1)"
}

# Boot the payload with guest/SCRIPT (harness/boot.sh; more of its options
# after SCRIPT), print the guest's own verdicts as the host saw them on the
# console, and check that the script ran and every step passed.  Sets $out
# and $rc; the test ends if the machine never ran the script.
# SCRIPT is a name in guest/ or an absolute path.  A function after_boot,
# when the caller defines one, runs right after the boot (with $out and $rc
# set), before anything is read from $out.
boot_guest() { # boot_guest EMU SERIES SCRIPT [BOOT_OPTION...]
	local emu=$1 series=$2 script=$3
	shift 3
	[[ $script == /* ]] || script=$here/guest/$script
	rc=0
	"$here/harness/boot.sh" --emulator "$emu" --kernel "$series" "$@" \
		--payload "$work/payload" --script "$script" \
		--out "$work/out" || rc=$?
	out=$work/out
	if [[ $(type -t after_boot) == function ]]; then after_boot; fi
	grep -E '^(not )?ok - |^# ' "$out/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/  guest: /' || true
	if [[ $rc -eq 125 || ! -s $out/console.log ]]; then
		notok "the emulated machine booted and ran the guest script (boot.sh exit $rc; see $out/console.log)"
		finish
	fi
	check "guest script: every step passed (failed steps: $rc)" test "$rc" -eq 0
}
