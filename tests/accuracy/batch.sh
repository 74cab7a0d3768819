#!/usr/bin/env bash
# tests/accuracy/batch.sh: the headline's and the engine's cycles against the
# known latencies, in REPEAT batches (default 1), optionally under LOAD:
#   LOAD=loop     a busy loop pinned to another CPU than the target
#   LOAD=compile  vmptrst-analyze rebuilt over and over there (a copy)
# The load is bounded (timeout 1800 s) and stopped on exit, Ctrl-C or an
# error.  Per batch: RUNS (default 10) `vmptrst-bench run --backend user -c
# configs/user.ini` + summary, each run's imul and chase in core cycles with
# headline.csv's 95% interval and whether it holds 3 and 4 (or 5: README),
# then ./accuracy's engine figures with their intervals.  A benchmark: it
# asserts nothing.  Last line:
#   headline_coverage=N/M engine_coverage=N/M   (intervals holding the truth)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repeat=${REPEAT:-1} runs=${RUNS:-10} load=${LOAD:-none}
config=${CONFIG:-configs/user.ini}
make -s -C bench >/dev/null
make -s -C analysis >/dev/null
make -s -C tests/accuracy accuracy >/dev/null
tmp=$(mktemp -d)
loadpid=
stop_load() {
	if [[ -n $loadpid ]]; then
		kill -- "-$loadpid" 2>/dev/null || true
		wait "$loadpid" 2>/dev/null || true
		loadpid=
	fi
}
trap 'stop_load; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
target=$(awk -F= '/^[[:space:]]*cpu[[:space:]]*=/ { gsub(/[[:space:]]/, "", $2); print $2; exit }' "$config")
target=${target:-0}
other=$(( (target + 1) % $(nproc) ))
case $load in
none) ;;
loop)
	setsid timeout 1800 taskset -c "$other" sh -c 'while :; do :; done' &
	loadpid=$! ;;
compile)
	mkdir "$tmp/an"
	cp analysis/*.c analysis/*.h analysis/Makefile "$tmp/an/"
	setsid timeout 1800 taskset -c "$other" sh -c "cd '$tmp/an' && while :; do rm -f ./*.o vmptrst-analyze; make -s vmptrst-analyze >/dev/null 2>&1; done" &
	loadpid=$! ;;
*) echo "batch.sh: LOAD=$load: use loop, compile or leave it unset" >&2; exit 2 ;;
esac
chase_truth=$( { tests/accuracy/accuracy --reps 2 || true; } 2>/dev/null | awk '/^expected chase:/ { print $3 }')
chase_truth=${chase_truth:-4}
echo "batches: $repeat x ($runs headline runs of '$config' + ./accuracy); load: $load${loadpid:+ on CPU $other (pid $loadpid)}; target CPU $target; truth imul 3, chase $chase_truth cycles"
echo "host: $(uptime | sed 's/^ *//'); busiest: $(ps -eo pcpu=,comm= --sort=-pcpu | head -3 | awk '{ printf "%s %s%%; ", $2, $1 }')"
hc=0 hn=0 ec=0 en=0
for ((b = 1; b <= repeat; b++)); do
	bc=0 bn=0
	for ((k = 1; k <= runs; k++)); do
		d=$tmp/b$b-r$k
		bench/vmptrst-bench run --backend user -c "$config" -o "$d" >/dev/null
		analysis/vmptrst-analyze summary "$d" >/dev/null
		line=$(/usr/bin/python3 - "$d/headline.csv" "$chase_truth" <<'PY'
import csv, sys
rows = {r["instruction"]: r for r in csv.DictReader(open(sys.argv[1]))}
out, held = [], 0
for insn, truth in (("imul", 3.0), ("chase", float(sys.argv[2]))):
    r = rows[insn]
    v, lo, hi = (float(r[k] or "nan") for k in ("cycles_per_insn", "cycles_ci_low", "cycles_ci_high"))
    ok = lo <= truth <= hi
    held += ok
    out.append("%s %.3f [%.3f, %.3f] ±%.2f%% %s %g" % (insn, v, lo, hi, 100 * (hi - lo) / 2 / v,
               "holds" if ok else "MISSES", truth))
print(held, " | ".join(out), "| clock moved %s %%" % (rows["imul"]["clock_moved_pct"][:4] or "?"))
PY
)
		echo "batch $b run $k: headline ${line#* }"
		bc=$((bc + ${line%% *})) bn=$((bn + 2))
	done
	eng=$(tests/accuracy/accuracy | grep '^engine_')
	for insn in imul chase; do
		read -r v lo hi < <(sed -n "s/^engine_$insn=\([0-9.]*\) \[\([0-9.]*\), \([0-9.]*\)\].*/\1 \2 \3/p" <<<"$eng")
		t=3; [[ $insn == chase ]] && t=$chase_truth
		ok=$(awk -v l="$lo" -v h="$hi" -v t="$t" 'BEGIN { print (l <= t && t <= h) }')
		echo "batch $b engine: $insn $v [$lo, $hi] $([[ $ok == 1 ]] && echo holds || echo MISSES) $t"
		ec=$((ec + ok)) en=$((en + 1))
	done
	echo "batch $b: headline intervals holding the truth $bc/$bn; $(uptime | sed 's/.*load/load/')"
	hc=$((hc + bc)) hn=$((hn + bn))
done
stop_load
echo "headline_coverage=$hc/$hn engine_coverage=$ec/$en"
