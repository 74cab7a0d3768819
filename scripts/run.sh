#!/usr/bin/env bash
# scripts/run.sh: `make run`, the main job.
#
# Natively where this CPU has VT-x and this kernel can load modules: installs
# the packages of a native run (scripts/deps.sh native: Debian/Ubuntu, as
# root; elsewhere it says what to install), builds the module against the
# running kernel, loads it, prints `vmptrst-bench doctor` and stops on a FAIL,
# runs the driver on one pinned CPU, unloads it.  Otherwise the same module
# and driver run inside Bochs (emulated VT-x) and the results are labelled as
# emulated: their timings mean nothing; that path installs the packages of
# an emulated run only (scripts/deps.sh emulated: Bochs, the boot ISO's and
# the initramfs's tools, the kernels' build needs; none of the tests' own).
# Either way the run lands in results/<stamp>-<platform>/.
#
# Either way the run ends with vmptrst-analyze summary, plot and report.
#
# Settings (environment or make variables):
#   MODE=auto|native|emulated   default auto
#   CONFIG=FILE                 sweep; default configs/default.ini natively,
#                               configs/quick.ini emulated
#   CPU=N                       target CPU (native; default the last online)
#   SAMPLES=N                   overrides the config's samples per point
#   KERNEL=6.12|6.1             kernel booted in the emulated machine
#   DEPS=skip                   do not check or install packages
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
bench=bench/vmptrst-bench

MODE=${MODE:-auto}
KERNEL=${KERNEL:-6.12}
samples_flag=()
[[ -n ${SAMPLES:-} ]] && samples_flag=(--samples "$SAMPLES")
say() { printf 'make run: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Why this machine cannot run natively, or nothing when it can.
native_blocker() {
	if ! grep -qw vmx /proc/cpuinfo; then
		echo "this CPU shows no VT-x (no 'vmx' in /proc/cpuinfo)"
	elif [[ $(cat /proc/sys/kernel/modules_disabled 2>/dev/null || echo 1) != 0 ]]; then
		echo "this kernel does not load modules (kernel.modules_disabled or no module support)"
	fi
}

stamp() { date -u +%Y%m%d-%H%M%S; }

# Statistics, plots and the one-page report of run directory $1.
analyse() {
	make -s -C analysis
	analysis/vmptrst-analyze summary "$1"
	analysis/vmptrst-analyze plot "$1"
	analysis/vmptrst-analyze report "$1"
	say "report: $1/report.html"
}

# The packages of a native or an emulated run, $1 (scripts/deps.sh prints
# what is missing and how to install it where it cannot install it itself).
run_deps() {
	[[ ${DEPS:-} == skip ]] && return 0
	scripts/deps.sh "$1" || die "packages missing for a $1 run (above); DEPS=skip if you installed them yourself"
}

module_loaded() { grep -q '^vmptrst_bench ' /proc/modules; }

# Load the module unless it is loaded already (then it is left as found);
# what this run loads it unloads on every way out, Ctrl-C and errors
# included (the driver writes what it measured before it exits).
load_module() {
	if module_loaded; then
		[[ ! -e /sys/module/vmptrst_bench/parameters/inject_fault ]] ||
			die "the vmptrst_bench loaded is the tests' build (TEST_HOOKS=1): unload it (sudo rmmod vmptrst_bench) and run again"
		say "vmptrst_bench is already loaded: using it, leaving it loaded"
		return 0
	fi
	insmod kmod/vmptrst_bench.ko
	trap unload_module EXIT
}

unload_module() {
	rmmod vmptrst_bench || say "warning: rmmod vmptrst_bench failed: unload it by hand (sudo rmmod vmptrst_bench)"
}

# Print the preflight for CPU $1; on a FAIL, repeat the FAIL lines (each with
# its fix) and return non-zero: nothing is measured.
doctor_gate() {
	local out rc=0
	out=$("$bench" doctor --cpu "$1" 2>&1) || rc=$?
	printf '%s\n' "$out"
	[[ $rc -eq 0 ]] && return 0
	say "doctor found what stops a native run on CPU $1 (exit $rc):"
	grep '^FAIL' <<<"$out" | sed 's/^/  /' >&2 || true
	say "fix the above, then run again; nothing was measured"
	return 1
}

# Packages, then the module against the running kernel and the driver.
native_build() {
	local kdir
	kdir=/lib/modules/$(uname -r)/build
	run_deps native
	[[ -d $kdir ]] || die "no kernel build tree at $kdir: install linux-headers-$(uname -r)"
	# The module users load: never the tests' build (TEST_HOOKS=1).
	make -s -C kmod KDIR="$kdir" TEST_HOOKS=
	make -s -C bench vmptrst-bench
}

# Load, preflight, measure, analyse.
native_measure() {
	local cpu dir
	cpu=${CPU:-$(($(getconf _NPROCESSORS_ONLN) - 1))}
	dir=results/$(stamp)-native
	load_module
	doctor_gate "$cpu" || exit 1
	say "native run of ${CONFIG:-configs/default.ini} on CPU $cpu -> $dir"
	"$bench" run -c "${CONFIG:-configs/default.ini}" \
		--cpu "$cpu" "${samples_flag[@]}" -o "$dir"
	say "done: $dir/meta.csv, points.csv, samples.csv"
	analyse "$dir"
}

run_native() {
	[[ $(id -u) -eq 0 ]] || die "a native run loads a kernel module: run it as root (sudo make run)"
	native_build
	native_measure
}

run_emulated() {
	local why=$1 work=$top/build/emu/run dir rc=0
	cat >&2 <<EOF
================================================================
 EMULATED RUN: $why.
 The module and driver run inside Bochs, which emulates VT-x.
 Its TSC counts emulated instructions: the timings are NOT real
 and say nothing about any CPU.  They prove the pipeline only.
================================================================
EOF
	run_deps emulated
	rm -rf "$work" && mkdir -p "$work"
	tests/emu/payload.sh --run "$KERNEL" "$work/payload"
	local cfg=${CONFIG:-configs/quick.ini}
	cp "$cfg" "$work/payload/configs/$(basename "$cfg")"
	# payload.sh --run: the module users load (/payload/vmptrst_bench.ko),
	# the driver and the configs; none of the tests' builds and tools.
	cat >"$work/guest.sh" <<EOF
#!/bin/sh
insmod /payload/vmptrst_bench.ko || exit 1
./vmptrst-bench run --platform bochs --cpu 0 ${samples_flag[*]} -c configs/$(basename "$cfg") -o /out/run
rc=\$?
rmmod vmptrst_bench
exit \$rc
EOF
	tests/emu/harness/boot.sh --emulator bochs --kernel "$KERNEL" \
		--payload "$work/payload" --script "$work/guest.sh" \
		--out "$work/out" || rc=$?
	if [[ ! -s $work/out/guest/run/samples.csv ]]; then
		die "the emulated run left no samples.csv (exit $rc; console: $work/out/console.log)"
	fi
	dir=results/$(stamp)-bochs-emulated
	mkdir -p results
	cp -r "$work/out/guest/run" "$dir"
	cp "$work/out/console.log" "$dir/console.log"
	say "EMULATED results (timings not real): $dir/meta.csv, points.csv, samples.csv"
	[[ $rc -eq 0 ]] || die "the driver in the emulated machine exited $rc (see $dir/console.log)"
	analyse "$dir"
}

main() {
	local blocker
	blocker=$(native_blocker)
	case $MODE in
	native)
		[[ -z $blocker ]] || die "MODE=native, but $blocker"
		run_native ;;
	emulated) run_emulated "MODE=emulated was asked for" ;;
	auto)
		if [[ -z $blocker ]]; then run_native; else run_emulated "$blocker"; fi ;;
	*) die "MODE must be auto, native or emulated, not '$MODE'" ;;
	esac
}

# Sourced (tests/host/check.sh), it only defines the functions.
[[ ${BASH_SOURCE[0]} != "$0" ]] || main
