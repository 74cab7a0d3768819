#!/usr/bin/env bash
# scripts/run.sh: `make run`, the main job.
#
# Natively where this CPU has VT-x and this kernel can load modules: builds
# the module against the running kernel, loads it, runs the driver on one
# pinned CPU, unloads it.  Otherwise the same module and driver run inside
# Bochs (emulated VT-x) and the results are labelled as emulated: their
# timings mean nothing.  Either way the run lands in results/<stamp>-<platform>/.
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
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

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

run_native() {
	local kdir=/lib/modules/$(uname -r)/build cpu dir loaded_here=0
	[[ $EUID -eq 0 ]] || die "a native run loads a kernel module: run it as root (sudo make run)"
	if [[ ! -d $kdir ]]; then
		say "installing linux-headers-$(uname -r) for the module build"
		apt-get install -y "linux-headers-$(uname -r)" >&2 ||
			die "no kernel build tree at $kdir: install linux-headers-$(uname -r)"
	fi
	make -s -C kmod KDIR="$kdir"
	make -s -C bench
	cpu=${CPU:-$(($(getconf _NPROCESSORS_ONLN) - 1))}
	dir=results/$(stamp)-native
	if ! grep -q '^vmptrst_bench ' /proc/modules; then
		insmod kmod/vmptrst_bench.ko
		loaded_here=1
	fi
	# Unload on every way out, Ctrl-C included; the driver writes what it
	# measured before it exits.
	# shellcheck disable=SC2064
	[[ $loaded_here -eq 1 ]] && trap "rmmod vmptrst_bench || true" EXIT
	say "native run of ${CONFIG:-configs/default.ini} on CPU $cpu -> $dir"
	bench/vmptrst-bench run -c "${CONFIG:-configs/default.ini}" \
		--cpu "$cpu" "${samples_flag[@]}" -o "$dir"
	say "done: $dir/meta.csv, points.csv, samples.csv"
	analyse "$dir"
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
	tests/deps.sh
	rm -rf "$work" && mkdir -p "$work"
	tests/emu/payload.sh "$KERNEL" "$work/payload"
	local cfg=${CONFIG:-configs/quick.ini}
	cp "$cfg" "$work/payload/configs/$(basename "$cfg")"
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
