#!/usr/bin/env bash
# module-test.sh qemu|bochs 6.1|6.12: the module booted in an emulated machine.
#
# Builds the payload (payload.sh), boots it with guest/module-test.sh as the
# guest's script (harness/boot.sh), then checks on the host what came back:
# the guest's own verdicts, the kernel log, and (Bochs) the run directories.
# Prints "ok - ..." / "not ok - ..." lines and "<name>: N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness/common.sh
source "$here/harness/common.sh"

[[ $# -eq 2 ]] || die 2 "usage: module-test.sh qemu|bochs 6.1|6.12"
emu=$1 series=$2
name="module-$emu-$series"
work=$EMU_BUILD/$name
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

rm -rf "$work"
mkdir -p "$work"
if ! "$here/payload.sh" "$series" "$work/payload"; then
	notok "payload built (module warning-free with W=1 against $series)"
	finish
fi
ok "payload built (module warning-free with W=1 against $series)"

rc=0
"$here/harness/boot.sh" --emulator "$emu" --kernel "$series" \
	--payload "$work/payload" --script "$here/guest/module-test.sh" \
	--out "$work/out" || rc=$?
out=$work/out
# The guest's own verdicts, as the host saw them on the console.
grep -E '^(not )?ok - |^# ' "$out/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/  guest: /' || true
if [[ $rc -eq 125 || ! -s $out/console.log ]]; then
	notok "the emulated machine booted and ran the guest script (boot.sh exit $rc; see $out/console.log)"
	finish
fi
check "guest script: every step passed (failed steps: $rc)" test "$rc" -eq 0
check "vb_check ran to its summary with 0 failed" \
	grep -Eq '^vb_check: [1-9][0-9]* passed, 0 failed' <(tr -d '\r' <"$out/console.log")
# The kernel log from the module's load on (Bochs makes the kernel warn about
# its emulated CPU during boot, before the module exists).
if ! grep -q 'vmptrst-test: start' "$out/dmesg.log"; then
	notok "host received the kernel log with the test's start marker"
elif sed -n '/vmptrst-test: start/,$p' "$out/dmesg.log" |
	grep -E "WARNING:|BUG:|Oops|general protection|Call Trace" >&2; then
	notok "kernel log since the module loaded is free of WARN/BUG/Oops (above)"
else
	ok "kernel log since the module loaded is free of WARN/BUG/Oops"
fi

# samples.csv from the Bochs runs: header, row count, every check ok.
want_header='point,instruction,cpu,offset,cache,memtype,page,tlb,vmcs,serialize,unroll,sample,tsc,check'
check_run_dir() { # check_run_dir DIR VMCS
	local dir=$1 vmcs=$2 csv=$1/samples.csv meta=$1/meta.csv
	check "run-$vmcs: samples.csv and meta.csv came back" test -s "$csv" -a -s "$meta" || return 0
	check "run-$vmcs: samples.csv header" test "$(head -n1 "$csv" | tr -d '\r')" = "$want_header"
	local summary
	# RFC 4180: lines end in CRLF.
	summary=$(awk -F, -v vmcs="$vmcs" '{ sub(/\r$/, "") } NR > 1 {
		n++; if ($14 != "ok") bad++
		if ($2 == "vmptrst") v++; else if ($2 == "none") b++; else other++
		if ($9 != vmcs || $11 != 4 || $13 !~ /^[0-9]+$/) odd++
	} END { printf "%d %d %d %d %d %d", n, bad, v, b, other, odd }' "$csv")
	read -r n bad v b other odd <<<"$summary"
	check "run-$vmcs: 1000 rows, 500 vmptrst + 500 baseline (got $n: $v + $b, $other other)" \
		test "$n" -eq 1000 -a "$v" -eq 500 -a "$b" -eq 500 -a "$other" -eq 0
	check "run-$vmcs: every stored pointer checks out, counted here ($bad mismatches)" test "$bad" -eq 0
	check "run-$vmcs: vmcs/unroll/tsc columns as asked ($odd odd rows)" test "$odd" -eq 0
	local m
	m=$(tr -d '\r' <"$meta")
	check "run-$vmcs: meta.csv says platform bochs" grep -qx 'platform,bochs' <<<"$m"
	check "run-$vmcs: meta.csv says mismatches 0" grep -qx 'mismatches,0' <<<"$m"
	check "run-$vmcs: meta.csv says timings are emulated" grep -q '^timing_note,.*emulated' <<<"$m"
}
if [[ $emu == bochs ]]; then
	for vmcs in loaded none; do
		check_run_dir "$out/guest/run-$vmcs" "$vmcs"
	done
fi
finish
