#!/usr/bin/env bash
# tests/fleet/check.sh: the real playbook (fleet/site.yml through make fleet
# and Debian's ansible-playbook) against five hosts, backend user (ring 3,
# real silicon, no module): three that are this machine
# (ansible_connection=local, a work folder each under a temp dir), one of
# them forced to fail (CPU 99: doctor's target cpu FAIL); h-d, ssh to a
# closed port of 127.0.0.1 (unreachable from the start); h-e, reached over
# a stand-in ssh that runs the commands here and refuses once the project
# is unpacked there (the connection lost during the job):
#   - two runs fetched with their marker, the failure and the two
#     unreachable hosts in fleet-summary.csv, the report and make fleet's
#     last message with their reasons, fleet.csv written, the packages step
#     run once (one host; the others skip it), no module left loaded;
#   - the catalogue (CATALOG=): catalog list shows the two fetched runs;
#   - the re-run resumes: the two hosts skipped, their files untouched, the
#     catalogue still holds each run once;
#   - h-e alone (fleet_target), lost between two tasks (once its config is
#     there): the summary play still runs and names it; h-a alone into a corrupt catalogue:
#     make fleet fails, naming the catalogue;
#   - vmptrst-analyze fleet on synthetic hosts: the outlier rule marks the
#     far host of a model of four and nothing in a model of one;
#   - one host with backend emulated (make run MODE=emulated in Bochs
#     through the playbook, a config of two points); FLEET_EMULATED=0
#     skips it, with a SKIP line saying so.
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
if ! command -v ssh >/dev/null; then
	echo "not ok - ssh is missing (the controller reaches its hosts with it): apt-get install --no-install-recommends openssh-client (scripts/deps.sh test lists it)"
	exit 1
fi
make -s -C analysis >/dev/null || exit 1

# -- five hosts, backend user ------------------------------------------------
# h-e's ssh: the command (its last argument) run here, with the file
# transfers piped through it too; "connection refused" (ssh's exit 255,
# which Ansible reads as unreachable) once a file matching the pattern in
# ssh-h-e.lose exists on h-e: first its unpacked project (lost inside an
# action, unarchive), later its built driver (lost between commands).
cat >"$t/ssh-h-e" <<SSH
#!/bin/sh
for a; do last=\$a; done
if ls $t/hosts/h-e/\$(cat $t/ssh-h-e.lose) >/dev/null 2>&1; then
	echo "ssh: connect to host h-e port 22: Connection refused" >&2
	exit 255
fi
exec /bin/sh -c "\$last"
SSH
chmod +x "$t/ssh-h-e"
echo 'src-*/src/Makefile' >"$t/ssh-h-e.lose"
ncpu=$(getconf _NPROCESSORS_ONLN)
cat >"$t/inventory.ini" <<INV
[lab]
h-a fleet_workdir=$t/hosts/h-a fleet_cpu=$((ncpu - 1)) fleet_deps=true
h-b fleet_workdir=$t/hosts/h-b fleet_cpu=0 fleet_deps=false
h-c fleet_workdir=$t/hosts/h-c fleet_cpu=99 fleet_deps=false
h-d ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=1 ansible_ssh_timeout=5
h-e fleet_workdir=$t/hosts/h-e fleet_cpu=0 fleet_deps=false ansible_connection=ssh ansible_ssh_executable=$t/ssh-h-e ansible_ssh_transfer_method=piped

[lab:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
ansible_become_method=su
INV
fleet() { # fleet LOG [make variables...]: make fleet, its status
	make -s fleet INVENTORY="$t/inventory.ini" CONFIG=tests/fleet/fleet.ini \
		BACKEND=user STAMP=check RESULTS="$t/results" CATALOG="$t/lab.sqlite" "${@:2}" >"$1" 2>&1
}
d=$t/results/fleet-check
sum=$d/fleet-summary.csv
# catalogued: catalog list holds two runs, and they are h-a's and h-b's
# fetched folders (the host column is meta.csv's host: this machine's name)
catalogued() {
	analysis/vmptrst-analyze catalog list "$t/lab.sqlite" >"$t/list.txt" 2>&1 &&
		[[ $(tail -n1 "$t/list.txt") == "2 runs" ]] &&
		analysis/vmptrst-analyze catalog show "$t/lab.sqlite" 1 >"$t/show.txt" 2>&1 &&
		analysis/vmptrst-analyze catalog show "$t/lab.sqlite" 2 >>"$t/show.txt" 2>&1 &&
		[[ $(grep -c '^folder ' "$t/show.txt") -eq 2 ]] &&
		grep -qx "folder $d/h-a" "$t/show.txt" && grep -qx "folder $d/h-b" "$t/show.txt"
}

rc=0; fleet "$t/run1.log" || rc=$?
echo "# run 1: make fleet exited $rc (log: $(wc -l <"$t/run1.log") lines)"
check "run 1: make fleet exits 2" test "$rc" -eq 2
check "run 1: the last message names the three hosts without a run, with status and reason" \
	has "$t/run1.log" '3 of 5 hosts have no complete run: h-c (failed: doctor: FAIL target cpu: CPU 99[^;]*; h-d (unreachable: [^;]*port 1: Connection refused); h-e (unreachable: reached, then the connection was lost during the job'
for h in h-a h-b; do
	check "$h: run folder fetched (meta.csv, samples.csv, headline.csv, report.html, doctor.txt)" \
		test -s "$d/$h/meta.csv" -a -s "$d/$h/samples.csv" -a -s "$d/$h/headline.csv" -a -s "$d/$h/report.html" -a -s "$d/$h/doctor.txt"
	check "$h: marker with commit and config hash" \
		has "$d/$h/fleet-done.csv" "^identity,commit=$(git rev-parse HEAD) config_sha256=$(sha256sum tests/fleet/fleet.ini | cut -c1-64) backend=user"
	check "$h: the backend is user (meta.csv)" has "$d/$h/meta.csv" '^backend,user'
	check "$h: complete, ran (fleet-summary.csv)" has "$sum" "^\"$h\",complete,ran,"
done
check "h-c, h-d, h-e: no run folder" test ! -e "$d/h-c" -a ! -e "$d/h-d" -a ! -e "$d/h-e"
check "h-c: failed with doctor's reason (fleet-summary.csv)" \
	has "$sum" '^"h-c",failed,,"doctor: FAIL target cpu: CPU 99: cannot pin to it'
check "fleet.csv: a row of each setup for h-a and h-b, and h-c with its reason" \
	bash -c "[[ \$(grep -c ',h-a,' '$d/fleet.csv') -eq 2 && \$(grep -c ',h-b,' '$d/fleet.csv') -eq 2 ]] && grep -q ',h-c,.*,failed,.*cannot pin' '$d/fleet.csv'"
check "h-d: unreachable with ssh's message (fleet-summary.csv)" \
	has "$sum" '^"h-d",unreachable,,".*ssh: connect to host 127.0.0.1 port 1: Connection refused",'
check "h-e: reached, then lost: unreachable (fleet-summary.csv)" \
	has "$sum" '^"h-e",unreachable,,"reached, then the connection was lost during the job'
check "h-e: reached before it was lost (the project unpacked there)" \
	bash -c "compgen -G '$t/hosts/h-e/src-*/src/Makefile' >/dev/null"
check "the report in the play's output lists h-c, h-d and h-e with their reasons" \
	bash -c "grep -q 'h-c: failed: doctor: FAIL target cpu: CPU 99' '$t/run1.log' && grep -q 'h-d: unreachable: .*Connection refused' '$t/run1.log' && grep -q 'h-e: unreachable: reached, then' '$t/run1.log'"
check "catalogue: catalog list shows the two fetched runs (h-a, h-b), by their folders" catalogued
check "catalogue: the play shows what it added" has "$t/run1.log" "catalog $t/lab.sqlite: 2 added, 0 already there, 0 failed"
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
check "re-run: h-e refused at once now: unreachable with ssh's message" \
	has "$sum" '^"h-e",unreachable,,".*Connection refused",'
check "re-run: the catalogue still holds each run once" catalogued
check "re-run: the play says both runs were there already" has "$t/run2.log" "catalog $t/lab.sqlite: 0 added, 2 already there, 0 failed"

# -- a fleet of one host, lost during the job ---------------------------------
# h-e alone (fleet_target), lost between two tasks: once the config task has
# put its file there, the next task's connection is refused (run 1 lost h-e
# inside an action).  No host is left with a run, and the summary play still
# runs (a play whose every host is lost or failed ends the playbook:
# unreachable results must be ignored).
rm -rf "$t/hosts/h-e"
echo 'config-*.ini' >"$t/ssh-h-e.lose"
rc=0; make -s fleet INVENTORY="$t/inventory.ini" CONFIG=tests/fleet/fleet.ini BACKEND=user \
	STAMP=lost RESULTS="$t/results" ANSIBLE_ARGS="-e fleet_target=h-e" >"$t/run3.log" 2>&1 || rc=$?
echo "# run 3 (h-e alone): make fleet exited $rc"
check "h-e alone, lost after its config task: fleet-summary.csv written, h-e unreachable" \
	has "$t/results/fleet-lost/fleet-summary.csv" '^"h-e",unreachable,,"reached, then the connection was lost during the job: .*Connection refused",'
check "h-e alone: lost where it was meant to be (its config there, no project unpacked)" \
	bash -c "compgen -G '$t/hosts/h-e/config-*.ini' >/dev/null && ! compgen -G '$t/hosts/h-e/src-*' >/dev/null"
check "h-e alone: make fleet exits 2, its last message naming h-e" \
	bash -c "[[ $rc -eq 2 ]] && grep -q '1 of 1 hosts have no complete run: h-e (unreachable: reached, then' '$t/run3.log'"

# -- a catalogue that cannot take the runs ----------------------------------
# h-a alone (resumed) into a file that is not an SQLite database
head -c 8192 /dev/urandom >"$t/garbage.sqlite"
rc=0; fleet "$t/run4.log" CATALOG="$t/garbage.sqlite" ANSIBLE_ARGS="-e fleet_target=h-a" || rc=$?
echo "# run 4 (h-a, a corrupt catalogue): make fleet exited $rc"
check "a corrupt catalogue: make fleet exits 2, its last message naming the catalogue and why" \
	bash -c "[[ $rc -eq 2 ]] && grep -q 'catalog add $t/garbage.sqlite exited 1: vmptrst-analyze: $t/garbage.sqlite' '$t/run4.log'"

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

# -- backend emulated (Bochs): the module's VMX path through the playbook ----
# tests/fleet/emulated.ini: two points of 20 samples (10 here).  The host's
# EMU_BUILD (fleet_emu_build) is this tree's build/emu, the module-* areas'
# own: the kernels downloaded once serve both.
if [[ ${FLEET_EMULATED:-1} == 0 ]]; then
	echo "SKIP - backend emulated through the playbook (Bochs, about 3 minutes): FLEET_EMULATED=0 was set"
else
	cat >"$t/emu.ini" <<INV
[lab]
h-emu fleet_workdir=$t/hosts/h-emu fleet_emu_build=$PWD/build/emu fleet_deps=false
[lab:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
INV
	rc=0 start=$SECONDS
	# Its own payload build (in fleet_emu_build), not tests/run.sh's
	# payload of this run (EMU_PAYLOAD_CACHE): the check below sees it.
	env -u EMU_PAYLOAD_CACHE make -s fleet INVENTORY="$t/emu.ini" CONFIG=tests/fleet/emulated.ini BACKEND=emulated \
		SAMPLES=10 STAMP=emu RESULTS="$t/results" >"$t/emu.log" 2>&1 || rc=$?
	e=$t/results/fleet-emu
	echo "# emulated: make fleet exited $rc after $((SECONDS - start)) s"
	check "emulated: make fleet succeeds" test "$rc" -eq 0
	check "emulated: run folder fetched, platform bochs" has "$e/h-emu/meta.csv" '^platform,bochs'
	check "emulated: 10 samples of each of the 2 points (SAMPLES=10 reached the guest)" \
		bash -c "[[ \$(grep -c ',measured,' '$e/h-emu/points.csv') -eq 2 && \$(grep -c '^0,vmptrst,.*,ok' '$e/h-emu/samples.csv') -eq 10 ]]"
	check "emulated: complete (fleet-summary.csv)" has "$e/fleet-summary.csv" '^"h-emu",complete,ran,'
	check "emulated: the report labels it" has "$t/emu.log" 'emulated: not real timing'
	# Under the payload's lock: a module-* area of the same run may be
	# building kmod-6.12 again right now (kmod-build.sh empties it first).
	check "emulated: the module built in fleet_emu_build, not in the commit's tree" \
		flock build/emu/payload-6.12.lock bash -c "[[ build/emu/kmod-6.12/vmptrst_bench.ko -nt '$t/emu.ini' ]] && ! compgen -G '$t/hosts/h-emu/src-*/src/build/emu/kmod-*' >/dev/null"
	[[ $rc -eq 0 ]] || tail -30 "$t/emu.log"
fi

if [[ $failed -gt 0 ]]; then
	echo "# the logs' last lines (run 1):"
	tail -40 "$t/run1.log"
fi
echo "fleet: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
