#!/usr/bin/env bash
# tests/run.sh: every test area; `make test` calls it after deps, `make
# check` with TESTS=check.  Each area is one program with its own output,
# kept in build/test-logs/AREA.log and printed whole after "=== AREA", in
# the order of the list below, as soon as it and the areas before it are
# done.  Then a line per area ("PASS area (N s)" or FAIL), the suite's wall
# time, and last "tests: N passed, N failed"; under a failed area's line
# its first "not ok" lines.  Exit status 0 only if all
# passed.
#
# Areas that boot no emulator (TESTS=check, `make check`): host (what make
# run and make test install, and the native run's doctor gate and module
# unload, all with fakes), unit (the driver, cmocka), userdev (the timing
# engine at ring 3, functional), inputs (the driver's bad-input table, then
# the config and CSV fuzzers for a bounded time), analysis (vmptrst-analyze
# against numpy/scipy reference values), blocks (the timed blocks' machine
# code).  Then those that do: fleet (the Ansible playbook against hosts that
# are this machine, backend user, and two unreachable ones, then one with
# backend emulated in Bochs: FLEET_EMULATED=0 skips that one), the module
# booted in QEMU (no VMX) and Bochs (VMX) with Debian's 6.1 and 6.12
# kernels, then the ioctl fuzzer in both (a bounded number of calls).
# Then models-bochs-6.12: the module users load on four other Bochs CPU
# models, one boot each (3 to 4 minutes; alone: `make test-models`);
# models-bochs-6.1 is not among the defaults.
#
# JOBS=N areas at a time (default 2: each emulator is one thread, and this
# machine has two cores; JOBS=1 runs one after another and streams each
# area's output as it comes).  The longest areas start first, so that the
# last to finish are short ones; the order printed is the list's.  Before
# they start, bench/ and analysis/ are built once (build/test-logs/build.log):
# the areas build them in place, and two makes in one folder at once would
# race.  Areas of the same kernel series share one payload build
# (tests/emu/payload.sh, EMU_PAYLOAD_CACHE, for this run only); the payload
# builds and the unpacked kernels are each taken one at a time (flock).
#
# TESTS="unit blocks ..." runs a subset ("check" stands for the areas that
# boot no emulator).  Last, always and alone: kernel-images, no linux-image
# package installed (or removed) on this host since the list taken before:
# `make test` takes it before installing packages and passes it in
# KERNEL_IMAGES_BEFORE; without it, this script takes it when it starts.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
suite_start=$SECONDS

check_areas="host unit userdev inputs analysis blocks"
# packages: `make deb`, lintian, the man pages, dpkg -i/-r of both packages,
# DKMS builds for 6.1 and 6.12 (tests/host/packages.sh); it says SKIP (exit
# 4) where it cannot run (not root, no dpkg, the packages installed already).
package_areas="packages"
boot_areas="$package_areas fleet module-qemu-6.1 module-qemu-6.12 module-bochs-6.12 nmi-bochs-6.12 module-bochs-6.1 fuzz-qemu-6.12 fuzz-bochs-6.12 models-bochs-6.12"

# About how long each area takes in a run of the suite here (seconds, from
# the areas' PASS lines): the start order, longest first, so that the two
# slots end together on short areas.  The two longest (the fleet, whose
# hosts build the project, and 6.1's Bochs area, which builds the 6.1
# payload) start together, and the 6.12 areas after them share one payload
# build.  fuzz-bochs-6.12 is short when its guest script rides in
# module-bochs-6.12's boot (it starts after that area then, whatever its
# rank).  models-bochs-6.1 (not a default area) is taken as 6.12's and a
# bit.  An area not listed starts after these, in the list's order.
declare -A usual=(
	[models-bochs-6.1]=250 [fleet]=365 [module-bochs-6.1]=305
	[module-bochs-6.12]=245 [models-bochs-6.12]=210 [packages]=160
	[nmi-bochs-6.12]=135 [fuzz-bochs-6.12]=95 [analysis]=80 [inputs]=70
	[blocks]=45 [fuzz-qemu-6.12]=35 [unit]=15 [host]=15 [module-qemu-6.1]=10
	[module-qemu-6.12]=10 [userdev]=5
)

# The ioctl fuzzer's calls in Bochs (fuzz-bochs-*).
fuzz_bochs_calls=2000

# One area (run_area), for the areas run at once: tests/run.sh --area AREA.
run_area() {
	case $1 in
	host) tests/host/check.sh ;;
	packages) tests/host/packages.sh ;;
	kernel-images) tests/host/kernel-images.sh check "${images_before:?}" ;;
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
	fuzz-bochs-*) tests/emu/fuzz-test.sh bochs "${1#fuzz-bochs-}" "$fuzz_bochs_calls" ;;
	*) echo "tests/run.sh: unknown area '$1'" >&2; return 2 ;;
	esac
}

if [[ ${1:-} == --area && $# -eq 2 ]]; then
	run_area "$2"
	exit
fi

slots=${JOBS:-2}
[[ $slots =~ ^[1-9][0-9]*$ ]] || { echo "tests/run.sh: JOBS wants a positive integer, not '$slots'" >&2; exit 2; }
logs=$top/build/test-logs
emu_build=${EMU_BUILD:-$top/build/emu}
export EMU_PAYLOAD_CACHE=$emu_build/payload-cache

tmp=$(mktemp -d)
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	local pid
	set +m
	for pid in $(jobs -p); do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; done
	rm -rf "$tmp" "$EMU_PAYLOAD_CACHE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

images_before=${KERNEL_IMAGES_BEFORE:-}
if [[ -z $images_before ]]; then
	images_before=$tmp/kernel-images.before
	tests/host/kernel-images.sh list >"$images_before"
fi

# The areas asked for, in the order printed; kernel-images apart (last).
order=()
for area in ${TESTS:-check $boot_areas}; do
	if [[ $area == check ]]; then
		read -r -a more <<<"$check_areas"
		order+=("${more[@]}")
	elif [[ $area != kernel-images ]]; then
		order+=("$area")
	fi
done

# Boots shared: fuzz-bochs-6.12 boots the same kernel, emulator and CPU
# model as module-bochs-6.12, so when both run, its guest script rides in
# that area's boot (tests/emu/fuzz-test.sh, "A boot shared"): each keeps
# its own checks and log; it starts once module-bochs-6.12 is done
# (after[AREA]), and boots alone if that area did not boot.
declare -A after=()
export EMU_FUZZ_SHARE='' EMU_FUZZ_SHARE_ARGS=''
if [[ " ${order[*]} " == *" module-bochs-6.12 "* && " ${order[*]} " == *" fuzz-bochs-6.12 "* ]]; then
	EMU_FUZZ_SHARE=$emu_build/fuzz-bochs-6.12/out EMU_FUZZ_SHARE_ARGS="bochs 6.12 $fuzz_bochs_calls"
	rm -rf "$EMU_FUZZ_SHARE"	# (nothing of an earlier run)
	after[fuzz-bochs-6.12]=module-bochs-6.12
fi

# blocks's usual time is a share of the module builds the emulated areas
# also need; without any of them (make check) it makes all four builds
# itself, and sparse's pass over each, and is the longest area there
# (122 s of make check's 151 s here, started third it ended last).
if [[ " ${order[*]} " != *" module-"* && " ${order[*]} " != *" models-"* &&
	" ${order[*]} " != *" nmi-"* && " ${order[*]} " != *" fuzz-"* ]]; then
	usual[blocks]=125
fi

# The start order: the usual times, longest first; then the rest.
mapfile -t start_order < <(
	i=0
	for area in "${order[@]}"; do
		printf '%s %s %s\n' "${usual[$area]:-0}" "$i" "$area"
		i=$((i + 1))
	done | sort -k1,1nr -k2,2n | cut -d' ' -f3)

rm -rf "$logs" "$EMU_PAYLOAD_CACHE"
mkdir -p "$logs"
declare -A verdict secs pid_area
passed=0 failed=0 skipped=0

note() { [[ -t 2 ]] && printf 'tests/run.sh: [%4d s] %s\n' "$((SECONDS - suite_start))" "$*" >&2; return 0; }

# bench/ and analysis/, once before areas run at once (they build there).
if [[ $slots -gt 1 && ${#order[@]} -gt 1 ]]; then
	note "building bench/ and analysis/ (build/test-logs/build.log)"
	if ! { make -j"$slots" -C bench all && make -j"$slots" -C analysis all objs; } >"$logs/build.log" 2>&1; then
		echo "tests/run.sh: bench/ or analysis/ does not build (build/test-logs/build.log): one area at a time"
		slots=1
	fi
fi

# Record area $1's verdict: its status $2 and its time.
finished() {
	local area=$1 rc=$2
	secs[$area]=$((SECONDS - ${secs[$area]}))
	if [[ $rc -eq 0 ]]; then
		verdict[$area]=PASS passed=$((passed + 1))
	elif [[ $rc -eq 4 && $area == packages ]]; then
		verdict[$area]=SKIP skipped=$((skipped + 1))	# its log says why
	else
		verdict[$area]=FAIL failed=$((failed + 1))
	fi
	note "${verdict[$area]} $area (${secs[$area]} s)"
}

# Print, in the list's order, the logs of the finished areas no unfinished
# area precedes.
printed=0
flush() {
	local area
	while [[ $printed -lt ${#order[@]} ]]; do
		area=${order[$printed]}
		[[ -n ${verdict[$area]:-} ]] || return 0
		echo "=== $area"
		cat "$logs/$area.log"
		printed=$((printed + 1))
	done
}

if [[ $slots -eq 1 ]]; then
	for area in "${order[@]}"; do
		echo "=== $area"
		secs[$area]=$SECONDS
		run_area "$area" 2>&1 | tee "$logs/$area.log"
		finished "$area" "${PIPESTATUS[0]}"
	done
	printed=${#order[@]}
else
	note "${#order[@]} areas, $slots at a time; logs in build/test-logs/"
	# Job control: each area a process group of its own (stopped whole on
	# the way out), and SIGINT not ignored in it as it would be in a
	# background job without (the unit tests check the driver leaves its
	# signal handlers as it found them).
	set -m
	# pending: the start order less the areas started; an area waits for
	# the one it comes after (after[AREA]) to finish.
	pending=("${start_order[@]}") running=0
	while [[ ${#pending[@]} -gt 0 || $running -gt 0 ]]; do
		while [[ $running -lt $slots ]]; do
			area='' rest=()
			for a in "${pending[@]}"; do
				if [[ -z $area && ( -z ${after[$a]:-} || -n ${verdict[${after[$a]}]:-} ) ]]; then
					area=$a
				else
					rest+=("$a")
				fi
			done
			[[ -n $area ]] || break
			pending=("${rest[@]}")
			secs[$area]=$SECONDS
			"$top/tests/run.sh" --area "$area" </dev/null >"$logs/$area.log" 2>&1 &
			pid_area[$!]=$area
			running=$((running + 1))
			note "started $area"
		done
		done_pid=
		wait -n -p done_pid
		rc=$?
		if [[ -z $done_pid ]]; then
			echo "tests/run.sh: lost track of the areas running" >&2
			exit 1
		fi
		[[ -n ${pid_area[$done_pid]:-} ]] || continue
		running=$((running - 1))
		finished "${pid_area[$done_pid]}" "$rc"
		unset "pid_area[$done_pid]"
		flush
	done
	set +m
fi

echo "=== kernel-images"
secs[kernel-images]=$SECONDS
run_area kernel-images 2>&1 | tee "$logs/kernel-images.log"
finished kernel-images "${PIPESTATUS[0]}"

echo "=== summary"
# A failed area's first "not ok" lines under its own (or, with none, the
# last lines of its log): so that the end of the output, all a CI page may
# show, says why.
for area in "${order[@]}" kernel-images; do
	echo "${verdict[$area]} $area (${secs[$area]} s)"
	if [[ ${verdict[$area]} == FAIL ]]; then
		why=$(grep -m 5 '^not ok' "$logs/$area.log" || tail -n 3 "$logs/$area.log")
		sed 's/^/    /' <<<"$why"
	fi
done
wall=$((SECONDS - suite_start))
printf 'wall time: %d s (%d min %02d s), %d areas, %d at a time\n' \
	"$wall" "$((wall / 60))" "$((wall % 60))" "$((${#order[@]} + 1))" "$slots"
if [[ $skipped -gt 0 ]]; then
	echo "tests: $passed passed, $failed failed, $skipped skipped"
else
	echo "tests: $passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
