#!/usr/bin/env bash
# check.sh: what `make run` and `make test` do to the host, with fakes in
# place of apt-get, dpkg-query, rpm, insmod, rmmod and the driver (no root,
# no network, nothing installed or loaded):
#   - scripts/deps.sh: the native list alone for a native run (with the
#     running kernel's headers only when its build tree is missing), the test
#     list on top for the tests and never a kernel package; apt-get update
#     once and --no-install-recommends on every install; nothing to do when
#     all is there; non-root and non-Debian hosts told what to run (dnf);
#   - kernel-images.sh: the list keeps only present packages, and the check
#     fails on an image that appeared or went;
#   - scripts/run.sh's native path: doctor printed before measuring; on a
#     FAIL, the FAIL lines with their fixes, nothing measured, and the module
#     it loaded unloaded; a module loaded before is left loaded.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
passed=0 failed=0

check() { # check NAME COMMAND...: COMMAND's status is the verdict
	local name=$1; shift
	if "$@"; then echo "ok - $name"; passed=$((passed + 1))
	else echo "not ok - $name"; failed=$((failed + 1)); fi
}
has() { grep -qe "$2" "$1"; }
lacks() { ! grep -qe "$2" "$1"; }

# -- scripts/deps.sh with a fake package system -----------------------------
# FAKE_INSTALLED: packages dpkg-query/rpm report installed ("*" = all);
# FAKE_UID: what id -u says.  Fakes log their calls to $t/log.
fake=$t/bin
mkdir -p "$fake"
for tool in bash grep sed cat sort awk cut mkdir; do ln -s "$(command -v $tool)" "$fake/$tool"; done
cat >"$fake/uname" <<'EOF'
#!/bin/bash
echo 0.0.0-fake-amd64
EOF
cat >"$fake/id" <<'EOF'
#!/bin/bash
echo "${FAKE_UID:-0}"
EOF
cat >"$fake/dpkg-query" <<'EOF'
#!/bin/bash
pkg=${!#}
[[ $FAKE_INSTALLED == "*" || " $FAKE_INSTALLED " == *" $pkg "* ]] || exit 1
printf 'install ok installed'
EOF
cat >"$fake/apt-get" <<'EOF'
#!/bin/bash
echo "apt-get $*" >>"$FAKE_LOG"
EOF
cat >"$fake/rpm" <<'EOF'
#!/bin/bash
echo "rpm $*" >>"$FAKE_LOG"
[[ $FAKE_INSTALLED == "*" || " $FAKE_INSTALLED " == *" $2 "* ]]
EOF
chmod +x "$fake"/*
export FAKE_LOG=$t/log FAKE_INSTALLED='' FAKE_UID=0

# deps WHAT [TOOLS]: scripts/deps.sh WHAT with only the fakes on PATH, of
# the package tools only TOOLS (default "apt-get dpkg-query", a Debian host);
# output in $t/out, status in rc.
deps() {
	local what=$1 tools=${2-apt-get dpkg-query} bin=$t/path tool
	rm -rf "$bin" "$FAKE_LOG" && mkdir -p "$bin" && : >"$FAKE_LOG"
	for tool in "$fake"/*; do
		case ${tool##*/} in apt-get | dpkg-query | rpm) ;; *) ln -s "$tool" "$bin/" ;; esac
	done
	for tool in $tools; do ln -s "$fake/$tool" "$bin/"; done
	PATH=$bin bash "$top/scripts/deps.sh" "$what" >"$t/out" 2>&1
	rc=$?
	cat "$t/out" >>"$FAKE_LOG"
}
install_line() { grep '^apt-get install' "$FAKE_LOG"; }
every_install_no_recommends() {
	local n
	n=$(grep -c '^apt-get install' "$FAKE_LOG")
	[[ $n -ge 1 && $(grep -c '^apt-get install .*--no-install-recommends' "$FAKE_LOG") -eq $n ]]
}

FAKE_INSTALLED=
deps native
check "native, fresh Debian host: installs" test "$rc" -eq 0
check "native: apt-get update once, before installing" \
	test "$(grep '^apt-get' "$FAKE_LOG" | head -n 2 | cut -d' ' -f2 | paste -sd' ')" = "update install"
check "native: apt-get update only once" test "$(grep -c '^apt-get update' "$FAKE_LOG")" -eq 1
check "native: --no-install-recommends" every_install_no_recommends
for p in make gcc libc6-dev libinih-dev nettle-dev libpfm4-dev gnuplot-nox linux-headers-0.0.0-fake-amd64; do
	check "native installs $p" has "$FAKE_LOG" "^apt-get install .* $p\( \|$\)"
done
for p in qemu-system-x86 bochs python3-scipy clang-14 sparse linux-image linux-headers-6; do
	check "native does not install $p" lacks "$FAKE_LOG" "^apt-get install .* $p"
done

deps test
check "test, fresh Debian host: installs" test "$rc" -eq 0
check "test: --no-install-recommends" every_install_no_recommends
for p in make libinih-dev gnuplot-nox qemu-system-x86 bochs xorriso python3-scipy clang-14 sparse gcc-12 libelf1 pahole; do
	check "test installs $p" has "$FAKE_LOG" "^apt-get install .* $p\( \|$\)"
done
check "test installs no linux-headers or linux-image package" lacks "$FAKE_LOG" "^apt-get install .* linux-\(headers\|image\)"

# make run where the CPU has no VT-x: the emulated run's packages, and none
# of those only the tests use.
deps emulated
check "emulated (make run in Bochs), fresh Debian host: installs" test "$rc" -eq 0
check "emulated: --no-install-recommends" every_install_no_recommends
for p in make libpfm4-dev gnuplot-nox bochs bochsbios vgabios isolinux syslinux-common xorriso busybox-static cpio gcc-12 libelf1 pahole; do
	check "emulated installs $p" has "$FAKE_LOG" "^apt-get install .* $p\( \|$\)"
done
for p in qemu-system-x86 chromium ansible-core openssh-client libcmocka-dev sparse python3-numpy python3-scipy python3-jsonschema clang-14 python3-pandas; do
	check "emulated does not install $p" lacks "$FAKE_LOG" "^apt-get install .* $p\( \|$\)"
done
check "emulated installs no linux-headers or linux-image package" lacks "$FAKE_LOG" "^apt-get install .* linux-\(headers\|image\)"
n_emulated=$(sed -n 's/^deps: emulated: installing \([0-9]*\) packages:.*/\1/p' "$t/out")
deps test
n_test=$(sed -n 's/^deps: test: installing \([0-9]*\) packages:.*/\1/p' "$t/out")
echo "# a fresh host asks apt-get for ${n_emulated:-?} packages for make run (emulated), ${n_test:-?} for make test (before their dependencies)"
check "emulated asks for fewer packages than test (${n_emulated:-?} < ${n_test:-?})" test "${n_emulated:-99}" -lt "${n_test:-0}"

# make check: the areas that boot no emulator.
deps check
check "check (make check), fresh Debian host: installs" test "$rc" -eq 0
for p in libcmocka-dev sparse python3-scipy chromium clang-14 libclang-rt-14-dev gcc-12 binutils; do
	check "check installs $p" has "$FAKE_LOG" "^apt-get install .* $p\( \|$\)"
done
for p in bochs qemu-system-x86 xorriso busybox-static ansible-core; do
	check "check does not install $p" lacks "$FAKE_LOG" "^apt-get install .* $p\( \|$\)"
done
deps bench-analysis
check "bench-analysis (make bench-analysis) installs python3-pandas" has "$FAKE_LOG" "^apt-get install .* python3-pandas\( \|$\)"
deps fleet
check "fleet (make fleet's controller) installs ansible-core and openssh-client" \
	bash -c "grep -q '^apt-get install .* ansible-core' '$FAKE_LOG' && grep -q '^apt-get install .* openssh-client' '$FAKE_LOG'"
deps nonsense
check "an unknown list: usage, exit 2" test "$rc" -eq 2

FAKE_INSTALLED='*'
deps test
check "everything present: exit 0" test "$rc" -eq 0
check "everything present: no apt-get at all" lacks "$FAKE_LOG" '^apt-get'

FAKE_INSTALLED='' FAKE_UID=1000 deps native
check "not root: exit 1" test "$rc" -eq 1
check "not root: nothing installed" lacks "$FAKE_LOG" '^apt-get'
check "not root: the command is printed, --no-install-recommends" \
	has "$t/out" 'apt-get update && apt-get install .*--no-install-recommends .*libinih-dev'

FAKE_INSTALLED='make gcc elfutils-libelf-devel nettle-devel libpfm-devel json-c-devel sqlite-devel gnuplot kernel-devel-0.0.0-fake-amd64'
deps native rpm
check "RHEL/Fedora: exit 1 on a missing package" test "$rc" -eq 1
check "RHEL/Fedora: the dnf command names what is missing" has "$t/out" '^deps: install them as root with: dnf install inih-devel$'
FAKE_INSTALLED='*' deps native rpm
check "RHEL/Fedora: all there, exit 0" test "$rc" -eq 0
FAKE_INSTALLED='' deps emulated rpm
check "RHEL/Fedora: the emulated list is Debian's only: exit 1, said so" \
	bash -c "[[ $rc -eq 1 ]] && grep -q 'Debian or Ubuntu only' '$t/out'"
deps native ""
check "neither apt-get nor rpm: exit 1" test "$rc" -eq 1
check "neither apt-get nor rpm: both lists printed" has "$t/out" 'Fedora: .*inih-devel'

# -- the lists against what each path runs ----------------------------------
# scripts/deps.sh --why: for each package, a file it ships and the strings
# that find its use.  Each list's packages must each be used by the code of
# the path that asks for that list (comment lines aside), and make run's
# path must use none of the packages only the tests have: a package added to
# the wrong list, or a use added without its package, fails here.
list_of() { bash "$top/scripts/deps.sh" --list "$1" | grep -v '^linux-headers-'; }
why=$t/why
bash "$top/scripts/deps.sh" --why >"$why"
declare -A file_of uses_of
while read -r p rest; do
	file_of[$p]=${rest%%|*}
	uses_of[$p]=${rest#*|}
done <"$why"

# The files of each path: what it builds, runs and sources.
cd "$top" || exit 1
path_files() { # path_files LIST
	local native=(scripts/run.sh bench/Makefile bench/*.[ch] analysis/Makefile analysis/*.[ch]
		kmod/Makefile kmod/Kbuild kmod/*.[chS])
	local user=(bench/Makefile bench/*.[ch] analysis/Makefile analysis/*.[ch])
	local emulated=("${native[@]}" tests/emu/payload.sh tests/emu/kmod-build.sh tests/emu/harness/*.sh tests/emu/harness/pvh/*)
	local check=("${native[@]}" tests/run.sh tests/host/check.sh tests/host/kernel-images.sh tests/unit/Makefile tests/unit/*.[ch]
		tests/unit/*.py tests/unit/*.sh tests/accuracy/Makefile tests/accuracy/*.[ch]
		tests/accuracy/*.sh tests/fuzz/Makefile tests/fuzz/*.[ch] tests/fuzz/*.sh
		tests/analysis/Makefile tests/analysis/*.[ch] tests/analysis/*.py tests/analysis/*.sh
		tests/kmod/* tests/emu/kmod-build.sh tests/emu/harness/kernels.sh tests/emu/harness/common.sh)
	case $1 in
	native) printf '%s\n' "${native[@]}" ;;
	user) printf '%s\n' "${user[@]}" ;;
	emulated) printf '%s\n' "${emulated[@]}" ;;
	run-only) printf '%s\n' "${emulated[@]}" | grep -vx tests/emu/harness/boot.sh ;;
	check) printf '%s\n' "${check[@]}" ;;
	test) printf '%s\n' "${check[@]}" "${emulated[@]}" tests/emu/*.sh tests/emu/*.py \
		tests/fleet/*.sh Makefile fleet/site.yml fleet/roles/*/*/* \
		scripts/deb.sh debian/rules man/Makefile tests/host/packages.sh ;;
	packages) printf '%s\n' "${native[@]}" Makefile scripts/deb.sh debian/rules man/Makefile \
		man/*.c tests/host/packages.sh tests/emu/harness/kernels.sh ;;
	fleet) printf '%s\n' Makefile fleet/site.yml fleet/inventory.example.ini fleet/roles/*/*/* \
		analysis/Makefile analysis/*.[ch] ;;
	bench-analysis) printf '%s\n' analysis/Makefile analysis/*.[ch] tests/analysis/Makefile \
		tests/analysis/bench.sh tests/analysis/gen-samples.c ;;
	bench-accuracy) printf '%s\n' "${user[@]}" tests/accuracy/Makefile tests/accuracy/*.[ch] tests/accuracy/*.sh ;;
	esac
}

# code LIST: the code of the path of LIST in $t/code.LIST, comment lines
# left out (C: // and * lines; the rest: # lines, so #include and #define
# count in C only); prints that file's name.
code() {
	local out=$t/code.$1 files=()
	if [[ ! -f $out ]]; then
		mapfile -t files < <(path_files "$1")
		awk '/^[[:space:]]*(\/\/|\/\*|\*)/ && FILENAME ~ /\.[chS]$/ { next }
		     /^[[:space:]]*#/ && FILENAME !~ /\.[chS]$/ { next }
		     { print }' "${files[@]}" >"$out"
	fi
	echo "$out"
}
# used PKG LIST: one of PKG's uses is in the code of LIST's path
used() {
	local pats=() u file
	IFS='|' read -r -a pats <<<"${uses_of[$1]:-}"
	[[ ${#pats[@]} -gt 0 ]] || return 1
	file=$(code "$2")
	for u in "${pats[@]}"; do
		grep -qF -e "$u" "$file" && return 0
	done
	return 1
}
words() { tr ' ' '\n' | grep . | sort -u; }

# What Debian's headers trees need (kernels.sh host-depends: apt-cache, or
# the unpacked tree's record; nothing downloaded).
for series in 6.1 6.12; do
	tests/emu/harness/kernels.sh "$series" host-depends >"$t/kernels-$series" 2>&1 &
done
kernels_need=
if wait "%1" && wait "%2"; then
	kernels_need=$(cat "$t/kernels-6.1" "$t/kernels-6.12" | sort -u | paste -sd' ')
else
	echo "# kernels.sh SERIES host-depends: $(cat "$t/kernels-6.1" "$t/kernels-6.12" | paste -sd' ')"
fi

for list in native user emulated check test fleet bench-analysis bench-accuracy packages; do
	mapfile -t pkgs < <(list_of "$list")
	nowhy='' unused='' kern=''
	for p in "${pkgs[@]}"; do
		if [[ -z ${file_of[$p]:-} ]]; then
			nowhy+=" $p"
		elif [[ ${uses_of[$p]} == kernels ]]; then
			kern+=" $p"
		elif ! used "$p" "$list"; then
			unused+=" $p"
		fi
	done
	check "$list: every package has a line in scripts/deps.sh --why (missing:${nowhy:- none})" test -z "$nowhy"
	check "$list: each of its ${#pkgs[@]} packages is used by the code of its path ($(path_files "$list" | wc -l) files; unused:${unused:- none})" test -z "$unused"
	[[ -n $kern ]] || continue
	if [[ -z $kernels_need ]]; then
		echo "skip - $list: its kernels' packages against the headers trees' Depends: kernels.sh cannot resolve them here (above)"
		continue
	fi
	extra=$(comm -23 <(words <<<"$kern") <(words <<<"$kernels_need") | paste -sd' ')
	lack=$(comm -13 <(words <<<"$kern") <(words <<<"$kernels_need") | paste -sd' ')
	check "$list: its kernels' packages are what the 6.1 and 6.12 headers trees depend on ($kernels_need; not needed: ${extra:-none}; lacking: ${lack:-none})" \
		test -z "$extra$lack"
done

# make run (emulated) against the tests' own packages: none of them may be
# used by its path.  QEMU is in boot.sh, which make run reaches with
# --emulator bochs only.
mapfile -t run_pkgs < <(list_of emulated)
mapfile -t check_pkgs < <(list_of check)
mapfile -t test_pkgs < <(list_of test)
mapfile -t essential < <(dpkg-query -W -f='${Package} ${Essential}\n' "${test_pkgs[@]}" 2>/dev/null | sed -n 's/ yes$//p')
check "make run's emulated path boots Bochs only (boot.sh --emulator bochs)" \
	bash -c "grep -q 'harness/boot.sh --emulator bochs' scripts/run.sh && ! grep -q 'emulator qemu' scripts/run.sh"
leaks=''
for p in "${test_pkgs[@]}"; do
	[[ " ${run_pkgs[*]} " == *" $p "* ]] && continue
	if [[ $p == qemu-system-x86 ]]; then used "$p" run-only; else used "$p" emulated; fi && leaks+=" $p"
done
check "make run (emulated) uses none of the packages only the tests have (used:${leaks:- none})" test -z "$leaks"
# make check against the emulators' and the fleet's packages (Essential
# ones aside: every Debian host has them).
leaks=''
for p in "${test_pkgs[@]}"; do
	[[ " ${check_pkgs[*]} " == *" $p "* ]] && continue
	[[ " ${essential[*]} " == *" $p "* ]] && continue
	used "$p" check && leaks+=" $p"
done
check "make check uses none of the emulators' or the fleet's packages (used:${leaks:- none})" test -z "$leaks"
# Each --why file is what its package ships, where it is installed
# (dpkg-query -S: the packages that ship each file).
mapfile -t installed < <(dpkg-query -W -f='${Package} ${Status}\n' "${!file_of[@]}" 2>/dev/null | sed -n 's/ install ok installed$//p')
files=()
for p in "${installed[@]}"; do files+=("${file_of[$p]}"); done
owners=$(dpkg-query -S "${files[@]}" 2>/dev/null)
wrong=''
for p in "${installed[@]}"; do
	grep -qE "(^|, )$p(:amd64)?(, [^:]*)?: ${file_of[$p]}\$" <<<"$owners" || wrong+=" $p:${file_of[$p]}"
done
check "the files --why names are shipped by their packages (${#installed[@]} installed here; wrong:${wrong:- none})" test -z "$wrong"

# Every command the README's synopsis names asks scripts/deps.sh for its
# list (make run: scripts/run.sh, below); plain make only builds.
cmds=$(sed -n '/^## Synopsis/,/^## /s/^    make \([a-z-][a-z-]*\).*/\1/p' README.md | sort -u | paste -sd' ')
nodeps=''
for c in $cmds; do
	[[ $c == run ]] && continue
	# make -n: the recipes printed, not run (a sub-make's own dry run
	# may fail further on: its first lines are what counts here)
	grep -q 'deps\.sh' <<<"$(make -n -C "$top" "$c" 2>/dev/null)" || nodeps+=" $c"
done
check "the README's make commands ($cmds) each set up their packages (without:${nodeps:- none})" \
	test -n "$cmds" -a -z "$nodeps"
check "the fleet's emulated hosts install the emulated list, not the tests'" \
	grep -q "'emulated': 'emulated'" fleet/roles/vmptrst_fleet/tasks/prepare.yml

cd - >/dev/null || exit 1

# -- kernel-images.sh -------------------------------------------------------
ki=$top/tests/host/kernel-images.sh
printf 'linux-image-6.1.0-57-amd64 6.1.192-3\n' >"$t/before"
cp "$t/before" "$t/same"
printf 'linux-image-6.1.0-57-amd64 6.1.192-3\nlinux-image-6.12.117+deb12-amd64 6.12.117-1~deb12u1\n' >"$t/more"
# shellcheck disable=SC2016 # $1.. expand in the inner shell
check "kernel images: the same list passes" bash -c '"$1" check "$2" "$3" >/dev/null' _ "$ki" "$t/before" "$t/same"
"$ki" check "$t/before" "$t/more" >"$t/out"
rc=$?
check "kernel images: a new image fails" test "$rc" -eq 1
check "kernel images: and is named" has "$t/out" '^    linux-image-6.12.117+deb12-amd64 '
# shellcheck disable=SC2016
check "kernel images: a removed image fails" bash -c '! "$1" check "$2" "$3" >/dev/null' _ "$ki" "$t/more" "$t/before"
cat >"$fake/dpkg-query" <<'EOF'
#!/bin/bash
printf '%s\n' 'ii  linux-image-a 1' 'iU  linux-image-b 2' 'rc  linux-image-c 3' 'un  linux-image-d '
EOF
check "kernel images: the list keeps installed and unpacked, drops removed" \
	test "$(PATH=$fake "$ki" list | paste -sd,)" = "linux-image-a 1,linux-image-b 2"

# -- make run's own calls for packages -------------------------------------
# scripts/run.sh itself, in a tree of fakes: the emulated path asks for the
# emulated list before it builds anything, the native path for native;
# DEPS=skip asks for none.
ft=$t/tree
mkdir -p "$ft/scripts" "$ft/tests/emu/harness" "$ft/configs" "$ft/analysis" "$ft/bin"
cp "$top/scripts/run.sh" "$ft/scripts/"
cp "$top/configs/quick.ini" "$ft/configs/"
fake_tool() { # fake_tool PATH LINE...: an executable bash script
	printf '#!/bin/bash\n' >"$1"
	printf '%s\n' "${@:2}" >>"$1"
	chmod +x "$1"
}
# shellcheck disable=SC2016 # expanded by the fakes
{
	fake_tool "$ft/scripts/deps.sh" "echo \"deps \$*\" >>$t/runlog"
	fake_tool "$ft/tests/deps.sh" "echo \"tests/deps.sh \$*\" >>$t/runlog"
	fake_tool "$ft/tests/emu/payload.sh" "echo \"payload \$*\" >>$t/runlog" 'mkdir -p "$3/configs"'
	fake_tool "$ft/tests/emu/harness/boot.sh" "echo \"boot \$1 \$2\" >>$t/runlog" \
		'while [[ $# -gt 0 ]]; do [[ $1 == --out ]] && out=$2; shift; done' \
		'mkdir -p "$out/guest/run" && echo point,sample >"$out/guest/run/samples.csv"' \
		'echo console >"$out/console.log"'
	fake_tool "$ft/analysis/vmptrst-analyze" "echo \"analyze \$1\" >>$t/runlog"
	fake_tool "$ft/bin/make" "echo \"make \$*\" >>$t/runlog"
}
run_fake() { # run_fake ENV...: the fake tree's scripts/run.sh; its calls in $t/runlog
	: >"$t/runlog"
	env PATH="$ft/bin:$PATH" "$@" bash "$ft/scripts/run.sh" >"$t/out" 2>&1
	rc=$?
}
run_fake MODE=emulated
check "make run, emulated: runs through (fakes)" test "$rc" -eq 0
check "make run, emulated: asks for the emulated list, then builds the payload of a run (--run) and boots Bochs" \
	test "$(cut -d' ' -f1-4 "$t/runlog" | head -n 3 | paste -sd,)" = "deps emulated,payload --run 6.12 $ft/build/emu/run/payload,boot --emulator bochs"
check "make run, emulated: never the tests' list" lacks "$t/runlog" '^deps test\|^tests/deps.sh'
run_fake MODE=emulated DEPS=skip
check "make run, emulated, DEPS=skip: no package list asked for" lacks "$t/runlog" '^deps\|^tests/deps.sh'
# shellcheck disable=SC2016 # expanded by the inner shell
PATH="$ft/bin:$PATH" bash -c 'source "$1"; die() { echo "die $*" >>"$2"; exit 1; }; : >"$2"; native_build' \
	_ "$ft/scripts/run.sh" "$t/runlog" >"$t/out" 2>&1
check "make run, native: asks for the native list first" test "$(head -n 1 "$t/runlog")" = "deps native"

# -- scripts/run.sh, native path, with a fake driver and fake insmod/rmmod --
# native DOCTOR_RC LOADED: run_native in a subshell; $t/log gets the
# calls in order, $t/out the terminal.
native() {
	local doctor_rc=$1 loaded=$2
	: >"$t/log"
	cat >"$t/bench" <<EOF
#!/bin/bash
echo "bench \$*" >>"$t/log"
if [[ \$1 == doctor ]]; then
	echo "PASS  CPU: GenuineIntel family 6"
	[[ $doctor_rc -eq 0 ]] || echo "FAIL  VT-x: disabled by firmware (fix: enable VT-x in the firmware setup)"
	echo "WARN  turbo: on (fix: echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo)"
	exit $doctor_rc
fi
EOF
	chmod +x "$t/bench"
	# shellcheck disable=SC2034,SC2317 # used by the functions of run.sh
	(
		# shellcheck source=../../scripts/run.sh
		source "$top/scripts/run.sh"
		bench=$t/bench
		id() { echo 0; }
		native_build() { echo build >>"$t/log"; }
		module_loaded() { [[ $loaded -eq 1 ]]; }
		insmod() { echo "insmod $*" >>"$t/log"; }
		rmmod() { echo "rmmod $*" >>"$t/log"; }
		analyse() { echo analyse >>"$t/log"; }
		CPU=3 run_native
	) >"$t/out" 2>&1
	rc=$?
}
order() { [[ $(grep -o '^[a-z]*\( [a-z]*\)\?' "$t/log" | paste -sd,) == "$1" ]]; }

native 1 0
check "doctor FAIL: the run stops (exit 1)" test "$rc" -eq 1
check "doctor FAIL: build, load, doctor, unload; nothing measured" order "build,insmod kmod,bench doctor,rmmod vmptrst"
check "doctor FAIL: doctor ran on the target CPU" has "$t/log" '^bench doctor --cpu 3$'
check "doctor FAIL: its output is printed" has "$t/out" '^WARN  turbo'
check "doctor FAIL: the FAIL line with its fix is repeated" has "$t/out" '^  FAIL  VT-x: disabled by firmware (fix: enable VT-x'
native 0 0
check "doctor PASS: measured and analysed, then unloaded" order "build,insmod kmod,bench doctor,bench run,analyse,rmmod vmptrst"
check "doctor PASS: exit 0" test "$rc" -eq 0
native 1 1
check "module loaded before: not loaded again, left loaded" order "build,bench doctor"

echo "host: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
