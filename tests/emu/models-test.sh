#!/usr/bin/env bash
# models-test.sh 6.1|6.12 [MODEL...]: the module users load (no TEST_HOOKS)
# on several of Bochs's CPU models, one boot each, one after another
# (`make test-models`; area models-bochs-6.12 of tests/run.sh).
#
# The models differ in what their VMX offers (IA32_VMX_* MSRs): by default
# core2_penryn_t9600 (VMX without VPID or EPT), corei5_lynnfield_750 (VPID
# and EPT, no unrestricted guest), corei7_haswell_4770 (EPT A/D bits, VMCS
# shadowing, VMFUNC) and tigerlake (newer than Skylake-X: PML, SPP, TSC
# scaling); MODEL... or EMU_MODELS="a b" asks for others (bochs --help cpu).
# Builds the payload (payload.sh, plus the kernel's msr module and
# guest/vb_rdmsr.c), then per model boots Bochs with guest/models-test.sh:
# vmptrst-bench info and doctor, the VMX capability MSRs read through the
# msr module (not the module's INFO), conform when the driver has that
# command (a SKIP line otherwise), vb_family_run, and quick.ini.  Checks
# per model: the module loads; info shows VMX and its VMX_BASIC is the
# MSR's; doctor's CPU, module, firmware and owner checks pass and its "vmx
# guest" verdict agrees with the MSRs; the family's variants run clean and
# the INVVPID/INVEPT types skipped are exactly those the MSRs lack;
# quick.ini exits 0, 0 bad records, every skipped
# point with a reason; without VPID every mode=guest point skipped with the
# VPID reason and mode=root points measured, with VPID the guest points
# measured; xsetbv's as the kernel's XSAVE says ("xsave" in /proc/cpuinfo):
# on, measured with the last exit reason 55, qualification 0, length 3; off,
# skipped with the CR4.OSXSAVE reason; on the default models the XSETBV exit
# executed on one at least (corei7_haswell_4770; EMU_APPEND="clearcpuid=
# xsaves,xsavec,pku" keeps XSAVE on for tigerlake too: tests/README.md);
# no WARN/BUG/Oops in the kernel log.  Writes
# $EMU_BUILD/models/summary.md (the table, then each model's info, doctor,
# MSRs, skip reasons); each model's files in $EMU_BUILD/models/SERIES/MODEL/.
# Prints "ok - ..." / "not ok - ..." lines, the total wall time and
# "models-bochs-<series>: N passed, N failed".  Emulated: timings mean
# nothing.  MODELS_REUSE=1 boots nothing: it checks again what the last
# boots left in $EMU_BUILD/models/SERIES/MODEL/ (to work on the checks, or
# to prove one fails on a doctored copy).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness/common.sh
source "$here/harness/common.sh"

usage="usage: models-test.sh 6.1|6.12 [MODEL...] (names: bochs --help cpu)"
[[ $# -ge 1 ]] || die 2 "$usage"
series=$1
shift
[[ $series == 6.1 || $series == 6.12 ]] || die 2 "$usage"
default_models="core2_penryn_t9600 corei5_lynnfield_750 corei7_haswell_4770 tigerlake"
if [[ $# -gt 0 ]]; then
	models=("$@")
else
	read -r -a models <<<"${EMU_MODELS:-$default_models}"
fi
[[ ${#models[@]} -gt 0 ]] || die 2 "$usage"
base=models-bochs-$series
name=$base
work=$EMU_BUILD/models
payload=$work/payload-$series
# A model's boot with quick.ini took 75 to 142 s here (2 shared cores).
timeout=1200
t0=$SECONDS
# shellcheck source=lib.sh
source "$here/lib.sh"

# ---------------------------------------------------------------- payload
# payload.sh's, plus the kernel's msr module (uncompressed: busybox insmod
# reads no .xz) and the MSR reader.
add_msr_tools() {
	local vmlinuz kmods src
	vmlinuz=$("$HARNESS_DIR/kernels.sh" "$series" image) || return 1
	kmods=$(dirname "$(dirname "$vmlinuz")")/lib/modules
	src=$(find "$kmods" -name msr.ko -o -name msr.ko.xz | head -n 1)
	[[ -n $src ]] || { log "no msr module in $kmods"; return 1; }
	case $src in
	*.xz) xz -dc "$src" >"$payload/msr.ko" ;;
	*) cp "$src" "$payload/msr.ko" ;;
	esac
	${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 -static \
		-o "$payload/vb_rdmsr" "$here/guest/vb_rdmsr.c"
}
mkdir -p "$work"
reuse=${MODELS_REUSE:-0}
if [[ $reuse == 1 ]]; then
	echo "# MODELS_REUSE=1: no payload, no boot; the last boots' files checked again"
else
	rm -rf "$payload"
	if ! "$here/payload.sh" "$series" "$payload" || ! add_msr_tools; then
		notok "payload built (module warning-free with W=1 against $series, msr module, vb_rdmsr)"
		finish
	fi
	ok "payload built (module warning-free with W=1 against $series, msr module, vb_rdmsr)"
fi
kver=$("$HARNESS_DIR/kernels.sh" "$series" version)
t_payload=$((SECONDS - t0))

# ---------------------------------------------------------------- decoding
bit() { echo $((($1 >> $2) & 1)); } # bit VALUE N
yn() { if [[ $1 == 1 ]]; then echo yes; else echo no; fi; }
join() { local IFS=, s; s="$*"; echo "${s//,/, }"; } # join WORD...: "a, b, c"
# The value of MSR $1 in $msr_file, or nothing (unreadable, not read).
msr() { awk -v m="$1" '$1 == m && $2 ~ /^0x/ { print $2 }' "$msr_file" 2>/dev/null || true; }
# The exit status the guest recorded for step $1, or nothing.
step_rc() { awk -v s="$1" '$1 == s { print $2 }' "$g/status" 2>/dev/null || true; }
# The line of doctor check $1: its verdict (PASS, WARN, FAIL).
doctor_verdict() {
	awk -v c="$1" '$1 ~ /^(PASS|WARN|FAIL)$/ {
		v = $1; sub(/^[A-Z]+ +/, ""); if (index($0, c ": ") == 1) { print v; exit }
	}' "$g/doctor.txt" 2>/dev/null || true
}
# A skip reason in a few words, for the table.
short_reason() {
	sed -e 's/^mode=guest needs VPID and INVVPID.*/mode=guest: no VPID\/INVVPID/' \
		-e 's/^the CPU has no RDTSCP.*/serialize=cpuid: no RDTSCP/' \
		-e 's/^the CPU has no CLFLUSHOPT.*/cache=flushopt: no CLFLUSHOPT/' \
		-e 's/^page size \([^ ]*\) not available (the buffer got \([^ ]*\) pages)/page=\1: got \2/' \
		-e 's/^memory type \([^ ]*\) not available.*/memtype=\1: not available/' \
		-e 's/^xsetbv in mode=guest needs CR4.OSXSAVE.*/xsetbv: no CR4.OSXSAVE/' \
		-e "s/^\(inv[a-z]* type=[a-z-]*\): this CPU's VMX does not offer it.*/\1: not offered/"
}

# What the kernel did with XSAVE, from its boot log, in a few words: on
# (its features, size, format), off (the check that failed), or no XSAVE.
# Bochs 2.7 reports CPUID.(EAX=0DH,ECX=1):EBX, the size of the compacted
# area, as the standard format's: on the models with XSAVES or XSAVEC
# (corei7_skylake_x and later), where the kernel uses the compacted format,
# AVX-512's state makes the sizes differ ("XSAVE consistency problem: size
# 2432 != kernel_size 2688") and the kernel turns XSAVE off, CR4.OSXSAVE
# clear (tigerlake's PKRU leaf, 0DH ECX=9, is all zero besides).  Models
# without them (core2_penryn_t9600, corei7_haswell_4770) keep XSAVE on.
xsave_state() { # xsave_state DMESG_LOG
	tr -d '\r' 2>/dev/null <"$1" | grep -a -m1 -o -e 'x86/fpu: Enabled xstate features.*' \
		-e 'XSAVE consistency problem.*' -e 'x86/fpu: x87 FPU will use.*' |
		sed -e "s/^x86\/fpu: Enabled xstate features \(0x[0-9a-f]*\), context size is \([0-9]*\) bytes, using '\([a-z]*\)' format\./on (xstate \1, \2 bytes, \3 format)/" \
			-e 's/^XSAVE consistency problem: \(.*\)/off ("XSAVE consistency problem: \1")/' \
			-e 's/^x86\/fpu: x87 FPU will use \(.*\)/no XSAVE in CPUID (x87 FPU will use \1)/'
}

# The VMX capabilities of the MSRs read in the guest: sets vpid, ept,
# invvpid_types, guest_ok (VPID and INVVPID of a single context or all,
# the module's rule for mode=guest), truectl, ept_desc, msr_ok.
decode_msrs() {
	local basic proc ctls2 cap t=()
	basic=$(msr 0x480) proc=$(msr 0x482) ctls2=$(msr 0x48b) cap=$(msr 0x48c)
	msr_ok=0 vpid=0 ept=0 invvpid=0 guest_ok=0 truectl='?' invvpid_types='?' ept_desc='?'
	[[ -n $basic && -n $proc ]] || return 0
	msr_ok=1
	truectl=$(yn "$(bit "$basic" 55)")
	# Secondary controls only when the primary ones allow them (bit 63);
	# IA32_VMX_EPT_VPID_CAP only with EPT or VPID allowed.
	if [[ $(bit "$proc" 63) == 1 && -n $ctls2 ]]; then
		vpid=$(bit "$ctls2" 37) ept=$(bit "$ctls2" 33)
	fi
	if [[ ($vpid == 1 || $ept == 1) && -n $cap ]]; then
		invvpid=$(bit "$cap" 32)
		[[ $(bit "$cap" 40) == 1 ]] && t+=(individual-address)
		[[ $(bit "$cap" 41) == 1 ]] && t+=(single-context)
		[[ $(bit "$cap" 42) == 1 ]] && t+=(all-context)
		[[ $(bit "$cap" 43) == 1 ]] && t+=(single-context-retaining-globals)
		if [[ $vpid == 1 && $invvpid == 1 ]] &&
			[[ $(bit "$cap" 41) == 1 || $(bit "$cap" 42) == 1 ]]; then
			guest_ok=1
		fi
	fi
	if [[ $invvpid == 1 ]]; then
		invvpid_types=$(join "${t[@]:-none}")
	else
		invvpid_types="none (no INVVPID)"
	fi
	if [[ $ept == 1 ]]; then
		local e=() inv=()
		[[ $(bit "$cap" 6) == 1 ]] && e+=(4-level)
		[[ $(bit "$cap" 7) == 1 ]] && e+=(5-level)
		[[ $(bit "$cap" 8) == 1 ]] && e+=(UC)
		[[ $(bit "$cap" 14) == 1 ]] && e+=(WB)
		[[ $(bit "$cap" 16) == 1 ]] && e+=(2M)
		[[ $(bit "$cap" 17) == 1 ]] && e+=(1G)
		[[ $(bit "$cap" 21) == 1 ]] && e+=(A/D)
		[[ $(bit "$cap" 25) == 1 ]] && inv+=(single)
		[[ $(bit "$cap" 26) == 1 ]] && inv+=(all)
		ept_desc="yes ($(join "${e[@]:-}"); INVEPT: $(join "${inv[@]:-none}"))"
	else
		ept_desc=no
	fi
}

# quick.ini's points.csv: counts, then one "reason<TAB>N<TAB>text" line per
# skip reason.
points_summary() { # points_summary POINTS_CSV
	awk -F, '
	function idx(n,   i) { for (i = 1; i <= NF; i++) if ($i == n) return i; return 0 }
	{ sub(/\r$/, "") }
	NR == 1 {
		st = idx("status"); rs = idx("reason"); md = idx("mode"); ins = idx("instruction")
		er = idx("exit_reason"); eq = idx("exit_qualification"); el = idx("exit_insn_len")
		next
	}
	{
		n++; c[$st]++
		if ($md == "guest") {
			g++
			if ($st == "measured") gm++
			else if ($st == "skipped" && index($rs, "mode=guest needs VPID and INVVPID") == 1) gv++
			# xsetbv: CR4.OSXSAVE of the kernel decides (Bochs: the
			# kernel turns XSAVE off where its sizes are inconsistent)
			else if ($st == "skipped" && $ins == "xsetbv" && index($rs, "xsetbv in mode=guest needs CR4.OSXSAVE") == 1) gx++
			# its last exit where measured: reason 55, qualification 0, length 3
			if ($ins == "xsetbv") {
				xp++
				if ($st == "measured") {
					xm++
					x = $er " " $eq " " $el
					if (x == "0x37 0x0 0x3") xok++
					xexit[x]++
				}
			}
		} else {
			r++
			if ($st == "measured") rm++
			# (invvpid and invept skip by IA32_VMX_EPT_VPID_CAP: their own rule)
			if ($st == "skipped" && $rs ~ /VPID/ && $ins != "invvpid" && $ins != "invept") rv++
		}
		if ($st == "skipped") { if ($rs == "") nr++; else why[$rs]++ }
		if ($st != "measured" && $st != "skipped") other++
	}
	END {
		printf "points=%d measured=%d skipped=%d other=%d noreason=%d guest=%d guest_measured=%d guest_vpid_skipped=%d guest_osxsave_skipped=%d root=%d root_measured=%d root_vpid_skipped=%d xsetbv=%d xsetbv_measured=%d xsetbv_exit_ok=%d\n",
			n, c["measured"], c["skipped"], other, nr, g, gm, gv, gx, r, rm, rv, xp, xm, xok
		for (w in why) printf "reason\t%d\t%s\n", why[w], w
		for (x in xexit) printf "xexit\t%d\t%s\n", xexit[x], x
	}' "$1"
}
field() { sed -n "1s/.*\\b$1=\([0-9]*\).*/\1/p" <<<"$2"; } # field NAME SUMMARY: its number

# conformance.csv: its verdicts counted ("as-documented 12, differs 1, ...").
conform_counts() { # conform_counts CSV
	python3 -c 'import csv, sys, collections
c = collections.Counter(r["verdict"] for r in csv.DictReader(open(sys.argv[1], newline="")))
print(", ".join(f"{k} {v}" for k, v in sorted(c.items())))' "$1"
}

# ---------------------------------------------------------------- models
details=$work/details-$series.md
: >"$details"
rows=() caps=() flag_rows=() xsetbv_models=()
boots=0
for model in "${models[@]}"; do
	name="$base: $model"
	mdir=$work/$series/$model
	g=$mdir/guest msr_file=$mdir/guest/msr.txt
	if [[ $reuse == 1 ]]; then
		rc=$(cat "$mdir/boot.rc" 2>/dev/null || echo 125) wall=$(cat "$mdir/boot.wall" 2>/dev/null || echo 0)
	else
		rm -rf "$mdir"
		mkdir -p "$mdir"
		echo "# $model: booting Bochs (kernel $kver), guest/models-test.sh"
		start=$SECONDS
		rc=0
		"$here/harness/boot.sh" --emulator bochs --kernel "$series" --cpu-model "$model" \
			--timeout "$timeout" --payload "$payload" --script "$here/guest/models-test.sh" \
			--out "$mdir" || rc=$?
		wall=$((SECONDS - start))
		echo "$rc" >"$mdir/boot.rc"
		echo "$wall" >"$mdir/boot.wall"
	fi
	boots=$((boots + wall))
	grep -aE '^(not )?ok - |^# |^SKIP ' "$mdir/console.log" 2>/dev/null | sed 's/^/  guest: /' || true
	if [[ $rc -eq 2 ]]; then
		notok "boot.sh accepted the model (exit 2: the reason is above)"
		rows+=("| $model | $kver | - | - | - | - | - | not booted (boot.sh exit 2) | - | - | ${wall} s |")
		continue
	fi
	if [[ $rc -eq 125 || ! -s $mdir/console.log ]]; then
		notok "Bochs booted and ran the guest script (boot.sh exit $rc after ${wall} s; see $mdir/console.log)"
		rows+=("| $model | $kver | - | - | - | - | - | boot failed (exit $rc) | - | - | ${wall} s |")
		continue
	fi
	ok "Bochs booted the $series kernel and ran the guest script (${wall} s wall)"

	check "offers vmx in /proc/cpuinfo ($(grep -m1 '^model name' "$g/cpuinfo.txt" 2>/dev/null | sed 's/.*: //'))" \
		grep -qE '^flags.*\bvmx\b' "$g/cpuinfo.txt"
	load=$(sed 's/^\[[^]]*\] //' "$g/load-line.txt" 2>/dev/null || true)
	check "the release module loads (insmod exit $(step_rc insmod); ${load:-no load line})" \
		test "$(step_rc insmod)" = 0 -a -n "$load"
	if [[ $(step_rc insmod) != 0 ]]; then
		check_kernel_log "$mdir/dmesg.log"
		rows+=("| $model | $kver | - | - | - | - | - | module did not load | - | - | ${wall} s |")
		continue
	fi
	case $load in *"test build"*) notok "the module loaded is the release build, not the tests' ($load)" ;; esac

	# info: VMX, and the VMX_BASIC it reports against the MSR's.
	info_vmx=$(awk '$1 == "vmx" && NF == 2 { print $2 }' "$g/info.txt" 2>/dev/null || true)
	info_basic=$(awk '$1 == "vmx" && $2 == "basic" { print $3 }' "$g/info.txt" 2>/dev/null || true)
	check "info shows VMX (vmx ${info_vmx:-?}, vmx basic ${info_basic:-?}; exit $(step_rc info))" \
		test "$info_vmx" = yes -a "$(step_rc info)" = 0
	decode_msrs
	check "the VMX capability MSRs read through the msr module (vb_rdmsr exit $(step_rc msr))" test "$msr_ok" = 1
	check "info's vmx basic is IA32_VMX_BASIC as the msr module reads it (info ${info_basic:-?}, MSR $(msr 0x480))" \
		test -n "$info_basic" -a "$info_basic" = "$(msr 0x480)"
	caps+=("$(awk '$1 ~ /^0x48/ || $1 == "0x490" || $1 == "0x491" { printf "%s=%s ", $1, $2 }' "$msr_file" 2>/dev/null || true)")

	# doctor: what a user sees first.  Its exit is shown, not checked: the
	# machine's own WARNs and FAILs (no PMU, no headers...) are Bochs's.
	d_bad=
	for c in cpu module "vt-x firmware" "vmx owner"; do
		[[ $(doctor_verdict "$c") == PASS ]] || d_bad="$d_bad $c=$(doctor_verdict "$c")"
	done
	check "doctor: cpu, module, vt-x firmware and vmx owner PASS (doctor exit $(step_rc doctor): $(tail -n 1 "$g/doctor.txt" 2>/dev/null | sed 's/^doctor: //'))${d_bad:+ — not:$d_bad}" \
		test -z "$d_bad"
	dg=$(doctor_verdict "vmx guest")
	want=WARN
	[[ $guest_ok == 1 ]] && want=PASS
	check "doctor's vmx guest says $want as the MSRs do (VPID $(yn "$vpid"), INVVPID types: $invvpid_types): got ${dg:-nothing}" \
		test "$dg" = "$want"

	# conform: every branch as this model must show it (the release
	# module: CPL 3 in VMX operation not reachable; VPID decides vmx-non-root)
	conform_cell="no conformance.csv (exit $(step_rc conform))"
	if [[ -s $g/conform/conformance.csv ]]; then
		conform_cell="$(conform_counts "$g/conform/conformance.csv")"
		res=$(python3 "$here/check-conformance.py" "$g/conform/conformance.csv" \
			--name "$model: conformance.csv" --vmx yes --vpid "$(yn "$guest_ok")")
		rc=$?
		sed 's/^/  /' <<<"$res"
		check "$model: conform: every branch as this model must show it ($conform_cell)" \
			test "$rc" -eq 0 -a "$(step_rc conform)" = 0
	else
		notok "$model: conform wrote no conformance.csv (exit $(step_rc conform)); its output:"
		sed 's/^/  conform: /' "$g/conform.log" 2>/dev/null || true
	fi

	# the family: every variant ran clean, and the INVVPID/INVEPT types it
	# skipped are exactly those IA32_VMX_EPT_VPID_CAP (read apart) lacks.
	fam_lack=() cap=$(msr 0x48c)
	for tv in "address 40" "single 41" "all 42" "single-global 43"; do
		set -- $tv
		[[ $vpid == 1 && $invvpid == 1 && $(bit "$cap" "$2") == 1 ]] || fam_lack+=("invvpid type=$1")
	done
	for tv in "single 25" "global 26"; do
		set -- $tv
		[[ $ept == 1 && $(bit "$cap" 20) == 1 && $(bit "$cap" 6) == 1 &&
			( $(bit "$cap" 14) == 1 || $(bit "$cap" 8) == 1 ) &&
			$(bit "$cap" "$2") == 1 ]] || fam_lack+=("invept type=$1")
	done
	fam_want=$(printf '%s\n' "${fam_lack[@]}" | sed '/^$/d' | sort -u | paste -sd, -)
	fam_got=$(sed -n 's/^ok - \(.*\) unroll [0-9]*: skipped, the CPU lacks the type.*/\1/p' \
		"$g/family.log" 2>/dev/null | sort -u | paste -sd, -)
	check "the family's variants clean in the release module ($(tail -n 1 "$g/family.log" 2>/dev/null); exit $(step_rc family))" \
		test "$(step_rc family)" = 0
	check "the family skipped exactly the types the MSRs lack (skipped: ${fam_got:-none}; lacking: ${fam_want:-none})" \
		test "$fam_got" = "$fam_want"
	grep '^not ok' "$g/family.log" 2>/dev/null | sed 's/^/  family: /' || true

	# quick.ini
	pts=$g/run-quick/points.csv
	summary='' reasons='' xexits=''
	if [[ -s $pts ]]; then
		summary=$(points_summary "$pts")
		reasons=$(grep $'^reason\t' <<<"$summary" | sort -t$'\t' -k2,2nr || true)
		xexits=$(grep $'^xexit\t' <<<"$summary" | cut -f3 | paste -sd';' | sed 's/;/; /g' || true)
		summary=$(head -n 1 <<<"$summary")
	fi
	echo "  quick: ${summary:-no points.csv}"
	sample_counts=$(awk -F, '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) if ($i == "check") c = i; next }
		{ n++; if ($c != "ok") bad++ } END { printf "%d %d", n, bad }' "$g/run-quick/samples.csv" 2>/dev/null || echo "0 0")
	read -r records bad <<<"$sample_counts"
	mism=$(tr -d '\r' <"$g/run-quick/meta.csv" 2>/dev/null | sed -n 's/^mismatches,//p')
	check "quick.ini: vmptrst-bench run exits 0 (exit $(step_rc quick))" test "$(step_rc quick)" = 0
	check "quick.ini: 0 bad records ($bad of $records rows not ok; meta.csv mismatches ${mism:-?})" \
		test -n "$summary" -a "$records" -gt 0 -a "$bad" -eq 0 -a "${mism:-x}" = 0
	check "quick.ini: every point measured or skipped, every skipped one with its reason (measured $(field measured "$summary"), skipped $(field skipped "$summary"), other $(field other "$summary"), without reason $(field noreason "$summary"))" \
		test -n "$summary" -a "$(field other "$summary")" = 0 -a "$(field noreason "$summary")" = 0
	gp=$(field guest "$summary") gm=$(field guest_measured "$summary") gv=$(field guest_vpid_skipped "$summary")
	gx=$(field guest_osxsave_skipped "$summary")
	rp=$(field root "$summary") rm_=$(field root_measured "$summary") rv=$(field root_vpid_skipped "$summary")
	# XSAVE: the kernel keeps "xsave" in /proc/cpuinfo exactly when it runs
	# with CR4.OSXSAVE set (on every CPU; it clears both when it turns XSAVE
	# off), which decides whether XSETBV exits or raises #UD in the guest.
	xsave=0
	grep -qE '^flags.*\bxsave\b' "$g/cpuinfo.txt" 2>/dev/null && xsave=1
	xstate=$(xsave_state "$mdir/dmesg.log" || true)
	xstate=${xstate:-"$( ((xsave)) && echo on || echo off) (no x86/fpu line in the kernel log)"}
	xp=$(field xsetbv "$summary") xm=$(field xsetbv_measured "$summary") xok=$(field xsetbv_exit_ok "$summary")
	if [[ $guest_ok == 1 ]]; then
		check "quick.ini: VPID and INVVPID: every mode=guest point measured ($gm of $gp; xsetbv skipped without CR4.OSXSAVE: $gx)" \
			test -n "$summary" -a "${gp:-0}" -gt 0 -a "$((gm + gx))" = "$gp"
		if [[ $xsave == 1 ]]; then
			check "quick.ini: the kernel's XSAVE $xstate: every mode=guest xsetbv point measured ($xm of $xp), each one's last VM exit reason 55, qualification 0, length 3 ($xok of them; got: ${xexits:-none})" \
				test -n "$summary" -a "${xp:-0}" -gt 0 -a "$xm" = "$xp" -a "$xok" = "$xp"
			xsetbv_cell="measured ($xm of $xp), exit reason 55, qualification 0, length 3 ($xok of $xp)"
			xsetbv_models+=("$model")
		else
			check "quick.ini: the kernel's XSAVE $xstate: every mode=guest xsetbv point skipped with the CR4.OSXSAVE reason ($gx of $xp)" \
				test -n "$summary" -a "${xp:-0}" -gt 0 -a "$gx" = "$xp"
			xsetbv_cell="skipped: no CR4.OSXSAVE ($gx of $xp)"
		fi
	else
		check "quick.ini: no VPID: every mode=guest point skipped with the VPID reason ($gv of $gp)" \
			test -n "$summary" -a "${gp:-0}" -gt 0 -a "$gv" = "$gp"
		check "quick.ini: no VPID: mode=root points measured ($rm_ of $rp), none skipped for VPID ($rv)" \
			test -n "$summary" -a "${rm_:-0}" -ge 30 -a "$rv" = 0
		xsetbv_cell="skipped: no VPID"
	fi
	while IFS=$'\t' read -r _ count text; do
		[[ -n $text ]] && echo "  quick: skipped $count: $text"
	done <<<"$reasons"
	check_kernel_log "$mdir/dmesg.log"

	# The table's row and the model's details.
	skipped_cell="$(field measured "$summary") / $(field skipped "$summary")"
	short=$(while IFS=$'\t' read -r _ count text; do
		[[ -n $text ]] && echo "$count× $(short_reason <<<"$text")"
	done <<<"$reasons" | paste -sd';' | sed 's/;/; /g')
	[[ -n $short ]] && skipped_cell="$skipped_cell ($short)"
	vpid_cell="$(yn "$vpid") (doctor: ${dg:-?})"
	flag_rows+=("| $model | $(sed -n 's/^vmx flags[[:space:]]*: *//p' "$g/cpuinfo.txt" 2>/dev/null | head -n 1) |")
	rows+=("| $model | $kver | ${info_basic:-?} | $vpid_cell | $invvpid_types | $ept_desc | $truectl | $skipped_cell | $xstate; xsetbv $xsetbv_cell | $conform_cell | ${wall} s |")
	{
		echo "## $model"
		echo
		echo "Booted in ${wall} s wall (emulated: meaningless as a timing). $(grep -m1 '^model name' "$g/cpuinfo.txt" 2>/dev/null || true)"
		echo
		echo "/proc/cpuinfo $(grep -m1 '^vmx flags' "$g/cpuinfo.txt" 2>/dev/null || echo 'vmx flags: (none)')"
		echo
		echo "The kernel's XSAVE: $xstate; quick.ini's mode=guest xsetbv points: $xsetbv_cell."
		echo
		echo "VMX capability MSRs (read in the guest through /dev/cpu/0/msr, the kernel's msr module):"
		echo
		echo '```'
		cat "$msr_file" 2>/dev/null || echo "(not read)"
		echo '```'
		echo
		echo "\`vmptrst-bench info --cpu 0\` (exit $(step_rc info)):"
		echo
		echo '```'
		cat "$g/info.txt" 2>/dev/null || true
		echo '```'
		echo
		echo "\`vmptrst-bench doctor --cpu 0\` (exit $(step_rc doctor)):"
		echo
		echo '```'
		cat "$g/doctor.txt" 2>/dev/null || true
		echo '```'
		echo
		echo "quick.ini (exit $(step_rc quick)): $summary; samples.csv $records rows, $bad not ok."
		echo
		while IFS=$'\t' read -r _ count text; do
			[[ -n $text ]] && echo "- skipped $count: $text"
		done <<<"$reasons"
		echo
		echo "conform: $conform_cell"
		echo
	} >>"$details"
	echo "  files: $mdir (console.log, dmesg.log, guest/)"
done
name=$base

# Different models, different VMX: the capability MSRs of no two alike.
if [[ ${#caps[@]} -gt 1 ]]; then
	distinct=$(printf '%s\n' "${caps[@]}" | grep . | sort -u | wc -l)
	check "the ${#caps[@]} models read offer $distinct different sets of VMX capability MSRs (0x480-0x491)" \
		test "$distinct" -eq "${#caps[@]}"
fi

# XSETBV's VM exit (reason 55) happens only where the kernel keeps XSAVE
# on and the VMX has VPID: corei7_haswell_4770 among the default models.
if [[ "${models[*]}" == "$default_models" ]]; then
	check "the mode=guest xsetbv exit executed on at least one model (on: ${xsetbv_models[*]:-none})" \
		test "${#xsetbv_models[@]}" -gt 0
fi

total=$((SECONDS - t0))
summary_md=$work/summary.md
{
	echo "# Bochs CPU models: the module users load, kernel $kver"
	echo
	echo "**Emulated** (Bochs $(bochs --help 2>&1 </dev/null | sed -n 's/.*Bochs x86 Emulator \([0-9.]*\).*/\1/p' | head -n 1)): VMX and the CPU models are Bochs's; every timing is meaningless."
	echo "Written by \`tests/emu/models-test.sh $series\` ($(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'))."
	echo "VPID, INVVPID types, EPT and true controls are decoded from the MSRs read in the guest"
	echo "(IA32_VMX_BASIC bit 55, PROCBASED_CTLS2 bits 33/37, EPT_VPID_CAP); VPID's \"doctor\" is"
	echo "\`vmptrst-bench doctor\`'s \`vmx guest\` verdict, from the module's INFO."
	echo
	echo "| model | kernel | VMX_BASIC (info) | VPID | INVVPID types | EPT | true controls | quick.ini points measured / skipped (reasons) | kernel's XSAVE; mode=guest xsetbv | conformance | wall time |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "What else each model's VMX offers, as the guest kernel names it:"
	echo
	echo "| model | vmx flags (/proc/cpuinfo) |"
	echo "|---|---|"
	printf '%s\n' "${flag_rows[@]}"
	echo
	echo "Total wall time: ${total} s (payload ${t_payload} s; ${#models[@]} Bochs boots, one after another: ${boots} s); checks: $passed passed, $failed failed."
	echo
	cat "$details"
} >"$summary_md"
echo "# summary table: $summary_md"
sed -n '/^| model/,/^$/p' "$summary_md" | sed 's/^/  /'
echo "$base: total wall time ${total} s (payload ${t_payload} s; ${#models[@]} Bochs boots, one after another: ${boots} s)"
finish
