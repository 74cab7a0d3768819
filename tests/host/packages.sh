#!/usr/bin/env bash
# packages.sh (make test-packages): the Debian packages, built and used on
# this machine as a lab server's keeper would:
#   - make deb builds vmptrst-bench and vmptrst-bench-dkms (scripts/deb.sh:
#     a clean copy of the tree, no root), lintian finds no error or warning
#     (its output printed here, for the log); the man pages pass
#     mandoc -T lint (make -C man check);
#   - dpkg -i of both installs, even though this kernel has no headers tree
#     (the DKMS postinst skips it and says so); man -w finds the three
#     pages, which name the installed paths; the installed vmptrst-bench
#     plans /usr/share/vmptrst-bench/configs/quick.ini;
#   - the installed fleet playbook installs the packages on two inventory
#     names that are this machine (backend user), each with its own work
#     folder and run;
#   - dkms build of the module for Debian's 6.1 and 6.12 kernels, against the
#     headers trees tests/emu/harness/kernels.sh unpacks (--kernelsourcedir),
#     each .ko's vermagic that kernel's; dkms install of the 6.12 one into
#     /lib/modules/VERSION/updates/dkms (the folder made for the test when
#     missing), so that the removal below has a module to remove;
#   - dpkg -r, then dpkg -P, leaves nothing: no DKMS entry, no file under
#     /lib/modules/*/updates, no /usr/src/vmptrst-bench-VERSION, programs,
#     pages, configs or playbook;
#   - no linux-image package installed or removed meanwhile
#     (tests/host/kernel-images.sh).
# Each check prints "ok - ..." or "not ok - ...", last "packages: N passed,
# N failed"; exit 0 when none failed, 1 otherwise, 4 (skip, with the
# reason) when this cannot run here: not root, no dpkg, or the packages
# already installed (the test would replace and purge them).
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top" || exit 1
passed=0 failed=0
log=$(mktemp -d)
made_dirs=()
installed=0

check() { # check NAME COMMAND...: COMMAND's status is the verdict
	local name=$1; shift
	if "$@"; then echo "ok - $name"; passed=$((passed + 1))
	else echo "not ok - $name"; failed=$((failed + 1)); fi
}
skip() { echo "packages: skipped: $*"; exit 4; }
pkg_status() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | tr -d ' '; }
present() { [[ $(pkg_status "$1") == ii ]]; }
gone() { local s; s=$(pkg_status "$1"); [[ -z $s || $s == un || $s == pn ]]; }
has() { grep -qe "$2" "$1"; }
both() { local p; for p in vmptrst-bench vmptrst-bench-dkms; do "$1" "$p" || return 1; done; }
both_gone_after() { [[ $1 -eq 0 ]] && both gone; }
vermagic_is() { [[ $(modinfo -F vermagic "$1" 2>/dev/null) == "$2 "* ]]; }
no_test_hooks() { [[ -f $1 ]] && ! modinfo -F parm "$1" | grep -q inject_fault; }
no_dkms_entry() { ! dkms status 2>/dev/null | grep -q vmptrst-bench; }
no_module_left() { ! find /lib/modules/*/updates -name 'vmptrst_bench.ko*' 2>/dev/null | grep -q .; }
files_gone() {
	local f
	for f in /usr/bin/vmptrst-bench /usr/bin/vmptrst-analyze /usr/share/vmptrst-bench "${pages[@]}"; do
		[[ ! -e $f ]] || { echo "#   still there: $f"; return 1; }
	done
}

cleanup() {
	local d
	if [[ $installed -eq 1 ]]; then
		dpkg -P vmptrst-bench-dkms vmptrst-bench >/dev/null 2>&1
	fi
	for ((i = ${#made_dirs[@]} - 1; i >= 0; i--)); do
		d=${made_dirs[i]}
		[[ -n $d && $d == /lib/modules* ]] && rm -rf "$d"
	done
	rm -rf "$log"
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || skip "needs root (dpkg -i, dkms)"
command -v dpkg >/dev/null || skip "not a Debian host (no dpkg)"
for p in vmptrst-bench vmptrst-bench-dkms; do
	gone "$p" || skip "$p is installed on this host ($(pkg_status "$p")): the test would replace and purge it; dpkg -P it first"
done
[[ ! -e /var/lib/dkms/vmptrst-bench ]] ||
	skip "DKMS knows vmptrst-bench already (/var/lib/dkms/vmptrst-bench): dkms remove vmptrst-bench/VERSION --all first"
missing=()
for tool in dpkg-buildpackage dh dh_dkms dkms lintian mandoc man modinfo; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
	echo "not ok - tools present: missing ${missing[*]} (tests/deps.sh installs debhelper dh-dkms dkms lintian mandoc man-db kmod)"
	echo "packages: 0 passed, 1 failed"
	exit 1
fi

version=$(sed -n 's/^#define VB_TOOL_VERSION[[:space:]]*"\(.*\)"/\1/p' bench/bench.h)
tests/host/kernel-images.sh list >"$log/images.before"

# -- build ---------------------------------------------------------------------
echo "# make deb (scripts/deb.sh)"
make -s deb >"$log/deb.out" 2>&1
rc=$?
sed 's/^/#   /' "$log/deb.out"
deb=build/deb/vmptrst-bench_${version}_amd64.deb
dkmsdeb=build/deb/vmptrst-bench-dkms_${version}_all.deb
check "make deb: builds vmptrst-bench and vmptrst-bench-dkms $version" \
	test "$rc" -eq 0 -a -f "$deb" -a -f "$dkmsdeb"
no_lintian_warning() { [[ -f build/deb/lintian.txt ]] && ! grep -q '^[EW]: ' build/deb/lintian.txt; }
check "lintian: no error or warning (build/deb/lintian.txt)" no_lintian_warning
# Run as root, deb.sh builds as nobody; the files in the packages must
# still be root's (Rules-Requires-Root: no: dpkg-deb --root-owner-group).
built_by_nobody() { [[ $(stat -c %U "$deb") == nobody ]]; }
owned_by_root() {
	local d
	for d in "$deb" "$dkmsdeb"; do
		dpkg-deb -c "$d" | awk '$2 != "root/root" { bad = 1 } END { exit bad }' || return 1
	done
}
check "the packages were built by an unprivileged user (nobody), not root" built_by_nobody
check "every file in them is root/root all the same (Rules-Requires-Root: no)" owned_by_root
make -s -C man check >"$log/man.out" 2>&1
rc=$?
sed 's/^/#   /' "$log/man.out"
check "make -C man check: mandoc -T lint clean on the three pages" test "$rc" -eq 0

if [[ ! -f $deb || ! -f $dkmsdeb ]]; then
	echo "packages: $passed passed, $((failed + 1)) failed (no packages to install)"
	exit 1
fi

# -- install and use -----------------------------------------------------------
echo "# dpkg -i $deb $dkmsdeb"
installed=1
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" "$dkmsdeb" >"$log/install.out" 2>&1
rc=$?
sed 's/^/#   /' "$log/install.out"
check "dpkg -i of both: exit 0" test "$rc" -eq 0
check "both installed" both present
kver=$(uname -r)
if [[ ! -e /lib/modules/$kver/build/include ]]; then
	check "postinst: the running kernel $kver has no headers tree, skipped and said so" \
		has "$log/install.out" "no module built for the running kernel $kver"
fi
dkms_says() { dkms status -m vmptrst-bench -v "$version" "${@:2}" 2>/dev/null | grep -q ": $1"; }
check "DKMS has the source (dkms status: added)" dkms_says added

man_finds() { man -w "$1" "$2" 2>/dev/null | grep -q "^/usr/share/man/man$1/$2\.$1"; }
check "man -w vmptrst-bench: found" man_finds 1 vmptrst-bench
check "man -w vmptrst-analyze: found" man_finds 1 vmptrst-analyze
check "man -w 5 vmptrst-bench.ini: found" man_finds 5 vmptrst-bench.ini
pages=(/usr/share/man/man1/vmptrst-bench.1.gz /usr/share/man/man1/vmptrst-analyze.1.gz
	/usr/share/man/man5/vmptrst-bench.ini.5.gz)
paths_written() {
	local p
	for p in "${pages[@]}"; do zcat "$p" | grep -q '@[A-Z]*@' && return 1; done
	zcat "${pages[0]}" | grep -q /usr/share/vmptrst-bench/configs
}
check "the installed pages name the installed paths, no @PLACEHOLDER@ left" paths_written
# mandoc says "outdated mandoc.db" of this machine's database; a reference
# it cannot find is a finding unless man cannot find that page either (a
# package not installed here).
lint_installed() {
	local p line name sec bad=0
	for p in "${pages[@]}"; do
		while IFS= read -r line; do
			[[ $line == *"outdated mandoc.db"* ]] && continue
			if [[ $line =~ referenced\ manual\ not\ found:\ Xr\ ([^ ]+)\ ([0-9]) ]]; then
				name=${BASH_REMATCH[1]} sec=${BASH_REMATCH[2]}
				man -w "$sec" "$name" >/dev/null 2>&1 || continue
			fi
			echo "#   $line"; bad=1
		done < <(mandoc -T lint -W style "$p" 2>&1)
	done
	return $bad
}
check "mandoc -T lint on the installed pages: clean" lint_installed

out=$(/usr/bin/vmptrst-bench plan -c /usr/share/vmptrst-bench/configs/quick.ini 2>&1)
rc=$?
echo "#   $(tail -n 1 <<<"$out")"
is_plan() { [[ $rc -eq 0 ]] && grep -q '^plan: [0-9]* points in [0-9]* groups' <<<"$out"; }
check "vmptrst-bench plan -c /usr/share/vmptrst-bench/configs/quick.ini: exit 0, a plan" is_plan
out=$(/usr/bin/vmptrst-bench --version 2>&1)
echo "#   $out"
is_version() { [[ $out == "vmptrst-bench $version (commit "* && $out != *"commit unknown"* ]]; }
check "vmptrst-bench --version: $version and the commit it was built from" is_version
analyze_help() { /usr/bin/vmptrst-analyze --help >/dev/null; }
check "vmptrst-analyze --help: exit 0" analyze_help

# -- the installed fleet playbook, from the packages ----------------------------
# /usr/share/vmptrst-bench/fleet/site.yml has no source tree beside it: it
# installs the packages (fleet_install=package by default there) from
# build/deb on each host.  Two inventory names that are this machine
# (ansible_connection=local), backend user: each must get its own work
# folder (/var/tmp/vmptrst-bench-fleet/NAME) and its own complete run.
fleet_names=(pkg-test-a pkg-test-b)
fleet_made=()
for n in "${fleet_names[@]}"; do
	[[ -e /var/tmp/vmptrst-bench-fleet/$n ]] || fleet_made+=("/var/tmp/vmptrst-bench-fleet/$n")
done
if command -v ansible-playbook >/dev/null; then
	cat >"$log/fleet.ini" <<INV
[lab]
pkg-test-a fleet_cpu=0
pkg-test-b fleet_cpu=$(($(getconf _NPROCESSORS_ONLN) - 1))

[lab:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
ansible_become_method=su
fleet_backend=user
fleet_deps=false
INV
	echo "# ansible-playbook /usr/share/vmptrst-bench/fleet/site.yml (two local names, backend user, from build/deb)"
	ANSIBLE_CONFIG=/usr/share/vmptrst-bench/fleet/ansible.cfg ansible-playbook -i "$log/fleet.ini" \
		/usr/share/vmptrst-bench/fleet/site.yml -e fleet_config="$top/tests/fleet/fleet.ini" \
		-e fleet_stamp=pkgtest -e fleet_debs="$top/build/deb" -e fleet_results="$log/results" \
		>"$log/fleet.out" 2>&1
	rc=$?
	[[ $rc -eq 0 ]] || grep -E 'FAILED|fatal|msg' "$log/fleet.out" | tail -n 20 | sed 's/^/#   /'
	check "the installed fleet playbook, from the packages: both hosts complete (exit 0)" test "$rc" -eq 0
	fleet_ran() {
		local n
		for n in "${fleet_names[@]}"; do
			[[ -f $log/results/fleet-pkgtest/$n/samples.csv && -f $log/results/fleet-pkgtest/$n/fleet-done.csv ]] || return 1
			grep -q "^commit,deb-$version-" "$log/results/fleet-pkgtest/$n/fleet-done.csv" || return 1
		done
	}
	check "fleet: each name's run fetched, of the packages (fleet-done.csv commit deb-$version-...)" fleet_ran
	own_workdirs() {
		local n
		for n in "${fleet_names[@]}"; do
			[[ -d /var/tmp/vmptrst-bench-fleet/$n/runs/pkgtest ]] || return 1
		done
	}
	check "fleet: each inventory name had its own work folder (/var/tmp/vmptrst-bench-fleet/NAME)" own_workdirs
else
	echo "not ok - the installed fleet playbook: no ansible-playbook here (scripts/deps.sh test lists ansible-core)"
	failed=$((failed + 1))
fi
for d in "${fleet_made[@]}"; do rm -rf "$d"; done
rmdir /var/tmp/vmptrst-bench-fleet 2>/dev/null

# -- DKMS against Debian's kernels ----------------------------------------------
for series in 6.1 6.12; do
	kdir=$(tests/emu/harness/kernels.sh "$series" headers 2>"$log/kernels.err")
	kv=$(tests/emu/harness/kernels.sh "$series" version 2>>"$log/kernels.err")
	if [[ -z $kdir || -z $kv ]]; then
		sed 's/^/#   /' "$log/kernels.err"
		check "dkms build for Debian's $series kernel: its headers tree" false
		continue
	fi
	dkms build -m vmptrst-bench -v "$version" -k "$kv" --kernelsourcedir "$kdir" >"$log/dkms-$series.out" 2>&1
	rc=$?
	[[ $rc -eq 0 ]] || sed 's/^/#   /' "$log/dkms-$series.out"
	check "dkms build -k $kv --kernelsourcedir (Debian's $series headers): built" \
		dkms_says built -k "$kv"
	ko=/var/lib/dkms/vmptrst-bench/$version/$kv/x86_64/module/vmptrst_bench.ko
	check "the $series module is built for $kv (vermagic)" vermagic_is "$ko" "$kv"
	# The module users load: the tests' hooks (HOLD, fault injection) absent.
	check "the $series module is the one users load (no inject_fault parameter: no test hooks)" \
		no_test_hooks "$ko"
done

# One module installed where DKMS installs it, so that removal has one to
# remove.  DKMS installs only for a kernel whose /lib/modules/VERSION exists.
kv=$(tests/emu/harness/kernels.sh 6.12 version 2>/dev/null)
kdir=$(tests/emu/harness/kernels.sh 6.12 headers 2>/dev/null)
if [[ -n $kv && -n $kdir ]]; then
	[[ -d /lib/modules ]] || made_dirs+=(/lib/modules)
	[[ -d /lib/modules/$kv ]] || made_dirs+=("/lib/modules/$kv")
	mkdir -p "/lib/modules/$kv"
	dkms install -m vmptrst-bench -v "$version" -k "$kv" --kernelsourcedir "$kdir" >"$log/install-ko.out" 2>&1
	rc=$?
	[[ $rc -eq 0 ]] || sed 's/^/#   /' "$log/install-ko.out"
	check "dkms install -k $kv: /lib/modules/$kv/updates/dkms/vmptrst_bench.ko" \
		test "$rc" -eq 0 -a -f "/lib/modules/$kv/updates/dkms/vmptrst_bench.ko"
fi

# -- removal -------------------------------------------------------------------
echo "# dpkg -r vmptrst-bench-dkms vmptrst-bench"
dpkg -r vmptrst-bench-dkms vmptrst-bench >"$log/remove.out" 2>&1
rc=$?
sed 's/^/#   /' "$log/remove.out"
check "dpkg -r of both: exit 0" test "$rc" -eq 0
check "dkms status: no vmptrst-bench left" no_dkms_entry
check "no vmptrst_bench module under /lib/modules/*/updates" no_module_left
check "no DKMS tree left (/var/lib/dkms/vmptrst-bench)" test ! -e /var/lib/dkms/vmptrst-bench
check "the module's source is gone (/usr/src/vmptrst-bench-$version)" test ! -e "/usr/src/vmptrst-bench-$version"
check "programs, pages, configs and playbook are gone" files_gone
echo "# dpkg -P vmptrst-bench-dkms vmptrst-bench"
dpkg -P vmptrst-bench-dkms vmptrst-bench >"$log/purge.out" 2>&1
rc=$?
sed 's/^/#   /' "$log/purge.out"
check "dpkg -P of both: exit 0, dpkg knows neither" \
	both_gone_after "$rc"
no_files_listed() { ! dpkg -L vmptrst-bench vmptrst-bench-dkms 2>/dev/null | grep -q /; }
check "no file of either package left (dpkg -L says nothing)" no_files_listed
installed=0

tests/host/kernel-images.sh check "$log/images.before" >"$log/images.out" 2>&1
rc=$?
sed 's/^ok - //; s/^not ok - //; s/^/#   /' "$log/images.out"
check "no linux-image package installed or removed (kernel-images.sh)" test "$rc" -eq 0

echo "packages: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
