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
# shellcheck source=lib.sh
source "$here/lib.sh"

build_payload "$series"

# modinfo's parameters, read from the .modinfo section (no kmod tools needed):
# none at all in the module users load, inject_fault and debug_hold in the
# tests' build.
parms() { # parms KO: its parameter names, sorted, on one line
	if ! objcopy -O binary --only-section=.modinfo "$1" "$work/modinfo.bin"; then
		echo "(.modinfo unreadable)"
		return
	fi
	tr '\0' '\n' <"$work/modinfo.bin" | sed -n 's/^parmtype=\([^:]*\):.*/\1/p' | sort | paste -sd' '
}
release_parms=$(parms "$work/payload/vmptrst_bench.ko")
test_parms=$(parms "$work/payload/test-hooks/vmptrst_bench.ko")
check "release build: modinfo lists no parameter, so neither inject_fault nor debug_hold (parm: '$release_parms')" \
	test -z "$release_parms"
check "tests' build: modinfo lists both test parameters (parm: '$test_parms')" \
	test "$test_parms" = "debug_hold inject_fault"

# Bochs runs the whole guest script (three vb_check passes, quick.ini, the
# KVM mid-run runs): about 5 minutes on an idle machine.
timeout=600
[[ $emu == bochs ]] && timeout=1200
# (NMIs in the guest need a second CPU: nmi-test.sh boots two for that alone.)
boot_guest "$emu" "$series" module-test.sh --timeout "$timeout"
check "vb_check ran to its summary with 0 failed" \
	grep -Eq '^vb_check: [1-9][0-9]* passed, 0 failed' <(tr -d '\r' <"$out/console.log")
check_kernel_log "$out/dmesg.log"

# samples.csv from the Bochs runs: header, row count, every check ok.  The
# columns are found by name: the header's own test is its first line.
want_header='point,instruction,target,field,type,mode,cpu,offset,cache,memtype,page,tlb,ad,vmcs,serialize,unroll,pass,sample,tsc,exit_ticks,entry_ticks,check,flag_nmi,flag_smi'
check_run_dir() { # check_run_dir DIR VMCS
	local dir=$1 vmcs=$2 csv=$1/samples.csv meta=$1/meta.csv
	check "run-$vmcs: samples.csv and meta.csv came back" test -s "$csv" -a -s "$meta" || return 0
	check "run-$vmcs: samples.csv header" test "$(head -n1 "$csv" | tr -d '\r')" = "$want_header"
	local summary
	# RFC 4180: lines end in CRLF.
	summary=$(awk -F, -v vmcs="$vmcs" '
	function idx(name,   i) { for (i = 1; i <= NF; i++) if ($i == name) return i; return 0 }
	{ sub(/\r$/, "") }
	NR == 1 { ci = idx("check"); ii = idx("instruction"); vi = idx("vmcs"); ui = idx("unroll"); ti = idx("tsc"); next }
	{
		n++; if ($ci != "ok") bad++
		if ($ii == "vmptrst") v++; else if ($ii == "none") b++; else other++
		if ($vi != vmcs || $ui != 4 || $ti !~ /^[0-9]+$/) odd++
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

# The counters run: CPU-CLOCK (software) counted in every row, the hardware
# event left empty (never 0), meta.csv saying why.
check_events_dir() { # check_events_dir DIR
	local dir=$1 csv=$1/samples.csv verdict
	check "events: samples.csv came back" test -s "$csv" || return 0
	verdict=$(awk -F, '
	function idx(name,   i) { for (i = 1; i <= NF; i++) if ($i == name) return i; return 0 }
	{ sub(/\r$/, "") }
	NR == 1 { c = idx("CPU-CLOCK"); h = idx("INST_RETIRED.ANY_P"); next }
	{ n++; if ($c ~ /^[0-9]+$/) counted++; if ($h != "") hw++ }
	END { printf "%d %d %d %d %d", c, h, n, counted, hw }' "$csv")
	read -r c h n counted hw <<<"$verdict"
	check "events: a column per event (CPU-CLOCK at $c, INST_RETIRED.ANY_P at $h)" test "$c" -gt 0 -a "$h" -gt 0
	check "events: CPU-CLOCK counted in every row ($counted of $n)" test "$n" -gt 0 -a "$counted" -eq "$n"
	check "events: INST_RETIRED.ANY_P empty in every row, not 0 ($hw filled)" test "$hw" -eq 0
	check "events: meta.csv says the PMU is unavailable and why" \
		grep -q '^pmu,.*unavailable' <(tr -d '\r' <"$dir/meta.csv")
}

# The ring-3 probe: which branch of the reference's Operation section.
check_probe() { # check_probe DIR WANT
	local m
	m=$(tr -d '\r' <"$1/meta.csv" 2>/dev/null)
	check "probe: VMPTRST at ring 3 classified as $2 ($(grep '^probe_result,' <<<"$m"))" \
		grep -qx "probe_result,$2" <<<"$m"
	check "probe: samples.csv holds vmptrst-fault and ud2 rows" \
		test "$(grep -c ',vmptrst-fault,' "$1/samples.csv" 2>/dev/null)" -gt 0 -a \
		"$(grep -c ',ud2,' "$1/samples.csv" 2>/dev/null)" -gt 0
}

# Noise bookkeeping of a run: the flag columns and windows.csv.
check_noise() { # check_noise DIR
	local m
	m=$(tr -d '\r' <"$1/meta.csv" 2>/dev/null)
	check "noise: samples.csv has flag_nmi and flag_smi" \
		grep -q 'check,flag_nmi,flag_smi' <(head -n1 "$1/samples.csv")
	check "noise: windows.csv describes the windows" \
		test "$(tr -d '\r' <"$1/windows.csv" 2>/dev/null | wc -l)" -gt 1
	check "noise: meta.csv counts the windows described" \
		grep -Eq '^windows_described,[1-9]' <<<"$m"
}

# A sweep stopped by SIGINT: the point in progress interrupted with its rows
# kept (all ok), the later points not-run, meta.csv saying so.
check_interrupted() { # check_interrupted DIR
	local dir=$1 st
	check "interrupted: points.csv and meta.csv came back (the guest checked the rows)" \
		test -s "$dir/points.csv" -a -s "$dir/meta.csv" || return 0
	st=$(tr -d '\r' <"$dir/points.csv" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") s = i; next }
		{ c[$s]++ } END { printf "%d %d %d", c["interrupted"], c["not-run"], c["measured"] + c["skipped"] }')
	read -r intr notrun done <<<"$st"
	# SIGINT lands inside a point's RUN (interrupted, rows kept) or between
	# points (it finishes writing the one it has): either way the rest wait.
	check "interrupted: at most the point in progress interrupted, the rest not-run ($intr interrupted, $notrun not-run, $done done)" \
		test "$intr" -le 1 -a "$notrun" -ge 1
	check "interrupted: meta.csv says interrupted,yes" \
		grep -qx 'interrupted,yes' <(tr -d '\r' <"$dir/meta.csv")
}

# The quick.ini sweep: every value of every axis either measured (and then
# present in samples.csv, every stored pointer ok, on the page size asked
# for) or skipped with a reason; no point left unrun.
check_sweep() { # check_sweep DIR
	local dir=$1 pts=$1/points.csv csv=$1/samples.csv verdict
	check "quick: points.csv and samples.csv came back" test -s "$pts" -a -s "$csv" || return 0
	verdict=$(awk -F, '
	function idx(name,   i) { for (i = 1; i <= NF; i++) if ($i == name) return i; return 0 }
	{ sub(/\r$/, "") }
	FNR == 1 {
		if (FILENAME ~ /points/) {
			st = idx("status"); rs = idx("reason"); pg = idx("page"); pk = idx("page_kib")
			mt = idx("memtype"); md = idx("mode"); ins = idx("instruction")
			er = idx("exit_reason"); eq = idx("exit_qualification")
			ei = idx("exit_insn_info"); el = idx("exit_insn_len")
			for (k = 1; k <= idx("serialize"); k++) axis[k] = $k
			naxis = idx("serialize")
		} else { chk = idx("check"); spg = idx("page") }
		next
	}
	FILENAME ~ /points/ {
		npts++
		if ($st == "measured") {
			measured++
			kib = $pg == "4k" ? 4 : $pg == "2m" ? 2048 : $pg == "1g" ? 1048576 : -1
			if ($pk != kib) wrongpage = wrongpage " point " $1
			for (k = 2; k <= naxis; k++) want[axis[k] "=" $k] = 1
			# mode=guest: the last VM exit, as the reference and the encoding say
			got_exit = $er " " $eq " " $ei " " $el
			if ($md == "guest") guest++
			# (the others: reason, qualification, length; their
			# instruction information is undefined)
			if ($md == "guest" && $ins ~ /^(vmptrst|cpuid|vmcall|rdmsr|io|xsetbv|invd|cr3-load)$/) {
				if (!(($ins == "vmptrst" && got_exit == "0x16 0x1238 0x1c18100 0x7") ||
				      ($ins == "cpuid" && $er == "0xa" && $el == "0x2") ||
				      ($ins == "vmcall" && $er == "0x12" && $el == "0x3") ||
				      ($ins == "rdmsr" && $er " " $eq " " $el == "0x1f 0x0 0x2") ||
				      ($ins == "io" && $er " " $eq " " $el == "0x1e 0x800040 0x2") ||
				      ($ins == "xsetbv" && $er " " $eq " " $el == "0x37 0x0 0x3") ||
				      ($ins == "invd" && $er " " $eq " " $el == "0xd 0x0 0x2") ||
				      ($ins == "cr3-load" && $er " " $eq " " $el == "0x1c 0x103 0x3")))
					badexit = badexit " point " $1 ":" got_exit
			} else if (got_exit != "   ") badexit = badexit " point " $1 ":" got_exit
		} else if ($st == "skipped") {
			skipped++
			if ($rs == "") noreason = noreason " point " $1
			skips = skips " " $mt "/" $pg
		} else other = other " point " $1 ":" $st
		for (k = 2; k <= naxis; k++) domain[axis[k] "=" $k] = 1
		next
	}
	{
		rows++
		if ($chk != "ok") bad++
		for (k = 2; k <= naxis; k++) seen[axis[k] "=" $k] = 1
	}
	END {
		for (v in want) if (!(v in seen)) missing = missing " " v
		n = split("instruction=vmptrst instruction=mov instruction=none instruction=add instruction=imul instruction=chase instruction=cpuid instruction=vmcall instruction=rdmsr instruction=io instruction=xsetbv instruction=invd instruction=cr3-load mode=root mode=guest cache=hot cache=flushed cache=flushopt memtype=wb memtype=wc memtype=uc- memtype=wt page=4k page=2m page=1g tlb=warm tlb=cold ad=set ad=clear vmcs=loaded vmcs=none serialize=lfence serialize=cpuid serialize=mfence", all, " ")
		for (k = 1; k <= n; k++) if (!(all[k] in domain)) uncovered = uncovered " " all[k]
		printf "points=%d measured=%d skipped=%d rows=%d bad=%d guest=%d\n", npts, measured, skipped, rows, bad, guest
		printf "notrun=%s\nnoreason=%s\nwrongpage=%s\nmissing=%s\nskips=%s\nuncovered=%s\nbadexit=%s\n", other, noreason, wrongpage, missing, skips, uncovered, badexit
	}' "$pts" "$csv")
	echo "$verdict" | sed 's/^/  quick: /'
	local counts notrun noreason wrongpage missing
	counts=$(sed -n 1p <<<"$verdict")
	notrun=$(sed -n 's/^notrun=//p' <<<"$verdict")
	noreason=$(sed -n 's/^noreason=//p' <<<"$verdict")
	wrongpage=$(sed -n 's/^wrongpage=//p' <<<"$verdict")
	missing=$(sed -n 's/^missing=//p' <<<"$verdict")
	check "quick: every point measured or skipped ($counts)" test -z "$notrun"
	check "quick: most points measured" test "$(sed 's/.*measured=\([0-9]*\).*/\1/' <<<"$counts")" -ge 30
	check "quick: every skipped point says why" test -z "$noreason"
	check "quick: measured points ran on the page size asked for" test -z "$wrongpage"
	check "quick: every stored pointer checks out in every row" \
		test "$(sed 's/.*bad=\([0-9]*\).*/\1/' <<<"$counts")" -eq 0
	check "quick: every axis value of a measured point appears in samples.csv" test -z "$missing"
	check "quick: quick.ini asks for every value of every axis" \
		test -z "$(sed -n 's/^uncovered=//p' <<<"$verdict")"
	check "quick: mode=guest points measured ($(sed 's/.*guest=\([0-9]*\).*/\1/' <<<"$counts") of them)" \
		test "$(sed 's/.*guest=\([0-9]*\).*/\1/' <<<"$counts")" -ge 16
	check "quick: each measured guest point's last exit in points.csv is the reference's (vmptrst 0x16 0x1238 0x1c18100 0x7, cpuid 0xa len 0x2, vmcall 0x12 len 0x3, rdmsr 0x1f 0x0 len 0x2, io 0x1e 0x800040 len 0x2, xsetbv 0x37 0x0 len 0x3, invd 0xd 0x0 len 0x2, cr3-load 0x1c 0x103 len 0x3); none on root points" \
		test -z "$(sed -n 's/^badexit=//p' <<<"$verdict")"
}
# The exit/entry split of the quick run's rows (ABI 11, samples.csv's
# exit_ticks and entry_ticks), row by row: a mode=guest row of an
# instruction that exits has both halves, exit > 0, entry > 0 and exit +
# entry <= its tsc + one TSC step (the step: the GCD of the baselines'
# windows, as vmptrst-analyze's az_tsc_step), or neither (its readings
# out of order: as many such rows as meta.csv's split_bad); every other
# row has neither.  Some rows must be split: the guest points ran.
check_split() { # check_split DIR
	local dir=$1 csv=$1/samples.csv verdict want
	check "split: samples.csv and meta.csv came back" test -s "$csv" -a -s "$dir/meta.csv" || return 0
	want=$(tr -d '\r' <"$dir/meta.csv" | sed -n 's/^split_bad,//p')
	verdict=$(awk -F, '
	function idx(name,   i) { for (i = 1; i <= NF; i++) if ($i == name) return i; return 0 }
	function gcd(a, b,   t) { while (b) { t = a % b; a = b; b = t } return a }
	{ sub(/\r$/, "") }
	FNR == 1 {
		ins = idx("instruction"); md = idx("mode"); ts = idx("tsc"); ck = idx("check")
		ex = idx("exit_ticks"); en = idx("entry_ticks")
		nm = idx("flag_nmi"); sm = idx("flag_smi")
		next
	}
	FNR == NR {	# first pass: the TSC step over the kept baseline rows
		if ($ins == "none" && $ck == "ok" && $nm != 1 && $sm != 1 && $ts > 0) step = gcd(step, $ts)
		next
	}
	{
		exits = $md == "guest" && $ins ~ /^(vmptrst|cpuid|vmcall|rdmsr|io|xsetbv|invd|cr3-load)$/
		if (!ex || !en) { bad = bad " no-columns"; exit }
		if (!exits) {
			if ($ex != "" || $en != "") bad = bad " line " FNR ":" $ins "/" $md ":" $ex "+" $en
			next
		}
		if ($ex == "" && $en == "") { nosplit++; next }
		if ($ex == "" || $en == "" || !($ex > 0) || !($en > 0) || $ex + $en > $ts + step)
			bad = bad " line " FNR ":" $ins ":" $ex "+" $en ">" $ts "+" step
		else
			nsplit++
	}
	END { printf "split=%d nosplit=%d step=%d\nbad=%s\n", nsplit, nosplit, step, substr(bad, 1, 600) }' "$csv" "$csv")
	echo "$verdict" | sed 's/^/  split: /'
	local counts
	counts=$(sed -n 1p <<<"$verdict")
	check "split: every row's exit_ticks and entry_ticks: a guest exit row exit > 0, entry > 0, exit + entry <= tsc + step, or both empty; every other row both empty ($counts)" \
		test -z "$(sed -n 's/^bad=//p' <<<"$verdict")"
	check "split: the guest exit rows are split ($counts)" \
		test "$(sed 's/^split=\([0-9]*\).*/\1/' <<<"$counts")" -gt 0
	check "split: the rows without a split are meta.csv's split_bad (${want:-missing})" \
		test "$(sed 's/.*nosplit=\([0-9]*\).*/\1/' <<<"$counts")" = "${want:-missing}"
}

# The report of the quick.ini run, the run an emulated `make run` makes, as
# a user opens it: tests/analysis/check_report.py in headless Chromium (no
# console error, the headline's net column inside 1400x900, the emulated
# label on the first screen), its screenshot kept next to the run.
check_report() { # check_report RUN_DIR
	local log=$work/report-check.log png=$work/report-1400x900.png
	if ! command -v chromium >/dev/null; then
		echo "skip - $name: quick: report in Chromium: chromium not installed (scripts/deps.sh test installs it)"
		return 0
	fi
	if ! make -s -C "$REPO_ROOT/analysis" >/dev/null; then
		notok "quick: vmptrst-analyze builds, for the report"
		return 0
	fi
	if /usr/bin/python3 "$REPO_ROOT/tests/analysis/check_report.py" "$1" "$png" >"$log" 2>&1; then
		ok "quick: its report in Chromium: $(grep -c '^PASS' "$log") checks passed (screenshot $png)"
	else
		sed 's/^/  report: /' "$log"
		notok "quick: its report in Chromium (above)"
	fi
}

# conformance.csv, as the driver wrote it there, against what this
# emulator can show (tests/emu/check-conformance.py prints each row's check).
check_conformance() { # check_conformance CSV WHAT ARG...
	local csv=$1 what=$2 res
	shift 2
	res=$(python3 "$here/check-conformance.py" "$csv" --name "$what" "$@")
	local rc=$?
	sed 's/^/  /' <<<"$res"
	check "$what: every branch as this emulator must show it ($(grep -c '^ok' <<<"$res") checks passed)" test $rc -eq 0
}

check_probe "$out/guest/probe-ud" ud
check_conformance "$out/guest/conform/conformance.csv" "conform (tests' build)" --vmx "$([[ $emu == bochs ]] && echo yes || echo no)"
if [[ $emu == bochs ]]; then
	check_conformance "$out/guest/run-quick/conformance.csv" "quick: conformance.csv" --vmx yes
	check_conformance "$out/guest/conform-hold/conformance.csv" "conform with HOLD (debug_hold=1): CPL 3 in VMX operation" --vmx yes --hold
	for vmcs in loaded none; do
		check_run_dir "$out/guest/run-$vmcs" "$vmcs"
	done
	check_sweep "$out/guest/run-quick"
	check_split "$out/guest/run-quick"
	check_events_dir "$out/guest/run-events"
	check_noise "$out/guest/run-quick"
	check_report "$out/guest/run-quick"
	check_interrupted "$out/guest/run-interrupted"
	check_probe "$out/guest/probe-gp" gp
fi
finish
