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
deps native ""
check "neither apt-get nor rpm: exit 1" test "$rc" -eq 1
check "neither apt-get nor rpm: both lists printed" has "$t/out" 'Fedora: .*inih-devel'

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
