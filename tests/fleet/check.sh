#!/usr/bin/env bash
# tests/fleet/check.sh: the real playbook (fleet/site.yml through make fleet
# and Debian's ansible-playbook) against three hosts that are this machine
# (ansible_connection=local, a work folder each under a temp dir), backend
# user (ring 3, real silicon, no module), one host forced to fail (CPU 99:
# doctor's target cpu FAIL):
#   - two runs fetched with their marker, the failure in fleet-summary.csv
#     and in the report with its reason, fleet.csv written, the packages
#     step run once (one host; the others skip it), no module left loaded;
#   - the re-run resumes: the two hosts skipped, their files untouched;
#   - vmptrst-analyze fleet on synthetic hosts: the outlier rule marks the
#     far host of a model of four and nothing in a model of one;
#   - with FLEET_EMULATED=1, one host with backend emulated (make run
#     MODE=emulated in Bochs through the playbook, ~6 minutes); without it,
#     a SKIP line says so.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
passed=0 failed=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# check NAME COMMAND...: one TAP-like line, COMMAND's status the verdict
check() {
	local verdict=ok
	"${@:2}" || verdict="not ok"
	echo "$verdict - $1"
	if [[ $verdict == ok ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
has() { grep -qe "$2" "$1"; }

if ! command -v ansible-playbook >/dev/null; then
	echo "not ok - ansible-playbook is missing: apt-get install --no-install-recommends ansible-core (scripts/deps.sh test lists it)"
	exit 1
fi
make -s -C analysis >/dev/null || exit 1

# -- three hosts that are this machine, backend user ------------------------
ncpu=$(getconf _NPROCESSORS_ONLN)
cat >"$t/inventory.ini" <<INV
[lab]
h-a fleet_workdir=$t/hosts/h-a fleet_cpu=$((ncpu - 1)) fleet_deps=true
h-b fleet_workdir=$t/hosts/h-b fleet_cpu=0 fleet_deps=false
h-c fleet_workdir=$t/hosts/h-c fleet_cpu=99 fleet_deps=false

[lab:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
ansible_become_method=su
INV
fleet() { # fleet LOG [make variables...]: make fleet, its status
	make -s fleet INVENTORY="$t/inventory.ini" CONFIG=tests/fleet/fleet.ini \
		BACKEND=user STAMP=check RESULTS="$t/results" "${@:2}" >"$1" 2>&1
}
d=$t/results/fleet-check
sum=$d/fleet-summary.csv

rc=0; fleet "$t/run1.log" || rc=$?
echo "# run 1: make fleet exited $rc (log: $(wc -l <"$t/run1.log") lines)"
check "run 1 fails, naming the host without a run" \
	has "$t/run1.log" '1 of 3 hosts have no complete run: h-c'
for h in h-a h-b; do
	check "$h: run folder fetched (meta.csv, samples.csv, headline.csv, report.html, doctor.txt)" \
		test -s "$d/$h/meta.csv" -a -s "$d/$h/samples.csv" -a -s "$d/$h/headline.csv" -a -s "$d/$h/report.html" -a -s "$d/$h/doctor.txt"
	check "$h: marker with commit and config hash" \
		has "$d/$h/fleet-done.csv" "^identity,commit=$(git rev-parse HEAD) config_sha256=$(sha256sum tests/fleet/fleet.ini | cut -c1-64) backend=user"
	check "$h: the backend is user (meta.csv)" has "$d/$h/meta.csv" '^backend,user'
	check "$h: complete, ran (fleet-summary.csv)" has "$sum" "^\"$h\",complete,ran,"
done
check "h-c: no run folder" test ! -e "$d/h-c"
check "h-c: failed with doctor's reason (fleet-summary.csv)" \
	has "$sum" '^"h-c",failed,,"doctor: FAIL target cpu: CPU 99: cannot pin to it'
check "fleet.csv: a row of each setup for h-a and h-b, and h-c with its reason" \
	bash -c "[[ \$(grep -c ',h-a,' '$d/fleet.csv') -eq 2 && \$(grep -c ',h-b,' '$d/fleet.csv') -eq 2 ]] && grep -q ',h-c,.*,failed,.*cannot pin' '$d/fleet.csv'"
check "the report in the play's output lists h-c with its reason" \
	has "$t/run1.log" 'h-c: failed: doctor: FAIL target cpu: CPU 99'
# the packages step: run on h-a only (fleet_deps), skipped on the others
sed -n '/TASK \[vmptrst_fleet : Packages/,/^$/p' "$t/run1.log" >"$t/deps.txt"
check "packages step run once (h-a), skipped on h-b and h-c" \
	bash -c "grep -q '\[h-a\]' '$t/deps.txt' && ! grep -q '\[h-[bc]\]' '$t/deps.txt'"
check "no vmptrst_bench module loaded afterwards" \
	bash -c "! grep -q '^vmptrst_bench ' /proc/modules 2>/dev/null"

# -- the re-run resumes -----------------------------------------------------
stamps() { stat -c '%n %Y %i' "$d"/h-[ab]/fleet-done.csv "$d"/h-[ab]/samples.csv; }
stamps >"$t/before"
rc=0; fleet "$t/run2.log" || rc=$?
echo "# run 2: make fleet exited $rc"
stamps >"$t/after"
check "re-run: h-a and h-b files untouched (marker and samples: same mtime and inode)" \
	cmp -s "$t/before" "$t/after"
for h in h-a h-b; do
	check "re-run: $h skipped as complete (resumed)" has "$sum" "^\"$h\",complete,resumed,"
done
check "re-run: h-c tried again and failed again" \
	has "$sum" '^"h-c",failed,,"doctor: FAIL target cpu'
check "re-run: the play says why it skipped" \
	has "$t/run2.log" 'h-a: complete run for this commit and config'

# -- the outlier rule, on synthetic hosts -------------------------------------
# x1..x4: one model, the add row's cost 0.5 [0.45, 0.55] on x1..x3, 5 on x4;
# y1: another model, 50 (alone: never an outlier).
syn=$t/syn
for h in x1 x2 x3 x4 y1; do
	mkdir -p "$syn/$h"
	cp "$d/h-a/meta.csv" "$d/h-a/headline.csv" "$syn/$h/"
done
sed -i 's/^cpu_model_name,.*/cpu_model_name,Other CPU/' "$syn/y1/meta.csv"
setcost() { # setcost HOST TICKS LO HI: the add row's cost
	python3 - "$syn/$1/headline.csv" "$2" "$3" "$4" <<'PY'
import csv, sys
p, t, lo, hi = sys.argv[1:]
rows = list(csv.reader(open(p, newline='')))
h = rows[0]
for r in rows[1:]:
    if r[0] == 'add':
        r[h.index('ticks_per_insn')], r[h.index('ci_low')], r[h.index('ci_high')] = t, lo, hi
csv.writer(open(p, 'w', newline='')).writerows(rows)
PY
}
for h in x1 x2 x3; do setcost "$h" 0.5 0.45 0.55; done
setcost x4 5 4.9 5.1
setcost y1 50 49 51
analysis/vmptrst-analyze fleet "$syn" >"$t/syn.txt" 2>&1
check "outlier: x4 marked (table and fleet.csv)" \
	bash -c "grep -q ' x4 .*OUTLIER' '$t/syn.txt' && grep -q '^add.*,x4,.*,yes,' '$syn/fleet.csv'"
check "outlier: nothing else marked" \
	bash -c "[[ \$(grep -c OUTLIER '$t/syn.txt') -eq 1 && \$(grep -c ',yes,' '$syn/fleet.csv') -eq 1 ]]"
check "hosts grouped by CPU model (Other CPU's y1 after the AMD/Intel model's x1..x4)" \
	bash -c "grep -A6 '^add' '$t/syn.txt' | grep -o ' [xy][0-9] ' | tr -d ' \n' | grep -qx 'x1x2x3x4y1\|y1x1x2x3x4'"

# -- backend emulated (Bochs), behind FLEET_EMULATED ---------------------------
if [[ ${FLEET_EMULATED:-} == 1 ]]; then
	cat >"$t/emu.ini" <<INV
[lab]
h-emu fleet_workdir=$t/hosts/h-emu fleet_deps=false
[lab:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
INV
	rc=0
	make -s fleet INVENTORY="$t/emu.ini" CONFIG=configs/quick.ini BACKEND=emulated \
		SAMPLES=20 STAMP=emu RESULTS="$t/results" >"$t/emu.log" 2>&1 || rc=$?
	e=$t/results/fleet-emu
	echo "# emulated: make fleet exited $rc"
	check "emulated: make fleet succeeds" test "$rc" -eq 0
	check "emulated: run folder fetched, platform bochs" has "$e/h-emu/meta.csv" '^platform,bochs'
	check "emulated: complete (fleet-summary.csv)" has "$e/fleet-summary.csv" '^"h-emu",complete,ran,'
	check "emulated: the report labels it" has "$t/emu.log" 'emulated: not real timing'
	[[ $rc -eq 0 ]] || tail -30 "$t/emu.log"
else
	echo "SKIP - backend emulated through the playbook (Bochs, ~6 minutes): set FLEET_EMULATED=1 to run it; not in make test, to keep CI time down"
fi

if [[ $failed -gt 0 ]]; then
	echo "# the logs' last lines (run 1):"
	tail -40 "$t/run1.log"
fi
echo "fleet: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
